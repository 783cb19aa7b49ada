"""Every format rendered from the demo and from real police.uk data, and checked against the JSON."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from saferhub.rendering import render_report
from saferhub.rendering.report_json import report_json

from .conftest import pdf_pages

# The module fixtures (conftest.py) use the database; mark the tests so pytest-django sets it up
# even when this file runs alone.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("which", ["demo_report", "real_report"])
def test_pdf_has_a_cover_a_page_per_indicator_and_sources(request, which, tmp_path):
    report = request.getfixturevalue(which)
    pages = pdf_pages(render_report(report, "pdf"), tmp_path)
    report = report_json(report)
    n = len(report["indicators"])
    assert len(pages) >= n + 2
    assert "Performance report" in pages[0] and report["partnership_name"] in pages[0]
    assert report["financial_year"] in pages[0]
    for ind in report["indicators"]:
        # The summary lists every indicator (hyphens aside: pdftotext joins "night-" at a line's
        # end and "time" on the next into "nighttime").
        assert ind["title"].split(":")[0].replace("-", "") in pages[0].replace("-", "")
    starts = [
        next(i for i, page in enumerate(pages) if ind["title"] in page and "Commentary" in page)
        for ind in report["indicators"]
    ]
    assert starts == sorted(starts) and len(set(starts)) == n
    assert "Data sources" in pages[-1]


def test_pdf_of_the_demo_shows_the_seed_figures(demo_report, tmp_path):
    pages = pdf_pages(render_report(demo_report, "pdf"), tmp_path)
    asb = next(p for p in pages if "Anti-social behaviour incidents" in p and "Commentary" in p)
    assert "7,170" in asb and "an increase of 5%" in asb
    ist = next(p for p in pages if '"ist" incidents' in p and "Commentary" in p)
    assert "missing" in ist and "375" in ist


@pytest.mark.parametrize("which", ["demo_report", "real_report"])
def test_word_tables_hold_the_json_numbers(request, which):
    typed = request.getfixturevalue(which)
    doc = Document(io.BytesIO(render_report(typed, "docx")))
    report = report_json(typed)
    tables = doc.tables
    summary = tables[0]
    assert [c.text for c in summary.rows[0].cells][:2] == ["Indicator", "Year to date"]
    for row, ind in zip(summary.rows[1:], report["indicators"]):
        assert row.cells[0].text == ind["title"]
    month_tables = [t for t in tables if t.rows[0].cells[0].text == "Period"]
    assert len(month_tables) == len(report["indicators"])
    for table, ind in zip(month_tables, typed.indicators):
        got = [[c.text for c in row.cells] for row in table.rows[1:]]
        assert got == [p.table_text for p in ind.periods]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert all(ind["title"] in headings for ind in report["indicators"])


@pytest.mark.parametrize("which", ["demo_report", "real_report"])
def test_excel_has_a_summary_and_a_sheet_per_indicator_with_numeric_cells(request, which):
    report = request.getfixturevalue(which)
    wb = load_workbook(io.BytesIO(render_report(report, "xlsx")))
    report = report_json(report)
    assert wb.sheetnames[0] == "Summary" and wb.sheetnames[-1] == "Sources and notes"
    assert len(wb.sheetnames) == len(report["indicators"]) + 2
    summary = wb["Summary"]
    rows = list(summary.iter_rows(min_row=5, values_only=True))
    for row, ind in zip(rows, report["indicators"]):
        assert row[0] == ind["code"] and row[4] == ind["ytd"]["value"]
        if ind["ytd"]["value"] is not None:
            assert isinstance(row[4], (int, float))
    for ws, ind in zip(wb.worksheets[1:], report["indicators"]):
        cells = list(ws.iter_rows(min_row=5, max_row=4 + len(ind["periods"]), values_only=True))
        for cells_row, p in zip(cells, ind["periods"]):
            assert cells_row[0] == p["period"]
            assert list(cells_row[1:8]) == [
                p["value"],
                p["previous"],
                p["change"],
                p["cumulative"],
                p["previous_cumulative"],
                p["target_cumulative"],
                p["gap"],
            ]
            assert all(v is None or isinstance(v, (int, float)) for v in cells_row[1:8])


def test_html_is_standalone_with_inline_charts(demo_report):
    html = render_report(demo_report, "html").decode()
    assert html.startswith("<!DOCTYPE html>") and "<?xml" not in html
    assert html.count("<svg") >= len(report_json(demo_report)["indicators"])
    assert 'role="img" aria-label="Chart of Overall crime' in html


def test_the_summary_shows_both_mdc_icons_in_every_format(demo_report, tmp_path):
    """The summary gives the SPC variation of every indicator and, where a target allows it, the
    assurance (the demo's satisfaction rate has a monthly target that it may or may not meet)."""
    ist = next(i for i in report_json(demo_report)["indicators"] if i["code"] == "ist-satisfaction")
    assert ist["spc"]["assurance"] == "inconsistent"
    html = render_report(demo_report, "html").decode()
    summary = html[html.index('id="summary"') : html.index("</table>", html.index('id="summary"'))]
    assert summary.count("May pass or fail the target") == 1
    assert summary.count('class="sh-icon"') == len([i for i in report_json(demo_report)["indicators"] if i["spc"]]) + 1
    word_rows = Document(io.BytesIO(render_report(demo_report, "docx"))).tables[0].rows
    ist_row = next(r for r in word_rows if r.cells[0].text == ist["title"])
    assert ist_row.cells[-1].text == "Common cause variation; may pass or fail the target"
    sheet = load_workbook(io.BytesIO(render_report(demo_report, "xlsx")))["Summary"]
    assert sheet["K4"].value == "Assurance (SPC)"
    by_code = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert by_code["ist-satisfaction"][10] == "May pass or fail the target"
    assert by_code["overall-crime"][10] is None  # no monthly target: nothing to assure against


def test_table_figures_round_halves_up_as_the_commentary_does():
    from saferhub.rendering.cells import text

    # 41.25 is stored in binary a hair under 41.25: a float's own formatting would give 41.2,
    # while the commentary (Decimal, half up) says 41.3. The tables now say what it says.
    assert text(41.25, "percentage") == "41.3%"
    assert text(2.25, "percentage", signed=True) == "+2.3 pts"
    assert text(1234.25, "count") == "1,234.3"
    assert text(-0.05, "count") == "-0.1" and text(7, "count") == "7"
