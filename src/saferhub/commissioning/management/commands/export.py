"""saferhub export 360giving --fund SLUG --year 2017/18 -o FILE"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferhub.commissioning.open_data import grants_json, grants_package
from saferhub.commissioning.selectors import NotFound, fund_by_slug, fund_get, parse_year


class Command(BaseCommand):
    help = "Export open data."
    requires_system_checks: list[str] = []  # writes output only; `saferhub check` runs the checks

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        p = sub.add_parser("360giving", help="a fund's grants for a year as a 360Giving data package")
        p.add_argument("--fund", required=True)
        p.add_argument("--partnership", help="needed only when two partnerships have a fund of that slug")
        p.add_argument("--year", required=True, help="financial year, e.g. 2017/18")
        p.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, **opts):
        try:
            fund = (
                fund_get(partnership=opts["partnership"], slug=opts["fund"])
                if opts["partnership"]
                else fund_by_slug(opts["fund"])
            )
            year = parse_year(opts["year"])
        except NotFound as exc:
            raise CommandError(str(exc)) from None
        if not fund.awards.filter(year=year).exists():
            raise CommandError(f"{fund.name} has no award for {opts['year']}")
        package = grants_package(fund=fund, year=year)
        if not package["grants"]:
            raise CommandError(f"{fund.name} has no grants to a named provider in {opts['year']}")
        text = grants_json(package)
        if opts["output"]:
            path = Path(opts["output"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {path}: {len(package['grants'])} grants")
        else:
            sys.stdout.write(text)
