"""Real police.uk data: Plymouth's monthly counts from Devon & Cornwall's 2019 files, checked
against an independent count made here with the csv module."""

import csv
from collections import Counter

import pytest

from saferhub.domain.calendar import Month
from saferhub.domain.policeuk import CRIME_TYPES, STANDARD_INDICATORS
from saferhub.performance.models import Indicator
from saferhub.performance.report import build_performance_report
from saferhub.performance.selectors import police_observations
from saferhub.performance.services import policeuk_import
from saferhub.rendering.report_json import report_json

from ..conftest import DEVON_AND_CORNWALL
from .areas import ons_district_codes
from .conftest import NOW


def independent_counts():
    """By LSOA code, Plymouth's being those the ONS lookups in ../shared place in E06000026."""
    plymouth = ons_district_codes("E06000026")
    counts: Counter = Counter()
    no_location = located_elsewhere = 0
    for path in sorted(DEVON_AND_CORNWALL.glob("*-street.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                code = row["LSOA code"]
                if not code:
                    no_location += 1
                elif code in plymouth:
                    counts[(row["Month"], CRIME_TYPES[row["Crime type"]])] += 1
                else:
                    located_elsewhere += 1
    return counts, no_location, located_elsewhere


@pytest.fixture
def imported(plymouth):
    run = policeuk_import(paths=[DEVON_AND_CORNWALL], partnership=plymouth, now=NOW)
    return plymouth, run


def test_plymouth_monthly_counts_match_an_independent_count(imported):
    plymouth, run = imported
    expected, no_location, elsewhere = independent_counts()
    indicators = list(Indicator.objects.filter(partnership=plymouth))
    observed = police_observations(plymouth, indicators)
    months = [f"2019-{m:02d}" for m in range(1, 13)]
    for std in STANDARD_INDICATORS:
        for month in months:
            want = sum(expected[(month, t)] for t in std.crime_types)
            assert observed[std.code][month].value == want, (std.code, month)
    assert run.rows_in_area == sum(expected.values())
    assert run.rows_without_location == no_location
    assert run.rows_outside_area == elsewhere
    assert run.rows_read == sum(expected.values()) + no_location + elsewhere


def test_real_report_has_all_standard_indicators_and_honest_gaps(imported):
    plymouth, _ = imported
    report = report_json(build_performance_report(plymouth, Month(2019, 12)))
    codes = [i["code"] for i in report["indicators"]]
    assert codes == [s.code for s in STANDARD_INDICATORS]
    asb = report["indicators"][0]
    # 2018/19 months Apr-Dec were never imported: last year is unknown, not zero.
    assert asb["periods"][0]["previous"] is None
    assert asb["ytd"]["to_period"] == "2019-12" and asb["missing_periods"] == []
    march = report_json(build_performance_report(plymouth, Month(2019, 3)))["indicators"][0]
    assert march["missing_periods"][:2] == ["2018-04", "2018-05"] and march["ytd"]["to_period"] is None
    # Figures are held for January to March, but the year to date cannot start (issue 14).
    assert march["status"] == "not_assessed"
    assert march["commentary"].startswith("No year-to-date figure for anti-social behaviour incidents can be given")
    assert (
        "No figures have been received for April, May, June, July, August, September, October, November and December 2018."
        in march["commentary"]
    )
