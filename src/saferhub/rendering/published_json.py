"""The published figures as JSON, and back: the one writer (``figures_json``: what a published
version stores, and what the API gives) and the one reader (``read_figures``: a stored version
back into ``saferhub.domain.published.PublishedFigures``), which upgrades an older schema in one
place.

Schema 2's keys and values, unchanged: a count is a JSON integer, a percentage a JSON number as
the report gave it (whole as an integer), a suppressed figure "[c]", no figure ``null``.
Schema 1 (the first published versions) had no ``sums``, no ``suppressed`` list and no
indicator ``source``: the upgrade reads the running year-to-date sums and the suppressed cells
from its rows, and leaves the source unrecorded ("").
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any, Callable, Mapping

from saferhub.domain.calendar import Month, parse_period
from saferhub.domain.disclosure import SUPPRESSED, Sum
from saferhub.domain.indicators import Source, Unit
from saferhub.domain.problems import SaferhubError
from saferhub.domain.published import (
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
)
from saferhub.domain.status import Polarity

from .report_json import json_figure

SCHEMA_VERSION = 2
Json = dict[str, Any]
JsonFigure = int | float | str | None


class FiguresSchemaError(SaferhubError, ValueError):
    """Stored JSON that is not a published version this reader knows."""


# --- writing ---------------------------------------------------------------------------------


def figure_json(value: Figure) -> JsonFigure:
    """A published figure as JSON (and as a download's cell): "[c]", a count, a percentage as
    the report gave it."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Marker):
        return value.value
    return json_figure(value)


def figures_json(f: PublishedFigures) -> Json:
    """The published figures as the JSON document of schema 2 (a dict ready for ``json.dumps``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "partnership": f.partnership,
        "partnership_name": f.partnership_name,
        "period": f.period.label,
        "period_name": f.period_name,
        "financial_year": f.financial_year.label,
        "rule": {"name": f.rule.name, "parameters": copy.deepcopy(dict(f.rule.parameters))},
        "indicators": [_indicator_json(i) for i in f.indicators],
        "cells": dict(f.cells),
        "suppressed": list(f.suppressed),
        "sums": [[s.total, list(s.parts)] for s in f.sums],
    }


def _indicator_json(i: PublishedIndicator) -> Json:
    y = i.ytd
    return {
        "code": i.code,
        "title": i.title,
        "unit": i.unit.value,
        "polarity": i.polarity.value,
        "sensitive": i.sensitive,
        "level": i.level.value,
        "rule": i.rule.name,
        "source": i.source.value if i.source else "",
        "rows": [
            {
                "period": r.period.label,
                "value": figure_json(r.value),
                "previous": figure_json(r.previous),
                "cumulative": figure_json(r.cumulative),
                "previous_cumulative": figure_json(r.previous_cumulative),
            }
            for r in i.rows
        ],
        "ytd": None
        if y is None
        else {
            "to_period": y.to_period.label,
            "value": figure_json(y.value),
            "previous": figure_json(y.previous),
            "change": figure_json(y.change),
            "change_pct": figure_json(y.change_pct),
        },
    }


# --- reading ---------------------------------------------------------------------------------


def _from_1(doc: Json) -> Json:
    """Schema 1 to 2: the sums its rows obey (each year's running year to date) and the cells
    its rows show suppressed, as a version of schema 2 stores them; no source was recorded."""
    suppressed: set[str] = set()
    sums: list[list[Any]] = []
    indicators = []
    for ind in doc["indicators"]:
        indicators.append({**ind, "source": ind.get("source", "")})
        if ind["unit"] != "count":
            continue
        for back, field, cum in ((0, "value", "cumulative"), (1, "previous", "previous_cumulative")):
            parts: list[str] = []
            for row in ind["rows"]:
                if row[field] is None:
                    break
                parts.append(cell_key(ind["code"], "n", row["period"], back))
                ytd = cell_key(ind["code"], "ytd", row["period"], back)
                suppressed |= {key for key, v in ((parts[-1], row[field]), (ytd, row[cum])) if v == SUPPRESSED}
                if row[cum] is not None:
                    sums.append([ytd, list(parts)])
    return {**doc, "indicators": indicators, "suppressed": sorted(suppressed), "sums": sums}


# Each older schema's step up to the next, applied in turn: the one place an old version is upgraded.
UPGRADES: dict[int, Callable[[Json], Json]] = {1: _from_1}


def upgrade(data: Mapping[str, Any]) -> Json:
    """A stored document brought up to the current schema (one without a version is schema 1)."""
    doc = dict(data)
    version = doc.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= SCHEMA_VERSION:
        raise FiguresSchemaError(f"published figures schema {version!r} is not one this saferhub reads")
    while version < SCHEMA_VERSION:
        doc = UPGRADES[version](doc)
        version += 1
        doc["schema_version"] = version
    return doc


def _figure(value: Any, unit: Unit) -> Figure:
    """A published figure from its JSON: a percentage is a Decimal, a count a whole number."""
    if value is None:
        return None
    if value == SUPPRESSED:
        return Marker.SUPPRESSED
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FiguresSchemaError(f"a published figure was expected, not {value!r}")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value) if unit == Unit.PERCENTAGE else value


def _change_pct(value: Any) -> Figure:
    return _figure(value, Unit.PERCENTAGE)


def _read_indicator(i: Mapping[str, Any]) -> PublishedIndicator:
    unit = Unit(i["unit"])
    rule = RULES.get(i["rule"])
    if rule is None:
        raise FiguresSchemaError(f"{i['code']}: no disclosure rule is called {i['rule']!r}")
    y = i.get("ytd")
    return PublishedIndicator(
        code=i["code"],
        title=i["title"],
        unit=unit,
        polarity=Polarity(i["polarity"]),
        sensitive=bool(i["sensitive"]),
        level=Level(i["level"]),
        rule=rule,
        source=Source(i["source"]) if i["source"] else "",
        rows=tuple(
            PublishedRow(
                period=parse_period(r["period"]),
                value=_figure(r["value"], unit),
                previous=_figure(r["previous"], unit),
                cumulative=_figure(r["cumulative"], unit),
                previous_cumulative=_figure(r["previous_cumulative"], unit),
            )
            for r in i["rows"]
        ),
        ytd=None
        if not y
        else PublishedYearToDate(
            to_period=parse_period(y["to_period"]),
            value=_figure(y.get("value"), unit),
            previous=_figure(y.get("previous"), unit),
            change=_figure(y.get("change"), unit),
            change_pct=_change_pct(y.get("change_pct")),
        ),
    )


def read_figures(data: Mapping[str, Any]) -> PublishedFigures:
    """The typed published figures from a stored version's JSON (of any schema saferhub has written)."""
    doc = upgrade(data)
    rule = doc["rule"]
    return PublishedFigures(
        partnership=doc["partnership"],
        partnership_name=doc["partnership_name"],
        period=Month.parse(doc["period"]),
        rule=RuleRecord(rule["name"], copy.deepcopy(rule["parameters"])),
        indicators=tuple(_read_indicator(i) for i in doc["indicators"]),
        cells={str(k): int(v) for k, v in doc["cells"].items()},
        suppressed=tuple(doc["suppressed"]),
        sums=tuple(Sum(total, tuple(parts)) for total, parts in doc["sums"]),
    )
