"""The JSON API: authentication, the same rules as the pages, provider scoping, the schema."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from saferhub.audit.models import AuditEvent
from saferhub.domain.calendar import Month
from saferhub.performance.report import build_performance_report
from saferhub.publishing.services import publication_approve, publication_propose
from saferhub.rendering.report_json import report_json
from tests.api.conftest import client_with_token, token_for
from tests.publishing.conftest import NOW

ROLES = ["admin", "analyst", "commissioner", "provider", "board"]
ENDPOINTS = {
    "root": "/api/",
    "partnerships": "/api/partnerships/",
    "partnership": "/api/partnerships/testcsp/",
    "organisations": "/api/organisations/",
    "indicators": "/api/partnerships/testcsp/indicators/",
    "indicator": "/api/partnerships/testcsp/indicators/thefts/",
    "report": "/api/partnerships/testcsp/reports/performance/2016-09/",
    "publications": "/api/publications/",
}
# role x endpoint: 200 allowed, 403 forbidden (and audited). The report holds a sensitive
# indicator (hate crime): a token without the read:sensitive scope is refused it (issue 12).
READERS = {"admin": 200, "analyst": 200, "commissioner": 200, "provider": 403, "board": 200}
NOBODY = {r: 403 for r in ROLES}
EVERYONE = {r: 200 for r in ROLES}
TABLE = {
    "root": EVERYONE,
    "partnerships": EVERYONE,
    "partnership": EVERYONE,
    "organisations": EVERYONE,
    "indicators": READERS,
    "indicator": READERS,
    "report": NOBODY,
    "publications": EVERYONE,
}


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_anonymous_gets_401(partnership, name):
    response = APIClient().get(ENDPOINTS[name])
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_gets_401(partnership):
    assert client_with_token("0" * 40).get("/api/partnerships/").status_code == 401


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_role_by_endpoint_with_a_token(partnership, users, role, name):
    c = client_with_token(token_for(users[role]))
    denials = AuditEvent.objects.filter(action="denied").count()
    response = c.get(ENDPOINTS[name])
    assert response.status_code == TABLE[name][role]
    assert AuditEvent.objects.filter(action="denied").count() == denials + (TABLE[name][role] == 403)


def test_session_works_for_the_browser(client, partnership, users):
    client.force_login(users["board"])
    assert client.get("/api/partnerships/").json()[0]["slug"] == "testcsp"


def test_indicator_carries_its_values(partnership, users):
    data = client_with_token(token_for(users["analyst"])).get("/api/partnerships/testcsp/indicators/thefts/").json()
    assert data["code"] == "thefts" and data["sensitive"] is False
    assert {"period": "2016-05", "value": 3, "numerator": None, "denominator": None} in data["values"]
    assert len(data["values"]) == 12
    # A sensitive indicator is listed only for a token with the read:sensitive scope (issue 12).
    listing = client_with_token(token_for(users["analyst"])).get("/api/partnerships/testcsp/indicators/").json()
    assert [i["code"] for i in listing] == ["thefts"]
    listing = (
        client_with_token(token_for(users["analyst"], "read:sensitive"))
        .get("/api/partnerships/testcsp/indicators/")
        .json()
    )
    assert [i["code"] for i in listing] == ["thefts", "hate-crime"] and listing[1]["sensitive"] is True


def test_report_is_the_json_of_build_performance_report(partnership, users):
    data = client_with_token(token_for(users["board"], "read:sensitive")).get(ENDPOINTS["report"]).json()
    assert data == json.loads(json.dumps(report_json(build_performance_report(partnership, Month(2016, 9)))))


@pytest.mark.parametrize(
    "url",
    [
        "/api/partnerships/nope/",
        "/api/partnerships/nope/indicators/",
        "/api/partnerships/testcsp/indicators/nope/",
        "/api/partnerships/testcsp/reports/performance/2016-13/",
        "/api/partnerships/nope/reports/performance/2016-09/",
        "/api/publications/999/",
    ],
)
def test_missing_things_are_404(partnership, users, url):
    assert client_with_token(token_for(users["admin"])).get(url).status_code == 404


def test_provider_sees_only_its_own_organisation_and_another_is_404_like_a_missing_one(partnership, users):
    c = client_with_token(token_for(users["provider"]))
    own, other = users["provider"].organisation, users["other_provider"].organisation
    assert [o["name"] for o in c.get("/api/organisations/").json()] == ["Provider A"]
    assert c.get(f"/api/organisations/{own.pk}/").status_code == 200
    before = AuditEvent.objects.filter(action="denied").count()
    assert c.get(f"/api/organisations/{other.pk}/").status_code == 404
    assert c.get("/api/organisations/99999/").status_code == 404
    assert AuditEvent.objects.filter(action="denied").count() == before + 1  # only the real one is logged
    admin = client_with_token(token_for(users["admin"]))
    assert (
        len(admin.get("/api/organisations/").json()) == 2
        and admin.get(f"/api/organisations/{other.pk}/").status_code == 200
    )


def test_publications_are_the_frozen_versions(partnership, users):
    p = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)
    v = publication_approve(publication=p, actor=users["commissioner"], now=NOW)
    c = client_with_token(token_for(users["provider"]))
    listing = c.get("/api/publications/?partnership=testcsp").json()
    assert [(x["period"], x["number"], x["checksum"]) for x in listing] == [("2016-09", 1, v.checksum)]
    assert c.get("/api/publications/?partnership=other").json() == []
    detail = c.get(f"/api/publications/{v.pk}/").json()
    assert detail["figures"] == v.figures and detail["public_url"] == "/public/testcsp/2016-09/v1/"


def test_the_api_is_read_only(partnership, users):
    c = client_with_token(token_for(users["admin"]))
    assert c.post("/api/partnerships/", {"slug": "x", "name": "X"}).status_code == 405
    assert c.delete("/api/partnerships/testcsp/").status_code == 405


def test_token_command_reuses_rotates_and_revokes(users):
    first = token_for(users["analyst"])
    assert token_for(users["analyst"]) == first and len(first) == 40
    out = io.StringIO()
    call_command("token", "create", "--user", "analyst", "--rotate", stdout=out)
    assert out.getvalue().strip() != first
    call_command("token", "revoke", "--user", "analyst", stdout=io.StringIO())
    assert not Token.objects.filter(user=users["analyst"]).exists()
    assert client_with_token(first).get("/api/").status_code == 401
    assert AuditEvent.objects.filter(object_type="authtoken.token").count() == 4  # issued, revoked+issued, revoked


def test_schema_is_valid_openapi_3_json(db):
    # drf-spectacular's own validator: the official OpenAPI 3.0 JSON Schema, via jsonschema.
    from drf_spectacular.validation import validate_schema as validate

    response = APIClient().get("/api/schema/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.")
    validate(doc)
    for p in [
        "/api/partnerships/",
        "/api/partnerships/{partnership_slug}/indicators/",
        "/api/partnerships/{slug}/reports/performance/{period}/",
        "/api/publications/{id}/",
    ]:
        assert p in doc["paths"]
    assert {"tokenAuth", "cookieAuth"} <= set(doc["components"]["securitySchemes"])


def test_an_indicator_is_the_partnerships_own_when_codes_repeat(partnership, users, tmp_path):
    """Another partnership's hate crime is not sensitive: ours still is (the lookup used to take
    the first indicator of that code in any partnership, its title and sensitive flag too)."""
    from saferhub.partnerships.services import partnership_create
    from saferhub.performance.models import Indicator
    from saferhub.performance.services import catalogue_import
    from tests.publishing.conftest import CATALOGUE, load_figures

    Indicator.objects.filter(partnership=partnership).update(position=5)
    other = partnership_create(slug="othercsp", name="Other CSP", local_authorities=["Exeter"])
    (tmp_path / "other").mkdir()
    catalogue = tmp_path / "other" / "catalogue.csv"
    catalogue.write_text(CATALOGUE.replace("Hate crime", "Hate crime elsewhere"))
    catalogue_import(path=catalogue, partnership=other)
    Indicator.objects.filter(partnership=other).update(position=1)  # first in the table's order
    load_figures(other, tmp_path / "other", figures={"hate-crime": {"2016-05": 99}})
    c = client_with_token(token_for(users["analyst"]))
    theirs = c.get("/api/partnerships/othercsp/indicators/hate-crime/").json()
    assert theirs["title"] == "Hate crime elsewhere" and theirs["sensitive"] is False
    assert [v["value"] for v in theirs["values"]] == [99]
    assert c.get("/api/partnerships/testcsp/indicators/hate-crime/").status_code == 403  # ours is sensitive
    ours = client_with_token(token_for(users["analyst"], "read:sensitive")).get(
        "/api/partnerships/testcsp/indicators/hate-crime/"
    )
    assert ours.json()["title"] == "Hate crime" and ours.json()["sensitive"] is True
