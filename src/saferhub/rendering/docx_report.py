"""The report as a Word document with real tables and headings, so boards can paste it into
their own templates."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from .cells import MONTH_TABLE_HEADINGS, SUMMARY_HEADINGS, month_row_text, one_place, spc_text, summary_row_text


def _table(doc, headings, rows, widths=None):
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Light Grid Accent 1"
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row)):
            cell.text = value
            if i > 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
    return table


def render_docx(report: dict[str, Any], charts: dict) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = Cm(1.8)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)

    doc.add_paragraph(report["partnership_name"])
    doc.add_heading("Performance report", level=0)
    doc.add_paragraph(f"Figures to the end of {report['period_name']}, financial year {report['financial_year']}.")
    doc.add_heading("Summary: year to date", level=1)
    _table(doc, SUMMARY_HEADINGS, [summary_row_text(ind) for ind in report["indicators"]])
    doc.add_paragraph("Change is always this year minus last year.")

    for ind in report["indicators"]:
        doc.add_page_break()
        doc.add_heading(ind["title"], level=1)
        doc.add_paragraph(f"{ind['polarity'].replace('_', ' ').capitalize()} · {ind['frequency']} · {ind['source_label']} · status: {ind['status_label']}")
        _table(doc, MONTH_TABLE_HEADINGS, [month_row_text(p, ind["unit"]) for p in ind["periods"]])
        chart = charts.get(ind["code"], {}).get("figures")
        if chart is not None:
            doc.add_picture(io.BytesIO(chart.png), width=Cm(8.5))  # narrow: drawn to stand beside a table
            doc.add_paragraph(chart.alt).runs[0].italic = True
        doc.add_heading("Commentary", level=2)
        doc.add_paragraph(ind["commentary"])
        if ind.get("significance"):
            doc.add_paragraph(ind["significance"]["summary"])
        if ind.get("analyst_comment"):
            doc.add_heading("Analyst's comment", level=2)
            doc.add_paragraph(ind["analyst_comment"])
        for note in ind["data_notes"]:
            doc.add_paragraph(note)
        spc_chart = charts.get(ind["code"], {}).get("spc")
        if spc_chart is not None:
            doc.add_heading("Variation over time", level=2)
            doc.add_paragraph(spc_text(ind["spc"]) + ".")
            doc.add_picture(io.BytesIO(spc_chart.png), width=Cm(16))
            _table(doc, ("From", "To", "Mean", "Lower limit", "Upper limit"), [
                [s.get("start_period", str(s["start"])), s.get("end_period", str(s["end"])), f"{one_place(s['mean'])}", f"{one_place(s['lpl'])}", f"{one_place(s['upl'])}"]
                for s in ind["spc"]["segments"]
            ])

    doc.add_page_break()
    doc.add_heading("Data sources", level=1)
    for s in report["sources"]:
        doc.add_paragraph(
            f"Import run {s['run']} ({s['kind']}), {s['imported_at'][:10]}: {s['files']} files, {s['rows_read']:,} rows"
            + (f", {s['rows_without_location']:,} without a location" if s["rows_without_location"] else "")
            + (f", {s['rows_outside_area']:,} outside the area" if s.get("rows_outside_area") else "") + ".",
            style="List Bullet",
        )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
