"""The published figures of a performance report as a typed value: what
``saferhub.publishing.figures`` builds, what a published version stores (as JSON, through
``saferhub.rendering.published_json``) and what the public pages, the downloads and the API read.

A published figure is a count (``int``), a percentage (``Decimal``), the suppression marker
(``Marker.SUPPRESSED``, shown "[c]") or ``None`` (no figure held). Periods are the calendar's
types; each indicator's rule is the disclosure rule itself. The headline sentence and the chart
are properties, written once here from the published figures only: a suppressed figure is said
to be withheld, never guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Hashable, Literal, Mapping, Optional, Union

from .calendar import FinancialYear, Month, Period, Quarter
from .disclosure import OPEN_DATA, SENSITIVE, STANDARD, SUPPRESSED, Published, Rule, Sum
from .indicators import Source, Unit
from .report import PeriodRow
from .status import Polarity

if TYPE_CHECKING:  # imported on use: disclosure_audit imports SciPy, about 0.5 s of every command's start
    from .disclosure_audit import Release

__all__ = [
    "DATA_DICTIONARY",
    "MARKERS",
    "RULES",
    "Column",
    "Figure",
    "Level",
    "Marker",
    "MarkerNote",
    "PublishedChart",
    "PublishedFigures",
    "PublishedIndicator",
    "PublishedRow",
    "PublishedYearToDate",
    "RuleRecord",
    "cell_key",
    "period_label",
    "release_of",
]


class Marker(StrEnum):
    """What a published cell shows in place of a figure."""

    SUPPRESSED = SUPPRESSED  # "[c]": confidential


class Level(StrEnum):
    """The period each row of an indicator covers."""

    MONTH = "month"
    QUARTER = "quarter"


# A published cell: a count, a percentage, "[c]", or no figure held.
Figure = Union[int, Decimal, Marker, None]

# The rules a published indicator can be under, by name (the name is what a version stores).
RULES: dict[str, Rule] = {r.name: r for r in (STANDARD, SENSITIVE, OPEN_DATA)}


def period_label(label: str, years_back: int) -> str:
    """The same period ``years_back`` years earlier: cells are keyed by absolute periods so
    that versions for different months describe the same cell the same way."""
    p: Month | Quarter = Month.parse(label) if "Q" not in label else Quarter.parse(label)
    for _ in range(years_back):
        p = p.same_period_last_year()
    return p.label


def cell_key(code: str, kind: str, label: str, years_back: int = 0) -> str:
    """A cell's key, also its name in a stored version: "hate-crime|n|2016-05" ('n' a period's
    count, 'ytd' the year to date)."""
    return f"{code}|{kind}|{period_label(label, years_back)}"


def _n(v: int) -> str:
    return f"{v:,}"


@dataclass(frozen=True)
class PublishedRow:
    """One period of an indicator as published: this year and last, and their years to date."""

    period: Period
    value: Figure
    previous: Figure
    cumulative: Figure
    previous_cumulative: Figure


@dataclass(frozen=True)
class PublishedYearToDate:
    """The year to date as published, against the same months last year; the change is as
    published too (a suppressed figure's change is suppressed, a missing one's is no figure)."""

    to_period: Period
    value: Figure
    previous: Figure
    change: Figure
    change_pct: Figure


@dataclass(frozen=True)
class PublishedChart:
    """A published indicator as ``rendering.charts.indicator_chart`` draws it."""

    title: str
    unit: Unit
    periods: tuple[PeriodRow, ...]


def _chart_value(x: Figure) -> Optional[Decimal]:
    """A figure for the chart: a suppressed one is a gap."""
    if x is None or isinstance(x, Marker):
        return None
    return Decimal(x) if isinstance(x, int) else x


@dataclass(frozen=True)
class PublishedIndicator:
    code: str
    title: str
    unit: Unit
    polarity: Polarity
    sensitive: bool
    level: Level
    rule: Rule
    # "" in a version published before the source was recorded.
    source: Union[Source, Literal[""]]
    rows: tuple[PublishedRow, ...]
    ytd: Optional[PublishedYearToDate]

    @property
    def is_count(self) -> bool:
        return self.unit == Unit.COUNT

    @property
    def has_suppressed(self) -> bool:
        """Whether any figure of the indicator shows "[c]" (its chart then has gaps to explain)."""
        return any(
            isinstance(x, Marker) for r in self.rows for x in (r.value, r.previous, r.cumulative, r.previous_cumulative)
        )

    @property
    def headline(self) -> str:
        """The indicator's headline in one plain sentence, written from its published figures only
        (a suppressed figure is said to be withheld, never guessed at)."""
        title = self.title
        y = self.ytd
        if y is None or y.value is None:
            return f"{title}: no figures are held yet for this year."
        to = y.to_period.name
        value, previous = y.value, y.previous
        if isinstance(value, Marker):
            return f"{title}: the figure for the year to {to} is not published, so that no one can be identified."
        if self.unit == Unit.PERCENTAGE:
            return f"{title}: {value}% in the year to {to}."
        assert isinstance(value, int), value  # a published count is whole
        rounded = " (rounded to the nearest 5)" if self.rule.name == SENSITIVE.name else ""
        first = f"{title}: {_n(value)} in the year to {to}{rounded}"
        if previous is None:
            return first + ". There is no figure for the same period last year to compare with."
        if isinstance(previous, Marker):
            return first + ". The figure for the same period last year is not published."
        assert isinstance(previous, int), previous
        change = value - previous
        if change == 0:
            return first + f", the same as in the same period last year ({_n(previous)})."
        way = "more" if change > 0 else "fewer"
        pct = f", {abs(round(100 * change / previous, 1))}%" if previous else ""
        return first + f": {_n(abs(change))} {way} than in the same period last year ({_n(previous)}{pct})."

    @property
    def chart(self) -> PublishedChart:
        """The indicator as ``rendering.charts.indicator_chart`` takes it, from the published rows
        only: a suppressed figure is a gap in the chart."""
        periods = tuple(
            PeriodRow(
                period=r.period,
                value=_chart_value(r.value),
                previous=_chart_value(r.previous),
                change=None,
                cumulative=_chart_value(r.cumulative),
                previous_cumulative=None,
                target=None,
                target_cumulative=None,
                gap=None,
                due=False,
                unit=self.unit,
            )
            for r in self.rows
        )
        return PublishedChart(title=self.title, unit=self.unit, periods=periods)


@dataclass(frozen=True)
class RuleRecord:
    """The rule a publication uses, as stored with every version: its name and its parameters
    (each rule's definition and the guarantees, in words)."""

    name: str
    parameters: Mapping[str, object]


@dataclass(frozen=True)
class PublishedFigures:
    """The disclosure-controlled figures of one report month, as approved for publication."""

    partnership: str  # the slug
    partnership_name: str
    period: Month
    rule: RuleRecord
    indicators: tuple[PublishedIndicator, ...]
    # Every cell's published count (keyed by ``cell_key``), and the cells suppressed.
    cells: Mapping[str, int]
    suppressed: tuple[str, ...]
    # The sums the cells obey, so that a later version can be audited against this one.
    sums: tuple[Sum, ...] = field(default=())

    @property
    def period_name(self) -> str:
        return self.period.name

    @property
    def financial_year(self) -> FinancialYear:
        return self.period.financial_year

    @property
    def title(self) -> str:
        return f"{self.partnership_name}: performance figures, {self.period_name}"


def release_of(figures: PublishedFigures, variables: Mapping[str, str] | None = None) -> Release:
    """A version as the public sees it: its cells, their rules and the sums among them."""
    from .disclosure_audit import Release

    rule_of = {i.code: i.rule for i in figures.indicators if i.is_count}
    shown: dict[Hashable, Published] = dict(figures.cells.items())
    shown.update((k, SUPPRESSED) for k in figures.suppressed)
    rules: dict[Hashable, Rule] = {k: rule_of.get(str(k).split("|")[0], STANDARD) for k in shown}
    known = set(shown)
    sums = [s for s in figures.sums if all(m in known for m in (s.total, *s.parts))]
    named: dict[Hashable, Hashable] = {k: v for k, v in (variables or {}).items()}
    return Release(shown, rules, sums, named)


# --- the downloads' data dictionary ----------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the CSV and JSON downloads."""

    column: str
    meaning: str
    unit: str


@dataclass(frozen=True)
class MarkerNote:
    """What a marker in the downloads means."""

    marker: str
    meaning: str


DATA_DICTIONARY: tuple[Column, ...] = (
    Column("partnership", "The Community Safety Partnership", "text"),
    Column("report_period", "The month the report was published for (YYYY-MM)", "month"),
    Column("version", "The version of the published figures (1, 2, ...)", "whole number"),
    Column("indicator", "The indicator's short code", "text"),
    Column("title", "The indicator's name", "text"),
    Column("unit", "count (a number of crimes, incidents or people) or percentage", "text"),
    Column("level", "month or quarter: the period each row covers", "text"),
    Column("sensitive", "yes for sensitive indicators, published by quarter and rounded to the nearest 5", "yes/no"),
    Column(
        "source",
        "policeuk (counted from police.uk's open street-level data) or partner (supplied by a partner)",
        "text",
    ),
    Column("period", "The month (YYYY-MM) or quarter (YYYY-Qn, financial year) of the row", "period"),
    Column("value", "The figure for the period", "count or percentage (see unit)"),
    Column("same_period_last_year", "The figure for the same period a year earlier", "as value"),
    Column("year_to_date", "The total from April to the end of the period", "count"),
    Column("last_year_to_date", "The same total a year earlier", "count"),
    Column("rule", "The disclosure rule the figures were published under", "text"),
)
MARKERS: tuple[MarkerNote, ...] = (
    MarkerNote(
        Marker.SUPPRESSED.value,
        "Confidential: not published, so that no one can be identified (a small number, "
        "or a figure from which one could be worked out)",
    ),
    MarkerNote("(empty)", "No figure is held for the period"),
)
