"""The half-year return as an Excel workbook, for a funder's office that collates returns from
several partnerships: money as numbers (pounds, to the penny), dates as dates, one row per
project, spend line, KPI, outcome, milestone and check, each row naming its project."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any, Iterable, cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from saferhub.commissioning.returns import outcome_prose

from .return_common import STATUS_TEXT
from .safe_cells import neutralise_workbook

BOLD = Font(bold=True)
MONEY = '"£"#,##0.00'
DATE = "d mmmm yyyy"
REVIEW_STATES = {
    "draft": "Draft",
    "submitted": "Submitted",
    "changes_requested": "Changes requested",
    "accepted": "Accepted",
}


def _money(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None and value != "" else None


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _table(
    ws: Any,
    headings: list[str],
    rows: Iterable[list[Any]],
    widths: list[int],
    *,
    money: Iterable[int] = (),
    dates: Iterable[int] = (),
) -> None:
    """A heading row, the rows, formats on the given 1-based columns, and a frozen heading."""
    ws.append(headings)
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    first = ws.max_row + 1
    for row in rows:
        ws.append(row)
    for col in money:
        for (cell,) in ws.iter_rows(min_row=first, min_col=col, max_col=col):
            cell.number_format = MONEY
    for col in dates:
        for (cell,) in ws.iter_rows(min_row=first, min_col=col, max_col=col):
            cell.number_format = DATE
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=first):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(row=first, column=1)


def _cofunders(cofunders: list[dict[str, Any]]) -> str | None:
    """ "Plymouth City Council (core budget): £10,000 (the remainder)"; a co-funder a line."""
    lines = []
    for c in cofunders:
        line = c["name"] + (f": £{Decimal(c['amount']):,.2f}" if c.get("amount") else "")
        lines.append(line + (f" ({c['note']})" if c.get("note") else ""))
    return "\n".join(lines) or None


def _signature(sig: dict[str, Any] | None) -> list[Any]:
    return [sig["name"], sig["job_title"], _date(sig["date"])] if sig else [None, None, None]


def render_return_xlsx(data: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Return"
    ws.append([f"{data['area']}: {data['fund']['name']}, {data['period_name']} return to the funder"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    summary = [
        ("Funder", data["fund"]["funder"]),
        ("Financial year", data["financial_year"]),
        ("Half year", data["period"]),
        ("Version", data["version"]),
        ("State", STATUS_TEXT[data["state"]]),
        ("Half year end", data["half_year_end"]),
        ("Due by", _date(data["due_on"])),
        ("Allocation", _money(data["allocation"])),
        ("Carried forward", _money(data["carried_forward"])),
        ("Carried forward for", data["carried_forward_note"] or None),
        ("Allocated to projects", _money(data["allocated"])),
        ("Amount claimed", _money(data["claimed"])),
        ("Spent to date", _money(data["spent"])),
    ]
    for step, who in (("csp_manager", "CSP manager"), ("treasurer", "Treasurer")):
        name, title, date = _signature(data["sign_off"].get(step))
        summary += [(f"Signed by the {who}", name), (f"{who}'s job title", title), (f"{who} signed on", date)]
    _table(ws, ["Item", "Value"], [list(row) for row in summary], [30, 60])
    for label, value in ws.iter_rows(min_row=4, max_col=2):
        if isinstance(value.value, Decimal):
            value.number_format = MONEY
        elif isinstance(value.value, datetime.date):
            value.number_format = DATE

    projects = data["projects"]
    # A signed return is rendered from its frozen snapshot, which may predate later keys: read
    # those with .get and leave the cell empty rather than guess.
    _table(
        wb.create_sheet("Projects"),
        [
            "Project",
            "Title",
            "Provider",
            "Provider type",
            "Charity number",
            "Company number",
            "Commissioned by",
            "Funding",
            "Carried forward included",
            "Spend this half year",
            "Spend to date",
            "Unspent",
            "Total service budget",
            "Share of the service",
            "Co-funders",
            "Funding note",
            "RAG",
            "RAG set by",
            "Provider's return",
            "Contract start",
            "Contract end",
        ],
        (
            [
                p["letter"],
                p["title"],
                p.get("provider") or p.get("provider_note") or None,
                p.get("provider_type") or None,
                p.get("charity_number"),
                p.get("company_number"),
                p.get("commissioning_body") or None,
                _money(p["funding"]),
                _money(p.get("carried_forward_included")),
                _money(p.get("spend_this_half")),
                _money(p["spend_to_date"]),
                cast(Decimal, _money(p["funding"])) - cast(Decimal, _money(p["spend_to_date"])),
                _money(p.get("total_service_budget")),
                p.get("share_of_service") or None,
                _cofunders(p.get("cofunders") or []),
                p.get("funding_note") or None,
                p.get("rag_label") or None,
                p.get("rag_set_by") or None,
                REVIEW_STATES.get(p.get("review_state") or "", None),
                _date(p.get("contract_start")),
                _date(p.get("contract_end")),
            ]
            for p in projects
        ),
        [9, 40, 30, 14, 12, 12, 30, 13, 13, 13, 13, 13, 13, 14, 36, 40, 24, 18, 16, 14, 14],
        money=(8, 9, 10, 11, 12, 13),
        dates=(20, 21),
    )
    _table(
        wb.create_sheet("Spend"),
        ["Project", "Category", "Amount"],
        ([p["letter"], s["category"], _money(s["amount"])] for p in projects for s in p.get("spend_lines", [])),
        [9, 70, 14],
        money=(3,),
    )
    _table(
        wb.create_sheet("KPIs"),
        [
            "Project",
            "Key performance indicator",
            "Measure",
            "Annual target",
            "Evidence source",
            "Reporting mechanism",
            "Actual this half year",
            "Note on the actual",
        ],
        (
            [
                p["letter"],
                k["name"],
                k.get("measure") or None,
                k.get("annual_target") or None,
                k.get("evidence_source") or None,
                k.get("reporting_mechanism") or None,
                _money(k.get("actual")),
                k.get("actual_note") or None,
            ]
            for p in projects
            for k in p.get("kpis", [])
        ),
        [9, 36, 36, 24, 20, 24, 14, 40],
    )
    _table(
        wb.create_sheet("Outcomes"),
        ["Project", "Outcome", "How it is measured"],
        ([p["letter"], o["description"], o["measure"] or None] for p in projects for o in p.get("outcomes", [])),
        [9, 70, 40],
    )
    # The deadline as the return gives it ("January 2018" when only the month is known) beside
    # the date it is filed under, so a month is not read as a hard day.
    # A project's outcome data as rows and columns (project C's DOMES tables), one row a table row.
    _table(
        wb.create_sheet("Outcome tables"),
        ["Project", "Table", "Row", "Column 2", "Column 3", "Column 4", "Column 5"],
        (
            [p["letter"], t["title"] or None, *row]
            for p in projects
            for t in p.get("outcome_tables", [])
            for row in [[f"{c}" for c in t["columns"]], *t["rows"]]
        ),
        [9, 60, 26, 16, 16, 18, 16],
    )
    _table(
        wb.create_sheet("Milestones"),
        ["Project", "Activity", "Deadline as given", "Deadline (for sorting)", "Deliverables", "Done"],
        (
            [
                p["letter"],
                m["activity"],
                m.get("deadline_label") or None,
                _date(m["deadline"]),
                m["deliverables"] or None,
                "yes" if m["done"] else "no",
            ]
            for p in projects
            for m in p.get("milestones", [])
        ),
        [9, 50, 18, 16, 50, 8],
        dates=(4,),
    )
    _table(
        wb.create_sheet("Narratives"),
        ["Project", "How outcomes are measured", "Achieved so far", "Actions"],
        (
            [
                p["letter"],
                p.get("how_measured") or None,
                outcome_prose(p.get("achieved") or "") or None,
                p.get("actions") or None,
            ]
            for p in projects
        ),
        [9, 50, 60, 50],
    )
    # The checks (an overspend, a late return) are the officers' internal summary, not the funder's copy.
    # Narratives are the providers' words: none may become a formula in the reader's Excel.
    neutralise_workbook(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
