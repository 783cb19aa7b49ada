"""The half-year return as a Word document: the funder's two-column form as real tables, so a
commissioning officer can paste it into the funder's template."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
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


def _set_small(table: Any, size: float = 8.5) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)


def _form_row(table: Any, label: str, paragraphs: list[str]) -> Any:
    cells = table.add_row().cells
    cells[0].text = label
    cells[0].paragraphs[0].runs[0].bold = True
    cells[1].text = paragraphs[0] if paragraphs else ""
    for text in paragraphs[1:]:
        cells[1].add_paragraph(text)
    return cells[1]


# The form's two columns (label, content) and what a table inside the content column may span.
LABEL_CM, CONTENT_CM, INNER_CM = 5.2, 12.2, 11.8


def _widths(table: Any, cm: list[float]) -> None:
    """Column widths kept by Word and LibreOffice alike: the grid's (which LibreOffice reads) and
    each cell's (which Word reads), with autofit off."""
    table.autofit = False
    for column, width in zip(table.columns, cm):
        column.width = Cm(width)
    for row in table.rows:
        for c, width in zip(row.cells, cm):
            c.width = Cm(width)


def _inner_table(
    cell: Any,
    headings: list[str],
    rows: list[list[str]],
    numeric_last: bool = False,
    weights: list[float] | None = None,
) -> None:
    """A table inside a form cell; ``weights``: the columns' shares of its width (text columns
    wider than short ones, so no word is broken inside, as "perform-ance")."""
    inner = cell.add_table(rows=1, cols=len(headings))
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
    _set_small(inner, 7.5)
    shares = weights or [1.0] * len(headings)
    _widths(inner, [INNER_CM * w / sum(shares) for w in shares])


def _cant_split(row: Any) -> None:
    """Word's "allow row to break across pages" off: the row moves to the next page whole."""
    from docx.oxml import OxmlElement

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
        _inner_table(cell, KPI_HEADINGS, p.kpi_rows, weights=[1.35, 1.35, 0.95, 1.25, 1.35, 0.95])
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
                cell.add_paragraph().add_run(block.title).bold = True
            _inner_table(cell, list(block.columns), [list(row) for row in block.rows])
        else:
            cell.add_paragraph(block.text)
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
        cell.add_paragraph(p.rag_by)
    _set_small(table)
    _widths(table, [LABEL_CM, CONTENT_CM])
    doc.add_paragraph()


def _signature(doc: Any, step: SignOffStep, sig: SignatureText) -> None:
    doc.add_paragraph().add_run(step.heading).bold = True
    if not sig.name:
        doc.add_paragraph(step.awaiting)
        return
    table = doc.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = f"SIGNATURE: {sig.signed}"
    table.cell(0, 1).text = f"JOB TITLE: {sig.job_title}"
    table.cell(1, 0).text = f"NAME: {sig.name}"
    table.cell(1, 1).text = f"DATE: {sig.date}"


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
    section.left_margin = section.right_margin = Cm(1.8)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)

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
    doc.add_paragraph()
    for p in r.projects:
        _project(doc, p)
    for step, sig in r.sign_blocks:
        _signature(doc, step, sig)
    for a in r.appendices:
        _appendix(doc, r, a)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
