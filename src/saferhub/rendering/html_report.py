"""The report as HTML (the web page and the PDF share the template)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def _context(report: dict[str, Any], charts: dict, standalone: bool, for_print: bool) -> dict[str, Any]:
    indicators = []
    for ind in report["indicators"]:
        c = charts.get(ind["code"], {})
        indicators.append({
            **ind,
            "chart_svg": mark_safe(c["figures"].svg) if c.get("figures") else "",
            "chart_alt": c["figures"].alt if c.get("figures") else "",
            "spc_svg": mark_safe(c["spc"].svg) if c.get("spc") else "",
            "spc_alt": c["spc"].alt if c.get("spc") else "",
        })
    return {"report": report, "indicators": indicators, "standalone": standalone, "for_print": for_print}


def render_html(report: dict[str, Any], charts: dict, *, standalone: bool, for_print: bool = False) -> str:
    template = "rendering/performance_report.html" if standalone else "rendering/performance_report_body.html"
    return render_to_string(template, _context(report, charts, standalone, for_print))


def render_pdf(report: dict[str, Any], charts: dict) -> bytes:
    from weasyprint import HTML

    html = render_html(report, charts, standalone=True, for_print=True)
    return HTML(string=html, base_url=".").write_pdf()
