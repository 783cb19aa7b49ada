"""The public figures of a performance report: the report's counts laid out as a table of cells
and sums, protected by ``saferhub.domain.disclosure``, and shaped for the public pages.

Only counts are published: no commentary, SPC or significance (they quote or derive from the
true figures). What the cells are tied by:
- each financial year's months (or quarters) and their running year-to-date totals;
- a police.uk indicator that counts several crime types is the sum of the single-type
  indicators, period by period (all crime minus the other categories gives the last one).
Counts made from police.uk's open street-level data are public already, row by row: they are
published as they are (rule ``police-uk-open-data``). Partner-supplied sensitive indicators are
published by quarter only, under the stricter rule; a partner total that includes a sensitive
crime type is treated as sensitive too. All the cells of a report are protected together, with
the sums that cross rule groups (a total by quarter over monthly parts), against every version
published before (``saferhub.domain.disclosure_audit``).

What it builds is the typed ``saferhub.domain.published.PublishedFigures``; a version stores it
as JSON through ``saferhub.rendering.published_json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping, Optional, Protocol, Sequence

from saferhub.domain.calendar import Month, Period, Quarter
from saferhub.domain.disclosure import OPEN_DATA, SENSITIVE, STANDARD, SUPPRESSED, Published, Rule, Sum
from saferhub.domain.disclosure_audit import Protection, Release, protect_audited
from saferhub.domain.indicators import Source, Unit
from saferhub.domain.published import (
    DATA_DICTIONARY,
    MARKERS,
    RULES,
    Figure,
    Level,
    Marker,
    PublishedFigures,
    PublishedIndicator,
    PublishedRow,
    PublishedYearToDate,
    RuleRecord,
    cell_key,
    period_label,
    release_of,
)
from saferhub.domain.report import IndicatorEntry, PerformanceReport, PeriodRow, YearToDate, is_measured

__all__ = [
    "DATA_DICTIONARY",
    "MARKERS",
    "RULES",
    "cell_key",
    "period_label",
    "protect_report",
    "public_figures",
    "release_of",
    "report_cells",
    "rule_record",
    "sensitive_codes",
]

RULE_NAME = f"{STANDARD.name}+{SENSITIVE.name}+{OPEN_DATA.name}"


def rule_record() -> RuleRecord:
    """The rule a publication uses, as stored with every published version."""
    return RuleRecord(
        RULE_NAME,
        {
            "standard": STANDARD.as_dict(),
            "sensitive": {**SENSITIVE.as_dict(), "level": "partnership x quarter"},
            "open_data": OPEN_DATA.as_dict(),
            "secondary_suppression": "the fewest, then smallest, cells hidden besides so that no suppressed cell can be "
            "recovered or narrowed from the published cells, all versions included",
            "audit": "before publication, every suppressed count's range given everything published (all versions), "
            "by linear and integer programming in whole counts, must cover the whole suppressed range of its rule",
            "percentages": "published only when numerator, complement and denominator are all publishable",
        },
    )


def _count(v: Any) -> int | None:
    if v is None:
        return None
    d = Decimal(str(v))
    return int(d) if d == d.to_integral_value() and d >= 0 else None


class CountRow(Protocol):
    """A period's counts of this year and last, with their running totals: a row of the report,
    or a quarter summed from its months."""

    @property
    def period(self) -> Period: ...

    @property
    def value(self) -> Any: ...

    @property
    def previous(self) -> Any: ...

    @property
    def cumulative(self) -> Any: ...

    @property
    def previous_cumulative(self) -> Any: ...


@dataclass(frozen=True)
class QuarterRow:
    period: Quarter
    value: Optional[int]
    previous: Optional[int]
    cumulative: Optional[int]
    previous_cumulative: Optional[int]


def _year(row: CountRow, back: int) -> tuple[Any, Any]:
    """A row's count and running total, this year (``back`` 0) or last (1)."""
    return (row.value, row.cumulative) if back == 0 else (row.previous, row.previous_cumulative)


def _running(values: list[Optional[int]]) -> list[Optional[int]]:
    out: list[Optional[int]] = []
    total: Optional[int] = 0
    for v in values:
        total = None if total is None or v is None else total + v
        out.append(total)
    return out


def _quarter_rows(entry: IndicatorEntry) -> list[QuarterRow]:
    """A monthly count indicator's rows summed into complete quarters."""
    by_month = {r.period: r for r in entry.periods if isinstance(r.period, Month)}
    quarters = list(dict.fromkeys(m.quarter() for m in by_month))
    sums: dict[int, list[Optional[int]]] = {}
    for back in (0, 1):
        for q in quarters:
            rows = [by_month.get(m) for m in q.months()]
            vals = [_count(_year(r, back)[0]) if r else None for r in rows]
            sums.setdefault(back, []).append(sum(v for v in vals if v is not None) if None not in vals else None)
    this, last = sums.get(0, []), sums.get(1, [])
    return [QuarterRow(q, v, p, c, pc) for q, v, p, c, pc in zip(quarters, this, last, _running(this), _running(last))]


def _cells_for(code: str, rows: Sequence[CountRow]) -> tuple[dict, list[Sum]]:
    """Cells ('n' a period's count, 'ytd' the year to date) of one indicator and its running sums."""
    cells: dict = {}
    sums: list[Sum] = []
    for back in (0, 1):
        parts: list[str] = []
        totals: list[str] = []
        running = 0
        for row in rows:
            value, cumulative = _year(row, back)
            n = _count(value)
            if n is None:
                break
            running += n
            parts.append(cell_key(code, "n", row.period.label, back))
            cells[parts[-1]] = n
            # A cumulative that is not the plain running sum is not published (see module doc).
            if _count(cumulative) == running:
                totals.append(cell_key(code, "ytd", row.period.label, back))
                cells[totals[-1]] = running
                sums.append(Sum(totals[-1], tuple(parts)))
    return cells, sums


def _source(e: IndicatorEntry) -> Source:
    return e.source or Source.PARTNER


def _category_sums(
    entries: Sequence[IndicatorEntry], cells: dict, levels: Mapping[str, str] | None = None
) -> list[Sum]:
    """An indicator counting several crime types is the sum of the single-type indicators of the
    same source, period by period. A quarterly total over monthly parts takes the quarter's months
    (its year to date, the year to date at the quarter's last month)."""
    levels = levels or {}
    singles = {(_source(e), e.crime_types[0]): e.code for e in entries if len(e.crime_types) == 1}
    sums = []
    for e in entries:
        types = e.crime_types
        if len(types) < 2 or not all((_source(e), t) in singles for t in types):
            continue
        codes = [singles[(_source(e), t)] for t in types]
        for key in [k for k in cells if k.split("|")[0] == e.code]:
            _, kind, label = key.split("|")
            parts: list[str] = []
            for code in codes:
                if "Q" not in label or levels.get(code) == "quarter":
                    parts.append(f"{code}|{kind}|{label}")
                elif kind == "n":
                    parts += [f"{code}|n|{m.label}" for m in Quarter.parse(label).months()]
                else:
                    parts.append(f"{code}|ytd|{Quarter.parse(label).months()[-1].label}")
            if all(p in cells for p in parts):
                sums.append(Sum(key, tuple(parts)))
    return sums


def sensitive_codes(entries: Sequence[IndicatorEntry], flagged: set[str]) -> set[str]:
    """The flagged partner indicators, and every partner total that counts a flagged one's types.
    police.uk counts are open data: never sensitive here, whatever they count."""
    partner = [e for e in entries if _source(e) != Source.POLICEUK]
    types = {t for e in partner if e.code in flagged for t in e.crime_types}
    return {e.code for e in partner if e.code in flagged or types & set(e.crime_types)}


def rule_for(e: IndicatorEntry, secret: set[str]) -> Rule:
    if _source(e) == Source.POLICEUK:
        return OPEN_DATA
    return SENSITIVE if e.code in secret else STANDARD


Earlier = Callable[[Mapping[str, int]], tuple[Sequence[Release], Mapping[str, str]]]


def _table(
    report: PerformanceReport, sensitive: Iterable[str]
) -> tuple[list[IndicatorEntry], set[str], dict, dict, dict[str, int], list[Sum]]:
    """The report's count cells and the sums that tie them: (entries, sensitive codes, layout
    by code, rule by code, cells, sums)."""
    entries = list(report.indicators)
    secret = sensitive_codes(entries, set(sensitive))
    counts = [e for e in entries if e.unit == Unit.COUNT]
    layout: dict[str, tuple[str, Sequence[CountRow]]] = {}
    rules_by_code: dict[str, Rule] = {}
    for e in counts:
        rules_by_code[e.code] = rule_for(e, secret)
        if rules_by_code[e.code] is SENSITIVE and e.frequency == "monthly":
            layout[e.code] = ("quarter", _quarter_rows(e))
        else:
            layout[e.code] = (e.frequency.removesuffix("ly"), e.periods)
    cells: dict[str, int] = {}
    sums: list[Sum] = []
    for e in counts:
        c, s = _cells_for(e.code, layout[e.code][1])
        cells.update(c)
        sums += s
    sums += _category_sums(counts, cells, {code: level for code, (level, _) in layout.items()})
    return entries, secret, layout, rules_by_code, cells, sums


def report_cells(report: PerformanceReport, *, sensitive: Iterable[str]) -> dict[str, int]:
    """The true cells of a report, without protecting them (for fingerprints; never published)."""
    return _table(report, sensitive)[4]


def protect_report(
    report: PerformanceReport, *, sensitive: Iterable[str], earlier: Earlier | Sequence[Release] = ()
) -> tuple[PublishedFigures, Protection, dict[str, int]]:
    """The disclosure-controlled figures of a performance report, the protection and its audit,
    and the true cells (for the caller's fingerprints; never published).
    ``earlier``: the releases published before, or a function that, given the true cells, gives
    them with each earlier cell named as the same unknown or (revised since) another."""
    entries, secret, layout, rules_by_code, cells, sums = _table(report, sensitive)
    rules = {k: rules_by_code[k.split("|")[0]] for k in cells}
    releases, variables = earlier(cells) if callable(earlier) else (earlier, {})
    protection = protect_audited(cells, rules, sums, releases, variables)
    published = protection.published
    indicators = []
    for e in entries:
        if e.unit == Unit.COUNT:
            indicators.append(_count_entry(e, layout[e.code], published, rules_by_code[e.code]))
        else:
            indicators.append(_rate_entry(e, withheld=e.code in secret))
    figures = PublishedFigures(
        partnership=report.partnership,
        partnership_name=report.partnership_name,
        period=report.period,
        rule=rule_record(),
        indicators=tuple(indicators),
        cells={k: int(v) for k, v in sorted(published.items()) if v != SUPPRESSED},
        suppressed=tuple(sorted(k for k, v in published.items() if v == SUPPRESSED)),
        sums=tuple(sums),
    )
    return figures, protection, cells


def public_figures(
    report: PerformanceReport, *, sensitive: Iterable[str], earlier: Sequence[Release] = ()
) -> PublishedFigures:
    """The disclosure-controlled figures of a performance report."""
    return protect_report(report, sensitive=sensitive, earlier=earlier)[0]


def _shown(value: Optional[Published]) -> Figure:
    """A protected cell as published: its count, or the marker."""
    if value is None:
        return None
    return Marker.SUPPRESSED if value == SUPPRESSED else int(value)


def _count_entry(
    e: IndicatorEntry, layout: tuple[str, Sequence[CountRow]], published: Mapping[str, Published], rule: Rule
) -> PublishedIndicator:
    level, rows = layout
    code = e.code
    out_rows = []
    for row in rows:
        p = row.period.label
        out_rows.append(
            PublishedRow(
                period=row.period,
                value=_shown(published.get(cell_key(code, "n", p))),
                previous=_shown(published.get(cell_key(code, "n", p, 1))),
                cumulative=_shown(published.get(cell_key(code, "ytd", p))),
                previous_cumulative=_shown(published.get(cell_key(code, "ytd", p, 1))),
            )
        )
    held = [r for r in out_rows if r.cumulative is not None]
    return PublishedIndicator(
        code=code,
        title=e.title,
        unit=Unit.COUNT,
        polarity=e.polarity,
        sensitive=rule is SENSITIVE,
        level=Level(level),
        rule=rule,
        source=_source(e),
        rows=tuple(out_rows),
        ytd=_ytd(held[-1].period, held[-1].cumulative, held[-1].previous_cumulative) if held else None,
    )


def _ytd(period: Period, value: Figure, previous: Figure) -> PublishedYearToDate:
    change: Figure = None
    pct: Figure = None
    if value is None or previous is None:
        pass  # no figure to compare with: no change, and never "[c]"
    elif isinstance(value, Marker) or isinstance(previous, Marker):
        change = pct = Marker.SUPPRESSED
    else:
        assert isinstance(value, int) and isinstance(previous, int)
        change = value - previous
        # As the JSON has always had it: the float, rounded to one place, as the number it prints as.
        pct = Decimal(repr(round(100 * change / previous, 1))) if previous else None
    return PublishedYearToDate(to_period=period, value=value, previous=previous, change=change, change_pct=pct)


def _rate_publishable(numerator: Any, denominator: Any) -> bool:
    """A percentage is published only when its numerator, its complement (denominator minus
    numerator) and its denominator could each be published: 5 of 6 as 83.3% tells that 1 was not."""
    n, d = _count(numerator), _count(denominator)
    if n is None or d is None or n > d:
        return False
    return not any(STANDARD.suppresses(x) for x in (n, d - n, d))


def _rate_entry(e: IndicatorEntry, *, withheld: bool) -> PublishedIndicator:
    """Only the current year's rates are shown (last year's numerators are not in the report);
    a sensitive percentage is withheld altogether."""

    def shown(value: Optional[Decimal], row: PeriodRow | YearToDate) -> Figure:
        if value is None:
            return None
        if withheld or not _rate_publishable(row.numerator, row.denominator):
            return Marker.SUPPRESSED
        # The percentage as the JSON writes it (82.2, not the report's 82.20): read back, the same.
        return Decimal(repr(float(value))) if is_measured(value) else value

    rows = tuple(
        PublishedRow(period=r.period, value=shown(r.value, r), previous=None, cumulative=None, previous_cumulative=None)
        for r in e.periods
    )
    y = e.ytd
    return PublishedIndicator(
        code=e.code,
        title=e.title,
        unit=e.unit,
        polarity=e.polarity,
        sensitive=withheld,
        level=Level(e.frequency.removesuffix("ly")),
        rule=STANDARD,
        source=_source(e),
        rows=rows,
        ytd=PublishedYearToDate(
            to_period=y.to_period, value=shown(y.value, y), previous=None, change=None, change_pct=None
        )
        if y.to_period is not None
        else None,
    )
