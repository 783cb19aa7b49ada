"""The report as HTML (the web page and the PDF share the template)."""

from __future__ import annotations

import base64
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from saferhub.domain.report import IndicatorEntry, PerformanceReport

if TYPE_CHECKING:
    from .charts import Chart
    from .formats import Charts


def _chart_markup(chart: "Chart | None", for_print: bool) -> str:
    """Inline SVG for a browser; for WeasyPrint an <img> of the same SVG, which it draws without
    running every SVG element through the HTML style cascade (a third of the PDF's layout time)."""
    if chart is None:
        return ""
    if not for_print:
        return cast(str, mark_safe(chart.svg))
    data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return cast(
        str,
        mark_safe(
            f'<img class="chart-image" src="data:image/svg+xml;base64,{data}" alt="" '
            f'width="{chart.width}" height="{chart.height}">'
        ),
    )


@dataclass(frozen=True)
class IndicatorView:
    """An indicator of the report with its charts as markup for this page."""

    entry: IndicatorEntry
    chart_svg: str
    chart_alt: str
    spc_svg: str
    spc_alt: str


def _context(report: PerformanceReport, charts: Charts, standalone: bool, for_print: bool) -> dict[str, Any]:
    indicators = []
    for ind in report.indicators:
        c = charts.get(ind.code)
        figures, spc = (c.figures, c.spc) if c is not None else (None, None)
        indicators.append(
            IndicatorView(
                entry=ind,
                chart_svg=_chart_markup(figures, for_print),
                chart_alt=figures.alt if figures else "",
                spc_svg=_chart_markup(spc, for_print),
                spc_alt=spc.alt if spc else "",
            )
        )
    return {
        "report": report,
        "indicators": indicators,
        "standalone": standalone,
        "for_print": for_print,
        "report_css": mark_safe(report_stylesheet()) if standalone else "",
    }


@functools.lru_cache(maxsize=1)
def report_stylesheet() -> str:
    """The report's styles: a static file, linked from the web pages (so that their Content
    Security Policy needs no inline styles) and copied into the standalone HTML and the PDF."""
    return (Path(__file__).resolve().parents[1] / "static" / "saferhub" / "report.css").read_text(encoding="utf-8")


def render_html(report: PerformanceReport, charts: Charts, *, standalone: bool, for_print: bool = False) -> str:
    template = "rendering/performance_report.html" if standalone else "rendering/performance_report_body.html"
    return cast(str, render_to_string(template, _context(report, charts, standalone, for_print)))


def render_pdf(report: PerformanceReport, charts: Charts) -> bytes:
    from weasyprint import HTML

    html = render_html(report, charts, standalone=True, for_print=True)
    return cast(bytes, HTML(string=html, base_url=".").write_pdf())
