"""The performance report as a board reads it (issue 17): the sources note names each dataset,
its owner and the date received (no server paths); SPC figures formatted like every other figure,
a lower limit below zero for a count shown as "no lower limit"; the Word file has page numbers, a
contents list and real headings; the Excel workbook has native charts beside its tables."""

import io
import re
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from saferhub.rendering import render_report
from saferhub.rendering.report_json import report_json

from .conftest import pdf_pages

pytestmark = pytest.mark.django_db


def test_sources_note_names_dataset_owner_and_date_received_without_paths(demo_report, tmp_path):
    datasets = report_json(demo_report)["datasets"]
    owners = {d["owner"] for d in datasets}
    assert {
        "Devon and Cornwall Police",
        "Plymouth City Council",
        "Devon and Somerset Fire and Rescue Service",
    } <= owners
    police = next(d for d in datasets if d["owner"] == "Devon and Cornwall Police")
    assert police["received"] == "2017-01-16"  # the figures' reported_on date in the demo file
    assert "Overall crime" in police["indicators"]
    last = pdf_pages(render_report(demo_report, "pdf"), tmp_path)[-1]
    assert "Devon and Cornwall Police" in last and "received 16 January 2017" in last
    assert "Overall crime" in last
    assert "/src/" not in last and "saferhub/demo" not in last and "BLAKE3" not in last
    # The JSON a user downloads carries no server path either.
    assert all("/" not in f["name"] for s in report_json(demo_report)["sources"] for f in s.get("file_list", []))
    doc = Document(io.BytesIO(render_report(demo_report, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Devon and Cornwall Police" in text and "received 16 January 2017" in text and "/src/" not in text


def test_police_uk_figures_are_owned_by_the_forces_behind_them(real_report):
    """The police.uk dataset was owned by "Police (police.uk open data)", which names no one. The
    sources note now names the forces that police the area and whose files are behind the report."""
    (police,) = [d for d in real_report.datasets if d.source == "policeuk"]
    assert police.owner == "Devon & Cornwall Police (police.uk open data)"
    assert police.line.startswith("police.uk street-level crime from Devon & Cornwall Police (police.uk open data)")


def test_spc_limits_are_formatted_and_a_negative_lower_limit_for_a_count_is_no_lower_limit(demo_report, tmp_path):
    text = " ".join(pdf_pages(render_report(demo_report, "pdf"), tmp_path))
    # Overall crime's limits (1,263.1 to 1,756.2 unformatted before) print with thousands separators.
    assert re.search(r"1,\d{3}\.\d to 1,\d{3}\.\d", text)
    assert not re.search(r"\b\d{4}\.\d\b", text), "an SPC figure without its thousands separator"
    negative = [
        ind
        for ind in report_json(demo_report)["indicators"]
        if ind["spc"]
        and ind["unit"] == "count"
        and any(s["lpl"] is not None and s["lpl"] < 0 for s in ind["spc"]["segments"])
    ]
    assert negative, "the demo has a count whose SPC lower limit falls below zero (vehicle fires)"
    assert "no lower limit" in text
    assert not re.search(r"-\d+\.\d to \d", text), "a negative lower limit printed for a count"
    doc = Document(io.BytesIO(render_report(demo_report, "docx")))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "no lower limit" in cells and not any(re.fullmatch(r"\d{4}\.\d", c) for c in cells)


def test_word_has_page_numbers_a_contents_list_and_heading_styles(demo_report):
    data = render_report(demo_report, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = z.read("word/document.xml").decode("utf-8")
        footers = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer"))
    assert "PAGE" in footers and "fldChar" in footers or "PAGE" in footers and "fldSimple" in footers
    assert re.search(r"TOC \\o", document), "a TOC field for the contents list"
    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    for ind in report_json(demo_report)["indicators"]:
        assert ind["title"] in headings
    assert "Data sources and notes" in headings
    assert any(p.style.name == "Heading 2" and p.text == "Commentary" for p in doc.paragraphs)


def test_excel_has_native_charts_beside_the_tables_they_draw(demo_report):
    wb = load_workbook(io.BytesIO(render_report(demo_report, "xlsx")))
    for ind in report_json(demo_report)["indicators"]:
        ws = next(ws for ws in wb.worksheets if ws["A1"].value == ind["title"])
        assert ws._images == [], "no pictures of charts"
    with zipfile.ZipFile(io.BytesIO(render_report(demo_report, "xlsx"))) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        media = [n for n in z.namelist() if n.startswith("xl/media/")]
        xml = "".join(z.read(n).decode("utf-8") for n in charts)
    assert len(charts) >= len(report_json(demo_report)["indicators"]) and media == []
    # The chart draws the sheet's own cells, so a user who restyles or edits it keeps the link.
    assert re.search(r"<(c:)?f>'overall-crime'!\$B\$5:\$B\$16</(c:)?f>", xml)  # this year, April to March
