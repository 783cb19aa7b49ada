"""Rendering of reports: JSON, HTML, PDF, Word and Excel, all fed by the same typed report
(``saferhub.domain.report.PerformanceReport``, built by ``saferhub.performance.report``). Charts
are drawn once and used in every format: SVG for HTML and PDF, PNG of the same figure for Word
and Excel.

Nothing heavy is imported here: this package is also a Django app, loaded by every command."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from saferhub.domain.report import PerformanceReport

FORMATS = ("json", "html", "pdf", "docx", "xlsx")


def render_report(report: PerformanceReport, fmt: str) -> bytes:
    from .formats import render_report as render

    return render(report, fmt)


def render_reports(report: PerformanceReport, formats: tuple[str, ...]) -> dict[str, bytes]:
    from .formats import render_reports as render

    return render(report, formats)


__all__ = ["FORMATS", "render_report", "render_reports"]
