"""saferhub return half-year --partnership SLUG --fund SLUG --year 2017/18 --format json|html|pdf|docx|xlsx -o FILE"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.commissioning.appendices import appendix_pdf
from saferhub.commissioning.returns import build_half_year_return, half_year_return_for
from saferhub.commissioning.selectors import NotFound, fund_get, parse_year
from saferhub.rendering.formats import RETURN_FORMATS, render_return


class Command(BaseCommand):
    help = "Write a funder's return."
    requires_system_checks: list[str] = []  # writes output only; `saferhub check` runs the checks

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        p = sub.add_parser("half-year", help="the half-year return on a fund, in the funder's layout")
        p.add_argument("--partnership", required=True)
        p.add_argument("--fund", required=True)
        p.add_argument("--year", required=True, help="financial year, e.g. 2017/18")
        p.add_argument("--half", type=int, choices=(1, 2), help="which half (default: the latest with a return)")
        p.add_argument("--version", dest="return_version", type=int, help="a given version (default: the latest)")
        p.add_argument("--format", default="json", choices=RETURN_FORMATS)
        p.add_argument("-o", "--output", help="file to write (default: standard output for json/html)")

    def handle(self, *args, **opts):
        try:
            fund = fund_get(partnership=opts["partnership"], slug=opts["fund"])
            year = parse_year(opts["year"])
        except NotFound as exc:
            raise CommandError(str(exc)) from None
        fmt = opts["format"]
        if not opts["output"] and fmt not in ("json", "html"):
            raise CommandError(f"--format {fmt} is binary: give -o FILE")
        hyr = half_year_return_for(fund, year, half=opts["half"], version=opts["return_version"])
        if hyr is None:
            raise CommandError(f"{fund.name} has no half-year return for {opts['year']}")
        data = build_half_year_return(hyr, today=timezone.localdate())
        out = render_return(data, fmt, attachments=appendix_pdf)
        if opts["output"]:
            path = Path(opts["output"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(out)
            self.stderr.write(f"Wrote {path} (version {hyr.version}, {hyr.get_state_display().lower()})")
        else:
            sys.stdout.write(out.decode("utf-8"))
