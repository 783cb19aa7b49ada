"""Indicator arithmetic for one reporting period: months (or quarters) of this financial year
against last, cumulative year to date, targets and gaps.

Conventions that make the seed report's errors impossible:

* ``change = this year - last year``, everywhere. A positive change is always "more".
* A cumulative is computed as the running sum of the periods, never typed in. A gap in the
  periods stops the cumulative (``None``) rather than silently treating the month as zero.
* A period after the reporting period has no value and no change: there is nothing to
  carry over from last year into this year's columns.
* Rates are pooled from numerators and denominators. Percentages alone cannot be pooled,
  so their cumulative is ``None`` and a note says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping, Optional

from .calendar import Month, Period
from .indicators import Frequency, TargetKind, Unit
from .problems import SaferhubError

__all__ = [
    "Observation",
    "PeriodFigures",
    "YearToDate",
    "IndicatorFigures",
    "compute_figures",
    "due_periods",
    "TARGET_KINDS",
    "FigureError",
]

TARGET_KINDS = tuple(TargetKind)


class FigureError(SaferhubError, ValueError):
    """An indicator's unit or target kind that the figures do not know."""


HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Observation:
    """One period's figure. A count has ``value``; a rate has ``numerator`` and ``denominator``
    (and ``value`` as the percentage), or only ``value`` when the partner supplied a percentage."""

    value: Optional[Decimal] = None
    numerator: Optional[Decimal] = None
    denominator: Optional[Decimal] = None

    @property
    def poolable(self) -> bool:
        return self.numerator is not None and self.denominator is not None and self.denominator != 0

    def percentage(self) -> Optional[Decimal]:
        if self.poolable:
            assert self.numerator is not None and self.denominator is not None
            return self.numerator * HUNDRED / self.denominator
        return self.value


@dataclass
class PeriodFigures:
    period: str
    value: Optional[Decimal]
    previous: Optional[Decimal]
    change: Optional[Decimal]
    cumulative: Optional[Decimal]
    previous_cumulative: Optional[Decimal]
    target: Optional[Decimal]
    target_cumulative: Optional[Decimal]
    gap: Optional[Decimal]
    due: bool
    numerator: Optional[Decimal] = None
    denominator: Optional[Decimal] = None


@dataclass
class YearToDate:
    value: Optional[Decimal]
    previous: Optional[Decimal]
    change: Optional[Decimal]
    change_pct: Optional[Decimal]
    to_period: Optional[str]
    target: Optional[Decimal] = None
    gap: Optional[Decimal] = None
    numerator: Optional[Decimal] = None
    denominator: Optional[Decimal] = None
    previous_numerator: Optional[Decimal] = None
    previous_denominator: Optional[Decimal] = None


@dataclass
class IndicatorFigures:
    financial_year: str
    periods: list[PeriodFigures]
    ytd: YearToDate
    missing_periods: list[str]
    notes: list[str] = field(default_factory=list)
    pooled: bool = True


def due_periods(frequency: Frequency | str, report_month: Month) -> list[Period]:
    """The periods of the report month's financial year that should have figures by then.

    A quarter is due once its last month has been reached: in November, Q1 and Q2 are due."""
    fy = report_month.financial_year
    return [p for p in fy.periods(frequency) if p.last_month <= report_month]


def _running(values: list[Optional[Decimal]]) -> list[Optional[Decimal]]:
    out: list[Optional[Decimal]] = []
    total: Optional[Decimal] = Decimal(0)
    for v in values:
        total = None if total is None or v is None else total + v
        out.append(total)
    return out


def _pooled_running(obs: list[Optional[Observation]]) -> list[tuple[Optional[Decimal], Optional[Decimal]]]:
    out: list[tuple[Optional[Decimal], Optional[Decimal]]] = []
    num: Optional[Decimal] = Decimal(0)
    den: Optional[Decimal] = Decimal(0)
    for o in obs:
        if o is None or not o.poolable or num is None or den is None:
            num = den = None
        else:
            assert o.numerator is not None and o.denominator is not None
            num, den = num + o.numerator, den + o.denominator
        out.append((num, den))
    return out


def _rate(num: Optional[Decimal], den: Optional[Decimal]) -> Optional[Decimal]:
    if num is None or den is None or den == 0:
        return None
    return num * HUNDRED / den


def _sub(a: Optional[Decimal], b: Optional[Decimal]) -> Optional[Decimal]:
    return None if a is None or b is None else a - b


def percent_change(current: Decimal, previous: Decimal) -> Optional[Decimal]:
    """Percentage change to one decimal place, half away from zero; ``None`` from zero."""
    if previous == 0:
        return None
    return ((current - previous) * HUNDRED / previous).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def compute_figures(
    *,
    frequency: Frequency | str,
    unit: Unit | str,
    report_month: Month,
    observations: Mapping[str, Observation],
    targets: Mapping[str, Decimal] | None = None,
    target_kind: TargetKind | str = TargetKind.CUMULATIVE,
) -> IndicatorFigures:
    """Figures for one indicator in the financial year of ``report_month``.

    ``observations`` maps period labels (of any year) to figures; periods absent from it are
    missing, never zero. ``targets`` maps this year's period labels to targets: running
    totals when ``target_kind`` is "cumulative", per-period levels when "flat" (a flat count
    target accumulates; a flat rate target is a level for the pooled rate).
    """
    if unit not in tuple(Unit):
        raise FigureError(f"unknown unit {unit!r}")
    if target_kind not in TARGET_KINDS:
        raise FigureError(f"unknown target kind {target_kind!r}")
    targets = targets or {}
    fy = report_month.financial_year
    periods = fy.periods(frequency)
    due = {p.label for p in due_periods(frequency, report_month)}
    this_obs = [observations.get(p.label) if p.label in due else None for p in periods]
    last_obs = [observations.get(p.same_period_last_year().label) for p in periods]
    is_rate = unit == Unit.PERCENTAGE

    def level(o: Optional[Observation]) -> Optional[Decimal]:
        if o is None:
            return None
        return o.percentage() if is_rate else o.value

    values = [level(o) for o in this_obs]
    previous = [level(o) for o in last_obs]
    if is_rate:
        pooled_this = _pooled_running(this_obs)
        pooled_last = _pooled_running(last_obs)
        cumulative = [_rate(n, d) for n, d in pooled_this]
        previous_cumulative = [_rate(n, d) for n, d in pooled_last]
    else:
        cumulative = _running(values)
        previous_cumulative = _running(previous)

    target_levels = [targets.get(p.label) for p in periods]
    if target_kind == TargetKind.CUMULATIVE or is_rate:
        target_cumulative = target_levels
    else:
        target_cumulative = _running(target_levels)

    rows: list[PeriodFigures] = []
    for i, p in enumerate(periods):
        is_due = p.label in due
        cum = cumulative[i] if is_due else None
        obs = this_obs[i]
        rows.append(
            PeriodFigures(
                period=p.label,
                value=values[i],
                previous=previous[i],
                change=_sub(values[i], previous[i]),
                cumulative=cum,
                previous_cumulative=previous_cumulative[i],
                target=target_levels[i],
                target_cumulative=target_cumulative[i],
                gap=_sub(cum, target_cumulative[i]),
                due=is_due,
                numerator=obs.numerator if obs else None,
                denominator=obs.denominator if obs else None,
            )
        )

    missing = [r.period for r in rows if r.due and r.value is None]
    notes: list[str] = []
    pooled = True
    if is_rate and any(o is not None and not o.poolable for o in this_obs):
        pooled = False
        notes.append(
            "The cumulative rate cannot be pooled: only percentages were supplied, not numerators and denominators."
        )
    ytd = _year_to_date(rows, is_rate, pooled_this if is_rate else None, pooled_last if is_rate else None)
    return IndicatorFigures(
        financial_year=fy.label, periods=rows, ytd=ytd, missing_periods=missing, notes=notes, pooled=pooled
    )


Pooled = list[tuple[Optional[Decimal], Optional[Decimal]]]


def _year_to_date(
    rows: list[PeriodFigures], is_rate: bool, pooled_this: Pooled | None, pooled_last: Pooled | None
) -> YearToDate:
    # The year to date runs to the last period reached without a gap: a later figure after a
    # missing month cannot make a true cumulative.
    last = None
    for i, r in enumerate(rows):
        if not r.due or r.value is None:
            break
        last = i
    if last is None:
        return YearToDate(None, None, None, None, None)
    r = rows[last]
    value, prev = r.cumulative, r.previous_cumulative
    change = _sub(value, prev)
    pct = None
    if not is_rate and value is not None and prev is not None:
        pct = percent_change(value, prev)
    ytd = YearToDate(
        value=value,
        previous=prev,
        change=change,
        change_pct=pct,
        to_period=r.period,
        target=r.target_cumulative,
        gap=_sub(value, r.target_cumulative),
    )
    if is_rate and pooled_this is not None and pooled_last is not None:
        ytd.numerator, ytd.denominator = pooled_this[last]
        ytd.previous_numerator, ytd.previous_denominator = pooled_last[last]
    return ytd
