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


def test_the_chart_and_the_test_of_domain_variation_are_what_their_json_reads_back_as():
    """``domain.variation`` gives the report's typed values directly: written as JSON and read
    back they are the same values (so a cached report holds what the builder made)."""
    from decimal import Decimal as D

    from saferhub.domain.calendar import Month
    from saferhub.domain.variation import significance_for, spc_for
    from saferhub.rendering.report_json import read_significance, read_spc, significance_json, spc_json

    months = [100.0, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100, 98, 102, 100, 140]
    series = [(Month(2015, 4).shift(i).label, v) for i, v in enumerate(months)]
    for target in (None, 101.5):
        spc = spc_for(series, "lower_is_better", target, "count")
        assert spc is not None and read_spc(spc_json(spc), "count") == spc
    wild = [300.0, 900, 200, 1000, 400, 800, 350, 850]
    for previous, current, monthly in ((6803, 7170, wild), (0, 4, [0.0, 1, 3]), (0, 0, []), (12, 3, wild[:2])):
        sig = significance_for(D(previous), D(current), monthly)
        assert sig is not None and read_significance(significance_json(sig)) == sig
