"""Shared text for table cells, so Word and Excel say what the web page says. The words and
figures of the report are the report's own (``saferhub.domain.report``); this module holds the
table headings and the text of a bare number."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from saferhub.domain.report import ASSURANCE_LABELS, SPC_LABELS, figure_text, is_measured

__all__ = ["ASSURANCE_LABELS", "MONTH_TABLE_HEADINGS", "SPC_LABELS", "SUMMARY_HEADINGS", "text"]

MONTH_TABLE_HEADINGS = (
    "Period",
    "This year",
    "Last year",
    "Change",
    "Cumulative",
    "Last year cumulative",
    "Target (cumulative)",
    "Gap",
)
SUMMARY_HEADINGS = (
    "Indicator",
    "Year to date",
    "Same period last year",
    "Change",
    "% change",
    "Status",
    "Variation and assurance (SPC)",
)


def text(value: Any, unit: str = "count", signed: bool = False) -> str:
    """A number as a table cell (``domain.report.figure_text``). A float is read as the decimal
    it prints as, so halves round up as a reader expects (41.25 -> 41.3); an int is whole."""
    if isinstance(value, float):
        value = Decimal(repr(value))
        if not is_measured(value):  # 1e+16: still a float's one decimal place
            value = value.quantize(Decimal("0.1"))
    elif isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if value is not None and not isinstance(value, Decimal):
        return str(value)
    return figure_text(value, unit, signed)
