"""Exports neutralise formula injection; numbers stay numbers (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from saferhub.rendering.safe_cells import neutralise, neutralise_workbook, write_csv

RISKY = ["=1+1", "+44 1752 000000", "-2+3", "@SUM(A1:A2)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://evil.example","x")']


@pytest.mark.parametrize("text", RISKY)
def test_csv_cells_that_start_a_formula_get_a_leading_quote(text):
    row = next(csv.reader(io.StringIO(write_csv([[text, "plain", 7]]), newline="")))
    assert row == ["'" + text, "plain", "7"]


@pytest.mark.parametrize("number", [-5, -1.5, Decimal("-2.25"), 0, 3])
def test_numbers_stay_numbers(number):
    assert neutralise(number) is number


def test_xlsx_cells_are_text_never_formulas():
    wb = Workbook()
    wb.active.append([*RISKY, 42, -7.5])
    neutralise_workbook(wb)
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    cells = list(ws.iter_rows(values_only=False))[0]
    for cell, text in zip(cells, RISKY):
        assert cell.data_type == "s" and cell.value == text, (cell.value, cell.data_type)
    assert cells[-2].value == 42 and cells[-1].value == -7.5 and cells[-1].data_type == "n"


def test_the_xlsx_report_writes_injected_titles_as_text(db):
    from saferhub.demo import load_demo
    from saferhub.domain.calendar import Month
    from saferhub.performance.models import Indicator
    from saferhub.performance.report import build_performance_report
    from saferhub.rendering import render_report
    from tests.performance.conftest import NOW

    partnership = load_demo(now=NOW)
    partnership.name = "=cmd|' /C calc'!A0"
    Indicator.objects.filter(partnership=partnership).update(title='=HYPERLINK("http://evil.example","Click")')
    report = build_performance_report(partnership, Month(2016, 11))
    wb = load_workbook(io.BytesIO(render_report(report, "xlsx")))
    formulas = [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("=HYPERLINK") for t in texts)
    numbers = [c.value for row in wb["Summary"].iter_rows(min_row=5) for c in row if isinstance(c.value, (int, float))]
    assert len(numbers) > 10  # the figures are still numbers
