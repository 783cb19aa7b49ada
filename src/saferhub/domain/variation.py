"""Signal or noise: the SPC series and the significance of the year-to-date change for one
indicator, put together from :mod:`.spc` and :mod:`.significance` for the report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, Optional

from .calendar import Month
from .figures import Observation
from .significance import Decision, Dispersion, compare_counts, decide, dispersion
from .spc import SHORT_SEGMENT, xmr

__all__ = ["spc_series", "spc_for", "significance_for"]


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
    result = xmr([v for _, v in series], polarity=polarity, target=target)
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
    decision = decide(comparison, disp)
    # The top-level rate ratio, interval and p-value stay the exact test's (the JSON's meaning
    # since schema 1); "decision" holds the figures of the test that decides the words.
    data = comparison.to_json()
    data["dispersion"] = disp.to_json() if disp else None
    data["adjusted"] = decision.adjusted.to_json() if decision.adjusted else None
    data["decision"] = decision.to_json()
    data["words"] = decision.words
    data["summary"] = _summary(data, disp, decision)
    return data


def _interval(ci: list[Any]) -> str:
    low, high = ci
    return f"{low:.2f} to {high:.2f}" if low is not None and high is not None else "not bounded above"


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _summary(data: dict[str, Any], disp: Dispersion | None, decision: Decision) -> str:
    """The verdict first, with the figures of the test that decides it; the plain exact test
    after it as secondary detail when the adjusted test decides."""
    d = data["decision"]
    if d["test"] is None:
        return "No comparison with last year can be tested: there were no counts."
    rr = d["rate_ratio"]
    ratio = "not bounded" if rr is None else f"{rr:.2f}"
    if d["test"] == "adjusted" and disp is not None and disp.index is not None:
        text = (
            f"The change is {decision.words}: rate ratio {ratio}, 95% interval {_interval(d['ci95'])}, "
            f"{_p(d['p_value'])}, from the test adjusted for over-dispersion (monthly counts vary "
            f"{disp.index:.1f} times as much as chance alone would make them)."
        )
        text += (
            f" Without that adjustment the exact Poisson test would give 95% interval "
            f"{_interval(data['ci95'])}, {_p(data['p_value'])}, which overstates the evidence."
        )
        return text
    return (
        f"The change is {decision.words}: rate ratio {ratio}, 95% interval {_interval(d['ci95'])}, "
        f"{_p(d['p_value'])} (exact Poisson test)."
    )
