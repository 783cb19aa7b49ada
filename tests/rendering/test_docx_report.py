"""The Word performance report's tables as LibreOffice prints them."""

import pytest

from saferhub.rendering.formats import render_report

from .conftest import printed_pages

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
