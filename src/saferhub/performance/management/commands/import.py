"""saferhub import policeuk PATH... --partnership SLUG
saferhub import indicators FILE --partnership SLUG
saferhub import catalogue FILE --partnership SLUG"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.domain.problems import InputError
from saferhub.partnerships.selectors import PartnershipNotFound, partnership_get
from saferhub.performance.services import catalogue_import, indicators_import, policeuk_import


class Command(BaseCommand):
    help = "Import police.uk street files, partner indicator figures or an indicator catalogue."
    # The system checks import every URL module (scipy among them): a second of a national import.
    requires_system_checks: list[str] = []  # `saferhub check` runs the checks

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        p = sub.add_parser(
            "policeuk", help="police.uk street-level CSV files, folders of them, or police.uk zip archives"
        )
        p.add_argument("paths", nargs="+")
        p.add_argument("--partnership", required=False, help="the partnership whose area the run summary describes")
        i = sub.add_parser(
            "indicators",
            help="partner figures: CSV or XLSX with indicator, period, value or numerator/denominator, optional target",
        )
        i.add_argument("file")
        i.add_argument("--partnership", required=True)
        c = sub.add_parser("catalogue", help="indicator definitions: CSV or XLSX")
        c.add_argument("file")
        c.add_argument("--partnership", required=True)

    def handle(self, *args, **opts):
        try:
            partnership = partnership_get(opts["partnership"]) if opts.get("partnership") else None
            if opts["kind"] == "policeuk":
                run = policeuk_import(paths=opts["paths"], partnership=partnership, now=timezone.now())
                self._report_policeuk(run, partnership)
            elif opts["kind"] == "indicators":
                run = indicators_import(path=Path(opts["file"]), partnership=partnership, now=timezone.now())
                self.stdout.write(
                    f"Import run {run.pk}: {run.rows_read} rows read from {opts['file']}; "
                    f"{run.values_added} figures added, {run.values_unchanged} unchanged, {run.targets_set} targets set."
                )
            else:
                indicators = catalogue_import(path=Path(opts["file"]), partnership=partnership)
                self.stdout.write(f"{len(indicators)} indicators defined for {partnership.name}.")
        except (InputError, PartnershipNotFound) as exc:
            raise CommandError(f"nothing was imported.\n{exc}") from None

    def _report_policeuk(self, run, partnership):
        files = run.imported_files.all()
        outcomes = {}
        for f in files:
            outcomes[f.outcome] = outcomes.get(f.outcome, 0) + 1
        shown = ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()))
        self.stdout.write(f"Import run {run.pk}: {run.files} files ({shown}); {run.rows_read:,} rows read.")
        self.stdout.write(f"  rows without a location (no LSOA): {run.rows_without_location:,}")
        if partnership is not None:
            self.stdout.write(f"  rows in {partnership.name}'s area: {run.rows_in_area:,}")
            self.stdout.write(f"  located rows outside the area: {run.rows_outside_area:,}")
            if not run.rows_in_area:
                self.stderr.write(
                    f"Warning: no row of these files falls in {partnership.name}'s area; check its local authorities."
                )
