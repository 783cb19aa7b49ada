"""Writes that set a fund up: the fund, its awards, intentions, projects and their outcomes,
KPIs, milestones and co-funders, and the claim schedule. Each is one transaction with an audit
event. Retiring is soft (saferhub.retiring): kept for the record, no longer offered."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Iterable

from django.db import transaction

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record, audited_update
from saferhub.domain.commissioning import EDITABLE_REVIEW_STATES, money
from saferhub.partnerships.models import Organisation, Partnership
from saferhub.retiring import retire_record

from .models import (
    Award,
    CoFunder,
    Fund,
    HalfYearReturn,
    Intention,
    IntentionState,
    Kpi,
    Milestone,
    Outcome,
    Project,
    ProjectReturn,
)
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
    same = Fund.all_objects.filter(partnership=partnership, slug=slug).first()
    if same is not None:
        retired = " (retired)" if same.retired else ""
        raise CommissioningError(f"{partnership} already has a fund {slug!r}{retired}: choose another short name")
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
    _refuse_if_retired(fund, str(fund))
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
    _refuse_if_retired(award.fund, str(award.fund))
    audited_update(
        award,
        {
            "carried_forward": money(amount),
            "carried_forward_note": note,
            "carried_forward_on": known_on or now.date(),
        },
        actor=actor,
        at=now,
        summary=f"Carry-forward into {award.year_label}",
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
    position: int | None = None,
    confirmed_on: datetime.date | None = None,
    actor: Any = None,
    now: datetime.datetime,
) -> Intention:
    """An intention as a paper dated ``as_at`` sets it out, after the fund's others of that year
    unless ``position`` says where; a confirmed one was confirmed on ``confirmed_on`` (default:
    that paper's date)."""
    _refuse_if_retired(fund, str(fund))
    if position is None:
        position = Intention.all_objects.filter(fund=fund, year=year).count()
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
    follow_claim_schedule: bool = False,
    **fields: Any,
) -> Project:
    """A project with its co-funders, outcomes, KPIs (the service specification's table) and
    procurement milestones. ``committed_on`` (a field; default today) is when the fund's money
    was committed to it. With ``follow_claim_schedule``, a half of its year whose claim is
    already scheduled opens the project's return too, due when the other projects' are."""
    _refuse_if_retired(fund, str(fund))
    fields.setdefault("committed_on", now.date())
    if Project.objects.filter(fund=fund, year=year, letter=letter).exists():
        raise CommissioningError(f"{fund} already has a project {letter} in {year}/{(year + 1) % 100:02d}")
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
    if follow_claim_schedule:
        _follow_claim_schedule(project, actor=actor, now=now)
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
    from .services import _open_new_version_if_frozen

    _refuse_if_retired(project, str(project))
    allowed = {
        "title",
        "amount",
        "provider",
        "intention",
        "carried_forward_included",
        "total_service_budget",
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
    for key in ("amount", "carried_forward_included"):
        if key in changes:
            changes[key] = money(changes[key])
    if changes.get("total_service_budget") is not None:
        changes["total_service_budget"] = money(changes["total_service_budget"])
    changes = {k: v for k, v in changes.items() if getattr(project, k) != v}
    if not changes:
        return project
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


# ------------------------------------------------------------------ changes and retirement
def _text(value: Any) -> Any:
    """A value as the audit log keeps it."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _change(
    obj: Any, changes: dict[str, Any], allowed: Iterable[str], *, actor: Any, now: datetime.datetime, summary: str
):
    """Set the allowed fields that differ, save and audit before/after; nothing to change writes nothing."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise CommissioningError(f"cannot change {', '.join(sorted(unknown))} here")
    changed = {k: v for k, v in changes.items() if getattr(obj, k) != v}
    if not changed:
        return obj
    before = {k: _text(getattr(obj, k)) for k in changed}
    for k, v in changed.items():
        setattr(obj, k, v)
    obj.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=obj,
        at=now,
        summary=summary,
        before=before,
        after={k: _text(v) for k, v in changed.items()},
    )
    return obj


def _refuse_if_retired(obj: Any, what: str) -> None:
    if getattr(obj, "retired", False):
        raise CommissioningError(f"{what} is retired: it is kept for the record and cannot be changed")


def _signed_periods_follow(project: Project, *, actor: Any, now: datetime.datetime) -> None:
    """A change to what a signed return printed opens a new version of that return."""
    from .services import _open_new_version_if_frozen

    for period in ProjectReturn.objects.filter(project=project).values_list("period", flat=True):
        _open_new_version_if_frozen(fund=project.fund, period=period, now=now, actor=actor)


@transaction.atomic
def fund_update(*, fund: Fund, actor: Any, now: datetime.datetime, **changes: Any) -> Fund:
    _refuse_if_retired(fund, str(fund))
    return _change(
        fund,
        changes,
        ("name", "funder", "channelled_through"),
        actor=actor,
        now=now,
        summary=f"Changed the fund {fund}",
    )


@transaction.atomic
def fund_retire(*, fund: Fund, actor: Any, now: datetime.datetime) -> Fund:
    _refuse_if_retired(fund, str(fund))
    return retire_record(fund, actor=actor, now=now, summary=f"Retired the fund {fund}")


@transaction.atomic
def award_update(
    *, award: Award, amount: Decimal, decided_on: datetime.date | None, actor: Any, now: datetime.datetime
) -> Award:
    _refuse_if_retired(award.fund, str(award.fund))
    return _change(
        award,
        {"amount": money(amount), "decided_on": decided_on},
        ("amount", "decided_on"),
        actor=actor,
        now=now,
        summary=f"Award of {award.fund} for {award.year_label}",
    )


INTENTION_FIELDS = (
    "year",
    "as_at",
    "area_of_need",
    "recommendation",
    "state",
    "contribution",
    "total_budget",
    "total_budget_note",
    "position",
)


@transaction.atomic
def intention_update(*, intention: Intention, actor: Any, now: datetime.datetime, **changes: Any) -> Intention:
    """Change an intention, its state included (confirmed, awaiting confirmation, to be confirmed):
    a confirmed intention has the fund's contribution, as the model's constraint says."""
    _refuse_if_retired(intention, "The intention")
    state = changes.get("state", intention.state)
    if state not in IntentionState.values:
        raise CommissioningError(f"{state!r} is not an intention state")
    for key in ("contribution", "total_budget"):
        if changes.get(key) is not None:
            changes[key] = money(changes[key])
    contribution = changes.get("contribution", intention.contribution)
    if state == IntentionState.CONFIRMED and contribution is None:
        raise CommissioningError("a confirmed intention needs the fund's contribution")
    return _change(
        intention,
        changes,
        INTENTION_FIELDS,
        actor=actor,
        now=now,
        summary=f"Intention: {intention.recommendation[:80]}",
    )


@transaction.atomic
def intention_retire(*, intention: Intention, actor: Any, now: datetime.datetime) -> Intention:
    _refuse_if_retired(intention, "The intention")
    return retire_record(
        intention, actor=actor, now=now, summary=f"Retired the intention: {intention.recommendation[:80]}"
    )


@transaction.atomic
def project_retire(*, project: Project, actor: Any, now: datetime.datetime) -> Project:
    """A project that has provider returns is on the record of those returns: it stays."""
    _refuse_if_retired(project, str(project))
    n = ProjectReturn.objects.filter(project=project).count()
    if n:
        raise CommissioningError(
            f"{project} has {n} provider return(s): it stays on the record of the half-year return and cannot be retired"
        )
    return retire_record(project, actor=actor, now=now, summary=f"Retired {project}")


# The parts of a project a commissioner sets up from the service specification, with the fields a
# form may set (money fields are passed through ``money``).
PROJECT_PARTS: dict[str, tuple[type, tuple[str, ...], tuple[str, ...]]] = {
    "kpis": (
        Kpi,
        ("name", "measure", "annual_target", "target_value", "evidence_source", "reporting_mechanism"),
        (),
    ),
    "outcomes": (Outcome, ("description", "measure"), ()),
    "milestones": (Milestone, ("activity", "deadline", "deadline_label", "deliverables", "done"), ()),
    "cofunders": (CoFunder, ("name", "amount", "note"), ("amount",)),
}
PART_NAMES = {"kpis": "KPI", "outcomes": "outcome", "milestones": "milestone", "cofunders": "co-funder"}


def _part_fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if kind not in PROJECT_PARTS:
        raise CommissioningError(f"{kind!r} is not a part of a project")
    _, fields, money_fields = PROJECT_PARTS[kind]
    unknown = set(data) - set(fields)
    if unknown:
        raise CommissioningError(f"a {PART_NAMES[kind]} has no {', '.join(sorted(unknown))}")
    return {k: (money(v) if k in money_fields and v is not None else v) for k, v in data.items()}


def _part_label(part: Any, kind: str) -> str:
    first = {"kpis": "name", "outcomes": "description", "milestones": "activity", "cofunders": "name"}[kind]
    return f"{PART_NAMES[kind]} ‘{str(getattr(part, first))[:60]}’ of {part.project}"


@transaction.atomic
def project_part_add(*, project: Project, kind: str, actor: Any, now: datetime.datetime, **data: Any) -> Any:
    """Add a KPI, outcome, milestone or co-funder to a project, after the ones it has."""
    _refuse_if_retired(project, str(project))
    model = PROJECT_PARTS.get(kind, (None,))[0]
    fields = _part_fields(kind, data)
    if kind != "cofunders":
        last = model.all_objects.filter(project=project).order_by("-position").first()
        fields["position"] = 0 if last is None else last.position + 1
    part = model.objects.create(project=project, **fields)
    _signed_periods_follow(project, actor=actor, now=now)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=part,
        at=now,
        summary=f"Added the {_part_label(part, kind)}",
        after={k: _text(v) for k, v in fields.items()},
    )
    return part


@transaction.atomic
def project_part_update(*, part: Any, kind: str, actor: Any, now: datetime.datetime, **data: Any) -> Any:
    _refuse_if_retired(part, f"The {PART_NAMES.get(kind, kind)}")
    fields = _part_fields(kind, data)
    changed = any(getattr(part, k) != v for k, v in fields.items())
    _change(part, fields, fields, actor=actor, now=now, summary=f"Changed the {_part_label(part, kind)}")
    if changed:
        _signed_periods_follow(part.project, actor=actor, now=now)
    return part


@transaction.atomic
def project_part_retire(*, part: Any, kind: str, actor: Any, now: datetime.datetime) -> Any:
    _refuse_if_retired(part, f"The {PART_NAMES.get(kind, kind)}")
    retire_record(part, actor=actor, now=now, summary=f"Retired the {_part_label(part, kind)}")
    _signed_periods_follow(part.project, actor=actor, now=now)
    return part


# ------------------------------------------------------------------------- the claim schedule
def _follow_claim_schedule(project: Project, *, actor: Any, now: datetime.datetime) -> None:
    from . import services

    for period in (
        HalfYearReturn.objects.filter(fund=project.fund, period__startswith=f"{project.year}-H")
        .values_list("period", flat=True)
        .distinct()
    ):
        due = (
            ProjectReturn.objects.filter(project__fund=project.fund, period=period)
            .exclude(due_on=None)
            .values_list("due_on", flat=True)
            .first()
        )
        services.project_return_open(project=project, period=period, due_on=due, actor=actor, now=now)


@transaction.atomic
def claim_schedule_set(
    *,
    fund: Fund,
    period: str,
    claimed: Decimal,
    due_on: datetime.date,
    provider_due_on: datetime.date | None,
    actor: Any,
    now: datetime.datetime,
) -> HalfYearReturn:
    """One half of the claim schedule: the return to the funder (the amount claimed and when it is
    due) and when the providers' returns are due. Opens the draft half-year return and each
    current project's return for the half, or changes them; a signed return's new figures open a
    new version (``half_year_return_update``), its due date stays as it was signed."""
    from saferhub.domain.commissioning import parse_half

    from . import services

    _refuse_if_retired(fund, str(fund))
    half = parse_half(period)
    if provider_due_on is not None and provider_due_on > due_on:
        raise CommissioningError("the providers' returns must be due on or before the return to the funder")
    hyr = services.half_year_return_open(
        fund=fund, period=period, area=fund.partnership.name, claimed=claimed, due_on=due_on, actor=actor, now=now
    )
    hyr = services.half_year_return_update(half_year_return=hyr, claimed=claimed, actor=actor, now=now)
    if hyr.due_on != due_on:
        if hyr.frozen:
            raise CommissioningError(f"the {period} return is signed: its due date stays as it was signed")
        _change(hyr, {"due_on": due_on}, ("due_on",), actor=actor, now=now, summary=f"Due date of {hyr}")
    for project in Project.objects.filter(fund=fund, year=half.start_year):
        pr = services.project_return_open(project=project, period=period, due_on=provider_due_on, actor=actor, now=now)
        if pr.due_on != provider_due_on and pr.state in EDITABLE_REVIEW_STATES:
            _change(
                pr,
                {"due_on": provider_due_on},
                ("due_on",),
                actor=actor,
                now=now,
                summary=f"Due date of the {period} return of {project}",
            )
    return hyr
