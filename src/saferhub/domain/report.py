"""The performance report as a typed value: what ``saferhub.performance.report`` builds and every
renderer (JSON, the web pages, PDF, Word, Excel, the public figures, the API) reads.

Numbers are ``Decimal``, never float. A report figure keeps the form the report has always given
it: a whole number is held whole (exponent 0, "1,234"), any other is rounded half away from zero
(two places; a percentage change one) and shown to one place ("41.3"). The SPC limits and the
statistics are the exact decimal copies of the computed binary values (``real``), so that the JSON
renderer gives back the very numbers it gave before. Periods are the calendar's types, the
polarity and status the domain's enums; the words and the formatted text of each part are its own
properties, written once here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from .calendar import MONTH_NAMES, FinancialYear, Month, Period
from .indicators import Frequency, Source, TargetKind, Unit
from .spc import variation_icon
from .status import Polarity, Status

__all__ = [
    "ASSURANCE_LABELS",
    "POINT_TYPE_LABELS",
    "SPC_LABELS",
    "special_cause_label",
    "Adjusted",
    "Dataset",
    "Decision",
    "Dispersion",
    "FileEntry",
    "ForceFile",
    "ForcesMonth",
    "IndicatorEntry",
    "PerformanceReport",
    "PeriodRow",
    "Significance",
    "SourceRun",
    "Spc",
    "SpcPoint",
    "SpcSegment",
    "YearToDate",
    "figure",
    "figure_text",
    "is_measured",
    "long_date",
    "one_place",
    "real",
    "spc_figure_text",
]

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
NO_FIGURE = "–"
# A month's point type (``saferhub.domain.spc``) in the report's words: a neither-way special cause
# reads as the variation icon it gives; improvement and concern, as the icons do, without the side
# (which only the indicator's polarity tells).
POINT_TYPE_LABELS = {
    "common_cause": SPC_LABELS["common_cause"],
    **{f"special_cause_{k}": SPC_LABELS[f"{k}_high"].removesuffix(" (high)") for k in ("improvement", "concern")},
    **{f"special_cause_{k}": SPC_LABELS[k] for k in ("neutral_high", "neutral_low")},
}


def special_cause_label(point_type: str, polarity: Polarity) -> str:
    """A special-cause month in the variation icon's words, with its side ("Special cause: concern (high)").

    ``point_type`` is the point's code from ``saferhub.domain.spc``; an improvement or a concern takes its
    side from the polarity, as the icon does (a trend's months may lie either side of the mean)."""
    return SPC_LABELS.get(variation_icon(point_type, polarity.direction), NO_FIGURE)


# --- numbers and their text ------------------------------------------------------------------


def figure(value: Optional[Decimal], places: int = 2) -> Optional[Decimal]:
    """A report figure: a whole number held whole; others rounded, half away from zero."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def real(value: float | None) -> Optional[Decimal]:
    """The exact decimal copy of a computed binary value (an SPC limit, a p-value)."""
    return None if value is None else Decimal(repr(value))


def is_measured(value: Decimal) -> bool:
    """A figure with decimal places (a rate, a mean), as against a whole count."""
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent < 0


def one_place(value: Decimal) -> Decimal:
    """To one decimal place, halves rounded up as a reader expects (41.25 -> 41.3)."""
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def figure_text(value: Optional[Decimal], unit: Unit | str = Unit.COUNT, signed: bool = False) -> str:
    """A table cell: thousands separators, a percent sign for rates (percentage points for a
    change of a rate), a dash when there is no figure."""
    if value is None:
        return NO_FIGURE
    sign = "+" if signed and value > 0 else ""
    if unit == Unit.PERCENTAGE:
        return f"{sign}{one_place(value):.1f}" + (" pts" if signed else "%")
    if is_measured(value):
        return f"{sign}{one_place(value):,.1f}"
    return f"{sign}{int(value):,}"


def spc_figure_text(value: Optional[Decimal], unit: Unit | str = Unit.COUNT) -> str:
    """An SPC mean or limit: one decimal place (a mean of counts is seldom whole), thousands
    separators, a percent sign for rates."""
    if value is None:
        return NO_FIGURE
    if unit == Unit.PERCENTAGE:
        return f"{one_place(value):.1f}%"
    return f"{one_place(value):,.1f}"


def long_date(when: date | None) -> str:
    """2017-01-16 -> "16 January 2017"."""
    if when is None:
        return "date not recorded"
    return f"{when.day} {MONTH_NAMES[when.month - 1]} {when.year}"


# --- an indicator's figures ------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    """One month or quarter of the financial year against the same period last year."""

    period: Period
    value: Optional[Decimal]
    previous: Optional[Decimal]
    change: Optional[Decimal]
    cumulative: Optional[Decimal]
    previous_cumulative: Optional[Decimal]
    target: Optional[Decimal]
    target_cumulative: Optional[Decimal]
    gap: Optional[Decimal]
    due: bool
    # A rate's parts, when the partner supplied them.
    numerator: Optional[Decimal] = None
    denominator: Optional[Decimal] = None
    unit: Unit = Unit.COUNT

    @property
    def missing(self) -> bool:
        """Due by the report month, and no figure held."""
        return self.due and self.value is None

    @property
    def value_text(self) -> str:
        return figure_text(self.value, self.unit)

    @property
    def value_or_missing_text(self) -> str:
        return "missing" if self.missing else self.value_text

    @property
    def previous_text(self) -> str:
        return figure_text(self.previous, self.unit)

    @property
    def change_text(self) -> str:
        return figure_text(self.change, self.unit, signed=True)

    @property
    def cumulative_text(self) -> str:
        return figure_text(self.cumulative, self.unit)

    @property
    def previous_cumulative_text(self) -> str:
        return figure_text(self.previous_cumulative, self.unit)

    @property
    def target_cumulative_text(self) -> str:
        return figure_text(self.target_cumulative, self.unit)

    @property
    def gap_text(self) -> str:
        return figure_text(self.gap, self.unit, signed=True)

    @property
    def table_text(self) -> list[str]:
        """The row of the figures table, as the web page, the PDF and Word print it."""
        return [
            self.period.short_name,
            self.value_or_missing_text,
            self.previous_text,
            self.change_text,
            self.cumulative_text,
            self.previous_cumulative_text,
            self.target_cumulative_text,
            self.gap_text,
        ]


@dataclass(frozen=True)
class YearToDate:
    """The year to date to the last period held without a gap, against the same months last year."""

    to_period: Optional[Period]
    value: Optional[Decimal]
    previous: Optional[Decimal]
    change: Optional[Decimal]
    change_pct: Optional[Decimal]
    change_unit: str
    target: Optional[Decimal]
    gap: Optional[Decimal]
    numerator: Optional[Decimal] = None
    denominator: Optional[Decimal] = None
    previous_numerator: Optional[Decimal] = None
    previous_denominator: Optional[Decimal] = None
    unit: Unit = Unit.COUNT

    @property
    def value_text(self) -> str:
        return figure_text(self.value, self.unit)

    @property
    def previous_text(self) -> str:
        return figure_text(self.previous, self.unit)

    @property
    def change_text(self) -> str:
        return figure_text(self.change, self.unit, signed=True)

    @property
    def change_pct_text(self) -> str:
        """ "+5.4%"; a dash when there is no percentage change (from zero, or a rate)."""
        if self.change_pct is None:
            return NO_FIGURE
        return f"{figure_text(self.change_pct, 'count', signed=True)}%"


# --- signal or noise -------------------------------------------------------------------------


@dataclass(frozen=True)
class SpcSegment:
    start: int
    end: int
    mean: Decimal
    lpl: Optional[Decimal]
    upl: Optional[Decimal]
    lower_2sigma: Optional[Decimal]
    upper_2sigma: Optional[Decimal]
    start_period: Optional[Month]
    end_period: Optional[Month]
    trial_limits: bool
    unit: Unit = Unit.COUNT

    @property
    def lower_binds(self) -> bool:
        """A count or a rate cannot fall below zero: a lower limit below zero is no limit."""
        return self.lpl is not None and self.lpl >= 0

    @property
    def upper_binds(self) -> bool:
        """A rate cannot rise above 100%: an upper limit above it is no limit."""
        return self.upl is not None and not (self.unit == Unit.PERCENTAGE and self.upl > 100)

    @property
    def mean_text(self) -> str:
        return spc_figure_text(self.mean, self.unit)

    @property
    def lower_text(self) -> str:
        """The lower limit in its own table cell: "no lower limit" where it cannot bind."""
        if self.lpl is None:
            return NO_FIGURE
        return spc_figure_text(self.lpl, self.unit) if self.lower_binds else "no lower limit"

    @property
    def upper_text(self) -> str:
        if self.upl is None:
            return NO_FIGURE
        return spc_figure_text(self.upl, self.unit) if self.upper_binds else "no upper limit"

    @property
    def limits_text(self) -> str:
        """ "1,263.1 to 1,756.2"; "up to 12.4 (no lower limit)", "from 80.1% (no upper limit)"."""
        if self.lpl is None or self.upl is None:
            return NO_FIGURE
        low = spc_figure_text(self.lpl, self.unit) if self.lower_binds else None
        high = spc_figure_text(self.upl, self.unit) if self.upper_binds else None
        if low is None and high is None:
            return "no lower or upper limit"
        if low is None:
            return f"up to {high} (no lower limit)"
        if high is None:
            return f"from {low} (no upper limit)"
        return f"{low} to {high}"

    def period_text(self, which: str) -> str:
        """The first ("start") or last ("end") month, short ("Apr 2016"), else the point's index."""
        period, index = (self.start_period, self.start) if which == "start" else (self.end_period, self.end)
        return period.short_name if period is not None else str(index)


@dataclass(frozen=True)
class SpcPoint:
    i: int
    value: Decimal
    special_cause: bool
    rules: tuple[str, ...]
    point_type: str
    period: Optional[Month]

    @property
    def label(self) -> str:
        return self.period.short_name if self.period is not None else str(self.i)

    @property
    def point_type_label(self) -> str:
        """The point's type in words ("Special cause: concern"), not its code."""
        return POINT_TYPE_LABELS.get(self.point_type, NO_FIGURE)

    @property
    def special_cause_text(self) -> str:
        """Whether the month breaks one of the special-cause rules: "Yes" or "No"."""
        return "Yes" if self.special_cause else "No"


@dataclass(frozen=True)
class Spc:
    """An XmR chart of the indicator's monthly values (``saferhub.domain.spc``)."""

    segments: tuple[SpcSegment, ...]
    points: tuple[SpcPoint, ...]
    variation_icon: str
    assurance: Optional[str]
    target: Optional[Decimal]

    @property
    def variation_label(self) -> str:
        return SPC_LABELS.get(self.variation_icon, NO_FIGURE)

    @property
    def assurance_label(self) -> Optional[str]:
        return ASSURANCE_LABELS.get(self.assurance or "")

    @property
    def text(self) -> str:
        """The variation in words, and the assurance against the target where there is one."""
        words = self.variation_label
        if self.assurance_label:
            words += "; " + self.assurance_label.lower()
        return words

    @property
    def earlier_special_causes_text(self) -> Optional[str]:
        """When the latest month is common cause variation but the chart marks special causes
        earlier in the series, a sentence that says so, naming those months ("April to May 2015"),
        so the words and the marked points on the chart never disagree; None otherwise."""
        if self.variation_icon != "common_cause" or not any(p.special_cause for p in self.points):
            return None
        runs: list[list[SpcPoint]] = []
        for point in self.points:
            if point.special_cause and runs and runs[-1][-1].i == point.i - 1:
                runs[-1].append(point)
            elif point.special_cause:
                runs.append([point])
        spans = [f"{_span_name(run[0], run[-1])} ({_kinds(run)})" for run in runs]
        months = spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]
        return (
            f"The chart marks {months} as special cause variation; the latest month is common cause "
            "variation, so the signal has not continued."
        )

    @property
    def trial_limits(self) -> bool:
        return bool(self.segments) and self.segments[0].trial_limits

    def segment_of(self, i: int) -> SpcSegment:
        for seg in self.segments:
            if seg.start <= i <= seg.end:
                return seg
        return self.segments[-1]


_RUN_KINDS = {
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral_high": "unusually high",
    "special_cause_neutral_low": "unusually low",
}


def _kinds(run: list[SpcPoint]) -> str:
    """The special causes of a run of months in words: "concern", "improvement", "unusually high"."""
    return " and ".join(dict.fromkeys(_RUN_KINDS.get(p.point_type, NO_FIGURE) for p in run))


def _span_name(first: SpcPoint, last: SpcPoint) -> str:
    """ "July 2016"; "April to May 2015"; "November 2015 to January 2016"; else the points' labels."""
    a, b = first.period, last.period
    if not isinstance(a, Month) or not isinstance(b, Month):
        return first.label if first is last else f"{first.label} to {last.label}"
    if a == b:
        return a.name
    if a.year == b.year:
        return f"{MONTH_NAMES[a.month - 1]} to {b.name}"
    return f"{a.name} to {b.name}"


@dataclass(frozen=True)
class Decision:
    words: str
    test: Optional[str]
    rate_ratio: Optional[Decimal]
    p_value: Optional[Decimal]
    ci95: tuple[Optional[Decimal], Optional[Decimal]]
    significant: bool


@dataclass(frozen=True)
class Dispersion:
    n: int
    mean: Optional[Decimal]
    variance: Optional[Decimal]
    index: Optional[Decimal]
    chi_square: Optional[Decimal]
    df: Optional[int]
    p_value: Optional[Decimal]
    overdispersed: bool
    method: str


@dataclass(frozen=True)
class Adjusted:
    phi: Decimal
    rate_ratio: Optional[Decimal]
    p_value: Decimal
    ci95: tuple[Optional[Decimal], Optional[Decimal]]
    method: str


@dataclass(frozen=True)
class Significance:
    """The exact Poisson test of the year-to-date counts (``saferhub.domain.significance``),
    tempered by over-dispersion; ``decision`` holds the test that decides the words."""

    previous: int
    current: int
    exposure_previous: Decimal
    exposure_current: Decimal
    rate_ratio: Optional[Decimal]
    p_value: Decimal
    ci95: tuple[Optional[Decimal], Optional[Decimal]]
    expected_current: Decimal
    significant: bool
    method: str
    dispersion: Optional[Dispersion]
    adjusted: Optional[Adjusted]
    decision: Decision
    words: str
    summary: str


# --- an indicator ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorEntry:
    code: str
    title: str
    polarity: Polarity
    frequency: Frequency
    unit: Unit
    source: Source
    source_label: str
    crime_types: tuple[str, ...]
    owner: str
    notes: str
    target_kind: Optional[TargetKind]
    periods: tuple[PeriodRow, ...]
    ytd: YearToDate
    cumulative_pooled: bool
    status: Status
    commentary: str
    spc_reading: Optional[str]
    spc: Optional[Spc]
    significance: Optional[Significance]
    missing_periods: tuple[Period, ...]
    data_notes: tuple[str, ...]
    analyst_comment: Optional[str] = None

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def polarity_words(self) -> str:
        """ "Lower is better"."""
        return self.polarity.value.replace("_", " ").capitalize()

    @property
    def has_target(self) -> bool:
        """Whether any period has a (cumulative) target: target columns and lines show only then."""
        return any(p.target_cumulative is not None for p in self.periods)

    @property
    def is_rate(self) -> bool:
        return self.unit == Unit.PERCENTAGE

    @property
    def spc_text(self) -> str:
        return self.spc.text if self.spc is not None else NO_FIGURE

    @property
    def spc_summary_text(self) -> str:
        """The summary table's SPC cell: the variation, the assurance and the reading after it."""
        words = self.spc_text
        if self.spc_reading:
            words += f" ({self.spc_reading[0].lower()}{self.spc_reading[1:]})"
        return words

    @property
    def summary_text(self) -> list[str]:
        """The indicator's row of the summary table, as the PDF, Word and Excel print it."""
        ytd = self.ytd
        return [
            self.title,
            ytd.value_text,
            ytd.previous_text,
            ytd.change_text,
            ytd.change_pct_text,
            self.status_label,
            self.spc_summary_text,
        ]


# --- sources ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileEntry:
    name: str
    checksum: str
    checksum_algorithm: str
    outcome: str
    month: Optional[str]


@dataclass(frozen=True)
class SourceRun:
    """One import run behind the report."""

    run: int
    kind: str
    imported_at: datetime
    files: Optional[int]
    files_unchanged: Optional[int]
    rows_read: Optional[int]
    # None where the run's kind does not count them (a partner's figures have no locations).
    rows_without_location: Optional[int]
    rows_in_area: Optional[int]
    rows_outside_area: Optional[int]
    # Only for a run of a few files (None for a large run: the note gives its count).
    file_list: Optional[tuple[FileEntry, ...]] = None

    @property
    def line(self) -> str:
        """The run in the sources note, by file name only (never a server path)."""
        n = self.files or 0
        names = [f.name.replace("\\", "/").rsplit("/", 1)[-1] for f in self.file_list or ()]
        files = f"{n:,} file{'s' if n != 1 else ''}"
        if names and len(names) <= 3:
            files += f" ({', '.join(names)})"
        text = (
            f"Import {self.run} ({self.kind}) on {long_date(self.imported_at.date())}: {files}, "
            f"{self.rows_read or 0:,} rows"
        )
        if self.rows_without_location:
            text += f", {self.rows_without_location:,} without a location"
        if self.rows_outside_area:
            text += f", {self.rows_outside_area:,} outside the area"
        return text + "."


@dataclass(frozen=True)
class Dataset:
    """A dataset behind the report: what it is, whose, when received and what it feeds."""

    name: str
    source: str
    owner: str
    received: Optional[date]
    indicators: tuple[str, ...]

    @property
    def line(self) -> str:
        return f"{self.name} from {self.owner}, received {long_date(self.received)}: {'; '.join(self.indicators)}."


@dataclass(frozen=True)
class ForceFile:
    force: str
    polices_area: bool
    file_held: bool
    rows_in_area: int


@dataclass(frozen=True)
class ForcesMonth:
    """Which police forces' files are behind a month of police.uk counts."""

    month: str
    held: bool
    forces: tuple[ForceFile, ...]
    policing_forces_missing: tuple[str, ...]
    forces_without_rows: tuple[str, ...]

    @property
    def line(self) -> str:
        """The month in the sources note: held or not, a neighbouring force's stray rows, and a
        force that normally has rows here but has none."""
        text = (
            f"{self.month} held"
            if self.held
            else f"{self.month} missing, no file from {', '.join(self.policing_forces_missing)}"
        )
        for f in self.forces:
            if not f.polices_area and f.rows_in_area:
                text += f" (also {f.force}, {f.rows_in_area} row{'' if f.rows_in_area == 1 else 's'})"
        if self.forces_without_rows:
            text += f" (check: no rows from {', '.join(self.forces_without_rows)}, which normally has some)"
        return text


# The report's reading notes, the same in every format.
HOW_TO_READ: tuple[str, ...] = (
    "Change is this year minus last year. Cumulative figures are running totals from April; a missing month"
    ' stops them and is marked "missing", never counted as zero. Rates are pooled from numerators and denominators.',
    'Status: "On target"/"Off target" compares the year to date with the cumulative target; without a target,'
    ' "Improving"/"Worsening" compares it with the same period last year in the indicator\'s good direction;'
    ' "Monitor only" indicators are not judged.',
    'Variation (SPC): XmR charts as in NHS England\'s "Making Data Count": mean ± 2.66 × mean moving range;'
    " special causes are a point beyond the limits, a run of points on one side of the mean, a trend, or two of"
    " three points beyond two sigma.",
    "Assurance (SPC), where an indicator has a monthly target: it consistently passes the target when both process"
    " limits lie on the passing side of it, consistently fails when both lie on the failing side, and may pass or"
    " fail when the target lies between them.",
)


# --- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerformanceReport:
    partnership: str  # the slug
    partnership_name: str
    period: Month
    indicators: tuple[IndicatorEntry, ...]
    sources: tuple[SourceRun, ...]
    datasets: tuple[Dataset, ...]
    police_forces_by_month: tuple[ForcesMonth, ...]

    @property
    def period_name(self) -> str:
        return self.period.name

    @property
    def financial_year(self) -> FinancialYear:
        return self.period.financial_year

    @property
    def title(self) -> str:
        return f"{self.partnership_name} performance report, {self.period_name}"

    def indicator(self, code: str) -> Optional[IndicatorEntry]:
        return next((ind for ind in self.indicators if ind.code == code), None)

    @property
    def police_months_text(self) -> str:
        """The police.uk months behind the report, as one sentence ("" without police.uk data)."""
        if not self.police_forces_by_month:
            return ""
        months = "; ".join(m.line for m in self.police_forces_by_month)
        return f"police.uk months (held when the files of the forces that police the area are held): {months}."

    @property
    def how_to_read(self) -> tuple[str, ...]:
        return HOW_TO_READ
