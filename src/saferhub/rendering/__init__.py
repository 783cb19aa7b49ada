"""Rendering of reports: HTML, PDF, Word and Excel, all fed by the same report structure
(the JSON-ready dict built by ``saferhub.performance.report``). Charts are drawn once and used
in every format: SVG for HTML and PDF, PNG of the same figure for Word and Excel.

Nothing heavy is imported here: this package is also a Django app, loaded by every command."""

from typing import Any

FORMATS = ("json", "html", "pdf", "docx", "xlsx")


def render_report(report: dict[str, Any], fmt: str) -> bytes:
    from .formats import render_report as render

    return render(report, fmt)


def render_reports(report: dict[str, Any], formats: tuple[str, ...]) -> dict[str, bytes]:
    from .formats import render_reports as render

    return render(report, formats)


__all__ = ["FORMATS", "render_report", "render_reports"]
