"""The published figures' one JSON writer and one reader: a stored version of schema 2 reads back
into the typed value and is written again byte for byte; schema 1 is upgraded in one place."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from saferhub.domain.calendar import Month, Quarter
from saferhub.domain.disclosure import SENSITIVE
from saferhub.domain.indicators import Source, Unit
from saferhub.domain.published import Level, Marker
from saferhub.rendering.published_json import SCHEMA_VERSION, FiguresSchemaError, figures_json, read_figures
from tests.publishing.stored import load


@pytest.mark.parametrize("name", ["demo-v2", "small-v2"])
def test_a_stored_version_is_written_again_byte_for_byte(name):
    stored = load(name)[0]["figures"]
    assert stored["schema_version"] == SCHEMA_VERSION == 2
    again = figures_json(read_figures(stored))
    assert json.dumps(again, ensure_ascii=False) == json.dumps(stored, ensure_ascii=False)


def test_the_typed_value_holds_typed_figures():
    f = read_figures(load("small-v2")[0]["figures"])
    assert f.period == Month(2016, 9) and f.financial_year.label == "2016/17" and f.period_name == "September 2016"
    rate = next(i for i in f.indicators if i.unit == "percentage")
    assert rate.rows[0].value == Decimal("82.22") and isinstance(rate.rows[1].value, Decimal)  # 80: whole
    assert rate.rows[2].value is Marker.SUPPRESSED
    hate = next(i for i in f.indicators if i.code == "hate-crime")
    assert hate.level is Level.QUARTER and hate.rule is SENSITIVE and hate.rows[0].period == Quarter(2016, 1)
    thefts = next(i for i in f.indicators if i.code == "thefts")
    assert rate.unit is Unit.PERCENTAGE and thefts.unit is Unit.COUNT and thefts.source is Source.PARTNER
    assert thefts.ytd is not None and thefts.ytd.change == -29 and thefts.ytd.change_pct == Decimal("-19.9")


def test_schema_1_is_upgraded_with_its_running_sums_and_suppressed_cells():
    v2 = load("small-v2")[0]["figures"]
    v1 = {k: v for k, v in v2.items() if k not in ("sums", "suppressed")} | {"schema_version": 1}
    v1["indicators"] = [{k: v for k, v in i.items() if k != "source"} for i in v2["indicators"]]
    old = read_figures(v1)
    new = read_figures(v2)
    assert set(old.suppressed) == set(new.suppressed)  # every suppressed cell shows "[c]" in some row
    assert all(i.source == "" for i in old.indicators) and old.indicators[0].rows == new.indicators[0].rows
    running = {(s.total, s.parts) for s in new.sums if "|ytd|" in str(s.total) and all("|n|" in p for p in s.parts)}
    assert {(s.total, s.parts) for s in old.sums} >= running


def test_a_schema_it_does_not_know_is_refused():
    stored = load("small-v2")[0]["figures"]
    for version in (SCHEMA_VERSION + 1, "2", 0):
        with pytest.raises(FiguresSchemaError):
            read_figures({**stored, "schema_version": version})
