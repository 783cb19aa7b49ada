"""The Word return's tables: no column narrower than its longest word, read back from the file and
from LibreOffice's rendering of it."""

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph

from saferhub.commissioning import returns
from saferhub.commissioning.returns import half_year_return_for
from saferhub.domain.returns import KPI_HEADINGS
from saferhub.rendering.formats import render_return
from saferhub.rendering.return_docx import CELL_PADDING_CM, CONTENT_CM, MILESTONE_HEADINGS, column_widths, word_width_cm

from .conftest import cells_opening_empty, printed_pages


@pytest.fixture
def doc(fund):
    return returns.build_half_year_return(half_year_return_for(fund, 2017))


def _projects(word):
    return [t for t in word.tables if t.rows[0].cells[0].text.startswith("(Project ")]


def _content_cells(row):
    """A row's cells after its label, each once (python-docx gives a cell once a column it spans)."""
    cells = []
    for cell in row.cells[1:]:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return cells


def _table_rows(project, headings):
    """The rows of the project's table that make its table of ``headings`` (the KPIs', the
    milestones'): the headings row and the rows under it, as lists of cells."""
    rows = [_content_cells(row) for row in project.rows]
    texts = [[c.text for c in cells] for cells in rows]
    if list(headings) not in texts:
        return []
    start = texts.index(list(headings))
    end = start + 1
    while (
        end < len(rows)
        and len(rows[end]) == len(headings)
        and project.rows[end].cells[0].text == "How are these measured?"
    ):
        end += 1
    return [(project.rows[i], rows[i]) for i in range(start, end)]


def test_every_kpi_column_is_as_wide_as_its_longest_word(doc):
    """Widths weighted by the columns' shares alone left "This half year" 1.56 cm wide, and
    "appointments" (about 1.6 cm at 7.5 pt) broke inside it."""
    word = Document(io.BytesIO(render_return(doc, "docx")))
    tables = [rows for t in _projects(word) if (rows := _table_rows(t, KPI_HEADINGS))]
    assert len(tables) == sum(1 for p in doc.projects if p.kpis)
    for rows in tables:
        widths = [c.width / Cm(1) for c in rows[0][1]]
        assert sum(widths) <= CONTENT_CM + 0.01
        for i in range(len(KPI_HEADINGS)):
            assert {round(cells[i].width / Cm(1), 3) for _, cells in rows} == {round(widths[i], 3)}
            words = [w for _, cells in rows for w in re.split(r"(?<=-)|\s+", cells[i].text) if w]
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


def _page_words(pdf_path):
    """Each page's words in reading order, as (word, xMin, yMin, xMax, yMax)."""
    import html
    import subprocess

    out = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True, check=True)
    box = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    return [
        [(html.unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(box, page)]
        for page in out.stdout.split("<page ")[1:]
    ]


def _row_has(row, tag):
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn(tag)) is not None


def _paragraphs(row):
    return [p for tc in row._tr.tc_lst for p in tc.iterchildren(qn("w:p"))]


def _keeps_with_next(row):
    return all(Paragraph(p, None).paragraph_format.keep_with_next for p in _paragraphs(row))


def test_each_projects_header_is_a_heading_row_repeated_on_the_pages_it_runs_on_to(doc):
    """Converted, a project running over a page went on with no name ("outcomes?" and a RAG box
    at the top of page 2, under no project): the PDF repeats the project's header there. The
    header row is the table's heading row (Word and LibreOffice repeat it on each page), whole,
    and kept with the funding row; no other row is a heading row."""
    word = Document(io.BytesIO(render_return(doc, "docx")))
    projects = _projects(word)
    assert len(projects) == len(doc.projects)
    for t, p in zip(projects, doc.projects):
        head = t.rows[0]
        assert [c.text for c in _content_cells(head)] == [p.title]
        assert _row_has(head, "w:tblHeader") and _row_has(head, "w:cantSplit")
        assert _keeps_with_next(head)
        assert not any(_row_has(row, "w:tblHeader") for row in t.rows[1:])


def test_kpi_and_milestone_headings_are_rows_of_the_form_kept_with_their_first_row(doc):
    """Converted, project F's KPI headings row sat alone at the foot of a page, its KPIs on the
    next: a table inside a cell, whose rows' keep-with-next LibreOffice ignores. The KPIs and the
    milestones are rows of the project's table now (the content column divided into their
    columns, under "How are these measured?" merged down): the headings row and every row
    whole on a page, the headings row's paragraphs kept with the next."""
    word = Document(io.BytesIO(render_return(doc, "docx")))
    checked = 0
    for t, p in zip(_projects(word), doc.projects):
        for headings, rows in ((KPI_HEADINGS, p.kpi_rows), (MILESTONE_HEADINGS, p.milestones)):
            found = _table_rows(t, headings)
            assert len(found) == (len(rows) + 1 if rows else 0), (p.letter, headings[0])
            for i, (row, cells) in enumerate(found):
                assert _row_has(row, "w:cantSplit")
                assert _keeps_with_next(row) == (i == 0), (p.letter, i)
                assert row._tr.tc_lst[0].vMerge == "continue"  # under the label above
                assert all(not c.tables for c in cells)
            checked += len(found)
        # no table of KPIs or milestones left inside a cell
        for row in t.rows:
            for inner in row.cells[-1].tables:
                assert inner.rows[0].cells[0].text not in (KPI_HEADINGS[0], MILESTONE_HEADINGS[0])
    assert checked == sum(len(p.kpi_rows) + 1 for p in doc.projects if p.kpi_rows) + sum(
        len(p.milestones) + 1 for p in doc.projects if p.milestones
    )


def test_the_forms_short_rows_are_kept_whole_and_its_long_ones_run_on(doc):
    """Converted, project D's funding text was split over two pages. A form row that prints on
    KEPT_LINES lines or fewer (the funding, the spend, the outcomes, the RAG box) moves to the
    next page whole, its paragraphs' lines kept together; a longer one (project C's DOMES tables
    and commentary, most of a page) runs on, as in the PDF, rather than leave a page half empty."""
    word = Document(io.BytesIO(render_return(doc, "docx")))
    short = (
        "Amount of funding; if part funded, what % of funding",
        "Breakdown of expenditure",
        "Intended Outcomes",
        "Rag Rating (✓) as appropriate",
    )
    for t in _projects(word):
        labelled = {row.cells[0].text: row for row in t.rows}
        for label in short:
            row = labelled[label]
            assert _row_has(row, "w:cantSplit"), (t.rows[0].cells[1].text, label)
            assert all(Paragraph(p, None).paragraph_format.keep_together for p in _paragraphs(row))
    c = next(t for t, p in zip(_projects(word), doc.projects) if p.letter == "C")
    achieved = next(row for row in c.rows if row.cells[0].text == "To what extent have these been achieved?")
    assert achieved.cells[1].tables and not _row_has(achieved, "w:cantSplit")


def test_as_printed_a_project_runs_on_under_its_header_with_its_blocks_whole(doc, tmp_path):
    """LibreOffice's PDF of the Word return: every page a project runs on to opens with the
    project's header; no KPI or milestone headings row ends a page without its first row; each
    project's funding text is on one page."""
    pages = printed_pages(render_return(doc, "docx"), "docx", tmp_path)
    signed = next(i for i, t in enumerate(pages) if "TO BE COMPLETED AND SIGNED BY CSP MANAGER" in t)
    heads = {p.letter: f"(Project {p.letter})" for p in doc.projects}
    titles = {p.letter: p.title for p in doc.projects}
    continued = 0
    for n in range(1, signed + 1):
        before = [letter for letter, head in heads.items() if head in pages[n - 1]]
        running = before[-1] if before else None
        opens = pages[n].startswith
        if running and opens(heads[running]):
            assert titles[running] in pages[n]
            continued += 1
        else:  # the project above ended at the page's foot: the next one, or the sign-off, opens it
            assert any(opens(h) for h in heads.values()) or (n == signed and opens("TO BE COMPLETED")), (
                n + 1,
                pages[n][:80],
            )
    assert continued >= 3
    # No headings row at a page's foot: under each one's first word, a word of its first row.
    checked = 0
    starts = {m.activity.split()[0] for p in doc.projects for m in p.milestones}
    for n, words in enumerate(_page_words(tmp_path / "printed.pdf")[: signed + 1]):
        footer = max(y0 for w, _, y0, _, _ in words if w == "Page")
        for i, (w, x0, y0, _, y1) in enumerate(words):
            ends = []
            after = words[i + 1 : i + 5]
            if w == "Key" and after[0][0] == "performance" and "indicator" in [v[0] for v in after]:
                # the headings row: "Key performance" over "indicator"
                ends = [next(v[4] for v in after if v[0] == "indicator")]
            elif w == "Activity" and after and after[0][0] in starts:  # read down the column
                ends = [y1]
            for bottom in ends:
                below = [v for v in words if abs(v[1] - x0) < 2 and bottom < v[2] < footer]
                assert below, f"page {n + 1}: the {w!r} headings row ends the page"
                checked += 1
    assert checked == sum(1 for p in doc.projects if p.kpi_rows) + sum(1 for p in doc.projects if p.milestones)
    kept = 0
    for p in doc.projects:  # the funding cell's first and last words on one page (its provider's too)
        for text in (p.funding_text, p.provider_text):
            words = text.split()
            if len(words) < 12:
                continue  # on a line or two: not to be told apart from the same words elsewhere
            where = [t for t in pages[: signed + 1] if " ".join(words[:6]) in t]  # (two providers may be one)
            assert where and all(" ".join(words[-6:]) in page for page in where), (p.letter, text)
            kept += 1
    assert kept > 8


def test_an_appendixs_tables_repeat_their_headings_and_keep_their_rows_whole(doc):
    """Converted, appendix B's outcomes table ran on to the next page under no headings, one of
    its rows split over the two pages. An appendix's tables (top-level tables after the form)
    now repeat their headings row on each page, kept with the first row, each row whole."""
    word = Document(io.BytesIO(render_return(doc, "docx")))
    assert any(a.blocks for a in doc.appendices)
    tables = [t for t in word.tables if t.rows[0].cells[0].text.startswith(("Key Performance", "Outcome"))]
    assert len(tables) >= 4
    for t in tables:
        assert _row_has(t.rows[0], "w:tblHeader") and _keeps_with_next(t.rows[0])
        assert all(_row_has(row, "w:cantSplit") for row in t.rows)
        assert not any(_row_has(row, "w:tblHeader") for row in t.rows[1:])
