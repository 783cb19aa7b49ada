"""Email notifications (issue 15), read back from a real SMTP server (aiosmtpd, tests/conftest.py):
a return submitted, sent back, accepted and overdue; a half-year return overdue; a pack issued; a
publication proposed and approved; each to the people who expect it, and to no one who turned
notifications off."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from saferhub.accounts.models import NotificationSent, User
from saferhub.commissioning import services
from saferhub.commissioning.models import Project
from saferhub.demo import load_demo
from saferhub.domain.calendar import Month
from saferhub.partnerships.models import Partnership
from tests.conftest import body_of
from tests.performance.conftest import NOW

LATER = NOW + datetime.timedelta(days=1)


@pytest.fixture
def demo(db, smtp_server, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setenv("SAFERHUB_DEMO_PASSWORD", "demo-pass-123")
    with django_capture_on_commit_callbacks(execute=True):
        partnership = load_demo(now=NOW)
    assert smtp_server.messages == []  # the demo's seeded history tells no one
    return partnership


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _to(smtp_server) -> list[str]:
    return sorted(m["To"] for m in smtp_server.messages)


@pytest.fixture
def second_half(demo):
    """Project A's return for the second half of 2017/18, filled in by its provider."""
    project = Project.objects.get(fund__partnership=demo, letter="A")
    pr = services.project_return_open(project=project, period="2017-H2", due_on=datetime.date(2018, 4, 30), now=NOW)
    return services.project_return_update(
        project_return=pr, actor=_user("provider"), now=NOW, rag="on_track", spend_lines=[("Staff", Decimal("10"))]
    )


def test_a_submitted_return_tells_the_commissioners_and_a_review_tells_the_provider(
    second_half, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.project_return_submit(project_return=second_half, actor=_user("provider"), now=NOW)
    # The commissioners (the commissioning officer and the CSP manager), each their own message.
    assert _to(smtp_server) == ["commissioner@demo.saferhub.invalid", "csp-manager@demo.saferhub.invalid"]
    message = smtp_server.messages[0]
    assert message["Subject"].startswith("Return submitted: Project A:")
    assert f"http://localhost:8000/commissioning/returns/{second_half.pk}/" in body_of(message)

    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.project_return_request_changes(
            project_return=second_half, actor=_user("commissioner"), comment="Add the training spend.", now=LATER
        )
    assert _to(smtp_server) == ["provider@demo.saferhub.invalid"]
    sent_back = smtp_server.messages[0]
    assert sent_back["Subject"].startswith("Return sent back: Project A:")
    assert "Add the training spend." in body_of(sent_back) and "/edit/" in body_of(sent_back)

    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.project_return_submit(project_return=second_half, actor=_user("provider"), now=LATER)
        services.project_return_accept(project_return=second_half, actor=_user("commissioner"), now=LATER)
    accepted = [m for m in smtp_server.messages if m["Subject"].startswith("Return accepted")]
    assert [m["To"] for m in accepted] == ["provider@demo.saferhub.invalid"]
    assert NotificationSent.objects.filter(kind="return_accepted", user=_user("provider")).count() == 1


def test_a_refused_change_tells_no_one(second_half, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.CommissioningError):
        services.project_return_request_changes(
            project_return=second_half, actor=_user("commissioner"), comment="  ", now=NOW
        )
    assert smtp_server.messages == []


def test_overdue_returns_are_reminded_once(second_half, smtp_server, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify", "overdue", "--today", "2018-05-02", stdout=out)
    # The second half's return (due 30 April 2018, a draft) and the half-year return (due
    # 3 November 2017, signed by the CSP manager only).
    assert "1 provider return(s) and 1 half-year return(s) overdue" in out.getvalue()
    subjects = sorted((m["To"], m["Subject"].split(":")[0]) for m in smtp_server.messages)
    assert subjects == [
        ("commissioner@demo.saferhub.invalid", "Half-year return overdue"),
        ("commissioner@demo.saferhub.invalid", "Return overdue"),
        ("csp-manager@demo.saferhub.invalid", "Half-year return overdue"),
        ("csp-manager@demo.saferhub.invalid", "Return overdue"),
        ("provider@demo.saferhub.invalid", "Return overdue"),
        ("treasurer@demo.saferhub.invalid", "Half-year return overdue"),
    ]
    assert "was due on 30 April 2018" in body_of(next(m for m in smtp_server.messages if "provider" in m["To"]))
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify", "overdue", "--today", "2018-05-03", stdout=io.StringIO())
    assert smtp_server.messages == []  # once each


def test_a_pack_issued_tells_the_board(demo, smtp_server, django_capture_on_commit_callbacks):
    from saferhub.governance.models import Meeting
    from saferhub.governance.packs import pack_issue

    meeting = Meeting.objects.filter(board__partnership=demo).order_by("date").last()
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_issue(meeting=meeting, kind="agenda", actor=_user("admin"), now=NOW)
    assert _to(smtp_server) == ["board@demo.saferhub.invalid", "treasurer@demo.saferhub.invalid"]
    body = body_of(smtp_server.messages[0])
    assert f"/governance/safer-plymouth/packs/{pack.pk}.pdf" in body and f"issue {pack.issue}" in body


def test_a_publication_proposed_asks_the_approvers_and_its_approval_tells_the_analysts(
    demo, smtp_server, django_capture_on_commit_callbacks
):
    from saferhub.publishing.models import Publication
    from saferhub.publishing.services import publication_approve, publication_propose

    held = set(Publication.objects.values_list("period", flat=True))
    month = next(m for m in (Month(2016, 10), Month(2016, 9), Month(2016, 8)) if m.label not in held)
    with django_capture_on_commit_callbacks(execute=True):
        p = publication_propose(partnership=demo, period=month, actor=_user("analyst"), now=NOW)
    # Who may approve (commissioners and the administrator); not the analyst who proposed it.
    assert _to(smtp_server) == [
        "admin@demo.saferhub.invalid",
        "commissioner@demo.saferhub.invalid",
        "csp-manager@demo.saferhub.invalid",
    ]
    assert f"/publishing/{p.pk}/" in body_of(smtp_server.messages[0])
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publication_approve(publication=p, actor=_user("commissioner"), now=LATER)
    assert _to(smtp_server) == ["analyst@demo.saferhub.invalid"]
    assert f"/public/safer-plymouth/{month.label}/" in body_of(smtp_server.messages[0])


def test_a_user_who_turned_notifications_off_gets_none(
    second_half, client, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(_user("commissioner"))
    page = client.get("/accounts/account/").content.decode()
    assert 'name="notifications" type="checkbox" value="on" checked' in page
    response = client.post("/accounts/account/", {})  # the box unticked
    assert response.status_code == 302 and response["Location"] == "/accounts/account/"
    assert _user("commissioner").notifications is False
    assert "You will get no email notifications." in client.get("/accounts/account/").content.decode()
    from saferhub.audit.models import AuditEvent

    assert AuditEvent.objects.filter(summary="email notifications turned off").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.project_return_submit(project_return=second_half, actor=_user("provider"), now=NOW)
    assert _to(smtp_server) == ["csp-manager@demo.saferhub.invalid"]

    client.post("/accounts/account/", {"notifications": "on"})
    assert _user("commissioner").notifications is True


def test_a_mail_server_that_fails_is_logged_and_the_change_stands(
    second_half, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        services.project_return_submit(project_return=second_half, actor=_user("provider"), now=NOW)
    second_half.refresh_from_db()
    assert second_half.state == "submitted" and not NotificationSent.objects.exists()
    assert "could not be sent" in caplog.text
    assert Partnership.objects.exists()
