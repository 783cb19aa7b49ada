"""The hostile review's attacks on published figures (issue 16; issue 12 findings 3 and 12), each
tried by the independent attacker in ``attacker.py`` on the versions as the public sees them."""

from __future__ import annotations

import copy
import datetime

import pytest

from saferhub.domain.calendar import Month
from saferhub.performance.models import Indicator
from saferhub.performance.services import catalogue_import
from saferhub.publishing.services import publication_approve, publication_propose

from .attacker import narrowed
from .conftest import NOW, load_figures

LATER = NOW + datetime.timedelta(days=40)


def publish(partnership, users, period, now=NOW):
    p = publication_propose(partnership=partnership, period=Month.parse(period), actor=users["analyst"], now=now)
    return publication_approve(publication=p, actor=users["commissioner"], now=now + datetime.timedelta(hours=1))


def test_a_revised_figure_cannot_be_worked_out_from_the_republished_year_to_date(partnership, users, tmp_path):
    """Finding 3: October is revised to 3 and November republished. Today's code treats every
    cell shown in version 1 as known, whatever its value, so version 2 shows the new year-to-date
    figures either side of October and October = YTD(Oct) - YTD(Sep)."""
    load_figures(
        partnership,
        tmp_path,
        {"thefts": {"2015-10": 24, "2015-11": 23, "2016-10": 31, "2016-11": 29}},
        reported_on="2016-12-01",
    )
    v1 = publish(partnership, users, "2016-11")
    load_figures(partnership, tmp_path, {"thefts": {"2016-10": 3}}, reported_on="2016-12-15")
    v2 = publish(partnership, users, "2016-11", now=LATER)
    oct_ = next(
        r for i in v2.figures["indicators"] if i["code"] == "thefts" for r in i["rows"] if r["period"] == "2016-10"
    )
    assert oct_["value"] == "[c]"
    truth = {"thefts|n|2016-10": 3}
    assert narrowed([v2.figures], truth, 1, 4) == {}  # the version on its own
    assert narrowed([v1.figures, v2.figures], truth, 1, 4) == {}  # and with what version 1 showed


def test_a_small_count_revised_upwards_stays_hidden_in_the_version_that_showed_it(partnership, users, tmp_path):
    """A revised value is a new fact: October was 3 in version 1 (suppressed, with a cell to
    protect it). Revised to 31, nothing in version 2 is small; but showing version 1's
    protecting cells again, unchanged, would give version 1's October = 3."""
    load_figures(
        partnership,
        tmp_path,
        {"thefts": {"2015-10": 24, "2015-11": 23, "2016-10": 3, "2016-11": 29}},
        reported_on="2016-12-01",
    )
    v1 = publish(partnership, users, "2016-11")
    load_figures(partnership, tmp_path, {"thefts": {"2016-10": 31}}, reported_on="2016-12-15")
    v2 = publish(partnership, users, "2016-11", now=LATER)
    # What version 1 showed, with what version 2 shows of the cells not revised since.
    revised = {("2016-10", "value"), ("2016-10", "cumulative"), ("2016-11", "cumulative")}
    both = copy.deepcopy(v1.figures)
    later = {(i["code"], r["period"]): r for i in v2.figures["indicators"] for r in i["rows"]}
    for ind in both["indicators"]:
        for row in ind["rows"]:
            for field in ("value", "previous", "cumulative", "previous_cumulative"):
                new = later[(ind["code"], row["period"])][field]
                if row[field] == "[c]" and new != "[c]" and (row["period"], field) not in revised:
                    row[field] = new
    thefts = next(i for i in both["indicators"] if i["code"] == "thefts")
    assert next(r for r in thefts["rows"] if r["period"] == "2016-10")["value"] == "[c]"
    assert narrowed([both], {"thefts|n|2016-10": 3}, 1, 4) == {}


CATEGORIES = """code,title,polarity,frequency,unit,source,noun,crime_types
burglary,Burglary,lower_is_better,monthly,count,partner,burglaries,burglary
robbery,Robbery,lower_is_better,monthly,count,partner,robberies,robbery
vehicle-crime,Vehicle crime,lower_is_better,monthly,count,partner,vehicle crimes,vehicle-crime
sac,Serious acquisitive crime,lower_is_better,monthly,count,partner,crimes,burglary robbery vehicle-crime
"""
MONTHS = ["04", "05", "06", "07", "08", "09"]
SERIES = {
    "burglary": ([31, 28, 35, 30, 27, 33], [40, 38, 36, 35, 39, 37]),
    "robbery": ([1, 2, 3, 2, 2, 1], [4, 6, 5, 7, 3, 6]),
    "vehicle-crime": ([22, 25, 21, 26, 24, 23], [30, 29, 27, 26, 28, 31]),
}


@pytest.fixture
def categories(db, tmp_path):
    from saferhub.partnerships.services import partnership_create

    p = partnership_create(slug="cats", name="Category CSP", local_authorities=["Plymouth"])
    cat = tmp_path / "categories.csv"
    cat.write_text(CATEGORIES)
    catalogue_import(path=cat, partnership=p)
    Indicator.objects.filter(partnership=p, code="robbery").update(sensitive=True)
    figures: dict = {code: {} for code in [*SERIES, "sac"]}
    for code, (cur, prev) in SERIES.items():
        for m, a, b in zip(MONTHS, cur, prev):
            figures[code][f"2016-{m}"], figures[code][f"2015-{m}"] = a, b
    for label in list(figures["burglary"]):
        figures["sac"][label] = sum(figures[c][label] for c in SERIES)
    load_figures(p, tmp_path, figures)
    return p


def test_a_total_across_the_standard_and_sensitive_groups_does_not_pin_a_sensitive_category(categories, users):
    """Today each rule group is protected on its own: the total (sensitive because it counts
    robbery) is published by quarter, rounded, and the other categories by month, exactly; the
    total minus those parts pins robbery's suppressed quarter to a range of five."""
    v = publish(categories, users, "2016-09")
    robbery = next(i for i in v.figures["indicators"] if i["code"] == "robbery")
    assert robbery["rows"][0]["value"] == "[c]"  # Q1: 1 + 2 + 3 = 6
    truth = {"robbery|n|2016-Q1": 6, "robbery|n|2016-Q2": 5, "robbery|ytd|2016-Q1": 6}
    assert narrowed([v.figures], truth, 1, 9, categories={"sac": list(SERIES)}) == {}


PERCENTAGE = """code,title,polarity,frequency,unit,source,noun
repeat-victims,Repeat victims supported,higher_is_better,monthly,percentage,partner,repeat victims
"""


def test_a_percentage_does_not_reveal_a_small_complement(partnership, users, tmp_path):
    """Finding 12: 5 of 6 published as 83.3% tells the reader that 1 was not."""
    cat = tmp_path / "pct.csv"
    cat.write_text(PERCENTAGE)
    catalogue_import(path=cat, partnership=partnership)
    path = tmp_path / "pct-figures.csv"
    path.write_text(
        "indicator,period,value,numerator,denominator,target,target_kind,reported_on\n"
        "repeat-victims,2016-08,,40,50,,,2016-10-10\n"
        "repeat-victims,2016-09,,5,6,,,2016-10-10\n"
    )
    from saferhub.performance.services import indicators_import

    indicators_import(path=path, partnership=partnership, now=NOW)
    v = publish(partnership, users, "2016-09")
    rate = next(i for i in v.figures["indicators"] if i["code"] == "repeat-victims")
    rows = {r["period"]: r["value"] for r in rate["rows"]}
    assert rows["2016-08"] == 80
    assert rows["2016-09"] == "[c]"  # numerator 5, but the 1 not supported is a small number
    assert "83.3" not in str(v.figures)
