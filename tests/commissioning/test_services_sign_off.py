"""Sign-off in two steps, the freeze, versions, the review cycle and the audit trail; each
signature by the office holder's own account, the two by different people (issue 12, finding 6)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from saferhub.accounts.models import User
from saferhub.accounts.reauth import CONFIRM_URL
from saferhub.audit.models import AuditEvent
from saferhub.commissioning import returns, services
from saferhub.commissioning.models import HalfYearReturn, Project, ProjectReturn
from saferhub.commissioning.returns import half_year_return_for
from saferhub.commissioning.setup import project_update
from saferhub.demo.users import demo_password
from saferhub.domain.commissioning import TransitionError
from saferhub.rendering.return_json import return_to_json

from .conftest import NOW


def build_half_year_return(*args, **kwargs):
    """The return in its JSON rendering (the keys these assertions read; issue 13 made the
    return a typed value)."""
    return return_to_json(returns.build_half_year_return(*args, **kwargs))


D = datetime.date(2017, 11, 6)


def _users():
    """The demo's office holders: the CSP manager (Matt Garrett) and the treasurer."""
    return User.objects.get(username="csp-manager"), User.objects.get(username="treasurer")


def _new_version(fund):
    """Version 2 of the 2017-H1 return, unsigned: a change to a project opens it."""
    project_update(
        project=Project.objects.get(fund=fund, letter="G"),
        actor="t",
        now=NOW,
        amount=Decimal("10000.00"),
        title="Prevent",
    )
    return half_year_return_for(fund, 2017)


def test_treasurer_countersigns_and_the_signed_return_stays_reproducible(fund):
    _, treasurer = _users()
    hyr = half_year_return_for(fund, 2017)
    assert hyr.state == "csp_signed" and hyr.frozen
    signed = services.half_year_return_sign(half_year_return=hyr, actor=treasurer, now=NOW)
    assert signed.state == "signed" and signed.cfo_signed_by == treasurer
    before = json.dumps(build_half_year_return(signed), sort_keys=True)
    # The signature records the account; the name and job title come from it, not from typing.
    assert json.loads(before)["sign_off"]["treasurer"] == {
        "name": "Alex Morgan",
        "job_title": "Section 151 Officer",
        "date": "2017-11-06",
        "office": "Treasurer / CFO",
        "account": "treasurer",
    }

    # A later edit (a commissioner reopens project F and corrects a spend line) opens version 2 ...
    f = ProjectReturn.objects.get(project__fund=fund, project__letter="F")
    services.project_return_request_changes(project_return=f, actor="t", comment="ASB stationery was £143", now=NOW)
    lines = [(s.category, s.amount) for s in f.spend_lines.all()]
    lines[2] = (lines[2][0], Decimal("143.00"))
    services.project_return_update(project_return=f, actor="t", now=NOW, spend_lines=lines)
    versions = list(HalfYearReturn.objects.filter(fund=fund, period="2017-H1").order_by("version"))
    assert [(v.version, v.state) for v in versions] == [(1, "signed"), (2, "draft")]
    # ... while version 1 reads exactly as signed, and version 2 shows the change
    assert json.dumps(build_half_year_return(versions[0]), sort_keys=True) == before
    new = build_half_year_return(versions[1], today=D)
    assert next(p for p in new["projects"] if p["letter"] == "F")["spend_to_date"] == "1339.06"
    assert new["sign_off"] == {"csp_manager": None, "treasurer": None}
    # a second change to the same draft does not open yet another version
    project_update(project=Project.objects.get(fund=fund, letter="H"), actor="t", now=NOW, how_measured="Spec agreed")
    assert HalfYearReturn.objects.filter(fund=fund, period="2017-H1").count() == 2


def test_sign_off_order_and_old_versions(fund):
    csp, treasurer = _users()
    hyr = half_year_return_for(fund, 2017)
    with pytest.raises(TransitionError):
        services.half_year_return_sign(half_year_return=hyr, step="csp_manager", actor=csp, now=NOW)
    v2 = _new_version(fund)
    assert v2.version == 2
    with pytest.raises(TransitionError, match="CSP manager must sign first") as refused:
        services.half_year_return_sign(half_year_return=v2, step="treasurer", actor=treasurer, now=NOW)
    # The one transition error, and commissioning's own: either except clause catches it.
    assert isinstance(refused.value, services.CommissioningError)
    # A superseded version can no longer be signed, by anyone.
    with pytest.raises(services.CommissioningError, match="replaced by version 2"):
        services.half_year_return_sign(half_year_return=hyr, actor=treasurer, now=NOW)
    services.half_year_return_sign(half_year_return=v2, actor=csp, now=NOW)
    with pytest.raises(services.CommissioningError, match="cannot sign before"):
        services.half_year_return_sign(half_year_return=v2, actor=treasurer, now=NOW - datetime.timedelta(days=5))
    assert HalfYearReturn.objects.get(pk=hyr.pk).state == "csp_signed"


def test_the_same_account_cannot_sign_as_both_offices(fund, partnership):
    csp, treasurer = _users()
    admin = User.objects.create_user(username="root", password="x", role="admin")
    v2 = _new_version(fund)
    signed = services.half_year_return_sign(half_year_return=v2, actor=csp, now=NOW)
    assert signed.state == "csp_signed" and signed.csp_signed_by == csp
    # One person may not hold both offices at once ...
    with pytest.raises(services.CommissioningError, match="different people"):
        services.office_appoint(
            partnership=partnership, office="treasurer", user=csp, job_title="Acting treasurer", actor=admin, now=NOW
        )
    # ... and a CSP manager who becomes treasurer later still cannot countersign what they signed.
    deputy = User.objects.create_user(
        username="deputy", password="x", role="commissioner", first_name="Dee", last_name="Puty"
    )
    services.office_appoint(
        partnership=partnership, office="csp_manager", user=deputy, job_title="CSP manager", actor=admin, now=NOW
    )
    services.office_appoint(
        partnership=partnership, office="treasurer", user=csp, job_title="Acting treasurer", actor=admin, now=NOW
    )
    with pytest.raises(services.CommissioningError, match="two different people"):
        services.half_year_return_sign(half_year_return=v2, actor=csp, now=NOW)
    assert HalfYearReturn.objects.get(pk=v2.pk).state == "csp_signed"
    assert AuditEvent.objects.filter(action="denied", summary__contains="two different people").exists()


@pytest.mark.parametrize("who", ["commissioner", "admin", "csp-manager"])
def test_a_user_not_holding_the_office_cannot_sign(fund, who):
    hyr = half_year_return_for(fund, 2017)  # awaiting the treasurer
    actor = User.objects.filter(username=who).first() or User.objects.create_user(username=who, password="x", role=who)
    with pytest.raises(services.CommissioningError, match="does not hold the office of treasurer / CFO"):
        services.half_year_return_sign(half_year_return=hyr, actor=actor, now=NOW)
    assert HalfYearReturn.objects.get(pk=hyr.pk).state == "csp_signed"


def test_signing_asks_for_the_password_first(client, fund):
    _, treasurer = _users()
    hyr = half_year_return_for(fund, 2017)
    url = reverse("commissioning:half-year", args=[hyr.pk])
    client.force_login(treasurer)
    response = client.post(url, {"step": "treasurer", "version": "1"})
    assert response.status_code == 302 and response["Location"].startswith(f"{CONFIRM_URL}?next=")
    assert HalfYearReturn.objects.get(pk=hyr.pk).state == "csp_signed"


def _confirm(client, user, url):
    client.force_login(user)
    response = client.post(CONFIRM_URL, {"password": demo_password(), "next": url})
    assert response.status_code == 302 and response["Location"] == url


def test_both_signatures_through_the_pages(client, fund):
    csp, treasurer = _users()
    v2 = _new_version(fund)
    url = reverse("commissioning:half-year", args=[v2.pk])
    # The treasurer sees that the CSP manager signs first, and has no button yet.
    client.force_login(treasurer)
    page = client.get(url).content.decode()
    assert "Awaiting the signature of Matt Garrett, CSP manager" in page and "Record the signature" not in page

    _confirm(client, csp, url)
    page = client.get(url).content.decode()
    assert "Sign as the CSP manager" in page and "Matt Garrett" in page and 'name="name"' not in page  # no typed names
    response = client.post(url, {"step": "csp_manager", "version": "2"})
    assert response.status_code == 302 and response["Location"] == url
    v2.refresh_from_db()
    assert (
        v2.state == "csp_signed"
        and v2.csp_signed_by == csp
        and v2.snapshot["sign_off"]["csp_manager"]["account"] == "csp-manager"
    )
    # The CSP manager cannot go on to countersign.
    assert "Record the signature" not in client.get(url).content.decode()
    response = client.post(url, {"step": "treasurer", "version": "2"})
    assert response.status_code == 400 and "does not hold the office of treasurer / CFO" in response.content.decode()

    _confirm(client, treasurer, url)
    assert "Sign as the treasurer / CFO" in client.get(url).content.decode()
    response = client.post(url, {"step": "treasurer", "version": "2"})
    assert response.status_code == 302
    v2.refresh_from_db()
    assert v2.state == "signed" and v2.cfo_signed_by == treasurer
    page = client.get(url).content.decode()
    assert "Matt Garrett, Head of Community Connections" in page and "Alex Morgan, Section 151 Officer" in page
    events = AuditEvent.objects.filter(action="sign_off", object_id=str(v2.pk)).order_by("id")
    assert [(e.actor_name, e.after["name"], e.after["office"]) for e in events] == [
        ("csp-manager", "Matt Garrett", "csp_manager"),
        ("treasurer", "Alex Morgan", "treasurer"),
    ]


def test_a_superseded_version_is_not_offered_for_signing(client, fund):
    _, treasurer = _users()
    v1 = half_year_return_for(fund, 2017)
    v2 = _new_version(fund)
    url = reverse("commissioning:half-year", args=[v1.pk])
    _confirm(client, treasurer, url)
    page = client.get(url).content.decode()
    assert "Record the signature" not in page and "replaced by version 2" in page
    response = client.post(url, {"step": "treasurer", "version": "1"})
    assert response.status_code == 400 and "replaced by version 2" in response.content.decode()
    assert HalfYearReturn.objects.get(pk=v1.pk).state == "csp_signed" and v2.state == "draft"


def test_the_page_signs_the_step_it_showed(client, fund):
    """A signer who saw "sign as CSP manager" does not sign another step if the state moved on."""
    csp, _ = _users()
    v2 = _new_version(fund)
    url = reverse("commissioning:half-year", args=[v2.pk])
    _confirm(client, csp, url)
    response = client.post(url, {"step": "treasurer", "version": "2"})
    assert response.status_code == 400 and "CSP manager must sign first" in response.content.decode()
    assert HalfYearReturn.objects.get(pk=v2.pk).state == "draft"


def test_csp_manager_cannot_sign_while_returns_await_review(fund):
    project_update(project=Project.objects.get(fund=fund, letter="G"), actor="t", now=NOW, title="Prevent")
    v2 = half_year_return_for(fund, 2017)
    b = ProjectReturn.objects.get(project__fund=fund, project__letter="B")
    services.project_return_request_changes(project_return=b, actor="t", comment="Q2 figures please", now=NOW)
    with pytest.raises(services.CommissioningError, match="1 project return"):
        services.half_year_return_sign(half_year_return=v2, actor=_users()[0], now=NOW)
    assert HalfYearReturn.objects.get(pk=v2.pk).state == "draft"


def test_review_cycle_with_audit_before_and_after(fund):
    a = Project.objects.get(fund=fund, letter="A")
    pr = services.project_return_open(project=a, period="2017-H2", now=NOW)
    with pytest.raises(services.CommissioningError, match="RAG rating"):
        services.project_return_submit(project_return=pr, actor="p", now=NOW)
    services.project_return_update(
        project_return=pr,
        actor="p",
        now=NOW,
        rag="on_track",
        achieved="Refuge full",
        spend_lines=[("Refuge", Decimal("80100"))],
    )
    event = AuditEvent.objects.filter(
        object_type="commissioning.projectreturn", object_id=str(pr.pk), action="update"
    ).first()
    assert event.before["rag"] == "" and event.after["rag"] == "on_track"
    assert event.after["spend"] == [["Refuge", "80100.00"]]
    pr = services.project_return_submit(project_return=pr, actor="p", now=NOW)
    with pytest.raises(services.CommissioningError, match="request changes before editing"):
        services.project_return_update(project_return=pr, actor="p", now=NOW, achieved="changed")
    pr = services.project_return_request_changes(project_return=pr, actor="c", comment="Add DASH numbers", now=NOW)
    assert pr.state == "changes_requested"
    pr = services.project_return_submit(project_return=pr, actor="p", now=NOW)
    pr = services.project_return_accept(project_return=pr, actor="c", now=NOW)
    assert pr.state == "accepted"
    with pytest.raises(TransitionError):
        services.project_return_accept(project_return=pr, actor="c", now=NOW)
    events = AuditEvent.objects.filter(object_id=str(pr.pk), object_type="commissioning.projectreturn").order_by("id")
    steps = [(e.before["state"], e.after["state"]) for e in events if e.after and "state" in e.after]
    assert steps == [
        ("draft", "submitted"),
        ("submitted", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "accepted"),
    ]


def test_a_change_to_a_return_is_audited_with_what_changed_before_and_after(fund):
    f = ProjectReturn.objects.get(project__fund=fund, project__letter="F")
    services.project_return_request_changes(project_return=f, actor="t", comment="check", now=NOW)
    kpi = f.actuals.select_related("kpi").first()
    was = [None if kpi.value is None else str(kpi.value), kpi.note]
    first = AuditEvent.objects.latest("id").pk
    services.project_return_update(
        project_return=f, actor="t", now=NOW, achieved=f.achieved, actuals={kpi.kpi_id: (Decimal("7"), "seven")}
    )
    events = list(AuditEvent.objects.filter(pk__gt=first).order_by("id"))
    # the signed period opens its new version first, then the return's change is recorded
    assert [(e.object_type, e.action) for e in events] == [
        ("commissioning.halfyearreturn", "create"),
        ("commissioning.projectreturn", "update"),
    ]
    change = events[1]
    assert change.summary == f"Changed actuals of the 2017-H1 return of {f.project}"
    # each actual under its KPI's name, which an auditor can read, not its database id
    assert change.before == {"actuals": {**change.before["actuals"], kpi.kpi.name: was}}
    assert change.after == {"actuals": {**change.before["actuals"], kpi.kpi.name: ["7.00", "seven"]}}
    assert str(kpi.kpi_id) not in change.after["actuals"]
    # the same values again change nothing and record nothing
    services.project_return_update(project_return=f, actor="t", now=NOW, actuals={kpi.kpi_id: (Decimal("7"), "seven")})
    assert AuditEvent.objects.filter(pk__gt=first).count() == 2


def test_a_refused_change_writes_nothing(fund):
    f = ProjectReturn.objects.get(project__fund=fund, project__letter="F")
    services.project_return_request_changes(project_return=f, actor="t", comment="check", now=NOW)
    events, versions = AuditEvent.objects.count(), HalfYearReturn.objects.count()
    with pytest.raises(services.CommissioningError):
        services.project_return_update(
            project_return=f,
            actor="t",
            now=NOW,
            achieved="new text",
            spend_lines=[("ok", Decimal("1.00")), ("", Decimal("2.00"))],
        )
    f.refresh_from_db()
    assert "Stonehouse" in f.achieved and f.spend_lines.count() == 5
    assert (AuditEvent.objects.count(), HalfYearReturn.objects.count()) == (events, versions)
