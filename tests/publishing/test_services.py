from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from saferhub.audit.models import AuditEvent
from saferhub.domain.calendar import Month
from saferhub.domain.workflow import TransitionError
from saferhub.publishing.models import FrozenError, Publication, PublicationState, PublishedVersion
from saferhub.publishing.services import PublishingError, publication_approve, publication_propose, publication_reject

from .conftest import NOW, load_figures


def propose_and_approve(partnership, users, period="2016-09"):
    p = publication_propose(partnership=partnership, period=Month.parse(period), actor=users["analyst"], now=NOW)
    return publication_approve(publication=p, actor=users["commissioner"], now=NOW + datetime.timedelta(hours=1))


def row(version, code, period):
    ind = next(i for i in version.figures["indicators"] if i["code"] == code)
    return next(r for r in ind["rows"] if r["period"] == period), ind


def test_approval_freezes_suppressed_figures_with_rule_approver_and_checksum(partnership, users):
    v = propose_and_approve(partnership, users)
    assert v.number == 1 and v.approved_by_name == "commissioner" and v.approved_at == NOW + datetime.timedelta(hours=1)
    assert v.rule_name == "small-numbers-1-4+sensitive-1-9-round-5+police-uk-open-data"
    assert v.rule_parameters["sensitive"]["parameters"] == {"suppress_from": 1, "suppress_to": 9, "round_to": 5}
    assert v.verify() and len(v.checksum) == 64
    may, thefts = row(v, "thefts", "2016-05")
    assert may["value"] == "[c]" and thefts["level"] == "month"
    # May's 3 must not follow from the year-to-date figures either.
    apr, _ = row(v, "thefts", "2016-04")
    assert "[c]" in (apr["value"], apr["cumulative"], may["cumulative"])
    june, _ = row(v, "thefts", "2016-06")
    assert june["value"] == 24 and june["previous"] == 25
    q1, hate = row(v, "hate-crime", "2016-Q1")
    assert (
        hate["level"] == "quarter"
        and hate["sensitive"]
        and [r["period"] for r in hate["rows"]] == ["2016-Q1", "2016-Q2", "2016-Q3", "2016-Q4"]
    )
    assert hate["rows"][2]["value"] is None and hate["ytd"]["to_period"] == "2016-Q2"
    q2, _ = row(v, "hate-crime", "2016-Q2")
    # Q2 = 5 is suppressed; YTD(Q2) - YTD(Q1) must not give it. The fewest cells that do it: Q2's
    # year to date (one cell) rather than Q1 and Q1's year to date (two, the greedy choice's).
    assert q2["value"] == "[c]" and "[c]" in (q1["cumulative"], q2["cumulative"])
    assert q2["cumulative"] == "[c]" and (q1["value"], q1["cumulative"]) == (10, 10)  # 12, rounded to 5
    assert (q1["previous"], q2["previous"], q2["previous_cumulative"]) == (20, 25, 45)  # 22, 24, 46 rounded
    # No commentary or true figures leak into the public JSON.
    text = str(v.figures)
    assert "commentary" not in text and "spc" not in text
    assert Publication.objects.get().state == PublicationState.PUBLISHED


def test_later_data_changes_do_not_alter_a_version_and_republishing_makes_a_new_one(partnership, users, tmp_path):
    v1 = propose_and_approve(partnership, users)
    frozen = (v1.figures, v1.checksum)
    revised = {"thefts": {"2016-06": 40}}
    load_figures(partnership, tmp_path, revised, reported_on="2016-11-01")
    v1.refresh_from_db()
    assert (v1.figures, v1.checksum) == frozen
    v2 = propose_and_approve(partnership, users)
    assert v2.number == 2 and row(v2, "thefts", "2016-06")[0]["value"] == 40
    assert row(v1, "thefts", "2016-06")[0]["value"] == 24


def test_a_version_cannot_be_changed_or_deleted(partnership, users):
    v = propose_and_approve(partnership, users)
    v.figures = {}
    with pytest.raises(FrozenError):
        v.save()
    with pytest.raises(FrozenError):
        v.delete()
    with pytest.raises(FrozenError):
        PublishedVersion.objects.filter(pk=v.pk).update(figures={})
    with pytest.raises(FrozenError):
        PublishedVersion.objects.all().delete()


def test_every_step_is_audited_with_before_and_after(partnership, users):
    v = propose_and_approve(partnership, users)
    events = list(AuditEvent.objects.filter(object_type="publishing.publication").order_by("at"))
    assert [e.action for e in events] == ["submit", "publish"]
    assert events[0].before is None and events[0].after["state"] == "proposed" and events[0].actor_name == "analyst"
    assert events[1].before["state"] == "proposed" and events[1].after["state"] == "published"
    assert events[1].after["checksum"] == v.checksum


@pytest.mark.parametrize("role", ["commissioner", "provider", "board"])
def test_only_admin_and_analyst_propose(partnership, users, role):
    with pytest.raises(PermissionDenied):
        publication_propose(partnership=partnership, period=Month(2016, 9), actor=users[role], now=NOW)
    assert not Publication.objects.exists()
    assert AuditEvent.objects.filter(action="denied", summary__startswith="publishing.propose").exists()


@pytest.mark.parametrize("role", ["analyst", "provider", "board"])
def test_only_admin_and_commissioner_approve(partnership, users, role):
    p = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)
    with pytest.raises(PermissionDenied):
        publication_approve(publication=p, actor=users[role], now=NOW)
    assert not PublishedVersion.objects.exists()
    p.refresh_from_db()
    assert p.state == PublicationState.PROPOSED


def test_reject_needs_a_reason_and_a_decided_publication_cannot_be_approved(partnership, users):
    p = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["admin"], now=NOW)
    with pytest.raises(PublishingError):
        publication_reject(publication=p, actor=users["commissioner"], now=NOW, reason=" ")
    publication_reject(publication=p, actor=users["commissioner"], now=NOW, reason="Figures under review")
    with pytest.raises(PublishingError):
        publication_approve(publication=p, actor=users["commissioner"], now=NOW)
    assert not PublishedVersion.objects.exists()


def test_a_decided_publication_is_refused_in_words_as_the_one_transition_error(partnership, users):
    v = propose_and_approve(partnership, users)
    # Was "cannot be rejectd": each event has its own past tense.
    with pytest.raises(PublishingError, match="^a published publication cannot be rejected$") as refused:
        publication_reject(publication=v.publication, actor=users["commissioner"], now=NOW, reason="Too late")
    assert isinstance(refused.value, TransitionError)
    assert Publication.objects.get(pk=v.publication.pk).state == PublicationState.PUBLISHED


def test_one_open_proposal_per_report(partnership, users):
    publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)
    with pytest.raises(PublishingError):
        publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)


def test_the_proposer_cannot_approve_their_own_proposal(partnership, users):
    """Separation of duties (issue 12, finding 6): an admin may propose and may approve, but not both."""
    p = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["admin"], now=NOW)
    with pytest.raises(PublishingError, match="another person must approve it"):
        publication_approve(publication=p, actor=users["admin"], now=NOW)
    p.refresh_from_db()
    assert p.state == PublicationState.PROPOSED and not PublishedVersion.objects.exists()
    assert AuditEvent.objects.filter(action="denied", summary__contains="another person must approve it").exists()
    v = publication_approve(publication=p, actor=users["commissioner"], now=NOW)
    assert v.approved_by == users["commissioner"]


def test_a_superseded_proposal_cannot_be_approved(partnership, users, tmp_path):
    first = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)
    load_figures(partnership, tmp_path, {"thefts": {"2016-06": 40}}, reported_on="2016-11-01")
    # The figures proposed are no longer those approval would publish: approval is refused ...
    with pytest.raises(PublishingError, match="changed since"):
        publication_approve(publication=first, actor=users["commissioner"], now=NOW)
    # ... and proposing the month again supersedes the first proposal.
    second = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)
    first.refresh_from_db()
    assert first.state == PublicationState.SUPERSEDED and second.state == PublicationState.PROPOSED
    with pytest.raises(PublishingError, match="superseded"):
        publication_approve(publication=first, actor=users["commissioner"], now=NOW)
    v = publication_approve(publication=second, actor=users["commissioner"], now=NOW)
    assert v.publication == second and row(v, "thefts", "2016-06")[0]["value"] == 40


def test_publishing_the_same_figures_again_is_refused_as_a_no_op(partnership, users):
    propose_and_approve(partnership, users)
    p = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)
    with pytest.raises(PublishingError, match="same as version 1"):
        publication_approve(publication=p, actor=users["commissioner"], now=NOW)
    p.refresh_from_db()
    assert p.state == PublicationState.PROPOSED and PublishedVersion.objects.count() == 1


def test_the_audit_is_stored_with_the_version(partnership, users):
    v = propose_and_approve(partnership, users)
    assert v.audit["passed"] is True and v.audit["method"].startswith("linear programming")
    hidden = {i["cell"]: i for i in v.audit["intervals"]}
    assert set(hidden) == set(v.figures["suppressed"]) and "thefts|n|2016-05" in hidden
    may = hidden["thefts|n|2016-05"]
    assert may["low"] <= 1 and (may["high"] is None or may["high"] >= 4)
    # Fingerprints of every true cell, keyed: no count can be read from them.
    assert set(v.cell_fingerprints) >= set(v.figures["cells"]) | set(v.figures["suppressed"])
    assert "3" not in v.cell_fingerprints.values()


def test_approval_is_refused_naming_the_cell_when_the_audit_fails(partnership, users, monkeypatch, client):
    """A table the audit finds unsafe (here: a = all - b, from figures shown earlier) is not
    published: the refusal names the cell, its interval and what pins it; the proposal stays open."""
    from saferhub.domain.disclosure import STANDARD, Sum
    from saferhub.domain.disclosure_audit import Release, audit
    from saferhub.publishing import services

    pinned = audit(
        [Release({"a": "[c]", "b": 20, "all": 23}, {k: STANDARD for k in ("a", "b", "all")}, [Sum("all", ("a", "b"))])],
        {"a": (1, 4)},
    )
    monkeypatch.setattr(services, "prepare_figures", lambda partnership, period: ({"indicators": []}, pinned, {}))
    monkeypatch.setattr(services, "true_prints", lambda partnership, period: {})
    p = publication_propose(partnership=partnership, period=Month(2016, 9), actor=users["analyst"], now=NOW)
    with pytest.raises(PublishingError) as refused:
        publication_approve(publication=p, actor=users["commissioner"], now=NOW)
    message = str(refused.value)
    assert "a could be narrowed to between 3 and 3" in message and "1 to 4 must stay possible" in message
    assert "all = a + b" in message
    p.refresh_from_db()
    assert p.state == PublicationState.PROPOSED and not PublishedVersion.objects.exists()
    from saferhub.publishing import manage_views

    monkeypatch.setattr(manage_views, "figures_now", services.figures_now)
    client.force_login(users["commissioner"])
    assert "The disclosure audit would refuse these figures" in client.get(f"/publishing/{p.pk}/").content.decode()
