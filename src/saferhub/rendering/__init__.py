"""Rendering of reports: HTML, PDF, Word and Excel, all fed by the same report structure
(the JSON-ready dict built by ``saferhub.performance.report``). Charts are drawn once and used
in every format: SVG for HTML and PDF, PNG of the same figure for Word and Excel."""

from .formats import FORMATS, render_report

__all__ = ["FORMATS", "render_report"]
