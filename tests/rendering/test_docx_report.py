"""The Word performance report's tables as LibreOffice prints them."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from saferhub.rendering.formats import charts_for, render_report

from .conftest import cells_opening_empty, printed_pages

pytestmark = pytest.mark.django_db


def test_no_row_of_the_summary_breaks_across_pages_and_its_headings_repeat(demo_report, tmp_path):
    """Converted, the demo's summary table ran from page 1 to page 2 with one row split: its
    indicator's "Anti-social" on page 1, "behaviour incidents" on page 2. Each row is now whole
    on one page, and the page it continues on repeats the headings."""
    pages = printed_pages(render_report(demo_report, "docx"), "docx", tmp_path)
    summary = [i for i, t in enumerate(pages) if "Summary: year to date" in t and "Year to date" in t]
    assert summary
    start = summary[-1]
    end = next(i for i, t in enumerate(pages) if "Change is always this year minus last year" in t)
    # The table's text on each page it covers (page 1 also lists every title in its contents).
    pieces = [pages[i] for i in range(start, end + 1)]
    pieces[0] = pieces[0].rsplit("Summary: year to date", 1)[1]
    pieces[-1] = pieces[-1].split("Change is always this year minus last year", 1)[0]
    for ind in demo_report.indicators:
        assert any(ind.title in piece for piece in pieces), f"{ind.title!r} is split across pages"
    for i in range(start + 1, end + 1):
        assert "Year to date" in pages[i] and "Indicator" in pages[i]  # the headings again


def test_each_spc_chart_is_on_the_page_of_its_heading(demo_report, tmp_path):
    """Converted, the demo's "Variation over time" heading and its sentence ended one page and the
    chart and its limits table began the next. The heading, sentence, chart and table now stay on
    one page (moved together where the chart does not fit below the commentary)."""
    pages = printed_pages(render_report(demo_report, "docx"), "docx", tmp_path)
    with_spc = [ind for ind in demo_report.indicators if ind.spc is not None]
    headed = [i for i, t in enumerate(pages) if "Variation over time" in t]
    tabled = [i for i, t in enumerate(pages) if "Lower limit" in t and "Upper limit" in t]
    assert len(headed) == len(tabled) == len(with_spc)
    assert headed == tabled
    # The SPC block is never left as a page of its own after a page that has room for it: no more
    # pages than one per indicator for its figures, one for its SPC block, and the front and back.
    assert len(pages) <= 2 + 2 * len(demo_report.indicators) + 2


def test_each_indicator_prints_on_one_page_with_its_spc_block(demo_report, tmp_path):
    """Converted, the demo's Word report was 22 pages: each indicator's "Variation over time"
    block (heading, 16 cm chart, limits table) did not fit below its commentary and took a page of
    its own, a third full, after the indicator's page with a quarter of it empty. The charts are
    now sized so that an indicator's table, chart, commentary and SPC block share one page; only
    an indicator whose figures chart has two panels (cumulative against target) runs on."""
    pages = printed_pages(render_report(demo_report, "docx"), "docx", tmp_path)
    charts = charts_for(demo_report)
    tall = {code for code, drawn in charts.items() if drawn.figures.height > drawn.figures.width}
    assert len(tall) == 1  # "ist" incidents

    def opens(ind):  # the page an indicator starts: its title then its polarity line
        return [i for i, t in enumerate(pages) if t.startswith(f"{ind.title} {ind.polarity_words}")]

    starts = []
    for ind in demo_report.indicators:
        (start,) = opens(ind)
        starts.append(start)
        if ind.spc is not None and ind.code not in tall:
            assert "Variation over time" in pages[start] and "Upper limit" in pages[start], ind.title
    # The cover and summary, one page an indicator (two for the two-panel one), the sources.
    assert len(pages) <= 2 + len(demo_report.indicators) + len(tall) + 1
    assert pages[-1].startswith("Data sources and notes")
    ends = starts[1:] + [len(pages) - 1]
    for ind, start, end in zip(demo_report.indicators, starts, ends):
        assert end - start == (2 if ind.code in tall else 1), ind.title


def test_the_word_reports_blocks_keep_together_only_where_it_matters(demo_report):
    """The SPC heading keeps with its sentence, its chart and the limits table's headings, and the
    headings of every table with its first row; no row below keeps with the next, so a long table
    continues on the next page under its repeated headings rather than pushing the block on."""
    doc = Document(io.BytesIO(render_report(demo_report, "docx")))
    body = list(doc.element.body.iterchildren())
    paragraphs = {p._p: p for p in doc.paragraphs}
    spc = [i for i, el in enumerate(body) if el in paragraphs and paragraphs[el].text == "Variation over time"]
    assert len(spc) == sum(1 for ind in demo_report.indicators if ind.spc is not None)
    for i in spc:
        heading, sentence, chart, table = body[i : i + 4]
        assert paragraphs[heading].style.paragraph_format.keep_with_next
        assert paragraphs[sentence].paragraph_format.keep_with_next
        assert chart.xpath(".//w:drawing") and paragraphs[chart].paragraph_format.keep_with_next
        assert table.tag == qn("w:tbl")
    for table in doc.tables:
        head, *rows = table.rows
        assert head._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(p.paragraph_format.keep_with_next for c in head.cells for p in c.paragraphs)
        for row in rows:
            assert not any(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
    # Each chart carries its description as the picture's alternative text.
    described = [el.get("descr") for el in doc.element.body.iter(qn("wp:docPr"))]
    expected = [c.alt for d in charts_for(demo_report).values() for c in (d.figures, d.spc) if c is not None]
    assert sorted(described) == sorted(expected)


@pytest.mark.parametrize("which", ["demo_report", "real_report"])
def test_no_cell_of_the_word_report_starts_with_an_empty_line(request, which):
    doc = Document(io.BytesIO(render_report(request.getfixturevalue(which), "docx")))
    assert doc.tables and cells_opening_empty(doc) == []


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_the_word_report_has_the_pdfs_sources_note_and_reading_notes(real_report):
    """The Word report's "Data sources and notes" stopped at the imports: it left out the
    police.uk months held (which forces' files are behind each month) and "How to read this
    report", which the PDF prints. Both now come from the report's typed value, for every format."""
    assert real_report.police_months_text.startswith("police.uk months (held when")
    assert "2019-12 held" in real_report.police_months_text
    paragraphs = _paragraphs(render_report(real_report, "docx"))
    assert real_report.police_months_text in paragraphs
    assert "How to read this report" in paragraphs
    for note in real_report.how_to_read:
        assert note in paragraphs
    html = render_report(real_report, "html").decode()
    assert real_report.how_to_read[1].replace('"', "&quot;").replace("'", "&#x27;") in html
