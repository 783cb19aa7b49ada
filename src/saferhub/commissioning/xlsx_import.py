"""A provider's return period from a spreadsheet: KPI actuals and spend lines.

The workbook has a sheet ``KPIs`` (columns KPI, Actual, Note) and a sheet ``Spend`` (columns
Category, Amount); either may be absent. Everything is read and checked before anything is
written: one problem anywhere and nothing changes, and each problem names the file, the row and
the field."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from saferhub.domain.commissioning import MoneyError, money, spreadsheet_number
from saferhub.domain.problems import ImportProblem, InputError

from .models import Kpi, Project, ProjectReturn
from .services import project_return_open, project_return_update

KPI_SHEET, SPEND_SHEET = "KPIs", "Spend"
log = logging.getLogger(__name__)


def _header(
    rows: list[tuple], name: str, sheet: str, needed: tuple[str, ...], problems: list[ImportProblem]
) -> dict[str, int]:
    if not rows:
        problems.append(
            ImportProblem(name, 1, None, f"sheet '{sheet}' is empty: it needs a header row {', '.join(needed)}")
        )
        return {}
    columns = {str(c).strip().lower(): i for i, c in enumerate(rows[0]) if c is not None}
    missing = [n for n in needed if n.lower() not in columns]
    if missing:
        problems.append(ImportProblem(name, 1, missing[0], f"sheet '{sheet}' has no column '{missing[0]}'"))
        return {}
    return columns


def _cell(row: tuple, i: int | None) -> Any:
    return row[i] if i is not None and i < len(row) else None


def read_return_workbook(
    path: Path, project: Project
) -> tuple[dict[int, tuple[Decimal | None, str]] | None, list[tuple[str, Decimal]] | None]:
    """Parse and check; raise InputError listing every problem."""
    from openpyxl import load_workbook

    name = path.name
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        # Its words (and an OSError's) can hold the server's path: the log has them, the user a reason.
        log.warning("return workbook %s could not be opened", name, exc_info=True)
        raise InputError(
            ImportProblem(
                name,
                None,
                None,
                "not an Excel workbook (.xlsx) that can be opened: "
                "save it from Excel as an .xlsx workbook and upload it again",
            )
        ) from None
    problems: list[ImportProblem] = []
    if KPI_SHEET not in wb.sheetnames and SPEND_SHEET not in wb.sheetnames:
        raise InputError(
            ImportProblem(
                name,
                None,
                None,
                f"the workbook needs a sheet '{KPI_SHEET}' or '{SPEND_SHEET}' (it has {', '.join(wb.sheetnames)})",
            )
        )
    actuals = spend = None
    if KPI_SHEET in wb.sheetnames:
        actuals = _read_kpis(list(wb[KPI_SHEET].iter_rows(values_only=True)), name, project, problems)
    if SPEND_SHEET in wb.sheetnames:
        spend = _read_spend(list(wb[SPEND_SHEET].iter_rows(values_only=True)), name, problems)
    wb.close()
    if problems:
        raise InputError(problems)
    return actuals, spend


def _read_kpis(
    rows: list[tuple], name: str, project: Project, problems: list[ImportProblem]
) -> dict[int, tuple[Decimal | None, str]]:
    cols = _header(rows, name, KPI_SHEET, ("KPI", "Actual"), problems)
    if not cols:
        return {}
    by_name = {k.name.strip().lower(): k for k in Kpi.objects.filter(project=project)}
    actuals: dict[int, tuple[Decimal | None, str]] = {}
    for line, row in enumerate(rows[1:], start=2):
        label, raw, note = _cell(row, cols["kpi"]), _cell(row, cols["actual"]), _cell(row, cols.get("note"))
        if all(v in (None, "") for v in row):
            continue
        kpi = by_name.get(str(label or "").strip().lower())
        if kpi is None:
            problems.append(
                ImportProblem(name, line, "KPI", f"'{label}' is not one of project {project.letter}'s KPIs")
            )
            continue
        if kpi.pk in actuals:
            problems.append(ImportProblem(name, line, "KPI", f"'{label}' appears twice"))
            continue
        value = None
        if raw not in (None, ""):
            try:
                value = spreadsheet_number(raw)
            except (InvalidOperation, ValueError):
                problems.append(ImportProblem(name, line, "Actual", f"'{raw}' is not a number"))
                continue
        actuals[kpi.pk] = (value, str(note or "").strip())
    return actuals


def _read_spend(rows: list[tuple], name: str, problems: list[ImportProblem]) -> list[tuple[str, Decimal]]:
    cols = _header(rows, name, SPEND_SHEET, ("Category", "Amount"), problems)
    if not cols:
        return []
    lines = []
    for line, row in enumerate(rows[1:], start=2):
        category, raw = _cell(row, cols["category"]), _cell(row, cols["amount"])
        if all(v in (None, "") for v in row):
            continue
        if not str(category or "").strip():
            problems.append(ImportProblem(name, line, "Category", "a spend line needs a category"))
        try:
            amount = money(spreadsheet_number(raw))
        except (InvalidOperation, ValueError, MoneyError):
            problems.append(ImportProblem(name, line, "Amount", f"'{raw}' is not an amount in pounds and pence"))
            continue
        if amount < 0:
            problems.append(ImportProblem(name, line, "Amount", "spend cannot be negative"))
            continue
        lines.append((str(category or "").strip(), amount))
    return lines


def return_import(*, path: Path, project: Project, period: str, actor: Any, now: datetime.datetime) -> ProjectReturn:
    """Read the workbook, then write it all through the return's service in one transaction."""
    from django.db import transaction

    actuals, spend = read_return_workbook(path, project)
    with transaction.atomic():
        pr = project_return_open(project=project, period=period, actor=actor, now=now)
        return project_return_update(project_return=pr, actor=actor, now=now, actuals=actuals, spend_lines=spend)
