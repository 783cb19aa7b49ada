"""Issue 15: password reset by email, through Django's email framework and a real SMTP server:
the link works once, the page never says whether an address exists, requests are throttled."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from saferhub.accounts.models import Role, User
from saferhub.audit.models import AuditEvent

from .conftest import body_of

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase 2026"
LINK = re.compile(r"http://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def board(db):
    return User.objects.create_user("board1", password=PASSWORD, role=Role.BOARD, email="bo@example.org")


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()  # the throttle counts in the cache


def test_the_sign_in_page_links_to_the_reset(client, db):
    assert 'href="/accounts/password-reset/"' in client.get("/accounts/login/").content.decode()


def test_a_reset_link_arrives_by_smtp_and_sets_a_new_password_once(client, board, smtp_server):
    elsewhere = Client()
    elsewhere.force_login(board)
    response = client.post("/accounts/password-reset/", {"email": "bo@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    [message] = smtp_server.to("bo@example.org")
    assert message["Subject"] == "Reset your saferhub password"
    path = LINK.search(body_of(message)).group(1)
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    set_password_url = form.redirect_chain[-1][0]
    weak = client.post(set_password_url, {"new_password1": "password1234", "new_password2": "password1234"})
    assert weak.status_code == 200 and "There is a problem" in weak.content.decode()
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    board.refresh_from_db()
    assert board.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in client.session  # not signed in: that is the door's job
    assert not Session.objects.filter(session_key=elsewhere.session.session_key).exists()
    assert AuditEvent.objects.filter(summary__startswith="password reset by email", actor_name="board1").exists()
    # The link worked once.
    again = Client().get(path, follow=True)
    assert "This link does not work" in again.content.decode()
    # And the new password signs in at the door.
    assert Client().post("/accounts/login/", {"username": "board1", "password": NEW_PASSWORD}).status_code == 302


def test_the_answer_is_the_same_whether_the_address_exists_or_not(board, smtp_server):
    known = Client().post("/accounts/password-reset/", {"email": "bo@example.org"}, follow=True)
    unknown = Client().post("/accounts/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content.decode().replace(
        known.wsgi_request.META.get("CSRF_COOKIE", ""), ""
    ) == unknown.content.decode().replace(unknown.wsgi_request.META.get("CSRF_COOKIE", ""), "")
    assert len(smtp_server.messages) == 1 and not smtp_server.to("nobody@example.org")


def test_reset_requests_are_throttled_per_address_without_saying_so(client, board, smtp_server):
    responses = [Client().post("/accounts/password-reset/", {"email": "bo@example.org"}) for _ in range(5)]
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, "/accounts/password-reset/sent/")}
    assert len(smtp_server.to("bo@example.org")) == 3  # SAFERHUB_RESET_PER_ADDRESS
    assert AuditEvent.objects.filter(summary__startswith="refused (too many requests)").count() == 2


def test_reset_requests_are_throttled_per_ip_address(settings, db, smtp_server):
    settings.SAFERHUB_RESET_PER_IP = 4
    for n in range(6):
        User.objects.create_user(f"user{n}", password=PASSWORD, email=f"u{n}@example.org")
        Client().post("/accounts/password-reset/", {"email": f"u{n}@example.org"})
    assert len(smtp_server.messages) == 4


def test_a_deactivated_user_gets_no_reset_link(board, smtp_server):
    board.is_active = False
    board.save()
    Client().post("/accounts/password-reset/", {"email": "bo@example.org"})
    assert smtp_server.messages == []


def test_a_forged_link_does_not_work(client, board):
    response = client.get("/accounts/reset/MQ/abc-0123456789abcdef/", follow=True)
    assert response.status_code == 200 and "This link does not work" in response.content.decode()
