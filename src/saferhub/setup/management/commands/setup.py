"""saferhub setup template -o setup.xlsx
saferhub setup load setup.xlsx --partnership SLUG

The set-up workbook: write the empty template (a sheet per part of the set-up, with headings, an
example row and drop-down lists), or load a filled one into a partnership, all or nothing, with
every problem named by sheet, row and column. Loading it again changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from saferhub.domain.setup_workbook import WorkbookError


class Command(BaseCommand):
    help = "Write the set-up workbook's template, or load a filled one into a partnership."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        template = sub.add_parser("template", help="write the empty set-up workbook")
        template.add_argument("-o", "--output", required=True, help="where to write it (an .xlsx file)")
        load = sub.add_parser("load", help="load a filled set-up workbook, all or nothing")
        load.add_argument("file")
        load.add_argument("--partnership", required=True, help="the partnership's slug (created if new)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["verb"] == "template":
            from saferhub.rendering.setup_xlsx import setup_template_xlsx
            from saferhub.setup.sheets import SHEETS

            out = Path(opts["output"])
            out.write_bytes(setup_template_xlsx(SHEETS))
            self.stdout.write(f"Wrote {out}: {len(SHEETS)} sheets ({', '.join(s.name for s in SHEETS)})")
            return
        from saferhub.setup.load import setup_load

        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no file {path}")
        try:
            result = setup_load(path=path, slug=opts["partnership"], now=timezone.now())
        except WorkbookError as exc:
            raise CommandError(f"nothing was loaded.\n{exc}") from None
        self.stdout.write(f"Loaded {path.name} into {result.partnership.name}: {result.summary()}.")
        for email in result.invited:
            self.stdout.write(f"  invited {email} (the link was emailed)")
        from saferhub.commissioning.models import Project

        # A provider's return is imported by the project's id (saferhub import-return --project ID).
        for project in Project.objects.filter(fund__partnership=result.partnership).select_related("fund"):
            self.stdout.write(f"  {project.fund.slug} {project.year_label} project {project.letter}: id {project.pk}")
