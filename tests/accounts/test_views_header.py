"""Issue 15: the header of every page says who is signed in and offers "Sign out" (a POST form);
signing out is audited and ends the session."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session

from saferhub.accounts.models import Role, User
from saferhub.audit.models import AuditAction, AuditEvent
from tests.security.urlwalk import all_routes

PASSWORD = "correct horse battery staple"
# The pages each role starts from; with the sample URL of every route below, every template that
# extends base.html is reached that a GET with no data can reach.
PAGES = [
    "/",
    "/dashboard/",
    "/data/",
    "/commissioning/",
    "/governance/",
    "/reports/",
    "/publishing/",
    "/audit/",
    "/public/",
    "/accounts/account/",
    "/no-such-page/",
]
SIGN_OUT_FORM = re.compile(
    r'<form method="post" action="/accounts/logout/"[^>]*>\s*<input type="hidden" '
    r'name="csrfmiddlewaretoken" value="[^"]+">\s*<button type="submit"[^>]*>Sign out</button>'
)


def _uses_base(response) -> bool:
    return any(t.name == "base.html" for t in getattr(response, "templates", []) or [])


def _check_header(response, name: str) -> None:
    html = response.content.decode()
    assert f"Signed in as <strong>{name}</strong>" in html, response.request["PATH_INFO"]
    assert SIGN_OUT_FORM.search(html), response.request["PATH_INFO"]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_signed_in_page_names_the_user_and_offers_sign_out(client, db, role):
    from saferhub.partnerships.models import Organisation

    org = Organisation.objects.create(name="Provider Ltd", kind="charity")
    user = User.objects.create_user(
        f"{role}1",
        password=PASSWORD,
        role=role,
        first_name="Alex",
        last_name="Ward",
        organisation=org if role == Role.PROVIDER else None,
        is_superuser=role == Role.ADMIN,
        is_staff=role == Role.ADMIN,
    )
    client.force_login(user)
    client.raise_request_exception = False
    urls = PAGES + [r.url for r in all_routes() if not r.url.startswith(("/admin/", "/api/", "/accounts/logout"))]
    checked = 0
    for url in dict.fromkeys(urls):
        response = client.get(url)
        if _uses_base(response):
            _check_header(response, "Alex Ward")
            checked += 1
    assert checked >= len(PAGES) - 3  # 403 and 404 pages included: they extend base.html too


def test_a_user_without_a_full_name_is_shown_by_username(client, db):
    client.force_login(User.objects.create_user("plainuser", password=PASSWORD, role=Role.BOARD))
    _check_header(client.get("/public/"), "plainuser")


def test_an_anonymous_page_has_no_sign_out(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "Sign out" not in html and "Signed in as" not in html


def test_the_sign_out_form_ends_the_session_and_is_audited(client, db):
    User.objects.create_user("board1", password=PASSWORD, role=Role.BOARD, first_name="Bo")
    assert client.post("/accounts/login/", {"username": "board1", "password": PASSWORD}).status_code == 302
    key = client.session.session_key
    page = client.get("/public/").content.decode()
    action = re.search(r'<form method="post" action="([^"]+)"[^>]*class="sh-sign-out"', page).group(1)
    response = client.post(action)
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert "_auth_user_id" not in client.session
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor_name="board1").count() == 1
