"""Writes for commissioning. Each is one transaction, writes an audit event with before/after,
and raises ``CommissioningError`` (or the domain's ``TransitionError``) for the caller to show.

Freezing: once the half-year return for a period is signed, any change to that period's data
opens a new draft version of the half-year return; the signed version keeps its snapshot."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Iterable

from django.db import transaction

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain import commissioning as rules
from saferhub.domain.commissioning import money

from .models import (
    Fund,
    HalfYearReturn,
    Kpi,
    KpiActual,
    Project,
    ProjectReturn,
    Rag,
    SignOffState,
    SpendLine,
)


class CommissioningError(ValueError):
    """A change that commissioning's rules refuse; nothing was written."""


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_full_name() or actor.get_username()


def _return_state(pr: ProjectReturn) -> dict[str, Any]:
    return {
        "state": pr.state, "achieved": pr.achieved, "actions": pr.actions, "rag": pr.rag,
        "spend": [[s.category, str(s.amount)] for s in pr.spend_lines.all()],
        "actuals": {str(a.kpi_id): [None if a.value is None else str(a.value), a.note] for a in pr.actuals.all()},
    }


def _open_new_version_if_frozen(*, fund: Fund, period: str, now: datetime.datetime, actor: Any) -> None:
    """A change to a signed period opens a new draft version; the signed one is left as it is."""
    latest = HalfYearReturn.objects.filter(fund=fund, period=period).order_by("-version").first()
    if latest is None or not latest.frozen:
        return
    new = HalfYearReturn.objects.create(
        fund=fund, period=period, version=latest.version + 1, area=latest.area,
        half_year_end_label=latest.half_year_end_label, claimed=latest.claimed, due_on=latest.due_on, created_at=now,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=new, at=now,
                 summary=f"Half-year return {period} v{latest.version} is signed: a change opened version {new.version}",
                 after={"version": new.version})


def _check_editable(pr: ProjectReturn) -> None:
    # The RAG, figures and narratives a commissioner accepted are changed by reopening the
    # review (request changes), not silently: the review record must describe what was accepted.
    if pr.state not in rules.EDITABLE_REVIEW_STATES:
        raise CommissioningError(f"the return is {pr.get_state_display().lower()}: request changes before editing it")


@transaction.atomic
def project_return_open(*, project: Project, period: str, due_on: datetime.date | None = None, actor: Any = None,
                        now: datetime.datetime) -> ProjectReturn:
    rules.parse_half(period)
    pr, created = ProjectReturn.objects.get_or_create(project=project, period=period, defaults={"due_on": due_on})
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=pr, at=now, summary=f"Opened the {period} return of {project}",
                     after={"period": period, "due_on": due_on.isoformat() if due_on else None})
    return pr


@transaction.atomic
def project_return_update(*, project_return: ProjectReturn, actor: Any, now: datetime.datetime,
                          achieved: str | None = None, actions: str | None = None, rag: str | None = None,
                          actuals: dict[int, tuple[Decimal | None, str]] | None = None,
                          spend_lines: Iterable[tuple[str, Decimal]] | None = None) -> ProjectReturn:
    """Change any part of a return in one step (the form and the XLSX import both use this)."""
    pr = ProjectReturn.objects.select_for_update().get(pk=project_return.pk)
    _check_editable(pr)
    before = _return_state(pr)
    if achieved is not None:
        pr.achieved = achieved.strip()
    if actions is not None:
        pr.actions = actions.strip()
    if rag is not None and rag != pr.rag:
        if rag and rag not in Rag.values:
            raise CommissioningError(f"{rag!r} is not a RAG rating: use one of {', '.join(Rag.values)}")
        pr.rag, pr.rag_set_by, pr.rag_set_at = rag, _actor_name(actor), now
    pr.save()
    if actuals is not None:
        _set_actuals(pr, actuals)
    if spend_lines is not None:
        _replace_spend(pr, spend_lines)
    after = _return_state(pr)
    if after != before:
        _open_new_version_if_frozen(fund=pr.project.fund, period=pr.period, now=now, actor=actor)
        changed = sorted(k for k in after if after[k] != before[k])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=pr, at=now,
                     summary=f"Changed {', '.join(changed)} of the {pr.period} return of {pr.project}",
                     before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return pr


def _set_actuals(pr: ProjectReturn, actuals: dict[int, tuple[Decimal | None, str]]) -> None:
    kpis = {k.pk: k for k in Kpi.objects.filter(project=pr.project)}
    for kpi_id, (value, note) in actuals.items():
        if kpi_id not in kpis:
            raise CommissioningError(f"KPI {kpi_id} is not one of {pr.project}'s KPIs")
        if value is None and not note:
            KpiActual.objects.filter(project_return=pr, kpi_id=kpi_id).delete()
            continue
        KpiActual.objects.update_or_create(project_return=pr, kpi_id=kpi_id, defaults={"value": value, "note": note})


def _replace_spend(pr: ProjectReturn, lines: Iterable[tuple[str, Decimal]]) -> None:
    lines = [(c.strip(), money(a)) for c, a in lines]
    if any(not c for c, _ in lines):
        raise CommissioningError("every spend line needs a category")
    SpendLine.objects.filter(project_return=pr).delete()
    SpendLine.objects.bulk_create(SpendLine(project_return=pr, position=i, category=c, amount=a) for i, (c, a) in enumerate(lines))


def _review_step(pr: ProjectReturn, action: rules.ReviewAction, actor: Any, now: datetime.datetime, comment: str = "") -> ProjectReturn:
    pr = ProjectReturn.objects.select_for_update().get(pk=pr.pk)
    before = pr.state
    pr.state = rules.review_transition(pr.state, action).value
    if action is rules.ReviewAction.SUBMIT:
        if not pr.rag:
            raise CommissioningError("give the return a RAG rating before submitting it")
        pr.submitted_at = now
    else:
        pr.reviewed_by, pr.reviewed_at, pr.review_comment = _actor_name(actor), now, comment.strip()
    pr.save()
    kind = AuditAction.SUBMIT if action is rules.ReviewAction.SUBMIT else AuditAction.UPDATE
    audit_record(actor=actor, action=kind, obj=pr, at=now, summary=f"{action.value.replace('_', ' ').capitalize()}: {pr}",
                 before={"state": before}, after={"state": pr.state, "comment": pr.review_comment})
    return pr


@transaction.atomic
def project_return_submit(*, project_return: ProjectReturn, actor: Any, now: datetime.datetime) -> ProjectReturn:
    return _review_step(project_return, rules.ReviewAction.SUBMIT, actor, now)


@transaction.atomic
def project_return_request_changes(*, project_return: ProjectReturn, actor: Any, comment: str, now: datetime.datetime) -> ProjectReturn:
    if not comment.strip():
        raise CommissioningError("say what needs to change")
    return _review_step(project_return, rules.ReviewAction.REQUEST_CHANGES, actor, now, comment)


@transaction.atomic
def project_return_accept(*, project_return: ProjectReturn, actor: Any, now: datetime.datetime, comment: str = "") -> ProjectReturn:
    return _review_step(project_return, rules.ReviewAction.ACCEPT, actor, now, comment)


@transaction.atomic
def half_year_return_open(*, fund: Fund, period: str, area: str, claimed: Decimal, due_on: datetime.date | None,
                          half_year_end_label: str = "", actor: Any = None, now: datetime.datetime) -> HalfYearReturn:
    """The draft half-year return of a period (the latest version if one exists)."""
    rules.parse_half(period)
    latest = HalfYearReturn.objects.filter(fund=fund, period=period).order_by("-version").first()
    if latest is not None:
        return latest
    hyr = HalfYearReturn.objects.create(fund=fund, period=period, area=area, claimed=money(claimed), due_on=due_on,
                                        half_year_end_label=half_year_end_label, created_at=now)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=hyr, at=now, summary=f"Opened the {period} return of {fund}",
                 after={"claimed": str(hyr.claimed), "due_on": due_on.isoformat() if due_on else None})
    return hyr


@transaction.atomic
def half_year_return_update(*, half_year_return: HalfYearReturn, claimed: Decimal, actor: Any, now: datetime.datetime) -> HalfYearReturn:
    hyr = HalfYearReturn.objects.select_for_update().get(pk=half_year_return.pk)
    if money(claimed) == hyr.claimed:
        return hyr  # nothing changes, so a signed version stays the current one
    if hyr.frozen:
        _open_new_version_if_frozen(fund=hyr.fund, period=hyr.period, now=now, actor=actor)
        hyr = HalfYearReturn.objects.filter(fund=hyr.fund, period=hyr.period).order_by("-version").first()
    before = str(hyr.claimed)
    hyr.claimed = money(claimed)
    hyr.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=hyr, at=now, summary=f"Changed the claim of {hyr}",
                 before={"claimed": before}, after={"claimed": str(hyr.claimed)})
    return hyr


@transaction.atomic
def half_year_return_sign(*, half_year_return: HalfYearReturn, step: str, name: str, job_title: str,
                          signed_on: datetime.date, actor: Any, now: datetime.datetime) -> HalfYearReturn:
    """Record a signature: the CSP manager's freezes the return as it stands; the treasurer's
    countersigns that same frozen return."""
    from .returns import build_half_year_return

    hyr = HalfYearReturn.objects.select_for_update().get(pk=half_year_return.pk)
    latest = HalfYearReturn.objects.filter(fund=hyr.fund, period=hyr.period).order_by("-version").first()
    if latest.pk != hyr.pk:
        raise CommissioningError(f"version {hyr.version} has been replaced by version {latest.version}: sign that one")
    if not name.strip() or not job_title.strip():
        raise CommissioningError("a signature needs a name and a job title")
    step_ = rules.SignOffStep(step)
    before = hyr.state
    new_state = rules.sign_off_transition(hyr.state, step_)
    if step_ is rules.SignOffStep.CSP_MANAGER:
        waiting = ProjectReturn.objects.filter(project__fund=hyr.fund, period=hyr.period).exclude(state="accepted")
        if waiting.exists():
            raise CommissioningError(f"{waiting.count()} project return(s) for {hyr.period} are not yet accepted")
        hyr.csp_name, hyr.csp_job_title, hyr.csp_signed_on = name.strip(), job_title.strip(), signed_on
    else:
        if signed_on < hyr.csp_signed_on:
            raise CommissioningError("the treasurer cannot sign before the CSP manager")
        hyr.cfo_name, hyr.cfo_job_title, hyr.cfo_signed_on = name.strip(), job_title.strip(), signed_on
    hyr.state = new_state.value
    # The snapshot is the return as it reads with this signature (for the treasurer, the same
    # figures the CSP manager signed: any change in between opened a new version).
    hyr.snapshot = build_half_year_return(hyr, live=True)
    hyr.save()
    audit_record(actor=actor, action=AuditAction.SIGN_OFF, obj=hyr, at=now,
                 summary=f"{step_.value.replace('_', ' ').capitalize()} signed {hyr}",
                 before={"state": before}, after={"state": hyr.state, "name": name, "job_title": job_title, "date": signed_on.isoformat()})
    return hyr


__all__ = [
    "CommissioningError",
    "project_return_open",
    "project_return_update",
    "project_return_submit",
    "project_return_request_changes",
    "project_return_accept",
    "half_year_return_open",
    "half_year_return_update",
    "half_year_return_sign",
    "SignOffState",
]
