"""The Word return's tables: no column narrower than its longest word, read back from the file and
from LibreOffice's rendering of it."""

import io
import re

import pytest
from docx import Document
from docx.shared import Cm

from saferhub.commissioning import returns
from saferhub.commissioning.returns import half_year_return_for
from saferhub.domain.returns import KPI_HEADINGS
from saferhub.rendering.formats import render_return
from saferhub.rendering.return_docx import CELL_PADDING_CM, column_widths, word_width_cm

from .conftest import cells_opening_empty, printed_pages


@pytest.fixture
def doc(fund):
    return returns.build_half_year_return(half_year_return_for(fund, 2017))


def _kpi_tables(word):
    return [
        inner
        for t in word.tables
        if t.rows[0].cells[0].text.startswith("(Project ")
        for row in t.rows
        for inner in row.cells[1].tables
        if inner.rows[0].cells[0].text == KPI_HEADINGS[0]
    ]


def test_every_kpi_column_is_as_wide_as_its_longest_word(doc):
    """Widths weighted by the columns' shares alone left "This half year" 1.56 cm wide, and
    "appointments" (about 1.6 cm at 7.5 pt) broke inside it."""
    word = Document(io.BytesIO(render_return(doc, "docx")))
    tables = _kpi_tables(word)
    assert len(tables) == sum(1 for p in doc.projects if p.kpis)
    for inner in tables:
        widths = [c.width / Cm(1) for c in inner.columns]
        assert sum(widths) <= 11.8 + 0.01
        for i, column in enumerate(inner.columns):
            words = [w for cell in column.cells for w in re.split(r"(?<=-)|\s+", cell.text) if w]
            longest = max(word_width_cm(w, 7.5, bold=w in KPI_HEADINGS[i].split()) for w in words)
            assert widths[i] >= longest + CELL_PADDING_CM - 0.01, (KPI_HEADINGS[i], widths[i], longest)


def test_column_widths_follow_the_weights_above_the_floors():
    # Long words everywhere but short in the second column: it gives way, the others keep a floor.
    widths = column_widths(7.0, [1, 1, 1], ["a", "b", "c"], [["internationalisation", "x", "y"]], 7.5)
    assert widths[0] == pytest.approx(word_width_cm("internationalisation", 7.5) + CELL_PADDING_CM)
    assert widths[1] == pytest.approx(widths[2]) and sum(widths) == pytest.approx(7.0)
    # Nothing long: the weights alone.
    assert column_widths(9.0, [2, 1], ["a", "b"], [], 7.5) == pytest.approx([6.0, 3.0])


def test_libreoffice_breaks_no_word_of_a_kpi_table(doc, tmp_path):
    """Converted as a reader would open it, no word of a KPI table is split over two lines (the
    demo's Word return printed "appointm" / "ents" and "perform" / "ance")."""
    pages = printed_pages(render_return(doc, "docx"), "docx", tmp_path)
    tokens = " ".join(pages).split()
    # A word broken inside reads as two tokens that join into it.
    joined = {a + b for a, b in zip(tokens, tokens[1:])}
    words = {
        w
        for p in doc.projects
        for row in [KPI_HEADINGS, *p.kpi_rows]
        for cell in row
        for w in (cell or "").split()
        if len(w) >= 6 and "-" not in w
    }
    assert len(words) > 30
    broken = sorted(w for w in words if w in joined)
    assert not broken


def test_the_word_return_is_a4_with_the_pdfs_footer_and_signature_blocks_kept_whole(doc, tmp_path):
    """Seen converting the demo's Word return: no page numbers at all (the PDF has "Page x of
    y"), Letter paper, and the CSP manager's signature block split, "SIGNATURE" and "JOB TITLE"
    at the foot of one page, "NAME" and "DATE" at the top of the next."""
    content = render_return(doc, "docx")
    section = Document(io.BytesIO(content)).sections[0]
    assert (round(section.page_width / Cm(1), 1), round(section.page_height / Cm(1), 1)) == (21.0, 29.7)
    texts = printed_pages(content, "docx", tmp_path)
    footer = (
        f"{doc.area}: {doc.fund.name} {doc.financial_year}, {doc.period_name.lower()} return (version {doc.version})"
    )
    for n, text in enumerate(texts, start=1):
        assert footer in text and f"Page {n} of {len(texts)}" in text, (n, text[-200:])
    signed = [sig for _, sig in doc.sign_blocks if sig.name]
    assert signed
    for sig in signed:
        (where,) = [t for t in texts if f"SIGNATURE: {sig.signed}" in t]
        assert f"NAME: {sig.name}" in where and f"DATE: {sig.date}" in where


def test_no_cell_of_the_word_return_starts_with_an_empty_line(doc):
    """Converted, the demo's "To what extent have these been achieved?" cells began with an
    empty line: the text went into a second paragraph after the one a new cell starts with (and
    the RAG box's table sat under an empty line too). Every cell, and every cell of a table
    inside one, now starts with its text or its table."""
    word = Document(io.BytesIO(render_return(doc, "docx")))
    assert any(p.achieved_blocks for p in doc.projects)
    assert cells_opening_empty(word) == []
    achieved = [
        row.cells[1]
        for t in word.tables
        for row in t.rows
        if row.cells[0].text == "To what extent have these been achieved?"
    ]
    assert len(achieved) == len(doc.projects)
    for cell, project in zip(achieved, doc.projects):
        first = next(b for b in project.achieved_blocks)
        assert cell.paragraphs[0].text == getattr(first, "title", None) or cell.paragraphs[0].text == first.text


def test_every_heading_of_the_word_return_has_the_same_space_above_from_its_style(doc, tmp_path):
    """Converted, the demo's "TO BE SIGNED BY TREASURER / CFO" sat tight against the CSP
    manager's signature table above it: the sign-off headings were bold Normal lines with no space
    above. They are now headings, and every heading (the title, the sign-off blocks, an appendix's
    letter, title and sections) takes the same space above it from its style, none set by hand."""
    from docx.shared import Pt

    word = Document(io.BytesIO(render_return(doc, "docx")))
    headings = [p for p in word.paragraphs if p.style.name.startswith("Heading")]
    texts = [p.text for p in headings]
    for step, _ in doc.sign_blocks:
        assert step.heading in texts, f"{step.heading!r} is not a heading"
    assert {p.style.name for p in headings} >= {"Heading 1", "Heading 2", "Heading 3"}
    for p in headings:
        assert p.paragraph_format.space_before is None, f"{p.text!r}: space set by hand"
        assert p.style.paragraph_format.space_before == Pt(12), (p.text, p.style.name)
    # As printed: the treasurer's heading has room above it, below the CSP manager's table.
    pages = printed_pages(render_return(doc, "docx"), "docx", tmp_path)
    (page,) = [t for t in pages if "TO BE SIGNED BY TREASURER / CFO" in t]
    assert "TO BE COMPLETED AND SIGNED BY CSP MANAGER" in page  # the sign-off read as one, on one page


def test_no_row_of_a_table_inside_the_word_returns_form_splits_across_a_page(doc, tmp_path):
    """Converted, the demo's Word return printed a KPI table's headings row in two halves ("Key",
    "Measure", "Annual" at the foot of one page, "performance indicator", "target" on the next)
    and project E's first KPI so across two pages. Each row of a table inside the form now moves
    to the next page whole, as in the PDF: the first and last words of each of its cells on one page."""
    texts = printed_pages(render_return(doc, "docx"), "docx", tmp_path)
    texts = texts[: next(i for i, t in enumerate(texts) if "TO BE COMPLETED AND SIGNED BY CSP MANAGER" in t)]
    rows = [list(KPI_HEADINGS)] + [row for p in doc.projects for row in p.kpi_rows]
    rows += [[m.activity, m.deadline_label, m.deliverables] for p in doc.projects for m in p.milestones]
    checked = 0
    for row in rows:
        phrases = set()
        for cell in row:
            words = (cell or "").split()
            phrases |= {" ".join(words[:2]), " ".join(words[-2:])} if len(words) >= 2 else set()
        placed = set()
        for phrase in phrases:
            where = [i for i, t in enumerate(texts) if phrase in t]
            if len(phrase) > 5 and len(where) == 1:  # a phrase on one page only places the row
                placed.add(where[0])
        assert len(placed) <= 1, f"{row[0]!r} is split across pages {sorted(placed)}"
        checked += len(placed)
    assert checked > 10
