"""Signal or noise: the SPC series and the significance of the year-to-date change for one
indicator, put together from :mod:`.spc` and :mod:`.significance` as the report's typed values
(:class:`.report.Spc`, :class:`.report.Significance`).

The computed floats are carried as their exact decimal copies (``report.real``), so that the
report's JSON gives back the very numbers computed; a ratio or interval bound without a finite
value (a count from zero) is no figure.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Mapping, Optional

from .calendar import Month
from .figures import Observation
from .indicators import Unit
from .report import Adjusted, Decision, Dispersion, Significance, Spc, SpcPoint, SpcSegment, real
from .significance import AdjustedTest, compare_counts, decide, dispersion
from .significance import Decision as Verdict
from .significance import Dispersion as MonthlyDispersion
from .spc import SHORT_SEGMENT, xmr

__all__ = ["spc_series", "spc_for", "significance_for"]

DISPERSION_METHOD = "index of dispersion (variance/mean) against chi-square with n-1 df, upper tail"


def spc_series(
    observations: Mapping[str, Observation], report_month: Month, unit: Unit | str
) -> list[tuple[str, float]]:
    """The monthly values held up to the report month: the latest unbroken run of months
    (a missing month would make a false moving range)."""
    series: list[tuple[str, float]] = []
    month = report_month
    while True:
        obs = observations.get(month.label)
        level = None if obs is None else (obs.percentage() if unit == Unit.PERCENTAGE else obs.value)
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


def spc_for(
    series: list[tuple[str, float]], polarity: str, target: Optional[float] = None, unit: Unit | str = Unit.COUNT
) -> Optional[Spc]:
    """The XmR chart of the series, its points and segments labelled with their months."""
    if len(series) < 2:
        return None
    result = xmr([v for _, v in series], polarity=polarity, target=target)
    month = [Month.parse(label) for label, _ in series]
    return Spc(
        segments=tuple(
            SpcSegment(
                start=s.start,
                end=s.end,
                mean=Decimal(repr(float(s.mean))),
                lpl=real(s.lpl),
                upl=real(s.upl),
                lower_2sigma=real(s.lower_2sigma),
                upper_2sigma=real(s.upper_2sigma),
                start_period=month[s.start],
                end_period=month[s.end],
                trial_limits=s.end - s.start + 1 < SHORT_SEGMENT,
                unit=Unit(unit),
            )
            for s in result.segments
        ),
        points=tuple(
            SpcPoint(
                i=p.i,
                value=Decimal(repr(float(p.value))),
                special_cause=p.special_cause,
                rules=tuple(p.rules),
                point_type=p.point_type,
                period=month[p.i],
            )
            for p in result.points
        ),
        variation_icon=result.variation_icon,
        assurance=result.assurance,
        target=real(target),
    )


def _real(value: float | None) -> Optional[Decimal]:
    """A computed value as the report holds it: None for no value or no finite one."""
    return None if value is None or not math.isfinite(value) else real(float(value))


def _pair(ci: tuple[float | None, float | None]) -> tuple[Optional[Decimal], Optional[Decimal]]:
    return _real(ci[0]), _real(ci[1])


def significance_for(previous: Decimal, current: Decimal, monthly_counts: list[float]) -> Optional[Significance]:
    """The exact Poisson test of the year-to-date counts, tempered by the monthly counts'
    over-dispersion, with its words for the commentary."""
    if previous != previous.to_integral_value() or current != current.to_integral_value():
        return None
    comparison = compare_counts(int(previous), int(current))
    disp = dispersion([int(c) for c in monthly_counts]) if len(monthly_counts) >= 3 else None
    decision = decide(comparison, disp)
    # The top-level rate ratio, interval and p-value stay the exact test's (the JSON's meaning
    # since schema 1); "decision" holds the figures of the test that decides the words.
    decided = _decision(decision)
    exact_ci = _pair(comparison.ci95)
    return Significance(
        previous=comparison.previous,
        current=comparison.current,
        exposure_previous=Decimal(repr(float(comparison.exposure_previous))),
        exposure_current=Decimal(repr(float(comparison.exposure_current))),
        rate_ratio=_real(comparison.rate_ratio),
        p_value=Decimal(repr(float(comparison.p_value))),
        ci95=exact_ci,
        expected_current=Decimal(repr(float(comparison.expected_current))),
        significant=bool(comparison.significant),
        method=comparison.method,
        dispersion=_dispersion(disp) if disp else None,
        adjusted=_adjusted(decision.adjusted) if decision.adjusted else None,
        decision=decided,
        words=decision.words,
        summary=_summary(decided, exact_ci, comparison.p_value, disp, decision),
    )


def _dispersion(d: MonthlyDispersion) -> Dispersion:
    return Dispersion(
        n=d.n,
        mean=_real(d.mean),
        variance=_real(d.variance),
        index=_real(d.index),
        chi_square=_real(d.chi_square),
        df=d.df,
        p_value=_real(d.p_value),
        overdispersed=bool(d.overdispersed),
        method=DISPERSION_METHOD,
    )


def _adjusted(a: AdjustedTest) -> Adjusted:
    return Adjusted(
        phi=Decimal(repr(float(a.phi))),
        rate_ratio=_real(a.rate_ratio),
        p_value=Decimal(repr(float(a.p_value))),
        ci95=_pair(a.ci95),
        method=a.method,
    )


def _decision(d: Verdict) -> Decision:
    return Decision(
        words=d.words,
        test=d.test,
        rate_ratio=_real(d.rate_ratio),
        p_value=_real(d.p_value),
        ci95=_pair(d.ci95),
        significant=bool(d.significant),
    )


def _interval(ci: tuple[Optional[Decimal], Optional[Decimal]]) -> str:
    low, high = ci
    return f"{float(low):.2f} to {float(high):.2f}" if low is not None and high is not None else "not bounded above"


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _summary(
    d: Decision,
    exact_ci: tuple[Optional[Decimal], Optional[Decimal]],
    exact_p: float,
    disp: MonthlyDispersion | None,
    decision: Verdict,
) -> str:
    """The verdict first, with the figures of the test that decides it; the plain exact test
    after it as secondary detail when the adjusted test decides. (The figures are printed from
    the floats computed: ``float`` of each exact decimal copy is that float.)"""
    if d.test is None:
        return "No comparison with last year can be tested: there were no counts."
    assert d.p_value is not None
    ratio = "not bounded" if d.rate_ratio is None else f"{float(d.rate_ratio):.2f}"
    if d.test == "adjusted" and disp is not None and disp.index is not None:
        text = (
            f"The change is {decision.words}: rate ratio {ratio}, 95% interval {_interval(d.ci95)}, "
            f"{_p(float(d.p_value))}, from the test adjusted for over-dispersion (monthly counts vary "
            f"{disp.index:.1f} times as much as chance alone would make them)."
        )
        text += (
            f" Without that adjustment the exact Poisson test would give 95% interval "
            f"{_interval(exact_ci)}, {_p(exact_p)}, which overstates the evidence."
        )
        return text
    return (
        f"The change is {decision.words}: rate ratio {ratio}, 95% interval {_interval(d.ci95)}, "
        f"{_p(float(d.p_value))} (exact Poisson test)."
    )
