"""The half-year return as an Excel workbook, for a funder's office that collates returns from
several partnerships: money as numbers (pounds, to the penny), dates as dates, one row per
project, spend line, KPI, outcome, milestone and check, each row naming its project."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from saferhub.domain.document import Heading, ItemList, Paragraph
from saferhub.domain.returns import Appendix, ProjectSection, ReturnDocument, Signature

from .safe_cells import neutralise_workbook
from .xlsx_rows import print_in_column_groups, readable, text_pieces

# The body's font named: a font with none (openpyxl's Font(bold=True)) printed in LibreOffice's
# default, a serif, the headings in another typeface from the cells under them.
BOLD = Font(name="Calibri", bold=True)
HEADING_FONT = InlineFont(rFont="Calibri", b=True, sz=11)
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
    keys: Sequence[int] = (1,),
) -> list[int]:
    """A heading row, the rows, formats on the given 1-based columns, and a frozen heading.
    A row whose text is longer than Excel's tallest row shows continues on the rows below it
    (each naming its record by the ``keys`` columns). Returns the sheet row where each of
    ``rows`` starts."""
    ws.append(headings)
    for cell in ws[ws.max_row]:
        cell.font = BOLD
        # Every heading wraps within its column (a heading run into its neighbour was cut off
        # on the printed page), at the foot of the row as Excel sets headings; over figures,
        # which Excel aligns right, aligned right.
        right = cell.column in (*money, *dates, *numbers)
        cell.alignment = Alignment(horizontal="right" if right else None, vertical="bottom", wrap_text=True)
    first = ws.max_row + 1
    starts = []
    for row in rows:
        starts.append(ws.max_row + 1)
        for piece in _row_pieces(row, widths, keys):
            ws.append(piece)
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
                wrap_text=True,
                vertical="bottom" if cell.row == first - 1 else "top",
                indent=indent,
                horizontal="left" if indent else None,
            )
    ws.freeze_panes = ws.cell(row=first, column=1)
    return starts


def _row_pieces(row: list[Any], widths: list[int], keys: Sequence[int]) -> list[list[Any]]:
    """The row, or more than one if a text is taller than Excel's tallest row (409 points, the
    rest of a project's narrative was lost): each text in pieces that fit (its paragraphs
    together as far as they go), the first row with the record's other values, the next ones
    with its ``keys`` (the project's letter) and the texts' further pieces."""
    pieces = {
        i: text_pieces(value, int(widths[i]))
        for i, value in enumerate(row)
        if isinstance(value, str) and i < len(widths) and i + 1 not in keys
    }
    count = max((len(p) for p in pieces.values()), default=1)
    rows = []
    for k in range(count):
        new = list(row) if k == 0 else [v if i + 1 in keys else None for i, v in enumerate(row)]
        for i, parts in pieces.items():
            new[i] = (parts[k] or None) if k < len(parts) else None
        rows.append(new)
    return rows


def _signature(sig: Signature | None) -> list[Any]:
    return [sig.name, sig.job_title, sig.date] if sig else [None, None, None]


APPENDICES = "Appendices"
TEXT_WIDTH = 52  # the Appendices sheet's text column


def _appendix_paragraphs(a: Appendix) -> list[tuple[str, str]]:
    """A written appendix's paragraphs, one a row, each with the heading it starts with (or
    ""): "## Exits" as "Exits" (in bold) on the first line of the paragraph under it, so a
    heading is never left alone at the foot of a printed page; a list's items a line each
    ("• item"); a table's header and each of its rows a row, its cells between bars (not the
    markup's "|---|" and outer bars); the words as written."""
    out: list[tuple[str, str]] = []
    heading = ""

    def add(text: str) -> None:
        nonlocal heading
        out.append((heading, f"{heading}\n{text}" if heading else text))
        heading = ""

    for block in a.blocks:
        if isinstance(block, Heading):
            if heading:  # a heading straight under another: on a row of its own
                out.append((heading, heading))
            heading = block.text
        elif isinstance(block, Paragraph):
            add(block.text)
        elif isinstance(block, ItemList):
            lines: list[str] = []
            for n, item in enumerate(block.items, start=1):
                lines.append(f"{n}. {item.text}" if block.numbered else f"• {item.text}")
                lines += [f"    – {child.text}" for child in item.children]
            add("\n".join(lines))
        else:
            # Its empty cells left out (a row continuing the one above printed as "| | text").
            for cells in (block.header, *block.rows):
                add(" | ".join(c for c in cells if c.strip()))
    if heading:
        out.append((heading, heading))
    return out or [("", "")]


def _appendix_rows(p: ProjectSection, a: Appendix) -> list[tuple[list[Any], str]]:
    """An appendix's rows, each with the heading its text starts with: an uploaded one's on one
    row; a written one's paragraphs a row each (several paragraphs in one cell ran past the 409
    points Excel shows of a row, and the rest was lost), each row naming its appendix and
    project."""
    kind = "uploaded" if a.is_pdf else "written"
    if a.is_pdf:
        note = f"The document's {a.pages_text} are in the PDF return, after the signatures (appendix {a.letter})."
        return [
            (
                [a.letter, a.title, p.letter, p.title, kind, a.pdf_name or None, a.pdf_pages, a.pdf_sha or None, note],
                "",
            )
        ]
    rows = []
    for i, (heading, text) in enumerate(_appendix_paragraphs(a)):
        first: list[Any] = (
            [a.letter, a.title, p.letter, p.title, kind] if i == 0 else [a.letter, None, p.letter, None, None]
        )
        rows.append(([*first, None, None, None, text or None], heading))
    return rows


def _appendices_sheet(wb: Any, r: ReturnDocument) -> tuple[dict[str, int], list[tuple[Any, str]]]:
    """The return's appendices, lettered as in the PDF and Word return: the row of each letter,
    and the cells whose text starts with a heading (made bold when the rows are sized)."""
    ws = wb.create_sheet(APPENDICES)
    marked = [row for p in r.projects for a in p.appendices for row in _appendix_rows(p, a)]
    rows = [row for row, _ in marked]
    starts = _table(
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
        # The text the widest (a paragraph a row, its metadata on the first row only): at 40
        # characters an appendix ran to 22 pages, mostly empty columns beside it.
        [10, 16, 9, 16, 9, 12, 7, 10, TEXT_WIDTH],  # 141 units: 70% or more
        keys=(1, 3),
    )
    first: dict[str, int] = {}
    headed = []
    for row_number, (row, heading) in zip(starts, marked):
        first.setdefault(row[0], row_number)
        if heading:
            headed.append((ws.cell(row=row_number, column=9), heading))
    return first, headed


def _bold_headings(headed: list[tuple[Any, str]]) -> None:
    """Each cell's opening heading in bold, the paragraph under it as it is (rich text)."""
    for cell, heading in headed:
        text = str(cell.value)
        if text == heading:  # a heading on a row of its own
            cell.font = BOLD
        elif text.startswith(heading):
            cell.value = CellRichText(TextBlock(HEADING_FONT, heading), text[len(heading) :])


# LibreOffice draws a linked cell on one line, never wrapped: beyond its column it is cut off on
# the printed page. The column is as wide as its longest entry, up to this.
LINK_WIDTH = 95


def _link_appendices(
    ws: Any,
    column: int,
    projects: Sequence[ProjectSection],
    starts: Sequence[int],
    rows: dict[str, int],
    *,
    titles: bool,
) -> None:
    """Fill ``column`` of each project's row (``starts``, in order) with its appendices, linked
    to the first one's row of the Appendices sheet: with their ``titles``, the column widened to
    show them whole, or by letter alone ("Appendix A")."""
    longest = 0
    for row_number, p in zip(starts, projects):
        if not p.appendices:
            continue
        names = (a.heading if titles else f"Appendix {a.letter}" for a in p.appendices)
        cell = ws.cell(row=row_number, column=column, value="; ".join(names))
        # A link within the workbook (a location, not an external target Excel would open).
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{APPENDICES}'!A{rows[p.appendices[0].letter]}")
        cell.style = "Hyperlink"
        # The sheet's 11-point Calibri, not the style's 12 points (nor LibreOffice's serif).
        cell.font = Font(name="Calibri", color=cell.font.color, underline="single")
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
    ws["A1"].font = Font(name="Calibri", bold=True, size=14)
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
        # Each value beside its label: aligned right, a sum or a date printed at the far side
        # of the 60-character column, away from the label it answers and the text values.
        value.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        if isinstance(value.value, Decimal):
            value.number_format = MONEY
        elif isinstance(value.value, datetime.date):
            value.number_format = DATE

    projects = r.projects
    # A signed return's snapshot may predate later fields (spend this half year): those read as
    # None and the cell is left empty rather than guessed.
    project_rows = _table(
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
        [9, 24, 26, 16, 16, 16, 12, 24],  # one landscape page at 70% or more
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
    # As many columns as the widest table has (an empty "Column 5" printed beside the DOMES
    # tables' four); five when the return has none, as before.
    tables = [t for p in projects for t in p.outcome_tables]
    widest = max((max([len(t.columns), *(len(r) for r in t.rows)]) for t in tables), default=5)
    _table(
        wb.create_sheet("Outcome tables"),
        ["Project", "Table", "Row", *(f"Column {i}" for i in range(2, widest + 1))],
        ([p.letter, t.title or None, *row] for p in projects for t in p.outcome_tables for row in [t.columns, *t.rows]),
        [9, 40, 24, *([14] * (widest - 1))],
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
    narrative_rows = _table(
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
    rows, headed = _appendices_sheet(wb, r)
    _link_appendices(wb["Projects"], 22, projects, project_rows, rows, titles=True)
    # By letter here (the narratives cite "appendix A"), to keep the prose on one legible page
    # wide: the Projects sheet's pages carry the titles.
    _link_appendices(wb["Narratives"], 5, projects, narrative_rows, rows, titles=False)
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
    _bold_headings(headed)  # after the rows are sized by their text
    wb.save(out)
    return out.getvalue()
