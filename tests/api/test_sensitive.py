"""API tokens have scopes; sensitive, unsuppressed figures need one an administrator grants, and
every read of them is an audited export. A session follows the web download's rule (the password
again). Token authentication goes through the door's rules: a deactivated user's token fails,
failures are throttled and audited (issue 12, finding 4)."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from saferhub.accounts.reauth import SESSION_KEY
from saferhub.audit.models import AuditAction, AuditEvent
from tests.api.conftest import client_with_token, token_for

SENSITIVE = "/api/partnerships/testcsp/indicators/hate-crime/"
REPORT = "/api/partnerships/testcsp/reports/performance/2016-09/"
LISTING = "/api/partnerships/testcsp/indicators/"
PLAIN = "/api/partnerships/testcsp/indicators/thefts/"


def _count(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.mark.parametrize("url", [SENSITIVE, REPORT])
def test_a_token_without_the_sensitive_scope_is_refused_sensitive_figures_and_it_is_audited(partnership, users, url):
    c = client_with_token(token_for(users["analyst"]))
    before = _count(AuditAction.DENIED)
    response = c.get(url)
    assert response.status_code == 403
    assert "read:sensitive" in response.json()["detail"]
    assert _count(AuditAction.DENIED) == before + 1
    assert c.get(PLAIN).status_code == 200  # the rest of what the role may read is unchanged


@pytest.mark.parametrize("url", [SENSITIVE, REPORT, LISTING])
def test_with_the_scope_every_read_of_sensitive_figures_is_an_audited_export(partnership, users, url):
    c = client_with_token(token_for(users["analyst"], "read:sensitive"))
    for _ in range(2):
        before = _count(AuditAction.EXPORT)
        assert c.get(url).status_code == 200
        event = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("-id").first()
        assert _count(AuditAction.EXPORT) == before + 1
        assert event.actor == users["analyst"] and "API" in event.summary and event.ip_address == "127.0.0.1"


def test_reads_without_sensitive_figures_are_not_exports(partnership, users):
    c = client_with_token(token_for(users["analyst"], "read:sensitive"))
    before = _count(AuditAction.EXPORT)
    assert c.get(PLAIN).status_code == 200
    assert client_with_token(token_for(users["board"])).get(LISTING).status_code == 200  # sensitive left out
    assert _count(AuditAction.EXPORT) == before


def test_the_scope_adds_nothing_to_what_the_role_may_read(partnership, users):
    # A provider may not see unpublished figures at all: the command refuses the scope ...
    with pytest.raises(CommandError, match="may not see unpublished performance figures"):
        token_for(users["provider"], "read:sensitive")
    # ... and a provider's token is refused the figures whatever it holds.
    assert client_with_token(token_for(users["provider"])).get(PLAIN).status_code == 403


def test_scopes_are_granted_explicitly_kept_on_rotation_and_audited(users):
    from saferhub.api.models import token_scopes

    key = token_for(users["analyst"])
    token = Token.objects.get(key=key)
    assert token_scopes(token) == {"read"}  # the default: no sensitive figures
    assert token_for(users["analyst"]) == key  # create again: the same token, the same scopes
    assert token_scopes(Token.objects.get(key=key)) == {"read"}
    assert token_for(users["analyst"], "read:sensitive") == key  # granted to the existing token
    assert token_scopes(Token.objects.get(key=key)) == {"read", "read:sensitive"}
    granted = AuditEvent.objects.filter(object_type="authtoken.token", action=AuditAction.UPDATE).get()
    assert "read:sensitive" in granted.summary and granted.actor_name == "saferhub token"
    out = io.StringIO()
    call_command("token", "create", "--user", "analyst", "--rotate", stdout=out)
    rotated = out.getvalue().strip()
    assert rotated != key and token_scopes(Token.objects.get(key=rotated)) == {"read", "read:sensitive"}
    call_command("token", "create", "--user", "analyst", "--scope", "read", stdout=io.StringIO())
    assert token_scopes(Token.objects.get(key=rotated)) == {"read"}  # taken away again


def test_a_token_from_before_scopes_has_the_non_sensitive_default(partnership, users):
    from saferhub.api.models import token_scopes

    token = Token.objects.create(user=users["analyst"])  # as tokens issued before scopes existed
    assert token_scopes(token) == {"read"}
    c = client_with_token(token.key)
    assert c.get(PLAIN).status_code == 200 and c.get(SENSITIVE).status_code == 403


def test_the_migration_gives_existing_tokens_the_default(transactional_db, users):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from saferhub.api.models import TokenScopes

    executor = MigrationExecutor(connection)
    executor.migrate([("api", None)])
    token = Token.objects.create(user=users["board"])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("api"))
    assert TokenScopes.objects.get(token=token).scopes == "read"


def test_a_deactivated_users_token_fails_and_it_is_audited(partnership, users):
    c = client_with_token(token_for(users["board"]))
    assert c.get(PLAIN).status_code == 200
    users["board"].is_active = False
    users["board"].save()
    before = _count(AuditAction.LOGIN_FAILED)
    response = c.get(PLAIN)
    assert response.status_code == 401
    assert _count(AuditAction.LOGIN_FAILED) == before + 1
    assert "deactivated" in AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("-id").first().summary


def test_wrong_tokens_are_audited_and_throttled_per_address(partnership, users, settings):
    good = token_for(users["analyst"])
    before = _count(AuditAction.LOGIN_FAILED)
    for i in range(settings.LOGIN_FAILURES_ALLOWED):
        assert client_with_token(f"{i:040d}").get(PLAIN).status_code == 401
    assert _count(AuditAction.LOGIN_FAILED) == before + settings.LOGIN_FAILURES_ALLOWED
    # The next attempt from that address is refused whatever the token, and audited too.
    refused = client_with_token(good).get(PLAIN)
    assert refused.status_code == 429 and "Retry-After" in refused
    assert _count(AuditAction.LOGIN_FAILED) == before + settings.LOGIN_FAILURES_ALLOWED + 1
    # Another address is not locked out.
    other = client_with_token(good)
    assert other.get(PLAIN, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_a_session_follows_the_web_downloads_rule(client, partnership, users):
    client.force_login(users["analyst"])
    response = client.get(SENSITIVE)
    assert response.status_code == 403 and "/accounts/confirm-password/" in response.json()["detail"]
    listing = client.get(LISTING).json()
    assert [i["code"] for i in listing] == ["thefts"]  # the sensitive one left out until then
    session = client.session
    session[SESSION_KEY] = time.time()
    session.save()
    before = _count(AuditAction.EXPORT)
    assert client.get(SENSITIVE).status_code == 200 and client.get(REPORT).status_code == 200
    assert [i["code"] for i in client.get(LISTING).json()] == ["thefts", "hate-crime"]
    assert _count(AuditAction.EXPORT) == before + 3


def test_the_schema_documents_the_scopes(db):
    import json

    doc = json.loads(APIClient().get("/api/schema/").content)
    assert "read:sensitive" in doc["info"]["description"]


@pytest.mark.parametrize(
    "header",
    [
        "Token",
        "Token a b",
        "Token " + "0" * 39 + "\x00",
        "Token " + "f" * 100_000,
        "Token \u00e9" + "0" * 39,
        "Token " + "0" * 40 + "'--",
        "token " + "A" * 40,
    ],
)
def test_malformed_tokens_are_401_and_audited_never_500(partnership, header):
    c = APIClient()
    c.raise_request_exception = True
    before = _count(AuditAction.LOGIN_FAILED)
    response = c.get(PLAIN, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert _count(AuditAction.LOGIN_FAILED) == before + 1
