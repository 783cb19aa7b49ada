"""Signal or noise: the SPC series and the significance of the year-to-date change for one
indicator, put together from :mod:`.spc` and :mod:`.significance` for the report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, Optional

from .calendar import Month
from .figures import Observation
from .significance import compare_counts, describe_change, dispersion
from .spc import SHORT_SEGMENT, xmr

__all__ = ["spc_series", "spc_for", "significance_for"]

SPC_POLARITY = {"lower_is_better": "lower_is_better", "higher_is_better": "higher_is_better", "monitor_only": "neutral"}


def spc_series(observations: Mapping[str, Observation], report_month: Month, unit: str) -> list[tuple[str, float]]:
    """The monthly values held up to the report month: the latest unbroken run of months
    (a missing month would make a false moving range)."""
    series: list[tuple[str, float]] = []
    month = report_month
    while True:
        obs = observations.get(month.label)
        level = None if obs is None else (obs.percentage() if unit == "percentage" else obs.value)
        if level is None:
            if series:
                break
            if month < report_month.shift(-3):
                return []  # nothing recent: no chart
        else:
            series.append((month.label, float(level)))
        month = month.shift(-1)
        if month.year < 1990:
            break
    series.reverse()
    return series


def spc_for(series: list[tuple[str, float]], polarity: str, target: Optional[float] = None) -> Optional[dict[str, Any]]:
    if len(series) < 2:
        return None
    result = xmr([v for _, v in series], polarity=SPC_POLARITY.get(polarity, "neutral"), target=target)
    data = result.to_json()
    for point in data["points"]:
        point["period"] = series[point["i"]][0]
    for seg in data["segments"]:
        seg["start_period"] = series[seg["start"]][0]
        seg["end_period"] = series[seg["end"]][0]
        seg["trial_limits"] = seg["end"] - seg["start"] + 1 < SHORT_SEGMENT
    data["target"] = target
    return data


def significance_for(previous: Decimal, current: Decimal, monthly_counts: list[float]) -> Optional[dict[str, Any]]:
    """The exact Poisson test of the year-to-date counts, tempered by the monthly counts'
    over-dispersion, with its words for the commentary."""
    if previous != previous.to_integral_value() or current != current.to_integral_value():
        return None
    comparison = compare_counts(int(previous), int(current))
    disp = dispersion([int(c) for c in monthly_counts]) if len(monthly_counts) >= 3 else None
    words = describe_change(comparison, disp)
    data = comparison.to_json()
    data["dispersion"] = disp.to_json() if disp else None
    data["words"] = words
    data["summary"] = _summary(data, disp, words)
    return data


def _summary(data: dict[str, Any], disp, words: str) -> str:
    rr, (low, high), p = data["rate_ratio"], data["ci95"], data["p_value"]
    if rr is None:
        return "No comparison with last year can be tested: there were no counts."
    interval = f"{low:.2f} to {high:.2f}" if low is not None and high is not None else "not bounded"
    text = f"Rate ratio {rr:.2f} (95% interval {interval}), exact Poisson test p = {p:.3g}."
    if disp is not None and disp.overdispersed and disp.index is not None:
        text += (f" Monthly counts vary {disp.index:.1f} times as much as chance alone would make them, "
                 "so the test is adjusted for that over-dispersion.")
    return text + f" The change is {words}."
