"""saferhub purge [--dry-run]: delete what the retention settings say is too old."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.security.retention import purge_plan, purge_run


class Command(BaseCommand):
    help = (
        "Delete what is older than the retention periods (audit events: 24 months by default; files left by "
        "unfinished uploads: 7 days; finished jobs: 30 days). --dry-run lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be deleted, delete nothing")
        parser.add_argument("--now", help="ISO date-time to purge as of (default: now)")

    def handle(self, *args, **opts):
        now = timezone.now()
        if opts["now"]:
            try:
                now = datetime.datetime.fromisoformat(opts["now"])
            except ValueError:
                raise CommandError(f"--now {opts['now']!r} is not an ISO date-time") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        items = purge_plan(now=now) if opts["dry_run"] else purge_run(now=now)
        verb = "Would delete" if opts["dry_run"] else "Deleted"
        for i in items:
            oldest = f" (oldest {i.oldest:%Y-%m-%d})" if i.oldest else ""
            self.stdout.write(
                f"{verb} {i.count} {i.kind.replace('_', ' ')} from before {i.older_than:%Y-%m-%d}{oldest}."
            )
