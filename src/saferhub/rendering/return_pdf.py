"""The half-year return as HTML and PDF (WeasyPrint), in the funder's layout."""

from __future__ import annotations

from typing import cast

from django.template.loader import render_to_string

from saferhub.domain.returns import KPI_HEADINGS, ReturnDocument


def render_return_html(r: ReturnDocument) -> str:
    return cast(str, render_to_string("rendering/return_halfyear.html", {"r": r, "kpi_headings": KPI_HEADINGS}))


def render_return_pdf(r: ReturnDocument) -> bytes:
    from weasyprint import HTML

    return cast(bytes, HTML(string=render_return_html(r), base_url=".").write_pdf())


def render_internal_html(r: ReturnDocument) -> str:
    """The officers' internal summary of a return: its checks (overspends, a late return), which
    never go on the funder's copy."""
    return cast(str, render_to_string("rendering/return_internal.html", {"r": r}))


def render_internal_pdf(r: ReturnDocument) -> bytes:
    from weasyprint import HTML

    return cast(bytes, HTML(string=render_internal_html(r), base_url=".").write_pdf())
