"""Writes for commissioning. Each is one transaction, writes an audit event with before/after,
and raises ``CommissioningError`` for the caller to show (a move the review or sign-off table
refuses is a ``CommissioningRefused``: the domain's ``TransitionError`` too).

Freezing: once the half-year return for a period is signed, any change to that period's data
opens a new draft version of the half-year return; the signed version keeps its snapshot."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone

from saferhub.accounts import notifications
from saferhub.accounts.models import Role
from saferhub.accounts.permissions import record_denial, require, role_of
from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record, audited_update
from saferhub.domain import commissioning as rules
from saferhub.domain.commissioning import money
from saferhub.domain.problems import SaferhubError
from saferhub.domain.workflow import TransitionError

from .models import (
    Fund,
    HalfYearReturn,
    Kpi,
    KpiActual,
    Office,
    OfficeHolder,
    Project,
    ProjectReturn,
    Rag,
    SignOffState,
    SpendLine,
)


class CommissioningError(SaferhubError, ValueError):
    """A change that commissioning's rules refuse; nothing was written."""


class CommissioningRefused(TransitionError, CommissioningError):
    """A move the review or sign-off table (saferhub.domain.commissioning) does not hold."""


# The domain's tables, refusing in commissioning's words.
REVIEW = rules.REVIEW.refusing(CommissioningRefused)
SIGN_OFF = rules.SIGN_OFF.refusing(CommissioningRefused)


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_full_name() or actor.get_username()


def _return_state(pr: ProjectReturn) -> dict[str, Any]:
    return {
        "state": pr.state,
        "achieved": pr.achieved,
        "actions": pr.actions,
        "rag": pr.rag,
        "spend": [[s.category, str(s.amount)] for s in pr.spend_lines.all()],
        "actuals": _actuals_state(pr),
    }


def _actuals_state(pr: ProjectReturn) -> dict[str, list[str | None]]:
    """A return's KPI actuals as the audit log keeps them: each under its KPI's name (as the
    return prints it), not its database id, which no auditor can read; a name two KPIs share
    is told apart by the id."""
    actuals = list(pr.actuals.select_related("kpi").order_by("kpi__position", "kpi_id"))
    names = [a.kpi.name for a in actuals]
    return {
        (a.kpi.name if names.count(a.kpi.name) == 1 else f"{a.kpi.name} (KPI {a.kpi_id})"): [
            None if a.value is None else str(a.value),
            a.note,
        ]
        for a in actuals
    }


def _open_new_version_if_frozen(*, fund: Fund, period: str, now: datetime.datetime, actor: Any) -> None:
    """A change to a signed period opens a new draft version; the signed one is left as it is."""
    latest = HalfYearReturn.objects.filter(fund=fund, period=period).order_by("-version").first()
    if latest is None or not latest.frozen:
        return
    new = HalfYearReturn.objects.create(
        fund=fund,
        period=period,
        version=latest.version + 1,
        area=latest.area,
        half_year_end_label=latest.half_year_end_label,
        claimed=latest.claimed,
        due_on=latest.due_on,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=new,
        at=now,
        summary=f"Half-year return {period} v{latest.version} is signed: a change opened version {new.version}",
        after={"version": new.version},
    )


def _check_editable(pr: ProjectReturn) -> None:
    # The RAG, figures and narratives a commissioner accepted are changed by reopening the
    # review (request changes), not silently: the review record must describe what was accepted.
    if pr.state not in rules.EDITABLE_REVIEW_STATES:
        raise CommissioningError(f"the return is {pr.get_state_display().lower()}: request changes before editing it")


@transaction.atomic
def project_return_open(
    *, project: Project, period: str, due_on: datetime.date | None = None, actor: Any = None, now: datetime.datetime
) -> ProjectReturn:
    rules.parse_half(period)
    pr, created = ProjectReturn.objects.get_or_create(project=project, period=period, defaults={"due_on": due_on})
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=pr,
            at=now,
            summary=f"Opened the {period} return of {project}",
            after={"period": period, "due_on": due_on.isoformat() if due_on else None},
        )
    return pr


@transaction.atomic
def project_return_update(
    *,
    project_return: ProjectReturn,
    actor: Any,
    now: datetime.datetime,
    achieved: str | None = None,
    actions: str | None = None,
    rag: str | None = None,
    actuals: dict[int, tuple[Decimal | None, str]] | None = None,
    spend_lines: Iterable[tuple[str, Decimal]] | None = None,
) -> ProjectReturn:
    """Change any part of a return in one step (the form and the XLSX import both use this)."""
    pr = ProjectReturn.objects.select_for_update().get(pk=project_return.pk)
    _check_editable(pr)
    if rag is not None and rag != pr.rag and rag and rag not in Rag.values:
        raise CommissioningError(f"{rag!r} is not a RAG rating: use one of {', '.join(Rag.values)}")
    changes: dict[str, Any] = {}
    if achieved is not None:
        changes["achieved"] = achieved.strip()
    if actions is not None:
        changes["actions"] = actions.strip()
    if rag is not None and rag != pr.rag:
        changes.update(rag=rag, rag_set_by=_actor_name(actor), rag_set_at=now)

    def related(pr: ProjectReturn) -> None:
        if actuals is not None:
            _set_actuals(pr, actuals)
        if spend_lines is not None:
            _replace_spend(pr, spend_lines)

    audited_update(
        pr,
        changes,
        actor=actor,
        at=now,
        summary=lambda pr, changed: f"Changed {', '.join(changed)} of the {pr.period} return of {pr.project}",
        related=related,
        state=_return_state,
        on_change=lambda: _open_new_version_if_frozen(fund=pr.project.fund, period=pr.period, now=now, actor=actor),
    )
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
    SpendLine.objects.bulk_create(
        SpendLine(project_return=pr, position=i, category=c, amount=a) for i, (c, a) in enumerate(lines)
    )


def _review_step(
    pr: ProjectReturn, action: rules.ReviewAction, actor: Any, now: datetime.datetime, comment: str = ""
) -> ProjectReturn:
    pr = ProjectReturn.objects.select_for_update().get(pk=pr.pk)
    before = pr.state
    pr.state = REVIEW.move(pr.state, action).value
    if action is rules.ReviewAction.SUBMIT:
        if not pr.rag:
            raise CommissioningError("give the return a RAG rating before submitting it")
        pr.submitted_at = now
    else:
        pr.reviewed_by, pr.reviewed_at, pr.review_comment = _actor_name(actor), now, comment.strip()
    pr.save()
    kind = AuditAction.SUBMIT if action is rules.ReviewAction.SUBMIT else AuditAction.UPDATE
    audit_record(
        actor=actor,
        action=kind,
        obj=pr,
        at=now,
        summary=f"{action.value.replace('_', ' ').capitalize()}: {pr}",
        before={"state": before},
        after={"state": pr.state, "comment": pr.review_comment},
    )
    return pr


@transaction.atomic
def project_return_submit(*, project_return: ProjectReturn, actor: Any, now: datetime.datetime) -> ProjectReturn:
    pr = _review_step(project_return, rules.ReviewAction.SUBMIT, actor, now)
    notifications.return_submitted(pr, actor)
    return pr


@transaction.atomic
def project_return_request_changes(
    *, project_return: ProjectReturn, actor: Any, comment: str, now: datetime.datetime
) -> ProjectReturn:
    if not comment.strip():
        raise CommissioningError("say what needs to change")
    pr = _review_step(project_return, rules.ReviewAction.REQUEST_CHANGES, actor, now, comment)
    notifications.return_reviewed(pr, actor)
    return pr


@transaction.atomic
def project_return_accept(
    *, project_return: ProjectReturn, actor: Any, now: datetime.datetime, comment: str = ""
) -> ProjectReturn:
    pr = _review_step(project_return, rules.ReviewAction.ACCEPT, actor, now, comment)
    notifications.return_reviewed(pr, actor)
    return pr


@transaction.atomic
def half_year_return_open(
    *,
    fund: Fund,
    period: str,
    area: str,
    claimed: Decimal,
    due_on: datetime.date | None,
    half_year_end_label: str = "",
    actor: Any = None,
    now: datetime.datetime,
) -> HalfYearReturn:
    """The draft half-year return of a period (the latest version if one exists)."""
    rules.parse_half(period)
    latest = HalfYearReturn.objects.filter(fund=fund, period=period).order_by("-version").first()
    if latest is not None:
        return latest
    hyr = HalfYearReturn.objects.create(
        fund=fund,
        period=period,
        area=area,
        claimed=money(claimed),
        due_on=due_on,
        half_year_end_label=half_year_end_label,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=hyr,
        at=now,
        summary=f"Opened the {period} return of {fund}",
        after={"claimed": str(hyr.claimed), "due_on": due_on.isoformat() if due_on else None},
    )
    return hyr


@transaction.atomic
def half_year_return_update(
    *, half_year_return: HalfYearReturn, claimed: Decimal, actor: Any, now: datetime.datetime
) -> HalfYearReturn:
    hyr = HalfYearReturn.objects.select_for_update().get(pk=half_year_return.pk)
    if money(claimed) == hyr.claimed:
        return hyr  # nothing changes, so a signed version stays the current one
    if hyr.frozen:
        _open_new_version_if_frozen(fund=hyr.fund, period=hyr.period, now=now, actor=actor)
        hyr = HalfYearReturn.objects.filter(fund=hyr.fund, period=hyr.period).order_by("-version").first()
    before = str(hyr.claimed)
    hyr.claimed = money(claimed)
    hyr.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=hyr,
        at=now,
        summary=f"Changed the claim of {hyr}",
        before={"claimed": before},
        after={"claimed": str(hyr.claimed)},
    )
    return hyr


def half_year_return_sign(
    *, half_year_return: HalfYearReturn, actor: Any, now: datetime.datetime, step: str | None = None
) -> HalfYearReturn:
    """Record the next signature, made by ``actor``'s own account: the CSP manager's freezes the
    return as it stands; the treasurer's countersigns that same frozen return. Whose signature
    is next comes from the sign-off table; ``step``, when given, is the one the signer was shown
    (refused if the return has moved on). The signer must hold that office of the partnership
    and must not have made the other signature; a refusal is audited as a denial. Password
    re-entry is the view's (``accounts.reauth``); the date signed is ``now``'s."""
    try:
        return _sign(half_year_return, actor, now, step)
    except CommissioningError as exc:
        if isinstance(exc.__cause__, rules.SignatoryError):
            # After the rollback, so that the record of the refused attempt stays.
            record_denial(actor, "commissioning.return.sign_off", half_year_return, str(exc))
        raise


@transaction.atomic
def _sign(half_year_return: HalfYearReturn, actor: Any, now: datetime.datetime, step: str | None) -> HalfYearReturn:
    from saferhub.rendering.return_json import return_to_json

    from .returns import build_half_year_return

    hyr = HalfYearReturn.objects.select_for_update().select_related("fund__partnership").get(pk=half_year_return.pk)
    latest = HalfYearReturn.objects.filter(fund=hyr.fund, period=hyr.period).order_by("-version").first()
    if latest is not None and latest.pk != hyr.pk:
        raise CommissioningError(f"version {hyr.version} has been replaced by version {latest.version}: sign that one")
    next_step = rules.next_sign_off_step(hyr.state)
    step_ = rules.SignOffStep(step) if step else next_step
    if step_ is None:
        raise CommissioningError(f"{hyr} is already signed off")
    before = hyr.state
    new_state = SIGN_OFF.move(hyr.state, step_)
    holder = (
        OfficeHolder.objects.filter(partnership=hyr.fund.partnership, office=step_.value).select_related("user").first()
    )
    earlier = [u.get_username() for u in (hyr.csp_signed_by, hyr.cfo_signed_by) if u is not None]
    try:
        rules.check_signatory(
            step=step_,
            signer=actor.get_username(),
            holder=holder.user.get_username() if holder else None,
            earlier=earlier,
        )
    except rules.SignatoryError as exc:
        raise CommissioningError(str(exc)) from exc
    assert holder is not None  # check_signatory refuses an office nobody holds
    signed_on = timezone.localtime(now).date()
    name = _actor_name(actor)
    if step_ is rules.SignOffStep.CSP_MANAGER:
        waiting = ProjectReturn.objects.filter(project__fund=hyr.fund, period=hyr.period).exclude(
            state=rules.ReviewState.ACCEPTED
        )
        if waiting.exists():
            raise CommissioningError(f"{waiting.count()} project return(s) for {hyr.period} are not yet accepted")
        hyr.csp_name, hyr.csp_job_title, hyr.csp_signed_on, hyr.csp_signed_by = name, holder.job_title, signed_on, actor
    else:
        if hyr.csp_signed_on is not None and signed_on < hyr.csp_signed_on:
            raise CommissioningError("the treasurer cannot sign before the CSP manager")
        hyr.cfo_name, hyr.cfo_job_title, hyr.cfo_signed_on, hyr.cfo_signed_by = name, holder.job_title, signed_on, actor
    hyr.state = new_state.value
    # The snapshot is the return as it reads with this signature (for the treasurer, the same
    # figures the CSP manager signed: any change in between opened a new version).
    hyr.snapshot = return_to_json(build_half_year_return(hyr, live=True))
    hyr.save()
    audit_record(
        actor=actor,
        action=AuditAction.SIGN_OFF,
        obj=hyr,
        at=now,
        summary=f"{rules.SIGN_OFF_OFFICES[step_]} signed {hyr}",
        before={"state": before},
        after={
            "state": hyr.state,
            "office": step_.value,
            "account": actor.get_username(),
            "name": name,
            "job_title": holder.job_title,
            "date": signed_on.isoformat(),
        },
    )
    return hyr


def office_holders(partnership: Any) -> dict[str, OfficeHolder]:
    """The partnership's office holders by office (``csp_manager``, ``treasurer``)."""
    return {h.office: h for h in OfficeHolder.objects.filter(partnership=partnership).select_related("user")}


def office_appoint(
    *, partnership: Any, office: str, user: Any, job_title: str, actor: Any, now: datetime.datetime
) -> OfficeHolder:
    """Appoint ``user`` to an office that signs the half-year return (replacing its holder).
    Only an administrator may, on a page; ``actor`` may be a command's name (``saferhub
    offices``, run by the operator on the server). One person cannot hold both offices."""
    if not isinstance(actor, str):
        # Checked before the transaction, so that the audited denial is not rolled back.
        require("commissioning.offices.manage", actor, partnership)
    return _appoint(partnership, office, user, job_title, actor, now)


@transaction.atomic
def _appoint(
    partnership: Any, office: str, user: Any, job_title: str, actor: Any, now: datetime.datetime
) -> OfficeHolder:
    if office not in Office.values:
        raise CommissioningError(f"{office!r} is not an office that signs the return: use {' or '.join(Office.values)}")
    if not job_title.strip():
        raise CommissioningError("give the office holder's job title, as it is to read on the return")
    if not user.is_active:
        raise CommissioningError(f"{user.get_username()} is not active")
    if role_of(user) == Role.PROVIDER:
        raise CommissioningError("a provider's user cannot hold an office that signs the return")
    other = OfficeHolder.objects.filter(partnership=partnership).exclude(office=office).filter(user=user).first()
    if other is not None:
        raise CommissioningError(
            f"{user.get_username()} is already the {other.get_office_display()}: "
            "the two signatures must be made by different people"
        )
    holder = (
        OfficeHolder.objects.select_for_update()
        .filter(partnership=partnership, office=office)
        .select_related("user")
        .first()
    )
    before = {"user": holder.user.get_username(), "job_title": holder.job_title} if holder else None
    if holder is None:
        holder = OfficeHolder(partnership=partnership, office=office)
    holder.user, holder.job_title, holder.appointed_at = user, job_title.strip(), now
    holder.appointed_by = None if isinstance(actor, str) else actor
    holder.save()
    after = {"user": user.get_username(), "job_title": holder.job_title}
    if after != before:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            obj=holder,
            at=now,
            summary=f"{_actor_name(user)} appointed {holder.get_office_display()} of {partnership}",
            before=before,
            after=after,
        )
    return holder


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
    "office_holders",
    "office_appoint",
    "SignOffState",
]
