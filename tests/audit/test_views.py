"""The audit log page and the events it shows: sign-ins, failures, sign-outs, filters."""

import datetime

import pytest
from django.utils import timezone

from saferhub.accounts.models import Role, User
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.audit.services import audit_record


@pytest.fixture
def admin(db):
    user = User.objects.create_user(username="ada", password="right-password-1", role=Role.ADMIN)
    return user


def test_sign_in_failed_sign_in_and_sign_out_are_logged(client, db):
    # A board member: no second factor, so the password alone signs in.
    User.objects.create_user(username="ada", password="right-password-1", role=Role.BOARD)
    client.post("/accounts/login/", {"username": "ada", "password": "Xq7-not-it"})
    client.post("/accounts/login/", {"username": "ada", "password": "right-password-1"})
    client.post("/accounts/logout/")
    actions = list(AuditEvent.objects.order_by("at", "id").values_list("action", "actor_name"))
    assert actions == [(AuditAction.LOGIN_FAILED, "ada"), (AuditAction.LOGIN, "ada"), (AuditAction.LOGOUT, "ada")]
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert "Xq7-not-it" not in str(failed.summary) + str(failed.before) + str(failed.after)  # never the password


def _at(day):
    return timezone.make_aware(datetime.datetime(2026, 3, day, 12, 0))


@pytest.fixture
def events(admin):
    audit_record(actor=admin, action=AuditAction.EXPORT, obj=admin, summary="report as PDF", at=_at(1))
    audit_record(actor="someone", action=AuditAction.LOGIN_FAILED, summary="failed", at=_at(5))
    audit_record(
        actor=admin,
        action=AuditAction.UPDATE,
        object_type="performance.indicator",
        object_id="7",
        summary="target changed",
        before={"target": "90"},
        after={"target": "80"},
        at=_at(10),
    )


@pytest.mark.parametrize(
    ("query", "summaries"),
    [
        ("", ["target changed", "failed", "report as PDF"]),
        ("?user=someone", ["failed"]),
        ("?action=export", ["report as PDF"]),
        ("?object_type=performance.indicator", ["target changed"]),
        ("?date_from_0=2&date_from_1=3&date_from_2=2026&date_to_0=9&date_to_1=3&date_to_2=2026", ["failed"]),
        ("?date_from_0=10&date_from_1=3&date_from_2=2026", ["target changed"]),
    ],
)
def test_filters(client, admin, events, query, summaries):
    client.force_login(admin)
    html = client.get("/audit/" + query).content.decode()
    shown = [s for s in ["target changed", "failed", "report as PDF"] if f">{s}<" in html]
    assert shown == summaries
    if not query:
        assert "target: 90" in html and "target: 80" in html  # before and after


def test_a_wrong_date_is_explained(client, admin, events):
    client.force_login(admin)
    html = client.get("/audit/?date_from_0=31&date_from_1=2&date_from_2=2026").content.decode()
    assert (
        "govuk-error-summary" in html and "Start date must be a real date" in html and 'href="#id_date_from_0"' in html
    )


def test_denials_show_in_the_log(client, admin):
    board = User.objects.create_user(username="bob", password="x", role=Role.BOARD)
    client.force_login(board)
    assert client.get("/audit/").status_code == 403
    client.force_login(admin)
    html = client.get("/audit/?action=denied").content.decode()
    assert "audit.view: the board role may not do this" in html and ">bob<" in html


def test_filters_list_each_user_and_each_kind_once_and_the_table_scrolls(client, admin):
    for day in range(1, 8):
        audit_record(
            actor=admin,
            action=AuditAction.UPDATE,
            object_type="performance.indicator",
            object_id=str(day),
            summary=f"change {day}",
            at=_at(day),
        )
        audit_record(
            actor="someone", action=AuditAction.LOGIN_FAILED, object_type="accounts.user", summary="failed", at=_at(day)
        )
    client.force_login(admin)
    html = client.get("/audit/").content.decode()
    users = html[html.index('id="id_user"') :]
    users = users[: users.index("</select>")]
    kinds = html[html.index('id="id_object_type"') :]
    kinds = kinds[: kinds.index("</select>")]
    assert users.count('<option value="ada"') == 1 and users.count('<option value="someone"') == 1
    assert users.count("<option") == 3  # Anyone, ada, someone
    assert (
        kinds.count('<option value="performance.indicator"') == 1 and kinds.count('<option value="accounts.user"') == 1
    )
    assert kinds.count("<option") == 3
    # The wide table scrolls inside its own box on a narrow screen, as the report's figures do.
    assert '<div class="sh-scroll">\n<table class="govuk-table" id="events">' in html
