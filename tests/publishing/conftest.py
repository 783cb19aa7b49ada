"""A small partnership whose figures include small numbers, and one user per role."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from saferhub.accounts.models import Role, User
from saferhub.partnerships.models import Organisation
from saferhub.partnerships.services import partnership_create
from saferhub.performance.models import Indicator
from saferhub.performance.services import catalogue_import, indicators_import

NOW = timezone.make_aware(datetime.datetime(2016, 12, 20, 9, 0))

CATALOGUE = """code,title,polarity,frequency,unit,source,noun
thefts,Thefts,lower_is_better,monthly,count,partner,thefts
hate-crime,Hate crime,higher_is_better,monthly,count,partner,hate crimes
"""
# thefts: May 2016 is 3 (primary), so another month must go too (the YTD would give it away).
# hate-crime (sensitive): quarters of 2016/17 Q1 = 4+5+3 = 12 -> "10"; Q2 = 2+2+1 = 5 -> "[c]".
FIGURES = {
    "thefts": {
        "2015-04": 20,
        "2015-05": 22,
        "2015-06": 25,
        "2015-07": 21,
        "2015-08": 30,
        "2015-09": 28,
        "2016-04": 18,
        "2016-05": 3,
        "2016-06": 24,
        "2016-07": 26,
        "2016-08": 19,
        "2016-09": 27,
    },
    "hate-crime": {
        "2015-04": 6,
        "2015-05": 7,
        "2015-06": 9,
        "2015-07": 8,
        "2015-08": 6,
        "2015-09": 10,
        "2016-04": 4,
        "2016-05": 5,
        "2016-06": 3,
        "2016-07": 2,
        "2016-08": 2,
        "2016-09": 1,
    },
}


def load_figures(partnership, tmp_path, figures=FIGURES, reported_on="2016-10-10", now=NOW):
    lines = ["indicator,period,value,numerator,denominator,target,target_kind,reported_on"]
    for code, values in figures.items():
        lines += [f"{code},{p},{v},,,,,{reported_on}" for p, v in values.items()]
    path = tmp_path / f"figures-{reported_on}.csv"
    path.write_text("\n".join(lines) + "\n")
    indicators_import(path=path, partnership=partnership, now=now)


def small_partnership(tmp_path):
    """Test CSP: a catalogue of two indicators, hate crime sensitive, and FIGURES loaded."""
    p = partnership_create(slug="testcsp", name="Test CSP", local_authorities=["Plymouth"])
    cat = tmp_path / "catalogue.csv"
    cat.write_text(CATALOGUE)
    catalogue_import(path=cat, partnership=p)
    Indicator.objects.filter(partnership=p, code="hate-crime").update(sensitive=True)
    load_figures(p, tmp_path)
    return p


def one_user_per_role():
    """A user per role (named by it), the provider's of Provider A, and one of Provider B."""
    provider_org = Organisation.objects.create(name="Provider A", kind="charity")
    other_org = Organisation.objects.create(name="Provider B", kind="charity")
    made = {}
    for role in Role.values:
        made[role] = User.objects.create_user(
            username=role,
            password="pw-" + role,
            role=role,
            organisation=provider_org if role == Role.PROVIDER else None,
        )
    made["other_provider"] = User.objects.create_user(
        username="other", password="pw", role=Role.PROVIDER, organisation=other_org
    )
    return made


@pytest.fixture
def partnership(db, tmp_path):
    return small_partnership(tmp_path)


@pytest.fixture
def users(db):
    return one_user_per_role()
