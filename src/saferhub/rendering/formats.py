"""One entry point: ``render_report(report, fmt)`` gives the bytes of the report in that format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping

from saferhub.domain.problems import SaferhubError

from . import FORMATS

if TYPE_CHECKING:
    from saferhub.domain.report import PerformanceReport
    from saferhub.domain.returns import ReturnDocument

    from .charts import IndicatorCharts

Charts = dict[str, "IndicatorCharts"]


class UnknownFormat(SaferhubError, ValueError):
    """A format no renderer writes."""


CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def charts_for(report: PerformanceReport) -> Charts:
    """Every chart of the report, drawn once, by indicator code. Word and Excel rasterise a
    chart's SVG (``Chart.png``) when they first need it."""
    from .charts import IndicatorCharts, indicator_chart, spc_chart

    return {
        ind.code: IndicatorCharts(figures=indicator_chart(ind, report.financial_year), spc=spc_chart(ind))
        for ind in report.indicators
    }


def render_report(report: PerformanceReport, fmt: str, charts: Charts | None = None) -> bytes:
    """The report in one format. Pass ``charts`` (from ``charts_for``) to reuse drawings across
    several formats of the same report."""
    if fmt == "json":
        from .report_json import report_json

        return _json_bytes(report_json(report))
    # Each renderer imports its library (WeasyPrint, python-docx, openpyxl) only when asked for.
    renderers: dict[str, Callable[[PerformanceReport, Charts], bytes]] = {
        "html": _report_html,
        "pdf": _report_pdf,
        "docx": _report_docx,
        "xlsx": _report_xlsx,
    }
    if fmt not in renderers:
        raise UnknownFormat(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if charts is None:
        charts = charts_for(report)
    return renderers[fmt](report, charts)


def _report_html(report: PerformanceReport, charts: Charts) -> bytes:
    from .html_report import render_html

    return render_html(report, charts, standalone=True).encode("utf-8")


def _report_pdf(report: PerformanceReport, charts: Charts) -> bytes:
    from .html_report import render_pdf

    return render_pdf(report, charts)


def _report_docx(report: PerformanceReport, charts: Charts) -> bytes:
    from .docx_report import render_docx

    return render_docx(report, charts)


def _report_xlsx(report: PerformanceReport, charts: Charts) -> bytes:
    from .xlsx_report import render_xlsx

    return render_xlsx(report, charts)


def render_reports(report: PerformanceReport, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The report in several formats, its charts drawn once for all of them."""
    charts = charts_for(report)
    return {fmt: render_report(report, fmt, charts) for fmt in formats}


RETURN_FORMATS = ("json", "html", "pdf", "docx", "xlsx")
# The half-year return's downloads, as links name them (its HTML is the return's web page).
RETURN_DOWNLOADS = (("pdf", "PDF"), ("docx", "Word"), ("xlsx", "Excel"), ("json", "JSON"))
# The officers' internal summary (the checks), never part of the funder's copy.
INTERNAL_DOWNLOADS = (("internal-pdf", "Internal summary for officers (PDF, not for the funder)"),)
CONTENT_TYPES["internal-pdf"] = CONTENT_TYPES["pdf"]
CONTENT_TYPES["internal-html"] = CONTENT_TYPES["html"]


def _json_bytes(data: dict[str, Any]) -> bytes:
    import json

    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_return(
    data: ReturnDocument | Mapping[str, Any], fmt: str, attachments: Callable[[str], bytes | None] | None = None
) -> bytes:
    """The half-year return (``saferhub.commissioning.returns.build_half_year_return``) in one
    format. Stored JSON (a snapshot, a downloaded file) is read back into the typed return first.
    ``attachments`` gives an uploaded appendix's bytes by digest, for the PDF to print its pages."""
    from saferhub.domain.returns import ReturnDocument

    from .return_json import return_from_json, return_to_json

    r = data if isinstance(data, ReturnDocument) else return_from_json(data)
    if fmt == "json":
        return _json_bytes(return_to_json(r))

    # As for the report, each renderer imports its library only when asked for.
    def html(d: ReturnDocument) -> bytes:
        from .return_pdf import render_return_html

        return render_return_html(d).encode("utf-8")

    def pdf(d: ReturnDocument) -> bytes:
        from .return_pdf import render_return_pdf

        return render_return_pdf(d, attachments)

    def docx(d: ReturnDocument) -> bytes:
        from .return_docx import render_return_docx

        return render_return_docx(d)

    def xlsx(d: ReturnDocument) -> bytes:
        from .return_xlsx import render_return_xlsx

        return render_return_xlsx(d)

    def internal_html(d: ReturnDocument) -> bytes:
        from .return_pdf import render_internal_html

        return render_internal_html(d).encode("utf-8")

    def internal_pdf(d: ReturnDocument) -> bytes:
        from .return_pdf import render_internal_pdf

        return render_internal_pdf(d)

    renderers: dict[str, Callable[[ReturnDocument], bytes]] = {
        "html": html,
        "pdf": pdf,
        "docx": docx,
        "xlsx": xlsx,
        "internal-html": internal_html,
        "internal-pdf": internal_pdf,
    }
    if fmt not in renderers:
        raise UnknownFormat(f"unknown format {fmt!r}: use one of {', '.join(RETURN_FORMATS)}")
    return renderers[fmt](r)
