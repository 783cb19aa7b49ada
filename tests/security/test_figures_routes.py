"""Every route that returns unpublished performance figures, as a table: route x role.

"May see unpublished performance figures" is one rule (``performance.figures.view``): pages,
downloads, board packs, the publishing preview and the API all ask it, so flipping that one rule
closes every route at once. A download of figures holding sensitive indicators is an export: the
password again first, then an audited export (issue 12, findings 2 and 4).

Outcomes: ``ok`` (200, or a redirect within the site), ``confirm`` (asked for the password again:
the confirm-password page, or the API's 403 that says so), ``denied`` (403, written to the audit
log), ``login`` (sent to sign in; 401 from the API).
"""

from __future__ import annotations

import hashlib
import time

import pytest

from saferhub.accounts.models import User
from saferhub.accounts.reauth import SESSION_KEY
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.demo import load_demo
from saferhub.domain.calendar import Month
from tests.performance.conftest import NOW

ROLES = ["admin", "analyst", "commissioner", "provider", "board", None]  # None: an anonymous visitor
FIGURES = "performance.figures.view"
READERS = {"admin", "analyst", "commissioner", "board"}
PUBLISHERS = {"admin", "analyst", "commissioner"}
SLUG = "safer-plymouth"


def _row(name: str, url: str, readers: set[str], when_read: str, *, export: bool) -> tuple:
    """A route: who may read it, what a reader gets without having re-entered the password, and
    whether a read is an audited export (once the password has been re-entered)."""
    expected = {role: (when_read if role in readers else "denied") for role in ROLES if role}
    expected[None] = "login"
    return name, url, expected, export


ROUTES = [
    # pages
    _row("dashboard", "/dashboard/", READERS, "ok", export=False),
    _row("indicator page", "/indicators/overall-crime/", READERS, "ok", export=False),
    _row("sensitive indicator page", "/indicators/domestic-abuse/", READERS, "ok", export=False),
    _row("reports page", "/reports/", READERS, "ok", export=False),
    _row("latest report", f"/partnerships/{SLUG}/performance/", READERS, "ok", export=False),
    _row("report by month", f"/partnerships/{SLUG}/performance/2016-11/", READERS, "ok", export=False),
    _row("publication preview", "/publishing/{proposal}/", PUBLISHERS, "ok", export=False),
    # downloads
    _row("report download (Excel)", "/reports/download.xlsx", READERS, "confirm", export=True),
    _row("report as JSON", f"/partnerships/{SLUG}/performance/2016-11.json", READERS, "confirm", export=True),
    *[
        _row(
            f"report by month as {fmt}",
            f"/partnerships/{SLUG}/performance/2016-11/download.{fmt}",
            READERS,
            "confirm",
            export=True,
        )
        for fmt in ("json", "html", "pdf", "docx", "xlsx")
    ],
    # board packs (which embed the performance report)
    _row("board pack", f"/governance/{SLUG}/packs/{{pack}}.pdf", READERS, "confirm", export=True),
    # the API (signed in with a session, as the browser is)
    _row("API indicators", f"/api/partnerships/{SLUG}/indicators/", READERS, "ok", export=False),
    _row("API indicator", f"/api/partnerships/{SLUG}/indicators/overall-crime/", READERS, "ok", export=False),
    _row(
        "API sensitive indicator",
        f"/api/partnerships/{SLUG}/indicators/domestic-abuse/",
        READERS,
        "confirm",
        export=True,
    ),
    _row(
        "API performance report",
        f"/api/partnerships/{SLUG}/reports/performance/2016-11/",
        READERS,
        "confirm",
        export=True,
    ),
]


@pytest.fixture
def world(db):
    """The demo (domestic abuse and hate crime marked sensitive), an issued board pack and a
    publication awaiting approval."""
    from saferhub.governance.models import Meeting, Pack
    from saferhub.performance.models import Indicator
    from saferhub.publishing.services import publication_propose

    partnership = load_demo(now=NOW)
    assert Indicator.objects.filter(partnership=partnership, code="domestic-abuse", sensitive=True).exists()
    meeting = Meeting.objects.get(board__partnership=partnership)
    # Issued as the pack builder stores it (rendering the real one takes seconds; what it holds
    # does not change who may read it: any pack may carry the report, live or uploaded).
    pdf = b"%PDF-1.4\n% a board pack holding the performance report\n"
    pack = Pack.objects.create(
        meeting=meeting,
        issue=1,
        kind="supplement",
        issued_at=NOW,
        issued_by="test",
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pages=1,
        contents=[{"agenda_pages": 1}],
    )
    proposal = publication_propose(
        partnership=partnership, period=Month(2016, 10), actor=User.objects.get(username="analyst"), now=NOW
    )
    return {"pack": pack.pk, "proposal": proposal.pk}


def _sign_in(client, role: str | None, *, confirmed: bool):
    client.logout()
    if role:
        client.force_login(User.objects.get(username=role))
        if confirmed:
            session = client.session
            session[SESSION_KEY] = time.time()
            session.save()
    return client


def _outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code == 401 or (response.status_code == 302 and location.startswith("/accounts/login/")):
        return "login"
    if response.status_code == 302 and location.startswith("/accounts/confirm-password/"):
        return "confirm"
    if response.status_code == 403 and "confirm-password" in response.content.decode("utf-8", "replace"):
        return "confirm"
    if response.status_code == 403:
        return "denied"
    if response.status_code in (200, 302):
        return "ok"
    return str(response.status_code)


def _walk(client, world, role, *, confirmed: bool) -> list[str]:
    _sign_in(client, role, confirmed=confirmed)
    wrong = []
    for name, address, expected, export in ROUTES:
        url = address.format(**world)
        want = expected[role]
        if confirmed and want == "confirm":
            want = "ok"
        denials = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
        exports = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
        got = _outcome(client.get(url))
        if got == "denied" and AuditEvent.objects.filter(action=AuditAction.DENIED).count() != denials + 1:
            got = "403 without an audit event"
        if (
            got == "ok"
            and confirmed
            and export
            and AuditEvent.objects.filter(action=AuditAction.EXPORT).count() != exports + 1
        ):
            got = "ok but not audited as an export"
        if got != want:
            wrong.append(f"{role or 'anonymous'} x {name} ({url}): expected {want}, got {got}")
    return wrong


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_each_role_on_each_route_that_returns_figures(client, world, role):
    wrong = _walk(client, world, role, confirmed=False)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_with_the_password_re_entered_readers_export_and_each_export_is_audited(client, world, role):
    wrong = _walk(client, world, role, confirmed=True)
    assert not wrong, "\n".join(wrong)


def test_every_route_asks_the_one_rule(client, world, monkeypatch):
    """Refuse the one rule to everybody: every route in the table refuses the administrator,
    and the audited denial names that rule (or the rule that includes it)."""
    from saferhub.accounts.permissions import RULES

    monkeypatch.setitem(RULES, FIGURES, lambda user, obj: (False, "nobody may see unpublished figures today"))
    _sign_in(client, "admin", confirmed=True)
    wrong = []
    for name, address, _, _ in ROUTES:
        url = address.format(**world)
        before = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
        response = client.get(url)
        denial = AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("-id").first()
        if response.status_code != 403 or AuditEvent.objects.filter(action=AuditAction.DENIED).count() != before + 1:
            wrong.append(f"{name} ({url}): {response.status_code}")
        elif "nobody may see unpublished figures today" not in denial.summary:
            wrong.append(f"{name} ({url}): refused by another rule: {denial.summary}")
    assert not wrong, "\n".join(wrong)


def test_the_rule_names_are_one_function():
    """The older names of the figures rule are the same function, not copies that could drift."""
    from saferhub.accounts.permissions import RULES

    for alias in ("performance.view", "reports.view", "api.indicators.view", "api.reports.view"):
        assert RULES[alias] is RULES[FIGURES], alias


def test_a_pack_is_read_by_its_own_rule(db):
    from django.contrib.auth.models import AnonymousUser

    from saferhub.accounts.permissions import decide

    for role in ["admin", "analyst", "commissioner", "board", "provider"]:
        user = User(username=role, role=role)
        assert decide("governance.pack.read", user)[0] == (role in READERS), role
    assert decide("governance.pack.read", AnonymousUser())[0] is False


def test_routes_of_the_table_exist(world):
    """Guard the table against typos: each address resolves to a view."""
    from django.urls import resolve

    for _, address, _, _ in ROUTES:
        resolve(address.format(**world).split("?")[0])
