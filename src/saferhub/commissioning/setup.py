"""Writes that set a fund up: the fund, its awards, intentions, projects and their outcomes,
KPIs and milestones. Each is one transaction with an audit event."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Iterable

from django.db import transaction

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain.commissioning import money
from saferhub.partnerships.models import Organisation, Partnership

from .models import Award, CoFunder, Fund, Intention, IntentionState, Kpi, Milestone, Outcome, Project
from .services import CommissioningError


@transaction.atomic
def fund_create(
    *,
    partnership: Partnership,
    slug: str,
    name: str,
    funder: Organisation,
    channelled_through: str = "",
    actor: Any = None,
    now: datetime.datetime,
) -> Fund:
    if Fund.objects.filter(partnership=partnership, slug=slug).exists():
        raise CommissioningError(f"{partnership} already has a fund {slug!r}")
    fund = Fund.objects.create(
        partnership=partnership, slug=slug, name=name, funder=funder, channelled_through=channelled_through
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=fund,
        at=now,
        summary=f"Created the fund {name}",
        after={"slug": slug, "funder": funder.name},
    )
    return fund


@transaction.atomic
def award_set(
    *,
    fund: Fund,
    years: Iterable[int],
    amount: Decimal,
    actor: Any = None,
    now: datetime.datetime,
    decided_on: datetime.date | None = None,
) -> list[Award]:
    """The same award for each of several years ("£400,568 for each of 2017-18 and 2018-19")."""
    amount = money(amount)
    awards = []
    for year in years:
        award, created = Award.objects.get_or_create(
            fund=fund, year=year, defaults={"amount": amount, "decided_on": decided_on}
        )
        before = None if created else {"amount": str(award.amount)}
        award.amount = amount
        award.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=award,
            at=now,
            summary=f"Award of {fund} for {award.year_label}",
            before=before,
            after={"amount": str(amount)},
        )
        awards.append(award)
    return awards


@transaction.atomic
def carry_forward_record(
    *,
    award: Award,
    amount: Decimal,
    note: str,
    actor: Any = None,
    now: datetime.datetime,
    known_on: datetime.date | None = None,
) -> Award:
    """Record the carry-forward into a year; ``known_on`` (default: today) is when it became known."""
    before = {"carried_forward": str(award.carried_forward), "note": award.carried_forward_note}
    award.carried_forward, award.carried_forward_note = money(amount), note
    award.carried_forward_on = known_on or now.date()
    award.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=award,
        at=now,
        summary=f"Carry-forward into {award.year_label}",
        before=before,
        after={"carried_forward": str(award.carried_forward), "note": note},
    )
    return award


@transaction.atomic
def intention_create(
    *,
    fund: Fund,
    year: int,
    as_at: datetime.date,
    area_of_need: str,
    recommendation: str,
    state: str,
    contribution: Decimal | None = None,
    total_budget: Decimal | None = None,
    total_budget_note: str = "",
    position: int = 0,
    confirmed_on: datetime.date | None = None,
    actor: Any = None,
    now: datetime.datetime,
) -> Intention:
    """An intention as a paper dated ``as_at`` sets it out; a confirmed one was confirmed on
    ``confirmed_on`` (default: that paper's date)."""
    if state not in IntentionState.values:
        raise CommissioningError(f"{state!r} is not an intention state")
    if state == IntentionState.CONFIRMED and contribution is None:
        raise CommissioningError("a confirmed intention needs the fund's contribution")
    intention = Intention.objects.create(
        fund=fund,
        year=year,
        as_at=as_at,
        area_of_need=area_of_need,
        recommendation=recommendation,
        state=state,
        contribution=None if contribution is None else money(contribution),
        total_budget=None if total_budget is None else money(total_budget),
        total_budget_note=total_budget_note,
        position=position,
        confirmed_on=(confirmed_on or as_at) if state == IntentionState.CONFIRMED else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=intention,
        at=now,
        summary=f"Intention: {recommendation[:80]}",
        after={"state": state, "contribution": None if contribution is None else str(intention.contribution)},
    )
    return intention


@transaction.atomic
def project_create(
    *,
    fund: Fund,
    year: int,
    letter: str,
    title: str,
    amount: Decimal,
    actor: Any = None,
    now: datetime.datetime,
    cofunders: Iterable[tuple[str, Decimal | None, str]] = (),
    outcomes: Iterable[tuple[str, str]] = (),
    kpis: Iterable[dict[str, Any]] = (),
    milestones: Iterable[dict[str, Any]] = (),
    **fields: Any,
) -> Project:
    """A project with its co-funders, outcomes, KPIs (the service specification's table) and
    procurement milestones. ``committed_on`` (a field; default today) is when the fund's money
    was committed to it."""
    fields.setdefault("committed_on", now.date())
    if Project.objects.filter(fund=fund, year=year, letter=letter).exists():
        raise CommissioningError(f"{fund} already has a project {letter} in {year}")
    for key in ("carried_forward_included", "total_service_budget"):
        if fields.get(key) is not None:
            fields[key] = money(fields[key])
    project = Project.objects.create(fund=fund, year=year, letter=letter, title=title, amount=money(amount), **fields)
    for name, amt, note in cofunders:
        CoFunder.objects.create(project=project, name=name, amount=None if amt is None else money(amt), note=note)
    for i, (description, measure) in enumerate(outcomes):
        Outcome.objects.create(project=project, position=i, description=description, measure=measure)
    for i, k in enumerate(kpis):
        Kpi.objects.create(project=project, position=i, **k)
    for i, m in enumerate(milestones):
        Milestone.objects.create(project=project, position=i, **m)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=project,
        at=now,
        summary=f"Created {project}",
        after={"amount": str(project.amount), "provider": project.provider.name if project.provider else None},
    )
    return project


@transaction.atomic
def project_update(*, project: Project, actor: Any, now: datetime.datetime, **changes: Any) -> Project:
    """Change a project's own fields (amount, title, share ...); a signed period opens a new version."""
    from .models import ProjectReturn
    from .services import _open_new_version_if_frozen

    allowed = {
        "title",
        "amount",
        "share_of_service",
        "funding_note",
        "expenditure_breakdown",
        "how_measured",
        "commissioning_body",
        "contract_start",
        "contract_end",
        "provider_note",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise CommissioningError(f"cannot change {', '.join(sorted(unknown))} here")
    if "amount" in changes:
        changes["amount"] = money(changes["amount"])
    before = {k: str(getattr(project, k)) for k in changes}
    for k, v in changes.items():
        setattr(project, k, v)
    project.save()
    for period in ProjectReturn.objects.filter(project=project).values_list("period", flat=True):
        _open_new_version_if_frozen(fund=project.fund, period=period, now=now, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=project,
        at=now,
        summary=f"Changed {project}",
        before=before,
        after={k: str(v) for k, v in changes.items()},
    )
    return project
