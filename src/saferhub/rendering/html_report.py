"""The report as HTML (the web page and the PDF share the template)."""

from __future__ import annotations

import base64
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .cells import has_target

if TYPE_CHECKING:
    from .charts import Chart


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


def _context(
    report: dict[str, Any], charts: dict[str, dict[str, Any]], standalone: bool, for_print: bool
) -> dict[str, Any]:
    indicators = []
    for ind in report["indicators"]:
        c = charts.get(ind["code"], {})
        indicators.append(
            {
                **ind,
                "chart_svg": _chart_markup(c.get("figures"), for_print),
                "chart_alt": c["figures"].alt if c.get("figures") else "",
                "spc_svg": _chart_markup(c.get("spc"), for_print),
                "spc_alt": c["spc"].alt if c.get("spc") else "",
                "has_target": has_target(ind),
            }
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


def render_html(
    report: dict[str, Any], charts: dict[str, dict[str, Any]], *, standalone: bool, for_print: bool = False
) -> str:
    template = "rendering/performance_report.html" if standalone else "rendering/performance_report_body.html"
    return cast(str, render_to_string(template, _context(report, charts, standalone, for_print)))


def render_pdf(report: dict[str, Any], charts: dict[str, dict[str, Any]]) -> bytes:
    from weasyprint import HTML

    html = render_html(report, charts, standalone=True, for_print=True)
    return cast(bytes, HTML(string=html, base_url=".").write_pdf())
