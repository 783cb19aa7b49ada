"""saferhub pack --partnership SLUG --date YYYY-MM-DD --format pdf -o FILE

Writes the agenda and pack of the board meeting on that date. If the meeting already has an
issued pack, that issue is written unchanged (issued packs never change); ``--new-issue``
builds a new issue from the data as it is now (a supplement with ``--kind supplement``)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.governance.models import Meeting, PackKind
from saferhub.governance.packs import pack_issue
from saferhub.governance.services import GovernanceError


class Command(BaseCommand):
    help = "Build (or write the issued) agenda pack of a board meeting."
    requires_system_checks: list[str] = []  # writes output only; `saferhub check` runs the checks

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument("--date", required=True, help="the meeting date, YYYY-MM-DD")
        parser.add_argument("--format", default="pdf", choices=["pdf"], help="output format (pdf)")
        parser.add_argument("-o", "--output", required=True, help="file to write")
        parser.add_argument(
            "--kind",
            choices=PackKind.values,
            default=None,
            help="agenda (every item) or supplement (items with papers); default supplement when the "
            "meeting already has an issue, else agenda",
        )
        parser.add_argument("--items", default="", help="only these item numbers, e.g. 5,6,8")
        parser.add_argument("--new-issue", action="store_true", help="build a new issue even if one exists")

    def handle(self, *args, **opts):
        try:
            day = datetime.date.fromisoformat(opts["date"])
        except ValueError:
            raise CommandError(f"--date {opts['date']!r} is not a date like 2017-01-24") from None
        meetings = list(Meeting.objects.filter(board__partnership__slug=opts["partnership"], date=day))
        if not meetings:
            raise CommandError(f"no board meeting of {opts['partnership']!r} on {day}")
        if len(meetings) > 1:
            raise CommandError(f"{len(meetings)} meetings on {day}; cannot choose")
        meeting = meetings[0]
        latest = meeting.packs.order_by("-issue").first()
        if latest is not None and not opts["new_issue"]:
            pack, note = latest, f"issued {latest.issued_at:%Y-%m-%d %H:%M}, unchanged; --new-issue builds another"
        else:
            try:
                numbers = [int(n) for n in opts["items"].split(",") if n.strip()] or None
            except ValueError:
                raise CommandError("--items takes item numbers like 5,6,8") from None
            kind = opts["kind"] or (PackKind.SUPPLEMENT if latest else PackKind.AGENDA)
            try:
                pack = pack_issue(
                    meeting=meeting, kind=kind, item_numbers=numbers, actor="saferhub pack", now=timezone.now()
                )
            except GovernanceError as e:
                raise CommandError(str(e)) from None
            note = "newly issued"
        Path(opts["output"]).write_bytes(bytes(pack.pdf))
        self.stdout.write(
            f"Wrote {opts['output']}: {pack.get_kind_display()} issue {pack.issue} ({note}), "
            f"{pack.pages} pages, sha256 {pack.sha256}"
        )
        for entry in pack.contents[1:]:
            pages = f"pages {entry['first_page']}-{entry['last_page']}" if entry["first_page"] else "no papers"
            self.stdout.write(f"  item {entry['number']}: {entry['subject']} ({pages})")
