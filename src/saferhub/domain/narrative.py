"""Commentary in the plain style of a board performance report, generated from the figures.

Every direction word ("more", "fewer", "increase", "reduction", "above", "below") is chosen
from the sign of the number it describes, so the words cannot disagree with the table.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from .calendar import MONTH_NAMES, Month, Period, parse_period
from .figures import IndicatorFigures

__all__ = ["commentary", "format_count", "format_percent", "period_span", "list_periods"]


def format_count(value: Decimal | int) -> str:
    """7170 -> "7,170"; non-integral values keep one decimal place."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"


def format_percent(value: Decimal, places: int = 1) -> str:
    q = Decimal(1).scaleb(-places) if places else Decimal(1)
    return f"{Decimal(value).quantize(q, rounding=ROUND_HALF_UP)}%"


def _whole_percent(pct: Decimal) -> str:
    """Percent for prose: whole numbers, and never "0%" for a real change."""
    rounded = abs(pct).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if rounded == 0:
        return "less than 1%"
    return f"{rounded}%"


def period_span(to_period: str) -> str:
    """"Between April and the end of November 2016" / "In April 2016"."""
    p = parse_period(to_period)
    last = p.last_month
    if isinstance(p, Month) and p.month == 4:
        return f"In {p.name}"
    if last.month == 4:
        return f"In {last.name}"
    return f"Between April and the end of {last.name}"


def _month_or_quarter_name(p: Period) -> str:
    return p.name


def list_periods(labels: list[str]) -> str:
    """"October and November 2016"; quarters and months of different years keep their years."""
    periods = [parse_period(label) for label in labels]
    if periods and all(isinstance(p, Month) for p in periods) and len({p.year for p in periods}) == 1:  # type: ignore[union-attr]
        names = [MONTH_NAMES[p.month - 1] for p in periods]  # type: ignore[union-attr]
        names[-1] = f"{names[-1]} {periods[-1].year}"  # type: ignore[union-attr]
    else:
        names = [_month_or_quarter_name(p) for p in periods]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _have_been(n: Decimal) -> str:
    return "has been" if n == 1 else "have been"


def commentary(
    figures: IndicatorFigures,
    *,
    noun: str,
    unit: str,
    report_month: Month,
    change_words: Optional[str] = None,
) -> str:
    """The generated paragraph for one indicator. ``change_words`` is the verdict of the
    significance test ("within normal variation", "a significant increase" ...)."""
    ytd = figures.ytd
    fy = figures.financial_year
    previous_fy = f"{int(fy[:4]) - 1}/{fy[2:4]}"
    sentences: list[str] = []
    if ytd.to_period is None:
        if any(r.value is not None for r in figures.periods):
            sentences.append(f"No year-to-date figure for {noun} can be given, because the first periods of {fy} are missing.")
        else:
            sentences.append(f"No figures for {noun} have been received for {fy} so far.")
    elif unit == "percentage":
        sentences.extend(_rate_sentences(figures, noun, previous_fy))
    else:
        sentences.extend(_count_sentences(figures, noun, previous_fy, change_words))
    if figures.missing_periods:
        sentences.append(_missing_sentence(figures))
    return " ".join(sentences)


def _count_sentences(figures: IndicatorFigures, noun: str, previous_fy: str, change_words: Optional[str] = None) -> list[str]:
    ytd = figures.ytd
    assert ytd.value is not None and ytd.to_period is not None
    span = period_span(ytd.to_period)
    first = f"{span} there {_have_been(ytd.value)} {format_count(ytd.value)} {noun} recorded"
    if ytd.previous is None or ytd.change is None:
        out = [first + ".", f"There are no figures for the same period of {previous_fy} to compare with."]
    elif ytd.change == 0:
        out = [first + f", the same number as in the same period of {previous_fy}."]
    else:
        more = "more" if ytd.change > 0 else "fewer"
        clause = f", {format_count(abs(ytd.change))} {more} than in the same period of {previous_fy}"
        if ytd.change_pct is None:
            clause += f" (when there were none)"
        else:
            word = "an increase" if ytd.change > 0 else "a reduction"
            significant = change_words in ("a significant increase", "a significant reduction")
            if significant:
                # The test's verdict and the sign always agree: both come from the same counts.
                word = "a significant increase" if ytd.change > 0 else "a significant reduction"
            clause += f", {word} of {_whole_percent(ytd.change_pct)}"
            if change_words == "within normal variation":
                clause += ", within normal variation"
        out = [first + clause + "."]
    out.extend(_target_sentence(ytd.gap, ytd.target, ytd.to_period, is_rate=False))
    return out


def _rate_sentences(figures: IndicatorFigures, noun: str, previous_fy: str) -> list[str]:
    ytd = figures.ytd
    assert ytd.to_period is not None
    if ytd.value is None:
        # Percentages without numerators and denominators cannot be pooled into a cumulative.
        latest = next(r for r in figures.periods if r.period == ytd.to_period)
        assert latest.value is not None
        when = parse_period(ytd.to_period).name
        return [
            f"The {noun} for {when} was {format_percent(latest.value)}.",
            "A year-to-date rate cannot be given because only percentages, not numerators "
            "and denominators, were supplied, so the months cannot be pooled.",
        ]
    span = period_span(ytd.to_period)
    counts = ""
    if ytd.numerator is not None and ytd.denominator is not None:
        counts = f" ({format_count(ytd.numerator)} of {format_count(ytd.denominator)})"
    first = f"{span} the {noun} was {format_percent(ytd.value)}{counts}"
    if ytd.previous is None or ytd.change is None:
        out = [first + ".", f"There are no figures for the same period of {previous_fy} to compare with."]
    else:
        points = ytd.change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if points == 0:
            out = [first + f", the same as in the same period of {previous_fy} ({format_percent(ytd.previous)})."]
        else:
            word = "higher" if points > 0 else "lower"
            out = [
                first + f", {abs(points)} percentage points {word} than in the same period of "
                f"{previous_fy} ({format_percent(ytd.previous)})."
            ]
    out.extend(_target_sentence(ytd.gap, ytd.target, ytd.to_period, is_rate=True))
    return out


def _target_sentence(gap: Optional[Decimal], target: Optional[Decimal], to_period: str, *, is_rate: bool) -> list[str]:
    if gap is None or target is None:
        return []
    when = parse_period(to_period).last_month.name
    shown = format_percent(target) if is_rate else format_count(target)
    if is_rate:
        points = abs(gap).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if points == 0:
            return [f"This is in line with the target of {shown}."]
        side = "above" if gap > 0 else "below"
        return [f"This is {points} percentage points {side} the target of {shown}."]
    if gap == 0:
        return [f"This is exactly the cumulative target of {shown} for the end of {when}."]
    side = "above" if gap > 0 else "below"
    return [f"This is {format_count(abs(gap))} {side} the cumulative target of {shown} for the end of {when}."]


def _missing_sentence(figures: IndicatorFigures) -> str:
    missing = figures.missing_periods
    noun = "figure has" if len(missing) == 1 else "figures have"
    sentence = f"No {noun} been received for {list_periods(missing)}"
    to = figures.ytd.to_period
    if to is not None:
        sentence += f", so the year to date runs to the end of {parse_period(to).last_month.name}"
    return sentence + "."


def month_name(month: int) -> str:
    return MONTH_NAMES[month - 1]
