"""Passwords, throttling, second factor, session lifetime, deactivation, re-authentication (ASVS V2, V3)."""

from __future__ import annotations

import datetime
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from saferhub.accounts.models import Role, User
from saferhub.accounts.reauth import recent_password_required
from saferhub.accounts.services import totp_enrol, user_deactivate
from saferhub.accounts.totp import hotp, totp_code, totp_match
from saferhub.audit.models import AuditAction, AuditEvent

PASSWORD = "correct horse battery staple"
# A page that needs a signed-in user (any will do: the middleware answers before the view).
PROTECTED = "/partnerships/any/performance/"


@pytest.fixture
def board(db):
    return User.objects.create_user("board1", password=PASSWORD, role=Role.BOARD)


@pytest.fixture
def analyst(db):
    return User.objects.create_user("analyst1", password=PASSWORD, role=Role.ANALYST)


def sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


# --- passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["short pass1", "x" * 65, "password1234", "123456789012", "qwerty123456", "1qaz2wsx3edc"]
)
def test_weak_or_overlong_passwords_are_refused(password, db):
    with pytest.raises(ValidationError):
        validate_password(password, User(username="someone"))


@pytest.mark.parametrize("password", ["twelve chars", "a" * 11 + "Z" * 53, "ünïcode pässwörd ✓ 2026"])
def test_twelve_to_sixty_four_characters_are_allowed(password, db):
    validate_password(password, User(username="someone"))


# --- throttling --------------------------------------------------------------------------------


def test_sixth_failure_within_a_minute_is_refused_and_logged(client, board):
    for _ in range(5):
        assert sign_in(client, "board1", "wrong wrong wrong").status_code == 200
    response = sign_in(client, "board1")  # right password, but the account is throttled
    assert response.status_code == 429 and b"Too many failed attempts" in response.content
    assert "_auth_user_id" not in client.session
    refused = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, summary__startswith="refused")
    assert refused.count() == 1 and refused.get().actor_name == "board1"
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 6


def test_throttling_one_account_does_not_lock_out_another(client, board, db):
    User.objects.create_user("board2", password=PASSWORD, role=Role.BOARD)
    for _ in range(6):
        sign_in(client, "board1", "wrong wrong wrong")
    response = sign_in(client, "board2")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(
        User.objects.get(username="board2").pk
    )


def test_throttle_lifts_after_the_window(client, board):
    from saferhub.accounts.models import LoginFailure

    for _ in range(6):
        sign_in(client, "board1", "wrong wrong wrong")
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(seconds=61))
    assert sign_in(client, "board1").status_code == 302


# --- second factor -----------------------------------------------------------------------------


def test_totp_matches_rfc_6238_test_vectors():
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    for unix, expected in [(59, "94287082"), (1111111109, "07081804"), (2000000000, "69279037")]:
        # RFC 6238 Appendix B gives 8 digits; our 6 are their last six.
        assert hotp(secret, unix // 30) == expected[-6:]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ANALYST, Role.COMMISSIONER])
def test_roles_that_need_a_second_factor_are_not_signed_in_by_a_password(client, db, role):
    user = User.objects.create_user("u1", password=PASSWORD, role=role)
    secret = totp_enrol(user=user)
    response = sign_in(client, "u1")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/totp/")
    assert "_auth_user_id" not in client.session
    assert client.get(PROTECTED).status_code == 302  # still anonymous
    assert (
        client.post(
            "/accounts/totp/", {"code": "000000" if totp_code(secret, at=timezone.now()) != "000000" else "111111"}
        ).status_code
        == 200
    )
    response = client.post("/accounts/totp/", {"code": totp_code(secret, at=timezone.now())})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_a_code_cannot_be_used_twice(analyst):
    secret = totp_enrol(user=analyst)
    now = timezone.now()
    code = totp_code(secret, at=now)
    assert totp_match(secret, code, at=now) is not None
    from saferhub.accounts.services import totp_verify

    assert totp_verify(user=analyst, code=code, now=now)
    assert not totp_verify(user=analyst, code=code, now=now)


def test_first_sign_in_enrols_with_a_secret_and_otpauth_uri(client, analyst):
    response = sign_in(client, "analyst1")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "otpauth://totp/saferhub%3Aanalyst1?secret=" in html
    secret = client.session["totp_enrol_secret"]
    assert secret in html
    analyst.refresh_from_db()
    assert analyst.totp_secret == ""  # stored only once a code proves the app has it
    client.post("/accounts/totp/", {"code": totp_code(secret, at=timezone.now())})
    analyst.refresh_from_db()
    assert analyst.totp_secret == secret and client.session["_auth_user_id"] == str(analyst.pk)


def test_provider_and_board_need_no_second_factor(client, board):
    assert sign_in(client, "board1")["Location"] == "/"


def test_second_factor_can_be_switched_off_by_setting(client, analyst, settings):
    settings.SAFERHUB_REQUIRE_TOTP = False
    assert sign_in(client, "analyst1")["Location"] == "/"


# --- session lifetime -------------------------------------------------------------------------


def _signed_in(client, user):
    client.force_login(user)
    assert client.get("/")["Cache-Control"] == "no-store"


def _age_session(client, *, idle: float, since_login: float):
    session = client.session
    session["seen_at"] = time.time() - idle
    session["auth_at"] = time.time() - since_login
    session.save()


def test_idle_for_thirty_minutes_logs_out(client, board):
    _signed_in(client, board)
    _age_session(client, idle=29 * 60, since_login=29 * 60)
    assert client.get(PROTECTED).status_code == 404  # signed in: the view answers (no such partnership)
    _age_session(client, idle=31 * 60, since_login=31 * 60)
    response = client.get(PROTECTED)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_fresh_login_is_needed_after_twelve_hours_however_active(client, board):
    _signed_in(client, board)
    _age_session(client, idle=60, since_login=12 * 3600 - 60)
    assert (
        "_auth_user_id" in client.session
        and client.get("/").status_code == 302
        and client.get("/")["Location"] == "/dashboard/"
    )
    assert "_auth_user_id" in client.session
    _age_session(client, idle=60, since_login=12 * 3600 + 60)
    client.get("/")
    assert "_auth_user_id" not in client.session


# --- deactivation -------------------------------------------------------------------------------


def test_deactivating_a_user_ends_their_sessions(client, board, analyst):
    from django.contrib.sessions.models import Session
    from django.test import Client

    _signed_in(client, board)
    other = Client()
    other.force_login(board)
    bystander = Client()
    bystander.force_login(analyst)
    assert Session.objects.count() == 3
    user_deactivate(user=board, actor=analyst, now=timezone.now())
    assert Session.objects.count() == 1  # only the analyst's
    assert client.get(PROTECTED)["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, summary__startswith="deactivated").exists()


def test_deactivating_through_the_model_ends_sessions_too(client, board):
    from django.contrib.sessions.models import Session

    _signed_in(client, board)
    board.is_active = False
    board.save()
    assert not Session.objects.exists()


# --- re-authentication before sensitive exports ---------------------------------------------------


@recent_password_required
def _export(request):
    return HttpResponse("unsuppressed figures")


def test_recent_password_is_required_before_an_export(client, board, settings):
    _signed_in(client, board)
    request = RequestFactory().get("/export/x.csv")
    request.user, request.session = board, client.session
    response = _export(request)
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-password/?next=%2Fexport%2Fx.csv"

    wrong = client.post("/accounts/confirm-password/", {"password": "not it at all", "next": "/export/x.csv"})
    assert wrong.status_code == 200 and b"Enter your password" in wrong.content
    right = client.post("/accounts/confirm-password/", {"password": PASSWORD, "next": "/export/x.csv"})
    assert right.status_code == 302 and right["Location"] == "/export/x.csv"

    request.session = client.session
    assert _export(request).content == b"unsuppressed figures"
    # Only for a while.
    session = client.session
    session["password_confirmed_at"] = time.time() - settings.RECENT_PASSWORD_SECONDS - 1
    session.save()
    request.session = client.session
    assert _export(request).status_code == 302


def test_confirm_password_will_not_redirect_off_site(client, board):
    _signed_in(client, board)
    response = client.post("/accounts/confirm-password/", {"password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_login_and_logout_are_audited(client, board):
    sign_in(client, "board1")
    client.post("/accounts/logout/")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [AuditAction.LOGIN, AuditAction.LOGOUT]


# --- storage, session fixation, CSRF ---------------------------------------------------------------


def test_passwords_are_stored_with_a_slow_salted_hash(settings):
    # The suite swaps in a fast hasher (tests/conftest.py); this checks the one saferhub runs with.
    from django.conf import global_settings
    from django.contrib.auth.hashers import make_password

    import saferhub.settings as configured

    settings.PASSWORD_HASHERS = getattr(configured, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    algorithm, iterations, salt, _ = make_password("a long enough passphrase").split("$")
    assert algorithm in ("pbkdf2_sha256", "argon2", "scrypt") and int(iterations) >= 600_000 and len(salt) >= 16


def test_signing_in_issues_a_new_session_id(client, board):
    client.get("/accounts/login/")
    session = client.session
    session["anything"] = 1
    session.save()
    before = session.session_key
    sign_in(client, "board1")
    assert client.session.session_key != before


def test_signing_out_ends_the_session_server_side(client, board):
    from django.contrib.sessions.models import Session

    sign_in(client, "board1")
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_forms_refuse_a_post_without_the_csrf_token(board):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/accounts/login/", {"username": "board1", "password": PASSWORD}).status_code == 403


def test_the_totp_command_enrols_and_prints_the_current_code(analyst):
    import io
    import re

    from django.core.management import call_command

    out = io.StringIO()
    call_command("totp", "analyst1", "--enrol", stdout=out)
    analyst.refresh_from_db()
    assert f"secret: {analyst.totp_secret}" in out.getvalue() and "otpauth://totp/" in out.getvalue()
    code = re.search(r"current code for analyst1: (\d{6})", out.getvalue()).group(1)
    assert totp_match(analyst.totp_secret, code, at=timezone.now()) is not None


def test_activity_is_recorded_at_most_once_a_minute(client, board):
    """Browsing does not write the session on every request; the idle clock still moves on."""
    _signed_in(client, board)
    _age_session(client, idle=10, since_login=60)
    before = client.session["seen_at"]
    client.get(PROTECTED)
    assert client.session["seen_at"] == before  # ten seconds ago: not written again
    _age_session(client, idle=20 * 60, since_login=25 * 60)
    client.get(PROTECTED)
    assert time.time() - client.session["seen_at"] < 5  # twenty minutes ago: moved on to now


def test_totp_allows_one_step_of_clock_drift_either_way_and_no_more():
    """The drift window kept when TOTP moved to pyotp: a secret stored before the change (base32,
    160 bits) gives the same codes, one 30-second step either side is accepted, two are not."""
    import datetime

    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # RFC 6238's key, as the old code stored secrets
    now = datetime.datetime(2026, 12, 1, 12, 0, 15, tzinfo=datetime.timezone.utc)
    step = int(now.timestamp()) // 30
    for offset, accepted in ((-2, False), (-1, True), (0, True), (1, True), (2, False)):
        code = hotp(secret, step + offset)
        assert (totp_match(secret, code, at=now) == step + offset) is accepted, offset
    # a spent step (and any before it) is refused even inside the window
    assert totp_match(secret, hotp(secret, step), at=now, after_step=step) is None
    assert totp_match(secret, hotp(secret, step + 1), at=now, after_step=step) == step + 1
