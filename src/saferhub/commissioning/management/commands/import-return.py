"""saferhub import-return FILE --project ID --period 2017-H1

A provider's KPI actuals and spend lines from an XLSX workbook (sheets "KPIs": KPI, Actual,
Note; "Spend": Category, Amount). All or nothing; errors name the file, row and field."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.commissioning.models import Project
from saferhub.commissioning.services import CommissioningError
from saferhub.commissioning.xlsx_import import return_import
from saferhub.domain.commissioning import parse_half
from saferhub.domain.problems import InputError


class Command(BaseCommand):
    help = "Import a provider's return period (KPI actuals, spend lines) from XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--project", required=True, type=int, help="the project's id (as in /commissioning/projects/ID/)"
        )
        parser.add_argument("--period", required=True, help="the half year, e.g. 2017-H1")
        parser.add_argument("--by", default="", help="who supplied the figures (recorded in the audit log)")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            parse_half(opts["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        project = Project.objects.filter(pk=opts["project"]).first()
        if project is None:
            raise CommandError(f"no project with id {opts['project']}")
        try:
            pr = return_import(
                path=path,
                project=project,
                period=opts["period"],
                actor=opts["by"] or f"import of {path.name}",
                now=timezone.now(),
            )
        except InputError as exc:
            raise CommandError(f"nothing imported:\n{exc}") from None
        except CommissioningError as exc:
            raise CommandError(f"nothing imported: {exc}") from None
        self.stdout.write(
            f"Imported {path.name} into {pr}: {pr.actuals.count()} KPI actuals, {pr.spend_lines.count()} spend lines."
        )
