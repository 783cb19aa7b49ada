"""Funds and projects in the JSON API: commissioning's rules, provider scoping, the seed's figures."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from saferhub.accounts.models import User
from saferhub.audit.models import AuditEvent
from saferhub.commissioning import returns
from saferhub.commissioning.models import Fund, Project
from saferhub.commissioning.returns import half_year_return_for, spend_to_date
from saferhub.partnerships.models import Organisation
from saferhub.rendering.return_json import return_to_json
from tests.api.conftest import client_with_token, token_for


def build_half_year_return(*args, **kwargs):
    """The return in its JSON rendering (the keys these assertions read; issue 13 made the
    return a typed value)."""
    return return_to_json(returns.build_half_year_return(*args, **kwargs))


ROLES = ["admin", "analyst", "commissioner", "provider", "board"]


@pytest.fixture
def world(fund):
    """The demo fund (2017/18, projects A-H) and a user of every role; the provider user works for
    Sanctuary Housing Association (project A), another provider user for First Light (project B)."""
    sanctuary = Organisation.objects.get(name="Sanctuary Housing Association")
    first_light = Organisation.objects.get(name="First Light")
    users = {
        r: User.objects.create_user(
            username=r, password="x", role=r, organisation=sanctuary if r == "provider" else None
        )
        for r in ROLES
    }
    users["other_provider"] = User.objects.create_user(
        username="other", password="x", role="provider", organisation=first_light
    )
    projects = {p.letter: p for p in Project.objects.filter(fund=fund)}
    return {"fund": fund, "users": users, "projects": projects}


def _endpoints(w) -> dict[str, str]:
    return {
        "funds": "/api/funds/",
        "fund": f"/api/funds/{w['fund'].pk}/",
        "projects": "/api/projects/",
        "own project": f"/api/projects/{w['projects']['A'].pk}/",
        "another's project": f"/api/projects/{w['projects']['B'].pk}/",
    }


# role x endpoint: every role of commissioning.view reads; a provider gets another's project as 404.
EVERYONE = {r: 200 for r in ROLES}
TABLE = {
    "funds": EVERYONE,
    "fund": EVERYONE,
    "projects": EVERYONE,
    "own project": EVERYONE,
    "another's project": {**EVERYONE, "provider": 404},
}


@pytest.mark.parametrize("role", ROLES)
def test_role_by_endpoint_with_a_token(world, role):
    c = client_with_token(token_for(world["users"][role]))
    for name, url in _endpoints(world).items():
        denials = AuditEvent.objects.filter(action="denied").count()
        response = c.get(url)
        assert (name, response.status_code) == (name, TABLE[name][role])
        # The only refusal here is the provider's 404 for another organisation's project: audited.
        assert AuditEvent.objects.filter(action="denied").count() == denials + (TABLE[name][role] != 200)


@pytest.mark.parametrize("name", ["funds", "fund", "projects", "own project", "another's project"])
def test_anonymous_gets_401(world, name):
    response = APIClient().get(_endpoints(world)[name])
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_a_role_without_commissioning_view_is_refused_and_audited(world, monkeypatch):
    # Today every role may view commissioning; the API follows the app's rule if that changes.
    from saferhub.accounts.permissions import RULES, roles

    monkeypatch.setitem(RULES, "commissioning.view", roles("admin", "commissioner"))
    c = client_with_token(token_for(world["users"]["board"]))
    before = AuditEvent.objects.filter(action="denied").count()
    assert c.get("/api/funds/").status_code == 403
    assert c.get("/api/projects/").status_code == 403
    assert AuditEvent.objects.filter(action="denied").count() == before + 2
    assert client_with_token(token_for(world["users"]["commissioner"])).get("/api/projects/").status_code == 200


def test_provider_sees_only_its_own_projects(world):
    c = client_with_token(token_for(world["users"]["provider"]))
    assert [(p["letter"], p["provider"]["name"]) for p in c.get("/api/projects/").json()] == [
        ("A", "Sanctuary Housing Association")
    ]
    other = client_with_token(token_for(world["users"]["other_provider"]))
    assert [p["letter"] for p in other.get("/api/projects/").json()] == ["B"]
    admin = client_with_token(token_for(world["users"]["admin"]))
    assert [p["letter"] for p in admin.get("/api/projects/").json()] == list("ABCDEFGH")


def test_another_organisations_project_is_404_like_a_missing_one_and_only_it_is_audited(world):
    c = client_with_token(token_for(world["users"]["provider"]))
    before = AuditEvent.objects.filter(action="denied").count()
    b = world["projects"]["B"]
    assert c.get(f"/api/projects/{b.pk}/").status_code == 404
    assert c.get("/api/projects/99999/").status_code == 404
    events = list(AuditEvent.objects.filter(action="denied").order_by("pk"))[before:]
    assert len(events) == 1 and "another organisation" in json.dumps(events[0].after or {}) + events[0].summary


def test_provider_sees_the_funds_totals(world):
    # As the commissioning overview page: the fund's totals are not any one provider's.
    data = client_with_token(token_for(world["users"]["provider"])).get("/api/funds/").json()
    assert [f["slug"] for f in data] == ["community-safety-fund"]
    assert data[0]["awards"][0]["allocated"] == "428246.00"


def test_fund_figures_match_the_seed(world):
    data = client_with_token(token_for(world["users"]["analyst"])).get(f"/api/funds/{world['fund'].pk}/").json()
    assert data["partnership"] == "safer-plymouth" and data["name"] == "Community Safety Fund"
    assert data["funder"] == "Office of the Police and Crime Commissioner for Devon and Cornwall"
    assert [a["financial_year"] for a in data["awards"]] == ["2017/18", "2018/19"]
    award, later = data["awards"]
    # 2018/19 is awarded the same, with nothing allocated yet.
    assert (later["amount"], later["allocated"], later["spent"], later["unallocated"]) == (
        "400568.00",
        "0.00",
        "0.00",
        "400568.00",
    )
    assert (award["amount"], award["carried_forward"], award["available"]) == ("400568.00", "27678.00", "428246.00")
    assert award["allocated"] == "428246.00" and award["unallocated"] == "0.00"
    # Spent is every project's spend to date, as the half-year return adds it up.
    paper = build_half_year_return(half_year_return_for(world["fund"], 2017), live=True)
    assert award["spent"] == f"{sum(Decimal(p['spend_to_date']) for p in paper['projects']):.2f}"
    assert award["spent"] == f"{sum(spend_to_date(p, '2017-H2') for p in world['projects'].values()):.2f}"


def test_project_figures_match_the_seed(world):
    c = client_with_token(token_for(world["users"]["commissioner"]))
    f = c.get(f"/api/projects/{world['projects']['F'].pk}/").json()
    assert (f["letter"], f["title"], f["financial_year"]) == ("F", "ASB, low level and emerging crime", "2017/18")
    assert f["provider"]["name"] == "Plymouth City Council" and f["fund"] == world["fund"].pk
    assert f["funding"] == "16046.00" and f["spend_to_date"] == "1330.06"
    listing = {p["letter"]: p for p in c.get("/api/projects/").json()}
    assert [listing[x]["rag"] for x in "ABCDEFGH"] == ["achieved"] * 4 + ["on_track"] * 3 + ["behind"]
    assert listing["H"]["rag_label"] == "Not Achieved/Behind Schedule" and listing["H"]["provider"] is None
    assert f"{sum(Decimal(p['funding']) for p in listing.values()):.2f}" == "428246.00"
    # The same numbers as the half-year return's sections, project by project.
    paper = {
        p["letter"]: p for p in build_half_year_return(half_year_return_for(world["fund"], 2017), live=True)["projects"]
    }
    for letter, p in listing.items():
        assert (p["funding"], p["spend_to_date"], p["share_of_service"]) == (
            paper[letter]["funding"],
            paper[letter]["spend_to_date"],
            paper[letter]["share_of_service"],
        )
        assert [(c["name"], c["amount"]) for c in p["cofunders"]] == [
            (c["name"], c["amount"]) for c in paper[letter]["cofunders"]
        ]
        assert [k["name"] for k in p["kpis"]] == [k["name"] for k in paper[letter]["kpis"]]
        # The latest return's actual of each KPI is the paper's (the paper is the 2017-H1 return).
        assert p["latest_return"]["period"] == "2017-H1"
        assert [(k["actuals"][-1]["value"] if k["actuals"] else None) for k in p["kpis"]] == [
            k["actual"] for k in paper[letter]["kpis"]
        ]


def test_kpi_actuals_carry_their_period_and_money_is_a_string(world):
    # Project B (First Light) gave two KPI actuals in its 2017-H1 return.
    b = (
        client_with_token(token_for(world["users"]["other_provider"]))
        .get(f"/api/projects/{world['projects']['B'].pk}/")
        .json()
    )
    assert [k["actuals"] for k in b["kpis"][:2]] == [
        [
            {
                "period": "2017-H1",
                "review_state": "accepted",
                "value": "185.00",
                "note": "only 68% of the planned 274 appointments, through lack of capacity",
            }
        ],
        [
            {
                "period": "2017-H1",
                "review_state": "accepted",
                "value": "41.00",
                "note": "in the first quarter; to be picked up by the Plymouth SARC Board",
            }
        ],
    ]
    assert all(k["actuals"] == [] for k in b["kpis"][2:])
    assert b["funding"] == "25000.00" and b["latest_return"]["review_state"] == "accepted"


def test_project_filters(world):
    c = client_with_token(token_for(world["users"]["admin"]))
    assert len(c.get(f"/api/projects/?fund={world['fund'].pk}&year=2017&partnership=safer-plymouth").json()) == 8
    assert c.get("/api/projects/?year=2016").json() == []
    # A bad parameter was an empty list; it is a 400 naming it now (issue 12, finding 10).
    bad = c.get("/api/projects/?fund=x")
    assert bad.status_code == 400 and bad.json() == {"fund": ["must be a whole number from 1 to 2147483647"]}
    assert c.get("/api/funds/?partnership=elsewhere").json() == []


def test_the_endpoints_are_read_only(world):
    c = client_with_token(token_for(world["users"]["admin"]))
    assert c.post("/api/funds/", {"name": "X"}).status_code == 405
    assert c.delete(f"/api/projects/{world['projects']['A'].pk}/").status_code == 405
    assert Fund.objects.count() == 1 and Project.objects.count() == 8


def test_schema_is_valid_and_lists_funds_and_projects(db):
    from drf_spectacular.validation import validate_schema as validate

    doc = json.loads(APIClient().get("/api/schema/").content)
    validate(doc)
    for p in ["/api/funds/", "/api/funds/{id}/", "/api/projects/", "/api/projects/{id}/"]:
        assert p in doc["paths"]
    project = doc["components"]["schemas"]["Project"]["properties"]
    assert project["funding"]["type"] == "string" and project["spend_to_date"]["type"] == "string"
    assert doc["components"]["schemas"]["Award"]["properties"]["unallocated"]["type"] == "string"


def test_the_project_list_does_not_query_per_project(world, django_assert_max_num_queries):
    c = client_with_token(token_for(world["users"]["admin"]))
    # The throttle's count of recent token failures from this address (issue 12), the token and
    # its user, the projects, then one query per prefetched relation (co-funders, KPIs, returns,
    # their spend lines, their actuals): 8 whatever the number of projects (8 here).
    with django_assert_max_num_queries(8):
        assert len(c.get("/api/projects/").json()) == 8


@pytest.mark.parametrize("resource", ["funds", "projects", "organisations", "publications"])
@pytest.mark.parametrize("bad_id", ["abc", "1e9", "%00", "%EF%BC%91", "-1", "0", "99999999999999999999"])
def test_an_id_that_is_not_a_number_is_404_not_a_server_error(world, resource, bad_id):
    """Found by the hostile re-run of issue 12: /api/funds/%00/ and /api/organisations/1e9/ were 500s."""
    c = client_with_token(token_for(world["users"]["admin"]))
    response = c.get(f"/api/{resource}/{bad_id}/")
    assert response.status_code == 404, (resource, bad_id, response.status_code)
