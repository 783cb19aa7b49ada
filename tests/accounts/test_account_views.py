"""Issue 15: the account page: change the password (Django's validators, audited, other sessions
ended) and set up the second factor again (the current password and a code of the new secret)."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from saferhub.accounts.models import LoginFailure, Role, User
from saferhub.accounts.services import totp_enrol
from saferhub.accounts.totp import totp_code
from saferhub.audit.models import AuditAction, AuditEvent

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase 2026"


@pytest.fixture
def analyst(db):
    user = User.objects.create_user(
        "analyst1", password=PASSWORD, role=Role.ANALYST, first_name="Ana", email="ana@example.org"
    )
    totp_enrol(user=user)
    return user


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_account_page_shows_who_you_are_and_what_you_can_change(analyst):
    html = _signed_in(analyst).get("/accounts/account/").content.decode()
    assert "Your account" in html and "analyst1" in html and "ana@example.org" in html
    assert "Community safety analyst" in html
    assert 'href="/accounts/account/password/"' in html and 'href="/accounts/account/second-factor/"' in html


@pytest.mark.parametrize("weak", ["short pass", "password1234", "qwerty123456"])
def test_a_new_password_must_pass_the_validators(analyst, weak):
    client = _signed_in(analyst)
    response = client.post(
        "/accounts/account/password/", {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    analyst.refresh_from_db()
    assert analyst.check_password(PASSWORD)


def test_a_wrong_current_password_is_refused_and_counted(analyst):
    client = _signed_in(analyst)
    response = client.post(
        "/accounts/account/password/",
        {"old_password": "not my password at all", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    analyst.refresh_from_db()
    assert analyst.check_password(PASSWORD)
    assert LoginFailure.objects.filter(username="analyst1").count() == 1


def test_changing_the_password_keeps_this_session_ends_the_others_and_is_audited(analyst):
    here, elsewhere = _signed_in(analyst), _signed_in(analyst)
    other_key = elsewhere.session.session_key
    response = here.post(
        "/accounts/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/account/"
    analyst.refresh_from_db()
    assert analyst.check_password(NEW_PASSWORD)
    assert "password has been changed" in here.get("/accounts/account/").content.decode()  # still signed in
    assert not Session.objects.filter(session_key=other_key).exists()
    assert elsewhere.get("/accounts/account/")["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, summary__startswith="password changed")
    assert event.actor_name == "analyst1" and "1 other session(s) ended" in event.summary


def _new_secret(client) -> str:
    html = client.get("/accounts/account/second-factor/").content.decode()
    return re.search(r"<code data-totp-secret>([A-Z2-7]+)</code>", html).group(1)


def test_re_enrolling_needs_the_current_password(analyst):
    client = _signed_in(analyst)
    old = analyst.totp_secret
    secret = _new_secret(client)
    code = totp_code(secret, at=timezone.now())
    response = client.post("/accounts/account/second-factor/", {"password": "wrong wrong wrong", "code": code})
    assert response.status_code == 200 and "Enter your current password" in response.content.decode()
    analyst.refresh_from_db()
    assert analyst.totp_secret == old
    assert LoginFailure.objects.filter(username="analyst1").count() == 1


def test_re_enrolling_needs_a_code_of_the_new_secret(analyst):
    client = _signed_in(analyst)
    old = analyst.totp_secret
    _new_secret(client)
    code_of_old = totp_code(old, at=timezone.now())
    response = client.post("/accounts/account/second-factor/", {"password": PASSWORD, "code": code_of_old})
    assert response.status_code == 200 and "for the new key" in response.content.decode()
    analyst.refresh_from_db()
    assert analyst.totp_secret == old


def test_re_enrolling_replaces_the_secret_ends_other_sessions_and_is_audited(analyst):
    here, elsewhere = _signed_in(analyst), _signed_in(analyst)
    old = analyst.totp_secret
    secret = _new_secret(here)
    assert secret != old
    response = here.post(
        "/accounts/account/second-factor/", {"password": PASSWORD, "code": totp_code(secret, at=timezone.now())}
    )
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.totp_secret == secret
    assert elsewhere.get("/accounts/account/")["Location"].startswith("/accounts/login/")
    assert (
        AuditEvent.objects.filter(summary__startswith="second factor (TOTP) re-enrolled", actor_name="analyst1").count()
        == 1
    )
    # Signing in now takes a code of the new secret; the old app's code is refused.
    fresh = Client()
    fresh.post("/accounts/login/", {"username": "analyst1", "password": PASSWORD})
    analyst.totp_last_step = None
    analyst.save(update_fields=["totp_last_step"])
    assert fresh.post("/accounts/totp/", {"code": totp_code(old, at=timezone.now())}).status_code == 200
    assert fresh.post("/accounts/totp/", {"code": totp_code(secret, at=timezone.now())}).status_code == 302


def test_the_account_pages_need_a_signed_in_user(client, db):
    for url in ("/accounts/account/", "/accounts/account/password/", "/accounts/account/second-factor/"):
        assert client.get(url)["Location"].startswith("/accounts/login/")
