"""Reminders of returns past their due date (``saferhub notify overdue``): commissioning's side
of the notifications, sent through accounts' ``notify`` (which keeps each reminder to once)."""

from __future__ import annotations

import datetime
from typing import Any

from saferhub.accounts.models import Role
from saferhub.accounts.notifications import (
    HALF_YEAR_RETURN_OVERDUE,
    RETURN_OVERDUE,
    _return_context,
    notify,
    people,
)

from .models import HalfYearReturn, ProjectReturn, ReviewState, SignOffState
from .services import office_holders


def return_overdue(project_return: Any) -> None:
    ctx = _return_context(project_return)
    provider = project_return.project.provider
    notify(
        kind=RETURN_OVERDUE,
        to=(people(roles=[Role.PROVIDER], organisation=provider) if provider is not None else [])
        + people(roles=[Role.COMMISSIONER]),
        subject=f"Return overdue: {ctx['project']} ({ctx['half']}), due {project_return.due_on:%-d %B %Y}",
        template="accounts/email/return_overdue.txt",
        context=ctx,
        about=project_return,
        once=True,
    )


def half_year_return_overdue(half_year_return: Any) -> None:
    fund = half_year_return.fund
    holders = [h.user for h in office_holders(fund.partnership).values()]
    notify(
        kind=HALF_YEAR_RETURN_OVERDUE,
        to=people(roles=[Role.COMMISSIONER], users=holders),
        subject=f"Half-year return overdue: {fund} {half_year_return.half.name}, due {half_year_return.due_on:%-d %B %Y}",
        template="accounts/email/half_year_return_overdue.txt",
        context={"return": half_year_return, "fund": fund, "partnership": fund.partnership},
        about=half_year_return,
        once=True,
    )


def overdue_notify(*, today: datetime.date) -> tuple[int, int]:
    """Remind about every return past its due date and not yet in: a provider's return still a
    draft or sent back, a half-year return not yet signed off. Each reminder goes once per return
    (and per version of a half-year return). Returns (provider returns, half-year returns) overdue."""
    returns = ProjectReturn.objects.filter(
        due_on__lt=today, state__in=[ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED]
    ).select_related("project__fund__partnership", "project__provider")
    latest: dict[tuple[int, str], HalfYearReturn] = {}
    for h in HalfYearReturn.objects.filter(due_on__lt=today).select_related("fund__partnership"):
        held = latest.get((h.fund_id, h.period))
        if held is None or h.version > held.version:
            latest[(h.fund_id, h.period)] = h  # only the current version can still be signed
    unsigned = [h for h in latest.values() if h.state != SignOffState.SIGNED]
    for pr in returns:
        return_overdue(pr)
    for h in unsigned:
        half_year_return_overdue(h)
    return len(returns), len(unsigned)
