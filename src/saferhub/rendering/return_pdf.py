"""The half-year return as HTML and PDF (WeasyPrint), in the funder's layout."""

from __future__ import annotations

from typing import Any, cast

from django.template.loader import render_to_string

from .return_common import KPI_HEADINGS, present


def render_return_html(data: dict[str, Any]) -> str:
    return cast(
        str, render_to_string("rendering/return_halfyear.html", {"r": present(data), "kpi_headings": KPI_HEADINGS})
    )


def render_return_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return cast(bytes, HTML(string=render_return_html(data), base_url=".").write_pdf())


def render_internal_html(data: dict[str, Any]) -> str:
    """The officers' internal summary of a return: its checks (overspends, a late return), which
    never go on the funder's copy."""
    return cast(str, render_to_string("rendering/return_internal.html", {"r": present(data)}))


def render_internal_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return cast(bytes, HTML(string=render_internal_html(data), base_url=".").write_pdf())
