"""Shared text for table cells, so Word and Excel say what the web page says."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from saferhub.domain.calendar import parse_period

MONTH_TABLE_HEADINGS = ("Period", "This year", "Last year", "Change", "Cumulative", "Last year cumulative", "Target (cumulative)", "Gap")
SUMMARY_HEADINGS = ("Indicator", "Year to date", "Same period last year", "Change", "% change", "Status", "Variation and assurance (SPC)")

SPC_LABELS = {
    "common_cause": "Common cause variation",
    "improvement_high": "Special cause: improvement (high)",
    "improvement_low": "Special cause: improvement (low)",
    "concern_high": "Special cause: concern (high)",
    "concern_low": "Special cause: concern (low)",
    "neutral_high": "Special cause: neither (high)",
    "neutral_low": "Special cause: neither (low)",
}
ASSURANCE_LABELS = {
    "consistent_pass": "Consistently passes the target",
    "consistent_fail": "Consistently fails the target",
    "inconsistent": "May pass or fail the target",
}


def one_place(value: Any) -> Decimal:
    """A figure to one decimal place, halves rounded up as a reader expects (41.25 -> 41.3);
    a float's own formatting would round the binary value, often down."""
    return Decimal(repr(value) if isinstance(value, float) else value).quantize(Decimal("0.1"), ROUND_HALF_UP)


def text(value: Any, unit: str = "count", signed: bool = False) -> str:
    if value is None:
        return "–"
    sign = "+" if signed and value > 0 else ""
    if unit == "percentage":
        return f"{sign}{one_place(value):.1f}" + (" pts" if signed else "%")
    if isinstance(value, float):
        return f"{sign}{one_place(value):,.1f}"
    return f"{sign}{value:,}"


def has_target(ind: dict[str, Any]) -> bool:
    """Whether any period of the indicator has a (cumulative) target: target columns and lines show only then."""
    return any(p["target_cumulative"] is not None for p in ind["periods"])


def spc_text(spc: dict[str, Any] | None) -> str:
    """The variation in words, and the assurance against the target where there is one."""
    if not spc:
        return "–"
    words = SPC_LABELS.get(spc.get("variation_icon"), "–")
    if spc.get("assurance") in ASSURANCE_LABELS:
        words += "; " + ASSURANCE_LABELS[spc["assurance"]].lower()
    return words


def month_row_values(p: dict[str, Any]) -> list[Any]:
    """Numbers for a spreadsheet (None stays empty)."""
    return [p["value"], p["previous"], p["change"], p["cumulative"], p["previous_cumulative"], p["target_cumulative"], p["gap"]]


def month_row_text(p: dict[str, Any], unit: str) -> list[str]:
    value = "missing" if p["due"] and p["value"] is None else text(p["value"], unit)
    return [
        parse_period(p["period"]).short_name, value, text(p["previous"], unit), text(p["change"], unit, signed=True),
        text(p["cumulative"], unit), text(p["previous_cumulative"], unit), text(p["target_cumulative"], unit),
        text(p["gap"], unit, signed=True),
    ]


def summary_row_text(ind: dict[str, Any]) -> list[str]:
    ytd = ind["ytd"]
    pct = f"{text(ytd['change_pct'], 'count', signed=True)}%" if ytd["change_pct"] is not None else "–"
    spc = spc_text(ind.get("spc"))
    if ind.get("spc_reading"):
        spc += f" ({ind['spc_reading'][0].lower()}{ind['spc_reading'][1:]})"
    return [ind["title"], text(ytd["value"], ind["unit"]), text(ytd["previous"], ind["unit"]),
            text(ytd["change"], ind["unit"], signed=True), pct, ind["status_label"], spc]
