"""One door (issue 12, finding 1): every way to accept a password or open a session goes through
the sign-in: password, per-account throttle, the second factor where the role needs it, audit.

The walk posts a password to EVERY URL pattern of the resolver (tests/security/urlwalk.py, which
finds patterns added later by itself). A route that reacts to the password at all (answers a
correct one differently from a wrong one) must be one of the reviewed doors below, must throttle
and audit ten wrong attempts, and no route may give a session without the second factor."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth import login as django_login
from django.test import Client, RequestFactory
from django.utils import timezone

from saferhub.accounts.models import Role, User
from saferhub.accounts.services import totp_enrol
from saferhub.audit.models import AuditAction, AuditEvent
from tests.security.urlwalk import all_routes

PASSWORD = "correct horse battery staple"
WRONG = "not the password at all"
NEW_PASSWORD = "a brand new long passphrase 7"
# Pages an admin without a verified second factor must not open.
GUARDED = ("/admin/", "/audit/", "/dashboard/", "/publishing/")

# The reviewed doors: the only routes that may react to a password. Adding one is a decision.
DOORS_FOR_VISITORS = {"accounts:login"}  # the sign-in (then the second factor)
DOORS_FOR_SIGNED_IN = {
    "accounts:confirm-password",  # re-entry before a sensitive export
    "admin:password_change",  # the admin's own password change asks for the old one
    "accounts:account-password",  # your account: changing the password asks for the old one (issue 15)
}

ROUTES = all_routes()


@pytest.fixture
def admin_user(db):
    user = User.objects.create_user("admin1", password=PASSWORD, role=Role.ADMIN, is_staff=True, is_superuser=True)
    totp_enrol(user=user)
    return user


def _basic(password: str) -> str:
    return "Basic " + base64.b64encode(f"admin1:{password}".encode()).decode()


def _visitor_post(route, password: str):
    """A fresh visitor posts the admin's credentials in every shape a login form or HTTP auth takes."""
    client = Client(raise_request_exception=False)
    response = client.post(
        route.url, {"username": "admin1", "password": password, "next": "/audit/"}, HTTP_AUTHORIZATION=_basic(password)
    )
    return client, response


def _outcome(response) -> tuple[int, str]:
    return response.status_code, response.get("Location", "")


def _failures() -> int:
    return AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, actor_name="admin1").count()


def _assert_no_session(client) -> None:
    assert "_auth_user_id" not in client.session, "a session was opened without the second factor"
    for url in GUARDED:
        response = client.get(url, HTTP_AUTHORIZATION=_basic(PASSWORD))
        assert response.status_code != 200, f"{url} opened without the second factor"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_a_password_posted_to_any_route_goes_through_the_door(admin_user, route):
    right_client, right = _visitor_post(route, PASSWORD)
    _assert_no_session(right_client)
    _, wrong = _visitor_post(route, WRONG)
    reacts = _outcome(right) != _outcome(wrong)
    assert reacts == (route.name in DOORS_FOR_VISITORS), (
        f"{route.name} answers a correct password differently from a wrong one: it must be the sign-in"
    )
    for _ in range(9):
        _visitor_post(route, WRONG)
    logged = _failures()
    after_client, after = _visitor_post(route, PASSWORD)
    _assert_no_session(after_client)
    if reacts:
        assert logged == 10, "every wrong attempt is in the audit log"
        assert after.status_code == 429 and "pending_user_id" not in after_client.session, "throttled"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_a_password_posted_by_a_signed_in_user_to_any_route_goes_through_the_door(admin_user, route):
    def post(password: str):
        client = Client(raise_request_exception=False)
        client.force_login(admin_user)  # as if through the door (tests/conftest.py)
        return client.post(
            route.url,
            {
                "password": password,
                "old_password": password,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )

    wrong = post(WRONG)
    right = post(PASSWORD)
    reacts = _outcome(right) != _outcome(wrong)
    assert reacts == (route.name in DOORS_FOR_SIGNED_IN), (
        f"{route.name} answers a correct password differently from a wrong one: it must be a reviewed door"
    )
    if not reacts:
        return
    admin_user.refresh_from_db()
    password = NEW_PASSWORD if admin_user.check_password(NEW_PASSWORD) else PASSWORD
    before = _failures()
    for _ in range(10):
        post(WRONG)
    assert _failures() == before + 10, "every wrong attempt is in the audit log"
    refused = post(password)
    assert _outcome(refused) == _outcome(wrong), "the eleventh attempt is refused, right password or not"
    admin_user.refresh_from_db()
    assert admin_user.check_password(password)


def test_the_admin_sign_in_is_the_projects_sign_in(client, admin_user):
    response = client.get("/admin/login/?next=/admin/audit/auditevent/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/audit/auditevent/"
    response = client.post("/admin/login/", {"username": "admin1", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_the_admin_opens_after_password_and_second_factor(client, admin_user):
    from saferhub.accounts.totp import totp_code

    response = client.post("/accounts/login/", {"username": "admin1", "password": PASSWORD, "next": "/admin/"})
    assert response["Location"].startswith("/accounts/totp/")
    response = client.post(response["Location"], {"code": totp_code(admin_user.totp_secret, at=timezone.now())})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/audit/").status_code == 200


@pytest.mark.parametrize("role", [Role.ADMIN, Role.BOARD])
def test_a_session_opened_anywhere_but_the_door_opens_nothing(client, db, role):
    """A session made by ``django.contrib.auth.login`` alone (as Django's admin sign-in or a
    package's login view would make it) is ended at the next request, and that is audited."""
    user = User.objects.create_user(
        "someone", password=PASSWORD, role=role, is_staff=True, is_superuser=role == Role.ADMIN
    )
    request = RequestFactory().get("/")
    request.session = client.session
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    assert client.session["_auth_user_id"] == str(user.pk)
    for url in GUARDED:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].split("?")[0] in (
            "/accounts/login/",
            "/admin/login/",
        ), url
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, actor_name="someone", summary__contains="not opened by the sign-in"
    ).exists()


def test_a_session_without_the_second_factor_ends_when_the_role_comes_to_need_it(client, db):
    user = User.objects.create_user("board1", password=PASSWORD, role=Role.BOARD)
    response = client.post("/accounts/login/", {"username": "board1", "password": PASSWORD})
    assert response.status_code == 302 and client.get("/dashboard/").status_code == 200
    User.objects.filter(pk=user.pk).update(role=Role.ANALYST)  # now needs a second factor
    assert client.get("/dashboard/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_signing_out_of_the_admin_is_audited(client, admin_user):
    client.force_login(admin_user)
    client.post("/admin/logout/")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor_name="admin1").exists()
