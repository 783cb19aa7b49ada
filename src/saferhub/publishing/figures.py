"""The public figures of a performance report: the report's counts laid out as a table of cells
and sums, protected by ``saferhub.domain.disclosure``, and shaped for the public pages.

Only counts are published: no commentary, SPC or significance (they quote or derive from the
true figures). What the cells are tied by:
- each financial year's months (or quarters) and their running year-to-date totals;
- a police.uk indicator that counts several crime types is the sum of the single-type
  indicators, period by period (all crime minus the other categories gives the last one).
Sensitive indicators are published by quarter only, under the stricter rule; a police.uk total
that includes a sensitive crime type is treated as sensitive too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from saferhub.domain.calendar import Month, Quarter
from saferhub.domain.disclosure import SENSITIVE, STANDARD, SUPPRESSED, Rule, Sum, protect, running_sums

SCHEMA_VERSION = 1
RULE_NAME = f"{STANDARD.name}+{SENSITIVE.name}"
YEARS = ((0, "value", "cumulative"), (1, "previous", "previous_cumulative"))


def rule_record() -> tuple[str, dict[str, Any]]:
    """The rule a publication uses, as stored with every published version."""
    return RULE_NAME, {
        "standard": STANDARD.as_dict(),
        "sensitive": {**SENSITIVE.as_dict(), "level": "partnership x quarter"},
        "secondary_suppression": "no suppressed cell can be recovered by linear combination of published cells",
    }


def _count(v: Any) -> int | None:
    if v is None:
        return None
    d = Decimal(str(v))
    return int(d) if d == d.to_integral_value() and d >= 0 else None


def _quarter_rows(entry: dict) -> list[dict]:
    """A monthly count indicator's rows summed into complete quarters."""
    by_month = {r["period"]: r for r in entry["periods"]}
    rows = []
    for label in dict.fromkeys(Month.parse(p).quarter().label for p in by_month):
        q = Quarter.parse(label)
        months = [by_month.get(m.label) for m in q.months()]
        row: dict[str, Any] = {"period": label}
        for _, field, _ in YEARS:
            vals = [_count(m[field]) if m else None for m in months]
            row[field] = sum(vals) if all(v is not None for v in vals) else None  # type: ignore[misc]
        rows.append(row)
    for _, field, cum in YEARS:
        total = 0
        for row in rows:
            total = None if total is None or row[field] is None else total + row[field]
            row[cum] = total
    return rows


def period_label(label: str, years_back: int) -> str:
    """The same period ``years_back`` years earlier: cells are keyed by absolute periods so
    that versions for different months describe the same cell the same way."""
    p: Month | Quarter = Month.parse(label) if "Q" not in label else Quarter.parse(label)
    for _ in range(years_back):
        p = p.same_period_last_year()
    return p.label


def cell_key(code: str, kind: str, label: str, years_back: int = 0) -> str:
    """A cell's key, also its name in a stored version: "hate-crime|n|2016-05"."""
    return f"{code}|{kind}|{period_label(label, years_back)}"


def _cells_for(code: str, rows: list[dict]) -> tuple[dict, list[Sum]]:
    """Cells ('n' a period's count, 'ytd' the year to date) of one indicator and its running sums."""
    cells: dict = {}
    sums: list[Sum] = []
    for back, field, cum in YEARS:
        parts: list[str] = []
        totals: list[str] = []
        running = 0
        for row in rows:
            n = _count(row.get(field))
            if n is None:
                break
            running += n
            parts.append(cell_key(code, "n", row["period"], back))
            cells[parts[-1]] = n
            # A cumulative that is not the plain running sum is not published (see module doc).
            if _count(row.get(cum)) == running:
                totals.append(cell_key(code, "ytd", row["period"], back))
                cells[totals[-1]] = running
                sums.append(Sum(totals[-1], tuple(parts)))
    return cells, sums


def _category_sums(entries: list[dict], cells: dict) -> list[Sum]:
    singles = {e["crime_types"][0]: e["code"] for e in entries if len(e["crime_types"]) == 1}
    sums = []
    for e in entries:
        types = e["crime_types"]
        if len(types) < 2 or not all(t in singles for t in types):
            continue
        for key in [k for k in cells if k.split("|")[0] == e["code"]]:
            _, kind, label = key.split("|")
            parts = tuple(f"{singles[t]}|{kind}|{label}" for t in types)
            if all(p in cells for p in parts):
                sums.append(Sum(key, parts))
    return sums


def sensitive_codes(entries: list[dict], flagged: set[str]) -> set[str]:
    """The flagged indicators, and every police.uk total that counts a flagged one's types."""
    types = {t for e in entries if e["code"] in flagged for t in e["crime_types"]}
    return set(flagged) | {e["code"] for e in entries if types & set(e["crime_types"])}


def public_figures(report: dict, *, sensitive: Iterable[str], public: Iterable[str] = ()) -> dict[str, Any]:
    """The disclosure-controlled figures of a performance report (JSON-able). ``public``: the
    cell keys earlier versions already published (they are never chosen to hide a cell)."""
    public = set(public)
    entries = [e for e in report["indicators"]]
    secret = sensitive_codes(entries, set(sensitive))
    counts = [e for e in entries if e["unit"] == "count"]
    layout: dict[str, tuple[str, list[dict]]] = {}
    for e in counts:
        if e["code"] in secret and e["frequency"] == "monthly":
            layout[e["code"]] = ("quarter", _quarter_rows(e))
        else:
            layout[e["code"]] = (e["frequency"].removesuffix("ly"), e["periods"])
    published: dict = {}
    for rule, group in ((STANDARD, [e for e in counts if e["code"] not in secret]),
                        (SENSITIVE, [e for e in counts if e["code"] in secret])):
        cells: dict = {}
        sums: list[Sum] = []
        for e in group:
            c, s = _cells_for(e["code"], layout[e["code"]][1])
            cells.update(c)
            sums += s
        sums += _category_sums(group, cells)
        published.update(protect(cells, sums, rule, public=public & set(cells)))
    indicators = []
    for e in entries:
        if e["unit"] == "count":
            rule = SENSITIVE if e["code"] in secret else STANDARD
            indicators.append(_count_entry(e, layout[e["code"]], published, rule))
        else:
            indicators.append(_rate_entry(e, withheld=e["code"] in secret))
    name, params = rule_record()
    return {
        "schema_version": SCHEMA_VERSION,
        "partnership": report["partnership"],
        "partnership_name": report["partnership_name"],
        "period": report["period"],
        "period_name": report["period_name"],
        "financial_year": report["financial_year"],
        "rule": {"name": name, "parameters": params},
        "indicators": indicators,
        "cells": {k: v for k, v in sorted(published.items()) if v != SUPPRESSED},
    }


def _count_entry(e: dict, layout: tuple[str, list[dict]], published: dict, rule: Rule) -> dict:
    level, rows = layout
    code = e["code"]
    out_rows = []
    for row in rows:
        p = row["period"]
        out_rows.append({
            "period": p,
            "value": published.get(cell_key(code, "n", p)),
            "previous": published.get(cell_key(code, "n", p, 1)),
            "cumulative": published.get(cell_key(code, "ytd", p)),
            "previous_cumulative": published.get(cell_key(code, "ytd", p, 1)),
        })
    held = [r for r in out_rows if r["cumulative"] is not None]
    ytd = held[-1] if held else None
    return {
        "code": code, "title": e["title"], "unit": "count", "polarity": e["polarity"],
        "sensitive": rule is SENSITIVE, "level": level, "rule": rule.name,
        "rows": out_rows,
        "ytd": _ytd(ytd["period"], ytd["cumulative"], ytd["previous_cumulative"]) if ytd else None,
    }


def _ytd(period: str, value: Any, previous: Any) -> dict[str, Any]:
    change: Any = None
    pct: Any = None
    if SUPPRESSED in (value, previous):
        change = pct = SUPPRESSED
    elif value is not None and previous is not None:
        change = value - previous
        pct = round(100 * change / previous, 1) if previous else None
    return {"to_period": period, "value": value, "previous": previous, "change": change, "change_pct": pct}


def _rate_entry(e: dict, *, withheld: bool) -> dict:
    """A percentage is published unless its numerator is a small number (1-4). Only the current
    year's rates are shown (last year's numerators are not in the report); a sensitive
    percentage is withheld altogether."""
    def shown(value: Any, numerator: Any) -> Any:
        n = _count(numerator)
        if withheld:
            return SUPPRESSED
        if n is not None and STANDARD.low <= n <= STANDARD.high:
            return SUPPRESSED
        return value

    rows = [{"period": r["period"], "value": shown(r["value"], r.get("numerator")), "previous": None,
             "cumulative": None, "previous_cumulative": None} for r in e["periods"]]
    y = e["ytd"]
    return {
        "code": e["code"], "title": e["title"], "unit": e["unit"], "polarity": e["polarity"], "sensitive": withheld,
        "level": e["frequency"].removesuffix("ly"), "rule": STANDARD.name, "rows": rows,
        "ytd": {"to_period": y["to_period"], "value": shown(y["value"], y.get("numerator")), "previous": None,
                "change": None, "change_pct": None} if y["to_period"] else None,
    }
