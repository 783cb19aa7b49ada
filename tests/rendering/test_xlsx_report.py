"""The workbook's SPC table writes each month's point type and special-cause flag in the report's
words (the typed point's own labels), not the domain's codes or 0/1."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from saferhub.domain.report import POINT_TYPE_LABELS, SpcPoint
from saferhub.rendering import render_report

pytestmark = pytest.mark.django_db


def _spc_rows(ws):
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "SPC: period")
    assert rows[start][5:7] == ("Special cause", "Point type")
    out = []
    for r in rows[start + 1 :]:
        if r[0] in (None, ""):
            break
        out.append(r)
    return out


def test_the_spc_table_shows_words_not_codes(demo_report):
    wb = load_workbook(io.BytesIO(render_report(demo_report, "xlsx")))
    checked = 0
    for ind in demo_report.indicators:
        if ind.spc is None:
            continue
        ws = next(ws for ws in wb.worksheets if ws["A1"].value == ind.title)
        rows = _spc_rows(ws)
        assert len(rows) == len(ind.spc.points)
        for row, pt in zip(rows, ind.spc.points):
            assert row[5] == pt.special_cause_text and row[5] in ("Yes", "No")
            assert row[6] == pt.point_type_label and row[6] in POINT_TYPE_LABELS.values()
            assert "_" not in row[6]
        checked += 1
    assert checked, "the demo has SPC charts"
    words = {r[6] for ws in wb.worksheets if _has_spc(ws) for r in _spc_rows(ws)}
    assert "Common cause variation" in words and any(w.startswith("Special cause: ") for w in words)


def _has_spc(ws):
    return any(c.value == "SPC: period" for c in ws["A"])


def test_a_point_type_reads_as_the_reports_words():
    concern = SpcPoint(1, Decimal("12"), True, ("outside_limits",), "special_cause_concern", None)
    assert concern.point_type_label == "Special cause: concern" and concern.special_cause_text == "Yes"
    common = SpcPoint(0, Decimal("3"), False, (), "common_cause", None)
    assert common.point_type_label == "Common cause variation" and common.special_cause_text == "No"


def test_printed_figures_stand_clear_of_the_words_beside_them(demo_report, tmp_path):
    """Seen printing the demo's workbook with LibreOffice: each SPC row's upper limit ran into
    the "Yes"/"No" beside it ("1,756.2No"), and the summary's % change into the status
    ("-6.1Monitor only"): figures align right, the text beside them left, with no space between.
    Now the yes/no is centred, the status indented, and columns sized by what they hold."""
    from .conftest import figures_then_words, printed_pages, printed_text_sizes

    wb = load_workbook(io.BytesIO(render_report(demo_report, "xlsx")))
    pages = printed_pages(render_report(demo_report, "xlsx"), "xlsx", tmp_path)
    # The summary on two pages (its figures; its status and SPC), each with every indicator,
    # at 70% or more: its eleven columns printed on one page at 47%.
    sizes = printed_text_sizes((tmp_path / "printed.pdf").read_bytes())
    # (An indicator on one page, or two: its figures, then its SPC table.)
    # And the sources note on one page.
    assert len(pages) == 2 + sum(1 + len(ws.row_breaks.brk) for ws in wb.worksheets[1:-1]) + 1
    for page, size in zip(pages[:2], sizes[:2]):
        assert size >= 11 * 0.7 and all(ind.title.split()[0] in page for ind in demo_report.indicators)
    assert "% change" in pages[0] and "Variation (SPC)" in pages[1]
    # An indicator's charts 10 cm wide, not 15: it printed at 55% (6-point text), then 61-67%
    # fitted to one page, now 70% or more.
    assert min(sizes[2:]) >= 11 * 0.7, sizes
    pairs = list(figures_then_words(tmp_path / "printed.pdf"))
    # (The summary's status now prints on its second page, after the indicator's title; where a
    # figure does precede it, the column is indented.)
    assert any(t in ("Yes", "No") for _, _, t in pairs)
    crowded = [(round(gap, 2), w, t) for gap, w, t in pairs if gap < 0.2]  # less than a word space
    assert crowded == []
    for ws in wb.worksheets[1:]:
        row = next((r for r in ws.iter_rows() if r[0].value == "SPC: period"), None)
        if row is not None:
            assert row[5].value == "Special cause" and row[5].alignment.horizontal == "center"
            assert ws.cell(row=row[0].row + 1, column=6).alignment.horizontal == "center"


def test_the_workbook_ends_with_the_sources_note_of_every_format(real_report, demo_report):
    """The Excel report had no sources note at all: no dataset, owner or date received, no
    police.uk months and no "How to read this report", which the PDF and Word file print."""
    for report in (demo_report, real_report):
        wb = load_workbook(io.BytesIO(render_report(report, "xlsx")))
        assert wb.sheetnames[-1] == "Sources and notes"
        text = [c for (c,) in wb["Sources and notes"].iter_rows(min_col=1, max_col=1, values_only=True) if c]
        for d in report.datasets:
            assert d.line in text
        for s in report.sources:
            assert s.line in text
        assert list(report.how_to_read) == text[text.index("How to read this report") + 1 :]
    assert real_report.police_months_text in text
    assert "Devon & Cornwall Police (police.uk open data)" in " ".join(text)


def test_chart_titles_are_small_enough_to_leave_the_plot_its_room(demo_report):
    """At the 18-point default, "Arson of vehicles in the night-time economy area: variation over
    time (XmR)" took five lines of a 10 cm chart. Titles are 10-point bold."""
    wb = load_workbook(io.BytesIO(render_report(demo_report, "xlsx")))
    sizes = set()
    for ws in wb.worksheets:
        for chart in ws._charts:
            for paragraph in chart.title.tx.rich.p:
                sizes |= {run.rPr.sz for run in paragraph.r}
    assert sizes == {1000}
