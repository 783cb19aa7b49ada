"""Shared text for table cells, so Word and Excel say what the web page says."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from saferhub.domain.calendar import MONTH_NAMES, parse_period

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
    words = SPC_LABELS.get(spc.get("variation_icon") or "", "–")
    if spc.get("assurance") in ASSURANCE_LABELS:
        words += "; " + ASSURANCE_LABELS[spc["assurance"]].lower()
    return words


def month_row_text(p: dict[str, Any], unit: str) -> list[str]:
    value = "missing" if p["due"] and p["value"] is None else text(p["value"], unit)
    return [
        parse_period(p["period"]).short_name,
        value,
        text(p["previous"], unit),
        text(p["change"], unit, signed=True),
        text(p["cumulative"], unit),
        text(p["previous_cumulative"], unit),
        text(p["target_cumulative"], unit),
        text(p["gap"], unit, signed=True),
    ]


def summary_row_text(ind: dict[str, Any]) -> list[str]:
    ytd = ind["ytd"]
    pct = f"{text(ytd['change_pct'], 'count', signed=True)}%" if ytd["change_pct"] is not None else "–"
    spc = spc_text(ind.get("spc"))
    if ind.get("spc_reading"):
        spc += f" ({ind['spc_reading'][0].lower()}{ind['spc_reading'][1:]})"
    return [
        ind["title"],
        text(ytd["value"], ind["unit"]),
        text(ytd["previous"], ind["unit"]),
        text(ytd["change"], ind["unit"], signed=True),
        pct,
        ind["status_label"],
        spc,
    ]


# --- SPC figures and the sources note, written once for the PDF, the web page and Word --------


def spc_figure(value: Any, unit: str = "count") -> str:
    """An SPC mean or limit, formatted as every other figure: one decimal place (a mean of
    counts is seldom whole), thousands separators, a percent sign for rates."""
    if value is None:
        return "–"
    if unit == "percentage":
        return f"{one_place(value):.1f}%"
    return f"{one_place(value):,.1f}"


def spc_limits(segment: dict[str, Any], unit: str = "count") -> str:
    """ "1,263.1 to 1,756.2"; a lower limit below zero for a count or a rate (which cannot fall
    below zero) is "no lower limit", an upper limit above 100% for a rate "no upper limit"."""
    lpl, upl = segment.get("lpl"), segment.get("upl")
    if lpl is None or upl is None:
        return "–"
    low = None if lpl < 0 else spc_figure(lpl, unit)
    high = None if unit == "percentage" and upl > 100 else spc_figure(upl, unit)
    if low is None and high is None:
        return "no lower or upper limit"
    if low is None:
        return f"up to {high} (no lower limit)"
    if high is None:
        return f"from {low} (no upper limit)"
    return f"{low} to {high}"


def spc_limit(value: Any, unit: str, which: str) -> str:
    """One limit in its own table cell: "no lower limit" / "no upper limit" where it cannot bind."""
    if value is None:
        return "–"
    if which == "lower" and value < 0:
        return "no lower limit"
    if which == "upper" and unit == "percentage" and value > 100:
        return "no upper limit"
    return spc_figure(value, unit)


def long_date(iso: str | None) -> str:
    """ "2017-01-16" -> "16 January 2017"."""
    if not iso:
        return "date not recorded"
    year, month, day = (int(x) for x in iso[:10].split("-"))
    return f"{day} {MONTH_NAMES[month - 1]} {year}"


def dataset_line(dataset: dict[str, Any]) -> str:
    """One dataset of the sources note: what it is, whose, when received and what it feeds."""
    return (
        f"{dataset['name']} from {dataset['owner']}, received {long_date(dataset.get('received'))}: "
        f"{'; '.join(dataset.get('indicators') or [])}."
    )


def run_line(source: dict[str, Any]) -> str:
    """One import run, by file name only (never a server path)."""
    n = source.get("files") or 0
    names = [f["name"].replace("\\", "/").rsplit("/", 1)[-1] for f in source.get("file_list") or []]
    files = f"{n:,} file{'s' if n != 1 else ''}"
    if names and len(names) <= 3:
        files += f" ({', '.join(names)})"
    text_ = f"Import {source.get('run')} ({source.get('kind')}) on {long_date(source.get('imported_at'))}: {files}, {source.get('rows_read') or 0:,} rows"
    if source.get("rows_without_location"):
        text_ += f", {source['rows_without_location']:,} without a location"
    if source.get("rows_outside_area"):
        text_ += f", {source['rows_outside_area']:,} outside the area"
    return text_ + "."
