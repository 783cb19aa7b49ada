"""The half-year return as a Word document: the funder's two-column form as real tables, so a
commissioning officer can paste it into the funder's template."""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.parfmt import ParagraphFormat

from saferhub.domain.commissioning import SignOffStep
from saferhub.domain.document import Block, Heading, ItemList, Table
from saferhub.domain.returns import (
    KPI_HEADINGS,
    Appendix,
    OutcomeTable,
    ProjectSection,
    ReturnDocument,
    SignatureText,
)

from .docx_report import page_footer, set_column_widths


def _set_small(table: Any, size: float = 8.5) -> None:
    """Every run of the table's cells at ``size`` points, but a run whose size is set already."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    if run.font.size is None:
                        run.font.size = Pt(size)


def _cell_paragraph(cell: Any, text: str = "") -> Any:
    """A paragraph of ``text`` at the end of a cell: the cell's last paragraph where that is
    still empty (the one a new cell starts with, or the one Word requires after a table inside
    it), else a new one. Adding a paragraph after the empty first one left the cell's text
    starting on its second line (the return's "To what extent have these been achieved?")."""
    last = cell._tc[-1]
    if last.tag == qn("w:p") and not cell.paragraphs[-1].text and not last.xpath(".//w:drawing"):
        paragraph = cell.paragraphs[-1]
        if text:
            paragraph.add_run(text)
        previous = last.getprevious()
        if previous is not None and previous.tag == qn("w:tbl"):  # not tight against the table above;
            paragraph.paragraph_format.space_before = Pt(4)  # and no space below, as the cell's others
            paragraph.paragraph_format.space_after = Pt(0)  # (LibreOffice drops the table style's 0 here)
        return paragraph
    return cell.add_paragraph(text)


def _form_row(table: Any, label: str, paragraphs: list[str]) -> Any:
    cells = table.add_row().cells
    cells[0].text = label
    cells[0].paragraphs[0].runs[0].bold = True
    for text in paragraphs:
        _cell_paragraph(cells[1], text)
    return cells[1]


# The form's two columns (label, content) and what a table inside the content column may span.
LABEL_CM, CONTENT_CM, INNER_CM = 5.2, 12.2, 11.8
INNER_PT = 7.5  # the type size of a table inside the form
HEADING_SPACE_PT = 12  # above every heading of the return

# Advance widths of Arial (and Helvetica, Liberation Sans: the same metrics) in thousandths of an
# em, for estimating how wide a word prints; a character not listed counts as a wide one.
_ARIAL = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~£–—•✓",
        [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278]
        + [556] * 10
        + [278, 278, 584, 584, 584, 556, 1015]
        + [667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833]
        + [722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611]
        + [278, 278, 278, 469, 556, 333]
        + [556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833]
        + [556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500]
        + [334, 260, 334, 584, 556, 556, 1000, 350, 750],
        strict=True,
    )
)
BOLD_FACTOR = 1.1  # Arial Bold runs about a tenth wider
INNER_MARGIN_CM = 0.1  # a table inside the form has narrow cell margins (Word's default is 0.19 cm)
CELL_PADDING_CM = 2 * INNER_MARGIN_CM + 0.05  # the margins either side, and a little to spare
POINTS_PER_CM = 72 / 2.54


def word_width_cm(word: str, size: float, bold: bool = False) -> float:
    """How wide ``word`` prints in Arial at ``size`` points (an estimate from the font's widths)."""
    ems = sum(_ARIAL.get(ch, 833) for ch in word) / 1000
    return ems * size * (BOLD_FACTOR if bold else 1.0) / POINTS_PER_CM


def _words(text: str) -> list[str]:
    """The pieces a line may not break inside: words, split after a hyphen ("mid-", "December")."""
    return [piece for word in text.split() for piece in re.findall(r"[^-]*-|[^-]+", word)]


def _inner_margins(tag: str) -> Any:
    """A margins element (``w:tblCellMar`` for a table, ``w:tcMar`` for a cell) of
    INNER_MARGIN_CM left and right, for Word and LibreOffice alike."""
    margins = OxmlElement(tag)
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(INNER_MARGIN_CM / 2.54 * 1440)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    return margins


def _narrow_margins(table: Any) -> None:
    """Cell margins of INNER_MARGIN_CM left and right, for Word and LibreOffice alike."""
    table._tbl.tblPr.append(_inner_margins("w:tblCellMar"))


def column_widths(
    total: float, weights: list[float], headings: list[str], rows: list[list[str]], size: float
) -> list[float]:
    """The columns' widths (cm) sharing ``total`` by ``weights``, none narrower than its longest
    word (headings in bold) so that no word breaks inside ("perform-ance", "appointm-ents"): a
    column below its floor gets the floor and the others share what is left by their weights."""
    floors = []
    for i in range(len(headings)):
        words = [(w, True) for w in _words(headings[i])]
        words += [(w, False) for row in rows if i < len(row) for w in _words(row[i] or "")]
        longest = max((word_width_cm(w, size, bold) for w, bold in words), default=0.0)
        floors.append(min(longest + CELL_PADDING_CM, 0.4 * total))  # an address does not take the table
    if sum(floors) >= total:
        return [total * f / sum(floors) for f in floors]
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        left = total - sum(fixed.values())
        share = {i: left * weights[i] / sum(weights[j] for j in free) for i in free}
        below = {i: floors[i] for i in free if share[i] < floors[i]}
        if not below:
            return [fixed.get(i, share.get(i, 0.0)) for i in range(len(weights))]
        fixed.update(below)


def _inner_table(
    cell: Any,
    headings: list[str],
    rows: list[list[str]],
    numeric_last: bool = False,
    weights: list[float] | None = None,
) -> None:
    """A table inside a form cell; ``weights``: the columns' shares of its width (text columns
    wider than short ones, so no word is broken inside, as "perform-ance"). In a cell with
    nothing written yet the table comes first, not under the empty paragraph the cell began with."""
    empty = [el for el in cell._tc if el.tag != qn("w:tcPr")]
    first = empty[0] if len(empty) == 1 and empty[0].tag == qn("w:p") and not cell.paragraphs[0].text else None
    inner = cell.add_table(rows=1, cols=len(headings))
    if first is not None:  # python-docx adds the paragraph Word requires after the table: the cell keeps one
        cell._tc.remove(first)
    inner.style = "Table Grid"
    for c, h in zip(inner.rows[0].cells, headings):
        c.text = h
        c.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = inner.add_row().cells
        for c, v in zip(cells, row):
            c.text = v
        if numeric_last:
            cells[-1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_small(inner, INNER_PT)
    # Each row whole on a page, as the PDF's; the headings kept with the first row and repeated
    # where the table runs on (Word does both; LibreOffice neither, inside another table).
    for row in inner.rows:
        _cant_split(row)
    inner.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for c in inner.rows[0].cells:
        for paragraph in c.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    _narrow_margins(inner)
    set_column_widths(inner, column_widths(INNER_CM, weights or [1.0] * len(headings), headings, rows, INNER_PT))


def _cant_split(row: Any) -> None:
    """Word's "allow row to break across pages" off: the row moves to the next page whole."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))


def _keep(row: Any, *, with_next: bool = False) -> None:
    """A row kept whole on one page (each of its paragraphs' lines together, for Word), and
    ``with_next``: kept on the page of the row after it (every paragraph keep-with-next: Word
    and LibreOffice both keep a top-level table's row with the next so, not a nested table's)."""
    _cant_split(row)
    for tc in row._tr.tc_lst:
        for el in tc.iterchildren(qn("w:p")):
            fmt = ParagraphFormat(el)
            fmt.keep_together = True
            if with_next:
                fmt.keep_with_next = True


# A form row of up to this many printed lines is kept whole on a page (a project's funding, its
# outcomes, a short narrative); a longer one runs on to the next page, as in the PDF.
KEPT_LINES = 20
CONTENT_TEXT_CM = CONTENT_CM - 0.4  # the content column less Word's default cell margins


def _printed_lines(paragraphs: list[str], size: float = 8.5) -> int:
    """About how many lines ``paragraphs`` print on in the content column at ``size`` points."""
    lines = 0
    for text in paragraphs:
        width, count = 0.0, 1
        for word in text.split():
            w = word_width_cm(word + " ", size)
            if width + w > CONTENT_TEXT_CM and width:
                count, width = count + 1, 0.0
            width += w
        lines += count
    return lines


class _Form:
    """A project's table: the label column and the content column, the content column divided
    where a table of the form's (the KPIs, the milestones) has its columns. Those tables are
    rows of the form itself, not tables inside a cell: LibreOffice keeps neither a nested
    table's headings with its first row nor repeats them, and the project's header (the form's
    first row, repeated at the top of every page the project runs on to) holds for them too."""

    def __init__(self, doc: Any, column_sets: list[list[float]]) -> None:
        edges = {round(CONTENT_CM, 3)}
        for widths in column_sets:
            edge = 0.0
            for w in widths:
                edge += w
                edges.add(min(round(edge, 3), round(CONTENT_CM, 3)))
        self.edges = sorted(edges)
        self.grid = [LABEL_CM] + [b - a for a, b in zip([0.0] + self.edges, self.edges)]
        self.table = doc.add_table(rows=0, cols=len(self.grid))
        self.table.style = "Table Grid"

    def row(self, label: str | None, spans: list[int] | None = None) -> tuple[Any, list[Any]]:
        """A new row: its label cell (``None``: the label above runs on, merged) and its content
        cells, each spanning ``spans`` of the content column's divisions (all of them if none)."""
        row = self.table.add_row()
        tr = row._tr
        tcs = list(tr.tc_lst)
        spans = spans or [len(self.grid) - 1]
        cells, i = [], 1
        for span in spans:
            for extra in tcs[i + 1 : i + span]:
                tr.remove(extra)
            if span > 1:
                tcs[i].grid_span = span
            cells.append(_Cell(tcs[i], self.table))
            i += span
        label_cell = _Cell(tcs[0], self.table)
        if label is None:
            tcs[0].vMerge = "continue"
            above = tcs[0]._tc_above
            while above.vMerge == "continue":
                above = above._tc_above
            above.vMerge = "restart"
        else:
            label_cell.text = label
            label_cell.paragraphs[0].runs[0].bold = True
        return row, cells

    def spans(self, widths: list[float]) -> list[int]:
        """How many of the content column's divisions each of columns ``widths`` spans."""
        result, edge, at = [], 0.0, 0
        for w in widths:
            edge += w
            end = self.edges.index(min(round(edge, 3), round(CONTENT_CM, 3))) + 1
            result.append(end - at)
            at = end
        return result

    def pair(self, label: str, paragraphs: list[str], *, kept: bool = True) -> tuple[Any, Any]:
        """A label and its paragraphs, kept whole on a page unless long (``kept=False``: the
        caller adds more to the cell first and decides then, with ``_kept_unless_long``)."""
        row, (cell,) = self.row(label)
        for text in paragraphs:
            _cell_paragraph(cell, text)
        if kept:
            _kept_unless_long(row, cell)
        return row, cell

    def rows_table(self, headings: list[str], rows: list[list[str]], widths: list[float]) -> None:
        """A table of the form's: its headings row kept with its first row, each row whole on
        a page; under the label above (merged into it), in type of INNER_PT with narrow margins."""
        spans = self.spans(widths)
        for r, values in enumerate([headings, *rows]):
            row, cells = self.row(None, spans)
            for cell, value in zip(cells, values):
                run = cell.paragraphs[0].add_run(value or "")
                run.font.size = Pt(INNER_PT)
                run.bold = r == 0
                _narrow_cell_margins(cell)
            _keep(row, with_next=r == 0)

    def finish(self) -> None:
        _set_small(self.table)
        set_column_widths(self.table, self.grid)


def _narrow_cell_margins(cell: Any) -> None:
    """A cell's margins INNER_MARGIN_CM left and right (a table of the form's, as one inside it)."""
    cell._tc.get_or_add_tcPr().append(_inner_margins("w:tcMar"))


def _kept_unless_long(row: Any, cell: Any) -> None:
    """A form row kept whole on one page if it prints on KEPT_LINES lines or fewer (a table
    inside it counting a line a row)."""
    texts = [p.text for p in cell.paragraphs]
    nested = sum(len(t.rows) + 1 for t in cell.tables)
    if _printed_lines(texts) + nested <= KEPT_LINES:
        _keep(row)


KPI_WEIGHTS = [1.45, 1.3, 0.95, 1.2, 1.3, 0.95]
MILESTONE_HEADINGS = ["Activity", "Deadline", "Deliverables", "Status"]
MILESTONE_WEIGHTS = [1.5, 1, 1.5, 0.7]


def _project(doc: Any, p: ProjectSection) -> None:
    milestone_rows = [[m.activity, m.deadline_label, m.deliverables, m.status_text] for m in p.milestones]
    kpi_widths = column_widths(CONTENT_CM, KPI_WEIGHTS, list(KPI_HEADINGS), p.kpi_rows, INNER_PT)
    milestone_widths = column_widths(CONTENT_CM, MILESTONE_WEIGHTS, MILESTONE_HEADINGS, milestone_rows, INNER_PT)
    form = _Form(doc, ([kpi_widths] if p.kpi_rows else []) + ([milestone_widths] if milestone_rows else []))
    # The project's header: repeated at the top of each page the project runs on to (as the
    # PDF's), whole, and kept with the funding row under it.
    head, (title,) = form.row(f"(Project {p.letter})")
    title.text = p.title
    title.paragraphs[0].runs[0].bold = True
    _keep(head, with_next=True)
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    form.pair("Amount of funding; if part funded, what % of funding", [p.funding_text, p.provider_text])
    row, cell = form.pair("Breakdown of expenditure", [p.spend_text], kept=False)
    if p.spend_rows:
        _inner_table(cell, ["Spent in this half year", "£"], p.spend_rows, numeric_last=True, weights=[4, 1])
    _kept_unless_long(row, cell)
    form.pair("Intended Outcomes", [f"• {o.description}" for o in p.outcomes])
    form.pair("How are these measured?", [p.how_measured])
    if p.kpi_rows:
        form.rows_table(list(KPI_HEADINGS), p.kpi_rows, kpi_widths)
    if milestone_rows:
        form.rows_table(MILESTONE_HEADINGS, milestone_rows, milestone_widths)
    row, cell = form.pair("To what extent have these been achieved?", [], kept=False)
    for block in p.achieved_blocks:
        if isinstance(block, OutcomeTable):
            if block.title:
                _cell_paragraph(cell).add_run(block.title).bold = True
            _inner_table(cell, list(block.columns), [list(row) for row in block.rows])
        else:
            _cell_paragraph(cell, block.text)
    _kept_unless_long(row, cell)
    form.pair("Actions put in place to achieve outcomes?", p.actions_paragraphs)
    if p.appendices:
        form.pair("Appendices", [a.listing for a in p.appendices])
    row, cell = form.pair("Rag Rating (✓) as appropriate", [], kept=False)
    _inner_table(cell, ["Rating", "✓"], [[label, tick] for label, tick in p.rag_rows], weights=[4, 1])
    if p.rag_by:
        _cell_paragraph(cell, p.rag_by)
    _keep(row)  # the RAG box is never split across pages
    form.finish()


def _signature(doc: Any, step: SignOffStep, sig: SignatureText, *, more: bool) -> None:
    """A signature block kept whole on one page: its heading with its table, the table's rows
    together (the demo's Word return had "SIGNATURE" on one page and "NAME" on the next). The
    heading is a Heading 2, as the PDF's: its space above (and its keeping with the table) is
    the style's, where a bold line sat tight against the CSP manager's table above it. ``more``:
    another block follows, kept on the same page (the form's sign-off is read as one)."""
    doc.add_heading(step.heading, level=2)
    if not sig.name:
        doc.add_paragraph(step.awaiting).paragraph_format.keep_with_next = more
        return
    table = doc.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = f"SIGNATURE: {sig.signed}"
    table.cell(0, 1).text = f"JOB TITLE: {sig.job_title}"
    table.cell(1, 0).text = f"NAME: {sig.name}"
    table.cell(1, 1).text = f"DATE: {sig.date}"
    for row in table.rows:
        _cant_split(row)
    for c in table.rows[0].cells + (table.rows[1].cells if more else []):
        for paragraph in c.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _appendix(doc: Any, r: ReturnDocument, a: Appendix) -> None:
    """An appendix on pages of its own: a narrative's paragraphs and tables; for an uploaded
    PDF, a page saying where the document is (its pages are in the PDF return)."""
    doc.add_page_break()
    doc.add_paragraph().add_run(r.fund.funder).bold = True
    doc.add_heading(f"APPENDIX {a.letter}", level=2)
    doc.add_heading(a.title, level=3)
    if a.is_pdf:
        doc.add_paragraph(a.reference_text)
        return
    write_blocks(doc, a.blocks, heading_level=3)


def write_blocks(doc: Any, blocks: tuple[Block, ...], *, heading_level: int = 1) -> None:
    """A written document's blocks as Word's own headings, lists and tables (a "# " heading at
    ``heading_level``), so Word's navigation and styles apply to them."""
    for block in blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=min(heading_level + block.level, 9))
        elif isinstance(block, ItemList):
            style = "List Number" if block.numbered else "List Bullet"
            for item in block.items:
                doc.add_paragraph(item.text, style=style)
                for child in item.children:
                    doc.add_paragraph(child.text, style=f"{style} 2")
        elif isinstance(block, Table):
            table = doc.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for c, h in zip(table.rows[0].cells, block.header):
                c.text = h
                if h:
                    c.paragraphs[0].runs[0].bold = True
            for row in block.rows:
                for c, v in zip(table.add_row().cells, row):
                    c.text = v
            _set_small(table, 8.5)
            # As the form's: each row whole on a page, the headings kept with the first row and
            # repeated on each page the table runs on to (appendix B's outcomes ran on to the
            # next page under no headings, a row split over the two).
            for i, r in enumerate(table.rows):
                _keep(r, with_next=i == 0)
            table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            doc.add_paragraph()
        else:
            doc.add_paragraph(block.text)


def render_return_docx(r: ReturnDocument) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as the PDF (Word's default is Letter)
    section.left_margin = section.right_margin = Cm(1.8)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    # Every heading (the title, the sign-off blocks, an appendix's letter, title and sections) the
    # same space above it, set on the styles: the template's 24 points above Heading 1 and 10
    # above the others, and none where a heading was a bold Normal line.
    for level in range(1, 10):
        doc.styles[f"Heading {level}"].paragraph_format.space_before = Pt(HEADING_SPACE_PT)
    # The PDF's footer on every page: the return named on the left, "Page n of m" on the right.
    page_footer(
        section, f"{r.area}: {r.fund.name} {r.financial_year}, {r.period_name.lower()} return (version {r.version})"
    )

    doc.add_paragraph().add_run(r.fund.funder).bold = True
    doc.add_heading(r.title, level=1)
    doc.add_paragraph(
        f"Please return completed and signed return by {r.due_long}. Please remember to submit your invoice with your return."
    )
    doc.add_paragraph(f"Status: {r.status_text}. Version {r.version}.")
    header = doc.add_table(rows=0, cols=2)
    header.style = "Table Grid"
    for label, value in (
        ("Name of area and partnership", r.area),
        ("Half year end date (Month/Year)", f"{r.half_year_end} ({r.period_name})"),
        (f"Total {r.fund.name} Allocation £", r.allocation_text),
        (f"Amount Claimed for {r.half_word} half year £", r.claimed_text),
    ):
        _form_row(header, label, [value])
    for p in r.projects:
        doc.add_paragraph()  # between two tables (Word joins tables that touch into one)
        _project(doc, p)
    for i, (step, sig) in enumerate(r.sign_blocks):
        _signature(doc, step, sig, more=i < len(r.sign_blocks) - 1)
    for a in r.appendices:
        _appendix(doc, r, a)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
