"""The report as an Excel workbook: a summary sheet and one sheet an indicator, numbers as numbers."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .cells import ASSURANCE_LABELS, MONTH_TABLE_HEADINGS, SPC_LABELS
from .safe_cells import neutralise_workbook

BOLD = Font(bold=True)


def _sheet_name(code: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", code)[:31]
    base, n = name, 2
    while name in used:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _format(unit: str) -> str:
    return '0.0"%"' if unit == "percentage" else "#,##0"


def render_xlsx(report: dict[str, Any], charts: dict) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    summary.append([f"{report['partnership_name']} performance report"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([f"Figures to the end of {report['period_name']}, financial year {report['financial_year']}"])
    summary.append([])
    summary.append(["Code", "Indicator", "Unit", "Year to date to", "Year to date", "Same period last year", "Change", "% change", "Status", "Variation (SPC)", "Assurance (SPC)"])
    for cell in summary[4]:
        cell.font = BOLD
    used = {"Summary"}
    for ind in report["indicators"]:
        ytd, spc = ind["ytd"], ind.get("spc") or {}
        summary.append([ind["code"], ind["title"], ind["unit"], ytd["to_period"], ytd["value"], ytd["previous"], ytd["change"],
                        ytd["change_pct"], ind["status_label"], SPC_LABELS.get(spc.get("variation_icon")),
                        ASSURANCE_LABELS.get(spc.get("assurance"))])
        row = summary.max_row
        for col in (5, 6, 7):
            summary.cell(row=row, column=col).number_format = _format(ind["unit"])
        _indicator_sheet(wb.create_sheet(_sheet_name(ind["code"], used)), ind, report, charts.get(ind["code"], {}))
    for col, width in zip("ABCDEFGHIJK", (28, 48, 11, 14, 12, 12, 10, 10, 14, 30, 30)):
        summary.column_dimensions[col].width = width
    summary.freeze_panes = "A5"
    neutralise_workbook(wb)  # titles, comments and notes are text, never formulas
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _indicator_sheet(ws, ind: dict[str, Any], report: dict[str, Any], charts: dict) -> None:
    ws.append([ind["title"]])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"{ind['polarity'].replace('_', ' ')}; {ind['frequency']}; {ind['unit']}; {ind['source_label']}; status: {ind['status_label']}"])
    ws.append([])
    ws.append(list(MONTH_TABLE_HEADINGS) + ["Missing"])
    for cell in ws[4]:
        cell.font = BOLD
    fmt = _format(ind["unit"])
    for p in ind["periods"]:
        values = [p["value"], p["previous"], p["change"], p["cumulative"], p["previous_cumulative"], p["target_cumulative"], p["gap"]]
        ws.append([p["period"], *values, "missing" if p["due"] and p["value"] is None else None])
        for col in range(2, 9):
            ws.cell(row=ws.max_row, column=col).number_format = fmt
    ws.append([])
    ws.append(["Commentary", ind["commentary"]])
    if ind.get("analyst_comment"):
        ws.append(["Analyst's comment", ind["analyst_comment"]])
    for note in ind["data_notes"]:
        ws.append(["Note", note])
    spc = ind.get("spc")
    if spc:
        ws.append([])
        ws.append(["SPC: period", "Value", "Mean", "Lower limit", "Upper limit", "Special cause", "Point type"])
        for cell in ws[ws.max_row]:
            cell.font = BOLD
        segment_of = {}
        for s in spc["segments"]:
            for i in range(s["start"], s["end"] + 1):
                segment_of[i] = s
        for pt in spc["points"]:
            s = segment_of.get(pt["i"], {})
            ws.append([pt.get("period", pt["i"]), pt["value"], s.get("mean"), s.get("lpl"), s.get("upl"), pt["special_cause"], pt["point_type"]])
    for col, width in zip(range(1, 10), (16, 12, 12, 10, 12, 14, 14, 10, 10)):
        ws.column_dimensions[get_column_letter(col)].width = width
    chart = charts.get("figures")
    if chart is not None:
        image = Image(io.BytesIO(chart.png))
        image.width, image.height = image.width * 0.45, image.height * 0.45
        ws.add_image(image, "K4")
