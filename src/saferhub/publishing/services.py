"""Proposing, approving and rejecting publications. Each is one transaction with its audit
event; the actor's right is checked here, so a command or the API cannot skip it.

Separation of duties: whoever proposed a report cannot approve it, and approval publishes the
figures that were proposed or nothing. A proposal whose figures have changed since (a revision,
another publication) is out of date; proposing the month again supersedes it."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from typing import Any, Mapping

from django.conf import settings
from django.db import transaction

from saferhub.accounts import notifications
from saferhub.accounts.permissions import record_denial, require
from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain import publication as publication_rules
from saferhub.domain.calendar import Month
from saferhub.domain.disclosure_audit import AuditResult, Release
from saferhub.domain.problems import SaferhubError
from saferhub.domain.publication import PublicationEvent
from saferhub.domain.published import PublishedFigures
from saferhub.domain.workflow import TransitionError
from saferhub.partnerships.models import Partnership
from saferhub.performance.models import Indicator
from saferhub.performance.report import build_performance_report
from saferhub.rendering.published_json import figures_json

from .figures import protect_report, release_of, report_cells, rule_record
from .models import Publication, PublicationState, PublishedVersion, version_checksum


class PublishingError(SaferhubError):
    """A publishing step that cannot be taken (shown to the user as it is)."""


class PublicationRefused(TransitionError, PublishingError):
    """A move the publication table (saferhub.domain.publication) does not hold: the one
    TransitionError, and a PublishingError for the pages that show it."""


PUBLICATION = publication_rules.PUBLICATION.refusing(PublicationRefused)


def _state(p: Publication) -> dict[str, Any]:
    return {
        "state": p.state,
        "partnership": p.partnership.slug,
        "period": p.period,
        "decided_by": p.decided_by.get_username() if p.decided_by else None,
        "decided_at": p.decided_at.isoformat() if p.decided_at else None,
    }


def publication_propose(
    *, partnership: Partnership, period: Month, actor: Any, now: datetime.datetime, note: str = ""
) -> Publication:
    # The check comes before the transaction, so that the audited denial is not rolled back.
    require("publishing.propose", actor, partnership)
    return _propose(partnership, period, actor, now, note)


def figures_now(partnership: Partnership, period: str) -> tuple[PublishedFigures, AuditResult, dict[str, str], str]:
    """What publishing the month now would publish: (figures, their disclosure audit, the keyed
    prints of the true cells, fingerprint). The fingerprint is the checksum of the month's true
    cells alone, without what other publications have made known: it changes when the data
    change, and then a proposal is out of date; another month's publication changes what
    approval protects, not what was proposed."""
    figures, audit, prints = prepare_figures(partnership, Month.parse(period))
    return figures, audit, prints, _checksum(prints)


def _checksum(prints: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(prints, sort_keys=True).encode()).hexdigest()


def true_prints(partnership: Partnership, period: Month) -> dict[str, str]:
    """The keyed prints of the month's true cells, as ``prepare_figures`` gives them, without
    protecting or auditing anything."""
    report = build_performance_report(partnership, period)
    sensitive = Indicator.objects.filter(partnership=partnership, sensitive=True).values_list("code", flat=True)
    return {k: _fingerprint(partnership, k, v) for k, v in report_cells(report, sensitive=sensitive).items()}


@transaction.atomic
def _propose(partnership: Partnership, period: Month, actor: Any, now: datetime.datetime, note: str) -> Publication:
    if not Indicator.objects.filter(partnership=partnership).exists():
        raise PublishingError(f"{partnership.name} has no indicators to publish")
    # Only the fingerprint is needed here: the true cells, not their protection and audit.
    fingerprint = _checksum(true_prints(partnership, period))
    open_ = (
        Publication.objects.select_for_update()
        .filter(partnership=partnership, period=period.label, state=PublicationState.PROPOSED)
        .first()
    )
    if open_ is not None and open_.figures_checksum in ("", fingerprint):
        raise PublishingError(f"the {period.name} report is already awaiting approval")
    if open_ is not None:
        # Its figures changed since it was proposed: this proposal supersedes it.
        before = _state(open_)
        open_.state = PUBLICATION.move(open_.state, PublicationEvent.SUPERSEDE)
        open_.save(update_fields=["state"])
    p = Publication.objects.create(
        partnership=partnership,
        period=period.label,
        proposed_by=actor,
        proposed_at=now,
        note=note.strip(),
        figures_checksum=fingerprint,
    )
    if open_ is not None:
        open_.superseded_by = p
        open_.save(update_fields=["superseded_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=open_,
            at=now,
            summary=f"The {period.name} report was proposed again with changed figures: proposal {open_.pk} is superseded",
            before=before,
            after={**_state(open_), "superseded_by": p.pk},
        )
    audit_record(
        actor=actor,
        action=AuditAction.SUBMIT,
        obj=p,
        at=now,
        summary=f"Proposed the {period.name} performance report of {partnership.name} for publication",
        before=None,
        after={**_state(p), "fingerprint": fingerprint},
    )
    notifications.publication_proposed(p, actor)
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
    # FOR UPDATE over the join locks the partnership's row too (PostgreSQL): approvals for one
    # partnership take turns, so each is protected and audited against the other's version
    # (tests/publishing/test_services_concurrency.py). Do not narrow it to of=("self",).
    p = Publication.objects.select_for_update().select_related("partnership").get(pk=publication.pk)
    if approval_refusal(p, actor):  # read again under the lock
        raise PublishingError(approval_refusal(p, actor))
    before = _state(p)
    p.state = PUBLICATION.move(p.state, PublicationEvent.APPROVE)
    p.decided_by, p.decided_at = actor, now
    p.save(update_fields=["state", "decided_by", "decided_at"])
    figures, audit, fingerprints, fingerprint = figures_now(p.partnership, p.period)
    if p.figures_checksum and fingerprint != p.figures_checksum:
        raise PublishingError(
            f"the figures of the {Month.parse(p.period).name} report have changed since it was proposed: "
            "propose it again, so that what is approved is what was proposed"
        )
    if not audit.passed:
        raise PublishingError(audit_refusal(audit))
    latest = PublishedVersion.objects.filter(partnership=p.partnership, period=p.period).order_by("-number").first()
    if latest is not None and _same_figures(latest.published, figures):
        raise PublishingError(
            f"These figures are the same as version {latest.number}, already published: "
            "nothing new to publish. Decline the proposal, or publish when the figures change."
        )
    rule = rule_record()
    name, params = rule.name, dict(rule.parameters)
    stored = figures_json(figures)
    number = PublishedVersion.objects.filter(partnership=p.partnership, period=p.period).count() + 1
    version = PublishedVersion.objects.create(
        publication=p,
        partnership=p.partnership,
        period=p.period,
        number=number,
        figures=stored,
        rule_name=name,
        rule_parameters=params,
        approved_by=actor,
        approved_by_name=actor.get_username(),
        approved_at=now,
        checksum=version_checksum(stored, name, params),
        audit=audit.as_dict(),
        cell_fingerprints=fingerprints,
    )
    audit_record(
        actor=actor,
        action=AuditAction.PUBLISH,
        obj=p,
        at=now,
        summary=f"Approved and published version {number} of the {p.period} report of {p.partnership.name}",
        before=before,
        after={
            **_state(p),
            "version": number,
            "rule": name,
            "checksum": version.checksum,
            "audit": {"passed": True, "suppressed_cells": len(audit.intervals)},
        },
    )
    notifications.publication_approved(p, actor)
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
    p.state = PUBLICATION.move(p.state, PublicationEvent.REJECT)
    p.decided_by, p.decided_at, p.decision_note = actor, now, reason.strip()
    p.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=p,
        at=now,
        summary=f"Declined to publish the {p.period} report of {p.partnership.name}",
        before=before,
        after={**_state(p), "reason": p.decision_note},
    )
    return p


def _fingerprint(partnership: Partnership, key: str, value: int) -> str:
    """A keyed hash of a cell's true count: equal counts give equal prints, and without the
    site's secret key a print cannot be turned back into a count (1 to 9 would be easy to try)."""
    message = f"saferhub.publishing|{partnership.slug}|{key}|{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:24]


def _was_small(partnership: Partnership, key: str, print_: str, low: int, high: int) -> bool:
    """Whether a stored print is of a count from ``low`` to ``high`` (the server holds the key)."""
    return any(hmac.compare_digest(print_, _fingerprint(partnership, key, n)) for n in range(low, high + 1))


def earlier_releases(partnership: Partnership, cells: Mapping[str, int]) -> tuple[list[Release], dict[str, str]]:
    """Every version published for the partnership, as the public saw it, with each of its cells
    named as today's unknown when its count is unchanged and as an unknown of its own when it
    has been revised since (that figure is a fact about the old count, not today's)."""
    releases = []
    for v in PublishedVersion.objects.filter(partnership=partnership).order_by("approved_at", "pk"):
        prints = v.cell_fingerprints or {}
        release = release_of(v.published)
        variables: dict[str, str] = {}
        protect: dict[str, tuple[int, int]] = {}
        for key, shown in release.shown.items():
            if key not in cells:
                same = False
            elif shown != "[c]" and release.rules[key].rounding == 1 and shown == cells[key]:
                same = True  # shown exactly with today's count: the same fact, whatever the print says
            elif key in prints:
                same = prints[key] == _fingerprint(partnership, key, cells[key])
            elif key not in cells:
                same = False
            elif shown == "[c]":  # a version stored before fingerprints: assume unchanged (the safe side)
                same = True
            else:  # ... and a figure it showed must fit today's count
                lo, hi = release.rules[key].shown_range(int(shown))
                same = lo <= cells[key] <= hi
            if not same:
                variables[key] = f"{key}@v{v.pk}"
                rule = release.rules[key]
                if shown == "[c]" and key in prints and _was_small(partnership, key, prints[key], rule.low, rule.high):
                    # Its old count was a small number: that value must stay hidden too.
                    protect[key] = (rule.low, rule.high)
        releases.append(Release(release.shown, release.rules, release.sums, variables, protect))
    return releases, {}


def prepare_figures(partnership: Partnership, period: Month) -> tuple[PublishedFigures, AuditResult, dict[str, str]]:
    """What approval would publish now: the protected figures, their audit against everything
    published for the partnership, and the fingerprints of the true cells."""
    report = build_performance_report(partnership, period)
    sensitive = Indicator.objects.filter(partnership=partnership, sensitive=True).values_list("code", flat=True)
    try:
        figures, protection, cells = protect_report(
            report, sensitive=sensitive, earlier=lambda c: earlier_releases(partnership, c)
        )
    except ValueError as e:  # the audit found earlier versions and today's figures inconsistent
        raise PublishingError(f"The disclosure audit could not be run: {e}. Nothing was published.") from None
    prints = {k: _fingerprint(partnership, k, v) for k, v in cells.items()}
    return figures, protection.audit, prints


def audit_refusal(audit: AuditResult) -> str:
    """Why a publication is refused, in words: the cell, the range it is held to, and what holds it."""
    f = audit.failures[0]
    lo, hi = f.required or (0, 0)
    high = "any number" if f.high == float("inf") else f"{int(f.high)}"
    what = "; ".join(f.revealed_by) or "the published figures"
    more = f" ({len(audit.failures) - 1} more cells likewise)" if len(audit.failures) > 1 else ""
    return (
        f"Not published: the suppressed figure {f.cell} could be narrowed to between {int(f.low)} and {high}, "
        f"but anything from {lo} to {hi} must stay possible. What would reveal it: {what}{more}."
    )


def _same_figures(a: PublishedFigures, b: PublishedFigures) -> bool:
    return a.indicators == b.indicators and a.cells == b.cells
