"""Sign-off in two steps, the freeze, versions, the review cycle and the audit trail."""

import datetime
import json
from decimal import Decimal

import pytest

from saferhub.audit.models import AuditEvent
from saferhub.commissioning import services
from saferhub.commissioning.models import HalfYearReturn, Project, ProjectReturn
from saferhub.commissioning.returns import build_half_year_return, half_year_return_for
from saferhub.commissioning.setup import project_update
from saferhub.domain.commissioning import TransitionError

from .conftest import NOW

D = datetime.date(2017, 11, 6)


def test_treasurer_countersigns_and_the_signed_return_stays_reproducible(fund):
    hyr = half_year_return_for(fund, 2017)
    assert hyr.state == "csp_signed" and hyr.frozen
    signed = services.half_year_return_sign(half_year_return=hyr, step="treasurer", name="Pat Treasurer", job_title="Section 151 Officer",
                                            signed_on=D, actor="t", now=NOW)
    assert signed.state == "signed"
    before = json.dumps(build_half_year_return(signed), sort_keys=True)
    assert json.loads(before)["sign_off"]["treasurer"] == {"name": "Pat Treasurer", "job_title": "Section 151 Officer", "date": "2017-11-06"}

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
    hyr = half_year_return_for(fund, 2017)
    with pytest.raises(TransitionError):
        services.half_year_return_sign(half_year_return=hyr, step="csp_manager", name="X", job_title="Y", signed_on=D, actor="t", now=NOW)
    project_update(project=Project.objects.get(fund=fund, letter="G"), actor="t", now=NOW, amount=Decimal("10000.00"), title="Prevent")
    v2 = half_year_return_for(fund, 2017)
    assert v2.version == 2
    with pytest.raises(TransitionError, match="CSP manager must sign first"):
        services.half_year_return_sign(half_year_return=v2, step="treasurer", name="X", job_title="Y", signed_on=D, actor="t", now=NOW)
    with pytest.raises(services.CommissioningError, match="replaced by version 2"):
        services.half_year_return_sign(half_year_return=hyr, step="treasurer", name="X", job_title="Y", signed_on=D, actor="t", now=NOW)
    services.half_year_return_sign(half_year_return=v2, step="csp_manager", name="Matt Garrett", job_title="Head of Community Connections",
                                   signed_on=D, actor="t", now=NOW)
    with pytest.raises(services.CommissioningError, match="cannot sign before"):
        services.half_year_return_sign(half_year_return=v2, step="treasurer", name="X", job_title="Y", signed_on=datetime.date(2017, 11, 1),
                                       actor="t", now=NOW)


def test_csp_manager_cannot_sign_while_returns_await_review(fund):
    project_update(project=Project.objects.get(fund=fund, letter="G"), actor="t", now=NOW, title="Prevent")
    v2 = half_year_return_for(fund, 2017)
    b = ProjectReturn.objects.get(project__fund=fund, project__letter="B")
    services.project_return_request_changes(project_return=b, actor="t", comment="Q2 figures please", now=NOW)
    with pytest.raises(services.CommissioningError, match="1 project return"):
        services.half_year_return_sign(half_year_return=v2, step="csp_manager", name="X", job_title="Y", signed_on=D, actor="t", now=NOW)
    assert HalfYearReturn.objects.get(pk=v2.pk).state == "draft"


def test_review_cycle_with_audit_before_and_after(fund):
    a = Project.objects.get(fund=fund, letter="A")
    pr = services.project_return_open(project=a, period="2017-H2", now=NOW)
    with pytest.raises(services.CommissioningError, match="RAG rating"):
        services.project_return_submit(project_return=pr, actor="p", now=NOW)
    services.project_return_update(project_return=pr, actor="p", now=NOW, rag="on_track", achieved="Refuge full",
                                   spend_lines=[("Refuge", Decimal("80100"))])
    event = AuditEvent.objects.filter(object_type="commissioning.projectreturn", object_id=str(pr.pk), action="update").first()
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
    assert steps == [("draft", "submitted"), ("submitted", "changes_requested"), ("changes_requested", "submitted"), ("submitted", "accepted")]


def test_a_refused_change_writes_nothing(fund):
    f = ProjectReturn.objects.get(project__fund=fund, project__letter="F")
    services.project_return_request_changes(project_return=f, actor="t", comment="check", now=NOW)
    events, versions = AuditEvent.objects.count(), HalfYearReturn.objects.count()
    with pytest.raises(services.CommissioningError):
        services.project_return_update(project_return=f, actor="t", now=NOW, achieved="new text",
                                       spend_lines=[("ok", Decimal("1.00")), ("", Decimal("2.00"))])
    f.refresh_from_db()
    assert "Stonehouse" in f.achieved and f.spend_lines.count() == 5
    assert (AuditEvent.objects.count(), HalfYearReturn.objects.count()) == (events, versions)
