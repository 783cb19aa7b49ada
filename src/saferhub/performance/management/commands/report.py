"""saferhub report performance --partnership SLUG --period YYYY-MM --format json [-o FILE]"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferhub.domain.calendar import Month, PeriodError
from saferhub.partnerships.selectors import PartnershipNotFound, partnership_get
from saferhub.performance.cache import rendered_report
from saferhub.performance.report import build_performance_report
from saferhub.rendering import FORMATS, render_report


class Command(BaseCommand):
    help = "Write a report."
    # Writing a report reads the database and nothing else: the system checks (every URL
    # module imported, about half a second) belong to `saferhub check` and to deployment.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        p = sub.add_parser("performance", help="the board performance report")
        p.add_argument("--partnership", required=True)
        p.add_argument("--period", required=True, help="the reporting month, YYYY-MM")
        p.add_argument("--format", default="json", choices=FORMATS)
        p.add_argument("-o", "--output", help="file to write (default: standard output)")
        p.add_argument(
            "--no-cache",
            action="store_true",
            help="render afresh even when these figures were rendered before (the result is the same)",
        )

    def handle(self, *args, **opts):
        try:
            month = Month.parse(opts["period"])
            partnership = partnership_get(opts["partnership"])
        except (PeriodError, PartnershipNotFound) as exc:
            raise CommandError(str(exc)) from None
        if opts["no_cache"]:
            data = render_report(build_performance_report(partnership, month), opts["format"])
        else:
            data = rendered_report(partnership, month, opts["format"])
        if opts["output"]:
            out = Path(opts["output"])
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            self.stderr.write(f"Wrote {out}")
        elif opts["format"] in ("json", "html"):
            sys.stdout.write(data.decode("utf-8"))
        else:
            raise CommandError(f"--format {opts['format']} is binary: give -o FILE")
