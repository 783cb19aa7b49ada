"""Proposing, approving and rejecting publications. Each is one transaction with its audit
event; the actor's right is checked here, so a command or the API cannot skip it.

Separation of duties: whoever proposed a report cannot approve it, and approval publishes the
figures that were proposed or nothing. A proposal whose figures have changed since (a revision,
another publication) is out of date; proposing the month again supersedes it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from saferhub.accounts.permissions import record_denial, require
from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain.calendar import Month
from saferhub.partnerships.models import Partnership
from saferhub.performance.models import Indicator
from saferhub.performance.report import build_performance_report

from .figures import public_figures, rule_record
from .models import TRANSITIONS, Publication, PublicationState, PublishedVersion, version_checksum


class PublishingError(Exception):
    """A publishing step that cannot be taken (shown to the user as it is)."""


def _state(p: Publication) -> dict[str, Any]:
    return {"state": p.state, "partnership": p.partnership.slug, "period": p.period,
            "decided_by": p.decided_by.get_username() if p.decided_by else None,
            "decided_at": p.decided_at.isoformat() if p.decided_at else None}


def _next_state(p: Publication, event: str) -> str:
    try:
        return TRANSITIONS[(p.state, event)]
    except KeyError:
        raise PublishingError(f"a {p.get_state_display().lower()} publication cannot be {event}d") from None


def publication_propose(*, partnership: Partnership, period: Month, actor: Any, now: datetime.datetime,
                        note: str = "") -> Publication:
    # The check comes before the transaction, so that the audited denial is not rolled back.
    require("publishing.propose", actor, partnership)
    return _propose(partnership, period, actor, now, note)


def figures_now(partnership: Partnership, period: str) -> tuple[dict[str, Any], str, Any, str, str]:
    """What publishing the month now would publish: (figures, rule name, rule parameters,
    checksum, fingerprint). The fingerprint is the checksum of the month's figures under the
    rule on their own, without what other publications have made known: it changes when the
    data (or which indicators are sensitive) change, and then a proposal is out of date; another
    month's publication changes what approval protects, not what was proposed."""
    report = build_performance_report(partnership, Month.parse(period))
    sensitive = list(Indicator.objects.filter(partnership=partnership, sensitive=True).values_list("code", flat=True))
    figures = public_figures(report, sensitive=sensitive, public=published_cells(partnership))
    name, params = rule_record()
    alone = public_figures(report, sensitive=sensitive, public=set())
    return figures, name, params, version_checksum(figures, name, params), version_checksum(alone, name, params)


@transaction.atomic
def _propose(partnership: Partnership, period: Month, actor: Any, now: datetime.datetime, note: str) -> Publication:
    if not Indicator.objects.filter(partnership=partnership).exists():
        raise PublishingError(f"{partnership.name} has no indicators to publish")
    fingerprint = figures_now(partnership, period.label)[4]
    open_ = Publication.objects.select_for_update().filter(partnership=partnership, period=period.label,
                                                           state=PublicationState.PROPOSED).first()
    if open_ is not None and open_.figures_checksum in ("", fingerprint):
        raise PublishingError(f"the {period.name} report is already awaiting approval")
    if open_ is not None:
        # Its figures changed since it was proposed: this proposal supersedes it.
        before = _state(open_)
        open_.state = _next_state(open_, "supersede")
        open_.save(update_fields=["state"])
    p = Publication.objects.create(partnership=partnership, period=period.label, proposed_by=actor,
                                   proposed_at=now, note=note.strip(), figures_checksum=fingerprint)
    if open_ is not None:
        open_.superseded_by = p
        open_.save(update_fields=["superseded_by"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=open_, at=now,
                     summary=f"The {period.name} report was proposed again with changed figures: proposal {open_.pk} is superseded",
                     before=before, after={**_state(open_), "superseded_by": p.pk})
    audit_record(actor=actor, action=AuditAction.SUBMIT, obj=p, at=now,
                 summary=f"Proposed the {period.name} performance report of {partnership.name} for publication",
                 before=None, after={**_state(p), "fingerprint": fingerprint})
    return p


def approval_refusal(p: Publication, actor: Any) -> str:
    """Why ``actor`` may not approve this proposal, or "" (the rule of separation of duties)."""
    if p.proposed_by_id == getattr(actor, "pk", None):
        return "you proposed this report: another person must approve it"
    return ""


def publication_approve(*, publication: Publication, actor: Any, now: datetime.datetime) -> PublishedVersion:
    """Freeze the disclosure-controlled figures as they stand now into a new version."""
    require("publishing.approve", actor, publication)
    refusal = approval_refusal(publication, actor)
    if refusal:
        record_denial(actor, "publishing.approve", publication, refusal)
        raise PublishingError(refusal)
    return _approve(publication, actor, now)


@transaction.atomic
def _approve(publication: Publication, actor: Any, now: datetime.datetime) -> PublishedVersion:
    p = Publication.objects.select_for_update().select_related("partnership").get(pk=publication.pk)
    if approval_refusal(p, actor):  # read again under the lock
        raise PublishingError(approval_refusal(p, actor))
    before = _state(p)
    p.state = _next_state(p, "approve")
    p.decided_by, p.decided_at = actor, now
    p.save(update_fields=["state", "decided_by", "decided_at"])
    figures, name, params, checksum, fingerprint = figures_now(p.partnership, p.period)
    if p.figures_checksum and fingerprint != p.figures_checksum:
        raise PublishingError(f"the figures of the {Month.parse(p.period).name} report have changed since it was proposed: "
                              "propose it again, so that what is approved is what was proposed")
    number = PublishedVersion.objects.filter(partnership=p.partnership, period=p.period).count() + 1
    version = PublishedVersion.objects.create(
        publication=p, partnership=p.partnership, period=p.period, number=number, figures=figures,
        rule_name=name, rule_parameters=params, approved_by=actor, approved_by_name=actor.get_username(),
        approved_at=now, checksum=checksum,
    )
    audit_record(actor=actor, action=AuditAction.PUBLISH, obj=p, at=now,
                 summary=f"Approved and published version {number} of the {p.period} report of {p.partnership.name}",
                 before=before, after={**_state(p), "version": number, "rule": name, "checksum": version.checksum})
    return version


def publication_reject(*, publication: Publication, actor: Any, now: datetime.datetime, reason: str) -> Publication:
    require("publishing.approve", actor, publication)
    return _reject(publication, actor, now, reason)


@transaction.atomic
def _reject(publication: Publication, actor: Any, now: datetime.datetime, reason: str) -> Publication:
    p = Publication.objects.select_for_update().select_related("partnership").get(pk=publication.pk)
    if not reason.strip():
        raise PublishingError("Enter the reason the report is not to be published")
    before = _state(p)
    p.state = _next_state(p, "reject")
    p.decided_by, p.decided_at, p.decision_note = actor, now, reason.strip()
    p.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=p, at=now,
                 summary=f"Declined to publish the {p.period} report of {p.partnership.name}",
                 before=before, after={**_state(p), "reason": p.decision_note})
    return p


def published_cells(partnership: Partnership) -> set[str]:
    """Every cell any version of this partnership has shown to the public."""
    cells: set[str] = set()
    for figures in PublishedVersion.objects.filter(partnership=partnership).values_list("figures", flat=True):
        cells.update(figures.get("cells", {}))
    return cells
