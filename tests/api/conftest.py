"""The API's tests read publishing's small partnership (Test CSP) and its users, one a role, and
commissioning's seed fund (on its own partnership, Safer Plymouth)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.commissioning.conftest import safer_plymouth, seed_fund
from tests.publishing.conftest import one_user_per_role, small_partnership


def token_for(user, *scopes: str) -> str:
    out = io.StringIO()
    call_command("token", "create", "--user", user.username, *[a for s in scopes for a in ("--scope", s)], stdout=out)
    return out.getvalue().strip()


def client_with_token(key: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


@pytest.fixture
def partnership(db, tmp_path):
    return small_partnership(tmp_path)


@pytest.fixture
def users(db):
    return one_user_per_role()


@pytest.fixture
def fund(db):
    return seed_fund(safer_plymouth())
