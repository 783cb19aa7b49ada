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
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
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


def _narrow_margins(table: Any) -> None:
    """Cell margins of INNER_MARGIN_CM left and right, for Word and LibreOffice alike."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(INNER_MARGIN_CM / 2.54 * 1440)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


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
    el = OxmlElement("w:cantSplit")
    tr_pr.append(el)


def _project(doc: Any, p: ProjectSection) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text, head[1].text = f"(Project {p.letter})", p.title
    for c in head:
        c.paragraphs[0].runs[0].bold = True
    _form_row(table, "Amount of funding; if part funded, what % of funding", [p.funding_text, p.provider_text])
    cell = _form_row(table, "Breakdown of expenditure", [p.spend_text])
    if p.spend_rows:
        _inner_table(cell, ["Spent in this half year", "£"], p.spend_rows, numeric_last=True, weights=[4, 1])
    _form_row(table, "Intended Outcomes", [f"• {o.description}" for o in p.outcomes])
    cell = _form_row(table, "How are these measured?", [p.how_measured])
    if p.kpi_rows:
        _inner_table(cell, KPI_HEADINGS, p.kpi_rows, weights=[1.45, 1.3, 0.95, 1.2, 1.3, 0.95])
    if p.milestones:
        _inner_table(
            cell,
            ["Activity", "Deadline", "Deliverables", "Status"],
            [[m.activity, m.deadline_label, m.deliverables, m.status_text] for m in p.milestones],
            weights=[1.5, 1, 1.5, 0.7],
        )
    cell = _form_row(table, "To what extent have these been achieved?", [])
    for block in p.achieved_blocks:
        if isinstance(block, OutcomeTable):
            if block.title:
                _cell_paragraph(cell).add_run(block.title).bold = True
            _inner_table(cell, list(block.columns), [list(row) for row in block.rows])
        else:
            _cell_paragraph(cell, block.text)
    _form_row(table, "Actions put in place to achieve outcomes?", p.actions_paragraphs)
    if p.appendices:
        _form_row(table, "Appendices", [a.listing for a in p.appendices])
    cell = _form_row(table, "Rag Rating (✓) as appropriate", [])
    _cant_split(table.rows[-1])  # the RAG box is never split across pages
    _cant_split(table.rows[0])
    for c in table.rows[0].cells:  # the project header keeps with its funding row
        for paragraph in c.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    _inner_table(cell, ["Rating", "✓"], [[label, tick] for label, tick in p.rag_rows], weights=[4, 1])
    if p.rag_by:
        _cell_paragraph(cell, p.rag_by)
    _set_small(table)
    set_column_widths(table, [LABEL_CM, CONTENT_CM])


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
