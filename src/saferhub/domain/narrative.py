"""Commentary in the plain style of a board performance report, generated from the figures.

Every direction word ("more", "fewer", "increase", "reduction", "above", "below") is chosen
from the sign of the number it describes, so the words cannot disagree with the table.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from .calendar import MONTH_NAMES, Month, Period, parse_period
from .figures import IndicatorFigures
from .indicators import Unit
from .report import Spc

__all__ = [
    "commentary",
    "format_count",
    "format_percent",
    "period_span",
    "list_periods",
    "spc_reconciliation",
    "spc_reading",
]

SIGNIFICANT = ("a significant increase", "a significant reduction")


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
    """ "Between April and the end of November 2016" / "In April 2016"."""
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
    """ "October and November 2016"; quarters and months of different years keep their years."""
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
    unit: Unit,
    report_month: Month,
    change_words: Optional[str] = None,
    spc: Optional[Spc] = None,
) -> str:
    """The generated paragraph for one indicator. ``change_words`` is the verdict of the
    significance test ("within normal variation", "a significant increase" ...); ``spc`` the
    indicator's XmR chart (``report.Spc``), whose signal the paragraph reconciles with that verdict."""
    ytd = figures.ytd
    fy = figures.financial_year
    previous_fy = f"{int(fy[:4]) - 1}/{fy[2:4]}"
    sentences: list[str] = []
    if ytd.to_period is None:
        if any(r.value is not None for r in figures.periods):
            sentences.append(
                f"No year-to-date figure for {noun} can be given, because the first periods of {fy} are missing."
            )
        else:
            sentences.append(f"No figures for {noun} have been received for {fy} so far.")
    elif unit == Unit.PERCENTAGE:
        sentences.extend(_rate_sentences(figures, noun, previous_fy))
    else:
        sentences.extend(_count_sentences(figures, noun, previous_fy, change_words))
    if ytd.to_period is not None:
        reconciling = spc_reconciliation(change_words, spc)
        if reconciling:
            sentences.append(reconciling)
    if figures.missing_periods:
        sentences.append(_missing_sentence(figures))
    return " ".join(sentences)


def _count_sentences(
    figures: IndicatorFigures, noun: str, previous_fy: str, change_words: Optional[str] = None
) -> list[str]:
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
            clause += " (when there were none)"
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


# --- the year-to-date verdict and the SPC signal, in one voice -------------------------------


def _spc_evidence(spc: Spc) -> tuple[str, str] | None:
    """("high"|"low", what the chart shows in words) for a special cause at the last point."""
    icon = spc.variation_icon or "common_cause"
    points = spc.points
    if icon == "common_cause" or not points:
        return None
    side = "high" if icon.endswith("_high") else "low"
    last = points[-1]
    rules = set(last.rules)
    segment = spc.segments[-1] if spc.segments else None
    start = segment.start if segment is not None else 0
    # The floats computed (each point's exact decimal copy gives its float back).
    values = [float(p.value) for p in points[start:]]
    if "outside_limits" in rules:
        when = last.period.name if last.period is not None else "the latest month"
        limit = "upper" if side == "high" else "lower"
        return side, f"{when} is beyond the chart's {limit} limit"
    if "trend" in rules:
        n = 1
        while n < len(values) and ((values[-n] > values[-n - 1]) if side == "high" else (values[-n] < values[-n - 1])):
            n += 1
        word = "higher" if side == "high" else "lower"
        return side, f"each of the last {n - 1} months has been {word} than the one before"
    if "two_in_three" in rules:
        limit = "upper" if side == "high" else "lower"
        return side, f"two of the last three months are close to the chart's {limit} limit"
    mean = float(segment.mean) if segment is not None else None
    if "shift" in rules and mean is not None:
        n = 0
        while n < len(values) and ((values[-n - 1] > mean) if side == "high" else (values[-n - 1] < mean)):
            n += 1
        where = "above" if side == "high" else "below"
        return side, f"the last {n} months have all been {where} the chart's average"
    return side, "the chart shows special cause variation"


def spc_reconciliation(change_words: Optional[str], spc: Optional[Spc]) -> Optional[str]:
    """One sentence that puts the SPC signal beside the year-to-date verdict, so that a reader
    is never left with "special cause" on one line and "within normal variation" on the next.
    None when there is nothing to reconcile (no chart, or no signal and no significant change)."""
    if not spc:
        return None
    evidence = _spc_evidence(spc)
    significant = change_words in SIGNIFICANT
    if evidence is None:
        if significant:
            return (
                "Month to month the figures stay within the range the SPC chart expects (common cause "
                f"variation): {change_words} is in the year as a whole, not a sudden change in the latest months."
            )
        return None
    side, shows = evidence
    unusual = f"unusually {side}"
    if change_words == "within normal variation":
        return (
            f"Although the year so far is within normal variation compared with last year, the latest months "
            f"are {unusual}: {shows} (special cause variation on the SPC chart)."
        )
    if significant:
        agrees = (change_words == "a significant increase") == (side == "high")
        if agrees:
            return f"The SPC chart agrees that the latest months are {unusual}: {shows}."
        return (
            f"Although the year so far shows {change_words} compared with last year, the latest months are "
            f"{unusual}: {shows} (special cause variation on the SPC chart)."
        )
    return f"The latest months are {unusual}: {shows} (special cause variation on the SPC chart)."


def spc_reading(change_words: Optional[str], spc: Optional[Spc]) -> Optional[str]:
    """The same reconciliation in a few words, for a summary table cell; None when the verdict
    and the chart need no reconciling."""
    if not spc:
        return None
    evidence = _spc_evidence(spc)
    if evidence is None:
        return None
    side = evidence[0]
    if change_words == "within normal variation":
        return f"Year to date within normal variation; latest months unusually {side}"
    if change_words in SIGNIFICANT and (change_words == "a significant increase") != (side == "high"):
        return f"Year to date {change_words[2:]}; latest months unusually {side}"
    return None
