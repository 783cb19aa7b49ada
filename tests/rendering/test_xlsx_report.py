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
