"""The half-year return as a typed value: the one JSON writer and the one reader (issue 13)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from saferhub.domain.commissioning import Half, Rag, SignOffState
from saferhub.rendering.return_json import SCHEMA_VERSION, ReturnSchemaError, return_from_json, return_to_json

STORED = Path(__file__).parent / "fixtures" / "signed_return_v1.json"


def stored() -> dict:
    return json.loads(STORED.read_text(encoding="utf-8"))


def test_a_version_1_snapshot_reads_as_typed_values():
    r = return_from_json(stored())
    assert r.schema_version == 1 and r.period == Half(2017, 1) and r.state is SignOffState.CSP_SIGNED
    assert r.allocation == Decimal("400568.00") and isinstance(r.claimed, Decimal)
    assert [p.rag for p in r.projects] == [Rag.ACHIEVED] * 4 + [Rag.ON_TRACK] * 3 + [Rag.BEHIND]
    assert r.title == "HALF YEAR REPORT RETURN - COMMUNITY SAFETY FUND 2017-18"
    assert r.allocation_text == "£400,568" and r.csp.date == "03/11/2017"


def test_written_again_a_snapshot_is_the_same_json_with_its_schema_version():
    before = stored()
    after = return_to_json(return_from_json(before))
    assert after.pop("schema_version") == SCHEMA_VERSION
    for p in after["projects"]:
        assert p.pop("appendices") == []  # version 1 had none
    assert after == before


def test_a_later_schema_or_another_document_is_refused():
    with pytest.raises(ReturnSchemaError, match="schema version 99"):
        return_from_json({**stored(), "schema_version": 99})
    with pytest.raises(ReturnSchemaError, match="not a half-year return"):
        return_from_json({**stored(), "kind": "performance_report"})
    broken = stored()
    del broken["projects"][0]["funding"]
    with pytest.raises(ReturnSchemaError, match="cannot be read"):
        return_from_json(broken)
