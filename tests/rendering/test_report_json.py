"""The report's one JSON writer and one reader: stored JSON reads back into the same typed value,
whatever schema it was written in."""

import json

import pytest

from saferhub.rendering.report_json import SCHEMA_VERSION, ReportSchemaError, read_report, report_json

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("which", ["demo_report", "real_report"])
def test_stored_json_reads_back_into_the_same_report(request, which):
    report = request.getfixturevalue(which)
    stored = json.loads(json.dumps(report_json(report)))
    again = read_report(stored)
    assert again == report
    assert json.dumps(report_json(again)) == json.dumps(report_json(report))  # the same bytes, keys in order


def test_a_document_without_a_version_is_schema_1_and_a_newer_one_is_refused(demo_report):
    stored = report_json(demo_report)
    assert stored["schema_version"] == SCHEMA_VERSION == 1
    del stored["schema_version"]
    assert read_report(stored) == demo_report
    with pytest.raises(ReportSchemaError, match="newer"):
        read_report({**stored, "schema_version": SCHEMA_VERSION + 1})


def test_figures_keep_their_json_form(demo_report):
    """A count stays a JSON integer, a rate a number with decimals; the report holds Decimals."""
    data = report_json(demo_report)
    crime = next(i for i in data["indicators"] if i["code"] == "overall-crime")
    assert isinstance(crime["ytd"]["value"], int) and not isinstance(crime["ytd"]["value"], bool)
    rate = next(i for i in demo_report.indicators if i.unit == "percentage")
    assert all(type(p.value).__name__ in ("Decimal", "NoneType") for p in rate.periods)
