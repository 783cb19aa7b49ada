"""The half-year return as an Excel workbook, for a funder's office that collates returns from
several partnerships: money as numbers (pounds, to the penny), dates as dates, one row per
project, spend line, KPI, outcome, milestone and check, each row naming its project."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from saferhub.domain.returns import Appendix, ProjectSection, ReturnDocument, Signature

from .safe_cells import neutralise_workbook
from .xlsx_rows import print_in_column_groups, readable

BOLD = Font(bold=True)
# The Projects sheet's printed pages: the last column of each theme but the last (1-based).
PROJECT_GROUP_ENDS = (7, 13, 16, 21)
MONEY = '"£"#,##0.00'
DATE = "d mmmm yyyy"


def _table(
    ws: Any,
    headings: list[str],
    rows: Iterable[list[Any]],
    widths: list[int],
    *,
    money: Sequence[int] = (),
    dates: Sequence[int] = (),
    numbers: Sequence[int] = (),
) -> None:
    """A heading row, the rows, formats on the given 1-based columns, and a frozen heading."""
    ws.append(headings)
    for cell in ws[ws.max_row]:
        cell.font = BOLD
        if cell.column in (*money, *dates, *numbers):  # over the figures, which Excel aligns right
            cell.alignment = Alignment(horizontal="right", wrap_text=True)
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
    # Text right after a column of figures (aligned right) is indented a character: printed, a
    # milestone's date ran into its deliverables, a KPI's actual into its note.
    figures = {*money, *dates, *numbers}
    after = {c + 1 for c in figures} - figures
    for row in ws.iter_rows(min_row=first - 1 if after else first):
        for cell in row:
            if cell.row == first - 1 and cell.column not in after:
                continue  # the headings keep their own alignment
            indent = 1 if cell.column in after else 0
            cell.alignment = Alignment(
                wrap_text=True, vertical="top", indent=indent, horizontal="left" if indent else None
            )
    ws.freeze_panes = ws.cell(row=first, column=1)


def _signature(sig: Signature | None) -> list[Any]:
    return [sig.name, sig.job_title, sig.date] if sig else [None, None, None]


# Excel holds at most 32,767 characters in a cell: a longer narrative continues on further rows.
CELL_LIMIT = 32_000
APPENDICES = "Appendices"


def _text_parts(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """The text in pieces of at most ``limit`` characters, cut between paragraphs where it can."""
    parts: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        while len(paragraph) > limit:  # one paragraph longer than a cell: cut it
            if current:
                parts.append(current)
                current = ""
            parts.append(paragraph[:limit])
            paragraph = paragraph[limit:]
        joined = f"{current}\n\n{paragraph}" if current else paragraph
        if len(joined) > limit:
            parts.append(current)
            current = paragraph
        else:
            current = joined
    if current or not parts:
        parts.append(current)
    return parts


def _appendix_rows(p: ProjectSection, a: Appendix) -> list[list[Any]]:
    """An appendix's rows: one, or more for a narrative too long for one cell."""
    kind = "uploaded" if a.is_pdf else "written"
    if a.is_pdf:
        note = f"The document's {a.pages_text} are in the PDF return, after the signatures (appendix {a.letter})."
        return [[a.letter, a.title, p.letter, p.title, kind, a.pdf_name or None, a.pdf_pages, a.pdf_sha or None, note]]
    parts = _text_parts(a.text)
    rows = []
    for i, part in enumerate(parts):
        title = a.title if i == 0 else f"{a.title} (continued, part {i + 1} of {len(parts)})"
        rows.append([a.letter, title, p.letter, p.title, kind, None, None, None, part])
    return rows


def _appendices_sheet(wb: Any, r: ReturnDocument) -> dict[str, int]:
    """The return's appendices, lettered as in the PDF and Word return; the row of each letter."""
    ws = wb.create_sheet(APPENDICES)
    rows = [row for p in r.projects for a in p.appendices for row in _appendix_rows(p, a)]
    _table(
        ws,
        [
            "Appendix",
            "Title",
            "Project",
            "Project title",
            "Kind",
            "File name",
            "Pages",
            "Checksum (BLAKE3)",
            "Text (written) or where it is (uploaded)",
        ],
        rows,
        [10, 24, 9, 22, 9, 14, 7, 14, 40],  # likewise
    )
    first: dict[str, int] = {}
    for row_number, row in enumerate(rows, start=2):
        first.setdefault(row[0], row_number)
    return first


# LibreOffice draws a linked cell on one line, never wrapped: beyond its column it is cut off on
# the printed page. The column is as wide as its longest entry, up to this.
LINK_WIDTH = 95


def _link_appendices(
    ws: Any, column: int, projects: Sequence[ProjectSection], rows: dict[str, int], *, titles: bool
) -> None:
    """Fill ``column`` of each project's row (from row 2, in order) with its appendices, linked
    to the first one's row of the Appendices sheet: with their ``titles``, the column widened to
    show them whole, or by letter alone ("Appendix A")."""
    longest = 0
    for row_number, p in enumerate(projects, start=2):
        if not p.appendices:
            continue
        names = (a.heading if titles else f"Appendix {a.letter}" for a in p.appendices)
        cell = ws.cell(row=row_number, column=column, value="; ".join(names))
        # A link within the workbook (a location, not an external target Excel would open).
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{APPENDICES}'!A{rows[p.appendices[0].letter]}")
        cell.style = "Hyperlink"
        cell.font = Font(color=cell.font.color, underline="single")  # the sheet's 11 points, not the style's 12
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        longest = max(longest, len(cell.value))
    letter = get_column_letter(column)
    width = ws.column_dimensions[letter].width
    if titles:
        ws.column_dimensions[letter].width = max(width, min(LINK_WIDTH, longest + 2))


def render_return_xlsx(r: ReturnDocument) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Return"
    ws.append([f"{r.area}: {r.fund.name}, {r.period_name} return to the funder"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    summary = [
        ("Funder", r.fund.funder),
        ("Financial year", r.financial_year),
        ("Half year", r.period.label),
        ("Version", r.version),
        ("State", r.status_text),
        ("Half year end", r.half_year_end),
        ("Due by", r.due_on),
        ("Allocation", r.allocation),
        ("Carried forward", r.carried_forward),
        ("Carried forward for", r.carried_forward_note or None),
        ("Allocated to projects", r.allocated),
        ("Amount claimed", r.claimed),
        ("Spent to date", r.spent),
    ]
    for step, sig in r.signatories:
        who = step.column
        name, title, date = _signature(sig)
        summary += [(f"Signed by the {who}", name), (f"{who}'s job title", title), (f"{who} signed on", date)]
    _table(ws, ["Item", "Value"], [list(row) for row in summary], [30, 60])
    for label, value in ws.iter_rows(min_row=4, max_col=2):
        if isinstance(value.value, Decimal):
            value.number_format = MONEY
        elif isinstance(value.value, datetime.date):
            value.number_format = DATE

    projects = r.projects
    # A signed return's snapshot may predate later fields (spend this half year): those read as
    # None and the cell is left empty rather than guessed.
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
            "Appendices",
        ],
        (
            [
                p.letter,
                p.title,
                p.provider or p.provider_note or None,
                p.provider_type or None,
                p.charity_number,
                p.company_number,
                p.commissioning_body or None,
                p.funding,
                p.carried_forward_included,
                p.spend_this_half,
                p.spend_to_date,
                p.unspent,
                p.total_service_budget,
                p.share_of_service or None,
                p.cofunders_text,
                p.funding_note or None,
                p.rag_label or None,
                p.rag_set_by or None,
                p.review_state_label,
                p.contract_start,
                p.contract_end,
                None,  # the project's appendices, linked below
            ]
            for p in projects
        ),
        # Widths by content: "£2,000,000.00" and "30 September 2017" whole (a date too wide
        # for its column prints as "###"), headings wrapped a word a line at most.
        [9, 30, 30, 16, 10, 10, 26, 15, 15, 15, 15, 15, 15, 14, 34, 40, 20, 14, 12, 19, 19, 40],
        money=(8, 9, 10, 11, 12, 13),
        dates=(20, 21),
    )
    _table(
        wb.create_sheet("Spend"),
        ["Project", "Category", "Amount"],
        ([p.letter, s.category, s.amount] for p in projects for s in p.spend_lines),
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
                p.letter,
                k.name,
                k.measure or None,
                k.annual_target or None,
                k.evidence_source or None,
                k.reporting_mechanism or None,
                k.actual,
                k.actual_note or None,
            ]
            for p in projects
            for k in p.kpis
        ),
        [9, 26, 26, 16, 16, 16, 12, 26],  # one landscape page at 70% or more
        numbers=(7,),
    )
    _table(
        wb.create_sheet("Outcomes"),
        ["Project", "Outcome", "How it is measured"],
        ([p.letter, o.description, o.measure or None] for p in projects for o in p.outcomes),
        [9, 70, 40],
    )
    # The deadline as the return gives it ("January 2018" when only the month is known) beside
    # the date it is filed under, so a month is not read as a hard day.
    # A project's outcome data as rows and columns (project C's DOMES tables), one row a table row.
    _table(
        wb.create_sheet("Outcome tables"),
        ["Project", "Table", "Row", "Column 2", "Column 3", "Column 4", "Column 5"],
        ([p.letter, t.title or None, *row] for p in projects for t in p.outcome_tables for row in [t.columns, *t.rows]),
        [9, 40, 24, 14, 14, 16, 12],
    )
    _table(
        wb.create_sheet("Milestones"),
        ["Project", "Activity", "Deadline as given", "Deadline (for sorting)", "Deliverables", "Done"],
        (
            [
                p.letter,
                m.activity,
                m.deadline_label or None,
                m.deadline,
                m.deliverables or None,
                "yes" if m.done else "no",
            ]
            for p in projects
            for m in p.milestones
        ),
        [9, 40, 17, 18, 42, 8],
        dates=(4,),
    )
    _table(
        wb.create_sheet("Narratives"),
        ["Project", "How outcomes are measured", "Achieved so far", "Actions", "Appendices"],
        (
            [
                p.letter,
                p.how_measured or None,
                p.achieved_prose or None,
                p.actions or None,
                None,  # linked below
            ]
            for p in projects
        ),
        [9, 32, 44, 32, 14],  # one landscape page at 70% or more
    )
    # The narratives cite "appendix A": the sheet holds them, and both project lists link there.
    rows = _appendices_sheet(wb, r)
    _link_appendices(wb["Projects"], 22, projects, rows, titles=True)
    # By letter here (the narratives cite "appendix A"), to keep the prose on one legible page
    # wide: the Projects sheet's pages carry the titles.
    _link_appendices(wb["Narratives"], 5, projects, rows, titles=False)
    # 441 width units printed on one page at a quarter of their size. A finance officer filters
    # and sums one row a project, so the sheet stays one table; on paper it is pages by theme
    # (provider; money; co-funding; RAG, return and contract; appendices), each with the
    # project's letter and title at its left.
    print_in_column_groups(wb["Projects"], 2, PROJECT_GROUP_ENDS)
    # The checks (an overspend, a late return) are the officers' internal summary, not the funder's copy.
    # Narratives are the providers' words: none may become a formula in the reader's Excel.
    neutralise_workbook(wb)
    out = io.BytesIO()
    readable(wb)
    wb.save(out)
    return out.getvalue()
