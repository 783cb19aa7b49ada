"""Who may do what, as a table of role x object x action, through the web pages."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from saferhub.accounts.models import User
from saferhub.accounts.reauth import SESSION_KEY
from saferhub.commissioning import services
from saferhub.commissioning.models import HalfYearReturn, Project, ProjectReturn
from saferhub.partnerships.models import Organisation

from .conftest import NOW

ROLES = ["admin", "analyst", "commissioner", "provider_own", "provider_other", "board"]


@pytest.fixture
def world(fund):
    """The demo fund, a draft 2017-H2 return for project A, and a user of every kind."""
    a = Project.objects.get(fund=fund, letter="A")
    draft = services.project_return_open(project=a, period="2017-H2", now=NOW)
    sanctuary = a.provider
    other = Organisation.objects.get(name="First Light")
    users = {}
    for key in ROLES:
        role = "provider" if key.startswith("provider") else key
        org = sanctuary if key == "provider_own" else other if key == "provider_other" else None
        users[key] = User.objects.create_user(username=key, password="x", role=role, organisation=org)
    hyr = HalfYearReturn.objects.get(fund=fund, period="2017-H1")
    # Signing is an office, not a role: the board member here is the partnership's treasurer.
    services.office_appoint(
        partnership=fund.partnership,
        office="treasurer",
        user=users["board"],
        job_title="Section 151 Officer",
        actor="test",
        now=NOW,
    )
    return {
        "project": a,
        "draft": draft,
        "accepted": ProjectReturn.objects.get(project=a, period="2017-H1"),
        "hyr": hyr,
        "users": users,
    }


def _status(client, world, role, method, url, data=None):
    client.force_login(world["users"][role])
    # As if each had just re-entered their password: the table is about who may, not re-entry
    # (tests/commissioning/test_services_sign_off.py checks that signing asks for the password).
    session = client.session
    session[SESSION_KEY] = time.time()
    session.save()
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response.status_code


# (what, method, url builder, post data, {role: expected status})
OK_ALL = {r: 200 for r in ROLES}
TABLE = [
    ("overview", "get", lambda w: reverse("commissioning:overview"), None, OK_ALL),
    (
        "project",
        "get",
        lambda w: reverse("commissioning:project", args=[w["project"].pk]),
        None,
        {**OK_ALL, "provider_other": 404},
    ),
    (
        "return",
        "get",
        lambda w: reverse("commissioning:return", args=[w["draft"].pk]),
        None,
        {**OK_ALL, "provider_other": 404},
    ),
    (
        "edit form",
        "get",
        lambda w: reverse("commissioning:return-edit", args=[w["draft"].pk]),
        None,
        {"admin": 200, "commissioner": 200, "provider_own": 200, "provider_other": 404, "analyst": 403, "board": 403},
    ),
    (
        "edit",
        "post",
        lambda w: reverse("commissioning:return-edit", args=[w["draft"].pk]),
        {"achieved": "Going well", "rag": "on_track"},
        {"admin": 302, "commissioner": 302, "provider_own": 302, "provider_other": 404, "analyst": 403, "board": 403},
    ),
    (
        "edit an accepted return",
        "post",
        lambda w: reverse("commissioning:return-edit", args=[w["accepted"].pk]),
        {"achieved": "x", "rag": "behind"},
        {"admin": 200, "commissioner": 200, "provider_own": 403, "provider_other": 404, "analyst": 403, "board": 403},
    ),
    (
        "submit",
        "post",
        lambda w: reverse("commissioning:return-submit", args=[w["draft"].pk]),
        None,
        {"admin": 302, "commissioner": 302, "provider_own": 302, "provider_other": 404, "analyst": 403, "board": 403},
    ),
    (
        "half-year return",
        "get",
        lambda w: reverse("commissioning:half-year", args=[w["hyr"].pk]),
        None,
        {**OK_ALL, "provider_own": 404, "provider_other": 404},
    ),
    (
        "download PDF",
        "get",
        lambda w: reverse("commissioning:half-year-download", args=[w["hyr"].pk, "pdf"]),
        None,
        {**OK_ALL, "provider_own": 404, "provider_other": 404},
    ),
    (
        "change the claim",
        "post",
        lambda w: reverse("commissioning:half-year-claim", args=[w["hyr"].pk]),
        {"claimed": "200284.00"},
        {"admin": 302, "commissioner": 302, "provider_own": 404, "provider_other": 404, "analyst": 403, "board": 403},
    ),
    # Only the holder of the office signs (here the board member holds the treasurer's office).
    (
        "treasurer signs",
        "post",
        lambda w: reverse("commissioning:half-year", args=[w["hyr"].pk]),
        {"step": "treasurer", "version": "1"},
        {"admin": 403, "commissioner": 403, "provider_own": 404, "provider_other": 404, "analyst": 403, "board": 302},
    ),
]


@pytest.mark.parametrize("role", ROLES)
def test_role_table(client, world, role):
    """Every row of the table for one role, in an order where earlier rows cannot change what
    later ones see (submitting and signing come last). One database per role keeps it quick."""
    got = {what: _status(client, world, role, method, url(world), data) for what, method, url, data, _ in TABLE}
    assert got == {what: expected[role] for what, _, _, _, expected in TABLE}


@pytest.mark.parametrize(
    "role,expected",
    [
        ("admin", 302),
        ("commissioner", 302),
        ("provider_own", 403),
        ("provider_other", 404),
        ("analyst", 403),
        ("board", 403),
    ],
)
def test_review_rule(client, world, role, expected):
    draft = world["draft"]
    services.project_return_update(project_return=draft, actor="t", now=NOW, rag="on_track")
    services.project_return_submit(project_return=draft, actor="t", now=NOW)
    url = reverse("commissioning:return-review", args=[draft.pk])
    assert _status(client, world, role, "post", url, {"decision": "accept"}) == expected
    draft.refresh_from_db()
    assert draft.state == ("accepted" if expected == 302 else "submitted")


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(reverse("commissioning:overview"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_provider_lists_only_its_own_projects(client, world):
    from saferhub.commissioning.selectors import projects_visible_to

    assert [p.letter for p in projects_visible_to(world["users"]["provider_own"])] == ["A"]
    assert [p.letter for p in projects_visible_to(world["users"]["provider_other"])] == ["B"]
    assert len(projects_visible_to(world["users"]["board"])) == 8
    client.force_login(world["users"]["provider_own"])
    page = client.get(reverse("commissioning:overview")).content.decode()
    assert "Plymouth Domestic Abuse Service" in page and "Healthy Relationships" not in page
    assert "/commissioning/half-year/" not in page  # the return to the funder covers every provider


def test_denials_are_audited(client, world):
    from saferhub.audit.models import AuditEvent

    _status(client, world, "board", "post", reverse("commissioning:return-submit", args=[world["draft"].pk]))
    _status(client, world, "provider_other", "get", reverse("commissioning:project", args=[world["project"].pk]))
    denied = list(AuditEvent.objects.filter(action="denied").values_list("actor_name", "summary"))
    assert ("board", "commissioning.return.submit: the board role may not submit a return") in denied
    assert any(name == "provider_other" and "not visible" in s for name, s in denied)
