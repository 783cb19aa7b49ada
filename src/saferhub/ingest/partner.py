"""Partner-supplied indicator figures: validate a table of (indicator, period, value or
numerator and denominator, optional target) rows against the partnership's catalogue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Mapping, Optional

from ..domain.calendar import PeriodError, parse_period
from ..domain.figures import TARGET_KINDS
from ..domain.problems import ImportProblem, InputError
from .tables import read_table

__all__ = ["PartnerRecord", "CatalogueEntry", "read_partner_figures"]

ALIASES = {
    "indicator_code": "indicator",
    "code": "indicator",
    "indicator": "indicator",
    "period": "period",
    "month": "period",
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "target": "target",
    "target_kind": "target_kind",
    "reported_on": "reported_on",
    "as_reported_on": "reported_on",
    "as_reported": "reported_on",
}
PENNY_LIMIT = Decimal("1e12")


@dataclass(frozen=True)
class CatalogueEntry:
    frequency: str
    unit: str
    # "policeuk": its figures are counted from the street files, so a row may set only its target.
    source: str = "partner"


@dataclass(frozen=True)
class PartnerRecord:
    line: int
    indicator: str
    period: str
    value: Optional[Decimal]
    numerator: Optional[Decimal]
    denominator: Optional[Decimal]
    target: Optional[Decimal]
    target_kind: Optional[str]
    reported_on: datetime.date


def _decimal(text: str, name: str, line: int, field: str) -> Optional[Decimal]:
    t = text.replace(",", "").strip()
    if t.endswith("%"):
        t = t[:-1].strip()
    if t == "":
        return None
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise InputError(ImportProblem(name, line, field, f"{text!r} is not a number")) from None
    if not d.is_finite() or abs(d) >= PENNY_LIMIT:
        raise InputError(ImportProblem(name, line, field, f"{text!r} is not a usable number"))
    return d


def read_partner_figures(
    path: Path,
    catalogue: Mapping[str, CatalogueEntry],
    *,
    today: datetime.date,
) -> list[PartnerRecord]:
    """Every row, validated; the first problem found raises :class:`InputError`."""
    name = str(path)
    header, rows = read_table(path)
    columns = {ALIASES.get(h, h): h for h in header}
    for required in ("indicator", "period"):
        if required not in columns:
            raise InputError(
                ImportProblem(
                    name,
                    1,
                    required,
                    f"the header has no {required!r} column; it needs indicator, period and value "
                    f"(or numerator and denominator), found: {', '.join(header) or 'nothing'}",
                )
            )
    if "value" not in columns and "target" not in columns and not ("numerator" in columns and "denominator" in columns):
        raise InputError(
            ImportProblem(
                name, 1, "value", "the header needs a 'value' column, or 'numerator' and 'denominator', or 'target'"
            )
        )
    if not rows:
        raise InputError(ImportProblem(name, 2, None, "the file has a header but no rows"))

    def get(row: dict[str, str], key: str) -> str:
        col = columns.get(key)
        return row.get(col, "") if col else ""

    seen: dict[tuple[str, str], int] = {}
    out: list[PartnerRecord] = []
    for line, row in rows:
        code = get(row, "indicator")
        if code not in catalogue:
            known = ", ".join(sorted(catalogue)[:8])
            raise InputError(
                ImportProblem(
                    name, line, "indicator", f"{code!r} is not an indicator of this partnership (known: {known})"
                )
            )
        entry = catalogue[code]
        raw_period = get(row, "period")
        try:
            period = parse_period(raw_period)
        except PeriodError as exc:
            raise InputError(ImportProblem(name, line, "period", str(exc))) from None
        if period.frequency != entry.frequency:
            want = "YYYY-MM" if entry.frequency == "monthly" else "YYYY-Qn"
            raise InputError(
                ImportProblem(
                    name, line, "period", f"{code} is {entry.frequency}: its periods are {want}, not {raw_period!r}"
                )
            )
        key = (code, period.label)
        if key in seen:
            raise InputError(
                ImportProblem(
                    name, line, "period", f"{code} {period.label} appears twice in the file (first on line {seen[key]})"
                )
            )
        seen[key] = line
        value = _decimal(get(row, "value"), name, line, "value")
        numerator = _decimal(get(row, "numerator"), name, line, "numerator")
        denominator = _decimal(get(row, "denominator"), name, line, "denominator")
        target = _decimal(get(row, "target"), name, line, "target")
        if entry.source == "policeuk" and (value is not None or numerator is not None or denominator is not None):
            raise InputError(
                ImportProblem(
                    name,
                    line,
                    "value" if value is not None else "numerator",
                    f"{code} is counted from the police.uk street files: give only its target, not a figure",
                )
            )
        _check_figures(name, line, entry, value, numerator, denominator, target)
        kind = get(row, "target_kind") or None
        if kind is not None and kind not in TARGET_KINDS:
            raise InputError(
                ImportProblem(name, line, "target_kind", f"{kind!r} is not one of {', '.join(TARGET_KINDS)}")
            )
        if target is not None and kind is None:
            kind = "flat" if entry.unit == "percentage" else "cumulative"
        reported_on = today
        raw_date = get(row, "reported_on")
        if raw_date:
            try:
                reported_on = datetime.date.fromisoformat(raw_date[:10])
            except ValueError:
                raise InputError(
                    ImportProblem(name, line, "reported_on", f"{raw_date!r} is not a date like 2016-12-05")
                ) from None
            if reported_on > today:
                raise InputError(ImportProblem(name, line, "reported_on", f"{raw_date} is in the future"))
        if numerator is not None and denominator is not None and value is None:
            value = numerator * 100 / denominator
        out.append(PartnerRecord(line, code, period.label, value, numerator, denominator, target, kind, reported_on))
    return out


def _check_figures(name, line, entry, value, numerator, denominator, target) -> None:
    has_ratio = numerator is not None or denominator is not None
    if entry.unit == "count":
        if has_ratio:
            raise InputError(
                ImportProblem(
                    name, line, "numerator", "this indicator is a count: give a value, not a numerator and denominator"
                )
            )
        if value is None and target is None:
            raise InputError(
                ImportProblem(
                    name, line, "value", "is empty: give the count (leave the row out if the figure is not known)"
                )
            )
        if value is not None and value < 0:
            raise InputError(ImportProblem(name, line, "value", f"{value} is negative: a count cannot be"))
        return
    if has_ratio:
        if numerator is None or denominator is None:
            missing = "numerator" if numerator is None else "denominator"
            raise InputError(ImportProblem(name, line, missing, "a rate needs both numerator and denominator"))
        if denominator <= 0:
            raise InputError(ImportProblem(name, line, "denominator", f"{denominator} must be greater than 0"))
        if numerator < 0 or numerator > denominator:
            raise InputError(
                ImportProblem(
                    name, line, "numerator", f"{numerator} must be between 0 and the denominator {denominator}"
                )
            )
        if value is not None and abs(value - numerator * 100 / denominator) > Decimal("0.5"):
            raise InputError(ImportProblem(name, line, "value", f"{value}% disagrees with {numerator}/{denominator}"))
    elif value is None and target is None:
        raise InputError(
            ImportProblem(name, line, "value", "is empty: give the percentage, or numerator and denominator")
        )
    if value is not None and not (0 <= value <= 100):
        raise InputError(ImportProblem(name, line, "value", f"{value} is not a percentage between 0 and 100"))
