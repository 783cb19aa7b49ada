"""The report as an Excel workbook: a summary sheet and one sheet an indicator, numbers as numbers."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any, Iterable

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font

from saferhub.domain.report import SPC_LABELS, IndicatorEntry, PerformanceReport

from .cells import MONTH_TABLE_HEADINGS
from .charts import IndicatorCharts
from .report_json import json_figure, json_real
from .safe_cells import neutralise_workbook
from .xlsx_rows import fit_columns, print_at_scale, print_in_column_groups, readable

if TYPE_CHECKING:
    from .formats import Charts

# The body's font named: a font with none (openpyxl's Font(bold=True)) printed in LibreOffice's
# default, a serif, the headings in another typeface from the figures under them.
BOLD = Font(name="Calibri", bold=True)
# A chart beside its table, in centimetres (height, width): 15 cm wide, the sheet printed one
# page wide at 55%, its text at 6 points; 10 cm (five of the empty columns beside the tables,
# as LibreOffice prints whole columns) prints the sheet at 70% or more, the chart about as
# large on paper as before; 9 cm tall, its legend below it, so the plot keeps its width (a long
# indicator's title took three lines and squeezed it).
CHART_SIZE = (9.0, 10.0)
RIGHT = Alignment(horizontal="right", wrap_text=True)  # a heading over figures, which align right
CENTRE = Alignment(horizontal="center")  # a yes/no or a flag, clear of the figures to its left
# Text after a column of figures (right-aligned, so flush against it): a character's space.
AFTER_FIGURES = Alignment(horizontal="left", indent=1)


def _wrap_headings(ws: Any, row: int) -> None:
    """A row of headings each wrapped within its column (run into the next one, a heading was
    cut off on the printed page), at the foot of the row, keeping its alignment across."""
    for cell in ws[row]:
        if cell.value not in (None, ""):
            old = cell.alignment
            cell.alignment = Alignment(horizontal=old.horizontal, vertical="bottom", wrap_text=True)


def _align(ws: Any, rows: range, columns: range, alignment: Alignment) -> None:
    for r in rows:
        for c in columns:
            ws.cell(row=r, column=c).alignment = alignment


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


def render_xlsx(report: PerformanceReport, charts: Charts) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    summary.append([f"{report.partnership_name} performance report"])
    summary["A1"].font = Font(name="Calibri", bold=True, size=14)
    summary.append([f"Figures to the end of {report.period_name}, financial year {report.financial_year}"])
    summary.append([])
    summary.append(
        [
            "Code",
            "Indicator",
            "Unit",
            "Year to date to",
            "Year to date",
            "Same period last year",
            "Change",
            "% change",
            "Status",
            "Variation (SPC)",
            "Assurance (SPC)",
        ]
    )
    for cell in summary[4]:
        cell.font = BOLD
    used = {"Summary", SOURCES_SHEET}
    indicator_sheets = []
    col: int | str  # a column number in the rows, a letter in the widths
    for ind in report.indicators:
        ytd, spc = ind.ytd, ind.spc
        summary.append(
            [
                ind.code,
                ind.title,
                ind.unit,
                ytd.to_period.label if ytd.to_period else None,
                json_figure(ytd.value),
                json_figure(ytd.previous),
                json_figure(ytd.change),
                json_figure(ytd.change_pct),
                ind.status_label,
                SPC_LABELS.get(spc.variation_icon) if spc is not None else None,
                spc.assurance_label if spc is not None else None,
            ]
        )
        row = summary.max_row
        for col in (5, 6, 7):
            summary.cell(row=row, column=col).number_format = _format(ind.unit)
        summary.cell(row=row, column=8).number_format = "0.0"
        indicator_sheets.append(wb.create_sheet(_sheet_name(ind.code, used)))
        _indicator_sheet(indicator_sheets[-1], ind, report, charts.get(ind.code))
    # Widths by content: "% change" ran into "Status", a long code into its title.
    last = summary.max_row
    fit_columns(summary, range(4, last + 1), range(1, 2), minimum=8)
    fit_columns(summary, range(4, last + 1), range(2, 3), minimum=8, maximum=36)  # a long title wraps
    fit_columns(summary, range(4, last + 1), range(3, 5), minimum=8)
    fit_columns(summary, range(4, last + 1), range(5, 12), minimum=10)
    _align(summary, range(4, 5), range(5, 9), RIGHT)
    _align(summary, range(4, last + 1), range(9, 10), AFTER_FIGURES)
    _wrap_headings(summary, 4)
    summary.freeze_panes = "A5"
    # Eleven columns on one page printed at 47% (5-point text): on paper, the figures, then the
    # status and SPC, each page with the indicator's code and title.
    print_in_column_groups(summary, 2, (8,))
    _sources_sheet(wb.create_sheet(SOURCES_SHEET), report)
    neutralise_workbook(wb)  # titles, comments and notes are text, never formulas
    out = io.BytesIO()
    readable(wb)
    for ws in indicator_sheets:
        # An indicator fitted to one page printed at 61-67% (its rows set the scale): at 70% or
        # more, its columns and charts one page wide, on one page if it fits, else its figures
        # and commentary on one and its SPC table on the next (the title at the top of both).
        print_at_scale(ws, break_after=_before_spc(ws))
    wb.save(out)
    return out.getvalue()


SPC_HEADING = "SPC: period"


SOURCES_SHEET = "Sources and notes"


def _sources_sheet(ws: Any, report: PerformanceReport) -> None:
    """The report's last page in every format: each dataset with its owner and the date received,
    the police.uk months held, the imports, and how to read the report."""
    ws.column_dimensions["A"].width = 110
    ws.append(["Data sources and notes"])
    ws["A1"].font = Font(name="Calibri", bold=True, size=13)
    ws["A1"].alignment = Alignment(wrap_text=True)
    ws.append([f"{report.partnership_name} performance report, {report.period_name}"])

    def section(heading: str, lines: Iterable[str]) -> None:
        lines = list(lines)
        if not lines:
            return
        ws.append([])
        ws.append([heading])
        ws.cell(row=ws.max_row, column=1).font = BOLD
        for line in lines:
            ws.append([line])
            ws.cell(row=ws.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")

    section("Datasets", [d.line for d in report.datasets] or ["No imported data."])
    section("police.uk months", [report.police_months_text] if report.police_months_text else [])
    section("Imports", [s.line for s in report.sources])
    section("How to read this report", report.how_to_read)


def _before_spc(ws: Any) -> int | None:
    """The last row before an indicator's SPC table (the empty row above its headings)."""
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if cell.value == SPC_HEADING:
            return int(cell.row) - 1
    return None


def _indicator_sheet(ws: Any, ind: IndicatorEntry, report: PerformanceReport, charts: IndicatorCharts | None) -> None:
    ws.append([ind.title])
    ws["A1"].font = Font(name="Calibri", bold=True, size=13)
    ws.append(
        [f"{ind.polarity_words.lower()}; {ind.frequency}; {ind.unit}; {ind.source_label}; status: {ind.status_label}"]
    )
    ws.append([])
    ws.append(list(MONTH_TABLE_HEADINGS) + ["Missing"])
    for cell in ws[4]:
        cell.font = BOLD
    _align(ws, range(4, 5), range(2, 9), RIGHT)
    fmt = _format(ind.unit)
    first_row = ws.max_row + 1
    for p in ind.periods:
        values = [
            json_figure(v)
            for v in (p.value, p.previous, p.change, p.cumulative, p.previous_cumulative, p.target_cumulative, p.gap)
        ]
        ws.append([p.period.label, *values, "missing" if p.missing else None])
        for col in range(2, 9):
            ws.cell(row=ws.max_row, column=col).number_format = fmt
    last_row = ws.max_row
    _align(ws, range(4, last_row + 1), range(9, 10), CENTRE)  # "missing", clear of the gap
    _wrap_headings(ws, 4)
    month_rows = [*range(4, last_row + 1)]
    table_rows = list(month_rows)
    ws.append([])
    ws.append(["Commentary", ind.commentary])
    if ind.significance is not None:
        ws.append(["Statistics", ind.significance.summary])
    if ind.analyst_comment:
        ws.append(["Analyst's comment", ind.analyst_comment])
    for note in ind.data_notes:
        ws.append(["Note", note])
    spc = ind.spc
    if spc is not None:
        ws.append([])
        ws.append([SPC_HEADING, "Value", "Mean", "Lower limit", "Upper limit", "Special cause", "Point type"])
        for cell in ws[ws.max_row]:
            cell.font = BOLD
        _align(ws, range(ws.max_row, ws.max_row + 1), range(2, 6), RIGHT)
        segment_of = {i: s for s in spc.segments for i in range(s.start, s.end + 1)}
        spc_first = ws.max_row + 1
        for pt in spc.points:
            seg = segment_of.get(pt.i)
            ws.append(
                [
                    pt.period.label if pt.period else pt.i,
                    json_real(pt.value),
                    json_real(seg.mean) if seg else None,
                    # A count or a rate cannot fall below zero: a limit below it is no limit.
                    json_real(seg.lpl) if seg and seg.lower_binds else None,
                    json_real(seg.upl) if seg else None,
                    pt.special_cause_text,
                    pt.point_type_label,
                ]
            )
            for col in range(2, 6):
                ws.cell(row=ws.max_row, column=col).number_format = "#,##0.0" if ind.unit != "percentage" else '0.0"%"'
        spc_last = ws.max_row
        # "Yes"/"No" centred: left-aligned, it ran into the upper limit's figures beside it.
        _align(ws, range(spc_first - 1, spc_last + 1), range(6, 7), CENTRE)
        _wrap_headings(ws, spc_first - 1)
        table_rows += range(spc_first - 1, spc_last + 1)
        month_rows.append(spc_first - 1)
        if any(s.lpl is not None and not s.lower_binds for s in spc.segments):
            ws.append(["", "A lower limit below zero cannot bind for a count: no lower limit is given."])
        _spc_chart(ws, ind, spc_first, spc_last, f"J{max(first_row + 18, spc_first - 1)}")
    # Widths by content of the two tables (the paragraphs between them wrap across the columns);
    # the first column also holds the paragraphs' labels ("Analyst's comment").
    # The first column by its tables too: a paragraph's label ("Analyst's comment") wraps.
    fit_columns(ws, table_rows, range(1, 2), minimum=12)
    # Figures as wide as they are and a space, their headings on two lines: a minimum of 10
    # left the sheet wider than its content and printed it smaller.
    fit_columns(ws, table_rows, [2, 3, 4, 5, 6, 8, 9], minimum=9)
    # The SPC table's last column, its point type, runs on over the empty cells to its right:
    # sized by the monthly table's target above it.
    fit_columns(ws, month_rows, [7], minimum=9)
    if charts is not None:
        _figures_chart(ws, ind, report, first_row, last_row, "J4")


def _small_title(chart: Any) -> None:
    """The chart's title in 10-point bold, not the 18-point default: in a 10 cm chart a long
    indicator's title wrapped to four or five lines and left the plot a strip."""
    from openpyxl.drawing.text import CharacterProperties, ParagraphProperties

    for paragraph in chart.title.tx.rich.p:
        paragraph.pPr = ParagraphProperties(defRPr=CharacterProperties(sz=1000, b=True))
        for run in paragraph.r or ():
            run.rPr = CharacterProperties(sz=1000, b=True)


def _figures_chart(ws: Any, ind: IndicatorEntry, report: PerformanceReport, first: int, last: int, anchor: str) -> None:
    """A native chart of the sheet's own table (this year as columns, last year as a line), so
    users can restyle it and it follows edits to the cells."""
    bars = BarChart()
    bars.type = "col"
    bars.title = f"{ind.title}, {report.financial_year}"
    _small_title(bars)
    bars.y_axis.title = "Percentage" if ind.unit == "percentage" else "Count"
    bars.add_data(Reference(ws, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True)
    bars.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    line = LineChart()
    line.add_data(Reference(ws, min_col=3, min_row=first - 1, max_row=last), titles_from_data=True)
    line.series[0].smooth = False
    bars += line
    _axes(bars, ind.unit)
    bars.height, bars.width = CHART_SIZE
    ws.add_chart(bars, anchor)


def _axes(chart: Any, unit: str) -> None:
    """Visible axes with the figures' own number format."""
    chart.y_axis.number_format = '0"%"' if unit == "percentage" else "#,##0"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.legend.position = "b"


def _nice_floor(value: float) -> float:
    """A round number a little below ``value`` (to two significant figures)."""
    if value <= 0:
        return 0.0
    step = 10 ** (len(str(int(value))) - 2) if value >= 100 else 1
    return float(int(value * 0.95 // step) * step)


def _spc_chart(ws: Any, ind: IndicatorEntry, first: int, last: int, anchor: str) -> None:
    """The XmR chart as a native line chart of the SPC table: values, mean and process limits."""
    assert ind.spc is not None
    chart = LineChart()
    chart.title = f"{ind.title}: variation over time (XmR)"
    _small_title(chart)
    chart.add_data(Reference(ws, min_col=2, max_col=5, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    for i, series in enumerate(chart.series):
        series.smooth = False
        if i >= 2:
            series.graphicalProperties.line.dashStyle = "dash"  # process limits dashed, as in the PDF
    values = [float(pt.value) for pt in ind.spc.points] + [
        float(v) for s in ind.spc.segments for v in (s.lpl, s.upl) if v is not None
    ]
    _axes(chart, ind.unit)
    chart.y_axis.scaling.min = max(0.0, _nice_floor(min(values)))  # the chart starts near its data, never below zero
    chart.height, chart.width = CHART_SIZE
    ws.add_chart(chart, anchor)
