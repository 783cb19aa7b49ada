"""Exporting unsuppressed sensitive figures needs the password again (re-authentication)."""

from __future__ import annotations

import pytest

from saferhub.accounts.models import User
from saferhub.demo import load_demo
from saferhub.performance.models import Indicator
from tests.performance.conftest import NOW

PASSWORD = "correct horse battery staple"
URLS = [
    "/partnerships/safer-plymouth/performance/2016-11/download.xlsx",
    "/partnerships/safer-plymouth/performance/2016-11.json",
]


@pytest.fixture
def analyst_client(client, db):
    load_demo(now=NOW)
    client.force_login(User.objects.create_user("analyst1", password=PASSWORD, role="analyst"))
    return client


@pytest.mark.parametrize("url", URLS)
def test_exports_without_sensitive_indicators_need_no_password(analyst_client, url):
    Indicator.objects.update(sensitive=False)  # the demo marks domestic abuse and hate crime
    assert analyst_client.get(url).status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_exports_with_sensitive_indicators_ask_for_the_password_again(analyst_client, url):
    assert Indicator.objects.filter(code="domestic-abuse", sensitive=True).exists()
    response = analyst_client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/confirm-password/?next=")
    confirmed = analyst_client.post(response["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == url
    assert analyst_client.get(url).status_code == 200
