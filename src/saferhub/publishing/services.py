"""Proposing, approving and rejecting publications. Each is one transaction with its audit
event; the actor's right is checked here, so a command or the API cannot skip it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from saferhub.accounts.permissions import require
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


@transaction.atomic
def _propose(partnership: Partnership, period: Month, actor: Any, now: datetime.datetime, note: str) -> Publication:
    if Publication.objects.filter(partnership=partnership, period=period.label, state=PublicationState.PROPOSED).exists():
        raise PublishingError(f"the {period.name} report is already awaiting approval")
    if not Indicator.objects.filter(partnership=partnership).exists():
        raise PublishingError(f"{partnership.name} has no indicators to publish")
    p = Publication.objects.create(partnership=partnership, period=period.label, proposed_by=actor,
                                   proposed_at=now, note=note.strip())
    audit_record(actor=actor, action=AuditAction.SUBMIT, obj=p, at=now,
                 summary=f"Proposed the {period.name} performance report of {partnership.name} for publication",
                 before=None, after=_state(p))
    return p


def publication_approve(*, publication: Publication, actor: Any, now: datetime.datetime) -> PublishedVersion:
    """Freeze the disclosure-controlled figures as they stand now into a new version."""
    require("publishing.approve", actor, publication)
    return _approve(publication, actor, now)


@transaction.atomic
def _approve(publication: Publication, actor: Any, now: datetime.datetime) -> PublishedVersion:
    p = Publication.objects.select_for_update().select_related("partnership").get(pk=publication.pk)
    before = _state(p)
    p.state = _next_state(p, "approve")
    p.decided_by, p.decided_at = actor, now
    p.save(update_fields=["state", "decided_by", "decided_at"])
    report = build_performance_report(p.partnership, Month.parse(p.period))
    sensitive = Indicator.objects.filter(partnership=p.partnership, sensitive=True).values_list("code", flat=True)
    figures = public_figures(report, sensitive=sensitive, public=published_cells(p.partnership))
    name, params = rule_record()
    number = PublishedVersion.objects.filter(partnership=p.partnership, period=p.period).count() + 1
    version = PublishedVersion.objects.create(
        publication=p, partnership=p.partnership, period=p.period, number=number, figures=figures,
        rule_name=name, rule_parameters=params, approved_by=actor, approved_by_name=actor.get_username(),
        approved_at=now, checksum=version_checksum(figures, name, params),
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
