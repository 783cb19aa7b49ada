"""List pages issue a constant number of queries whatever their length (no N+1): a page with
many rows costs the database no more round trips than one with few. Add new list pages to
LIST_PAGES as they are merged."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saferhub.demo import load_demo
from saferhub.partnerships.services import partnership_create
from tests.performance.conftest import NOW

LIST_PAGES = [
    "/dashboard/",  # a tile per indicator
    "/partnerships/safer-plymouth/performance/2016-11/",  # indicators of a report
    "/partnerships/safer-plymouth/performance/2016-11.json",
]


def _queries(client, url: str, expect: str = "") -> int:
    # Built afresh each time (the report cache would otherwise hide the building's queries).
    caches["reports"].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert expect.encode() in response.content  # the added rows are on the page
    return len(captured)


def _grow(partnership, n: int) -> None:
    """n more partnerships, and n more partner indicators with a year of figures each."""
    from saferhub.performance.models import ImportKind, ImportRun, Indicator, IndicatorValue

    for i in range(n):
        partnership_create(slug=f"extra-{i}", name=f"Extra {i}", local_authorities=["Plymouth"])
    run = ImportRun.objects.create(kind=ImportKind.INDICATORS, partnership=partnership, started_at=NOW, finished_at=NOW)
    for i in range(n):
        ind = Indicator.objects.create(
            partnership=partnership,
            code=f"extra-{i}",
            title=f"Extra {i}",
            polarity="lower_is_better",
            unit="count",
            frequency="monthly",
            source="partner",
            noun="things",
            position=100 + i,
        )
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(
                    indicator=ind, period=f"{y}-{m:02d}", value=10 + m, reported_on=datetime.date(2016, 12, 1), run=run
                )
                for y, months in ((2015, range(4, 13)), (2016, range(1, 12)))
                for m in months
            ]
        )


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_issue_a_constant_number_of_queries(client, django_user_model, db, url):
    partnership = load_demo(now=NOW)
    # Counting queries, not testing re-authentication: no indicator asks for the password again.
    from saferhub.performance.models import Indicator

    Indicator.objects.update(sensitive=False)
    client.force_login(django_user_model.objects.create_user("analyst1", role="analyst"))
    _queries(client, url)  # warm caches (content types, sessions)
    few = _queries(client, url)
    _grow(partnership, 15)
    many = _queries(client, url, expect="Extra 14")
    assert many == few, f"{url}: {few} queries with the demo, {many} with 15 more rows"


def test_fund_overview_queries_do_not_grow_with_its_projects_or_years(client, django_user_model, db):
    """/commissioning/ lists every fund-year with its projects, their spend to date, the
    intentions, the half-year return and the checks."""
    from decimal import Decimal

    from saferhub.commissioning.models import Award, Intention, Project, ProjectReturn, SpendLine

    load_demo(now=NOW)
    client.force_login(django_user_model.objects.create_user("commissioner1", role="commissioner"))
    _queries(client, "/commissioning/")
    few = _queries(client, "/commissioning/")
    seed = Project.objects.first()  # more projects for a fund-year that has projects already
    award = Award.objects.get(fund=seed.fund, year=seed.year)
    for i in range(12):
        project = Project.objects.create(
            fund=award.fund, year=award.year, letter=f"Z{i}", title=f"Extra project {i}", amount=Decimal("100.00")
        )
        ret = ProjectReturn.objects.create(project=project, period=f"{award.year}-H1")
        SpendLine.objects.create(project_return=ret, category="Staff", amount=Decimal("12.34"))
    # and three more fund-years, each with a project, spend and an intention
    for year in (2030, 2031, 2032):
        Award.objects.create(fund=award.fund, year=year, amount=Decimal("1000.00"))
        project = Project.objects.create(
            fund=award.fund, year=year, letter="A", title=f"Project of {year}", amount=Decimal("10.00")
        )
        ret = ProjectReturn.objects.create(project=project, period=f"{year}-H1")
        SpendLine.objects.create(project_return=ret, category="Staff", amount=Decimal("1.00"))
        Intention.objects.create(
            fund=award.fund,
            year=year,
            position=1,
            area_of_need="Need",
            recommendation="Fund it",
            as_at=datetime.date(year, 3, 1),
            contribution=Decimal("10.00"),
            state="confirmed",
        )
    many = _queries(client, "/commissioning/", expect="Extra project 11")
    assert "Project of 2032" in client.get("/commissioning/").content.decode()
    assert many == few, f"/commissioning/: {few} queries with the demo, {many} with 12 more projects and 3 more years"
