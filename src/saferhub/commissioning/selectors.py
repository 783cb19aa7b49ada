"""Reads for commissioning that carry rules: what a user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import role_of
from saferhub.domain.calendar import FinancialYear, PeriodError
from saferhub.domain.commissioning_paper import CommissioningPaper
from saferhub.domain.problems import SaferhubError
from saferhub.partnerships.models import Partnership

from .models import Fund, HalfYearReturn, Project


class NotFound(SaferhubError, LookupError):
    pass


def projects_visible_to(user: Any) -> QuerySet[Project]:
    """Every project for staff and the board; a provider user only its organisation's."""
    qs = Project.objects.select_related("provider", "fund").order_by("fund", "-year", "letter")
    r = role_of(user)
    if r is None:
        return qs.none()
    if r == Role.PROVIDER:
        return qs.filter(provider_id=user.organisation_id)
    return qs


def half_year_returns_latest(user: Any, partnership: Partnership) -> list[HalfYearReturn]:
    """The latest version of each of the partnership's half-year returns, newest period first,
    for users who may see them (a provider sees none: a return to the funder is the CSP's)."""
    from saferhub.accounts.permissions import has_permission, visible

    if not has_permission("commissioning.view", user):
        return []
    latest: dict[tuple[int, str], HalfYearReturn] = {}
    rows = (
        HalfYearReturn.objects.filter(fund__partnership=partnership)
        .select_related("fund", "fund__partnership")
        .order_by("fund__name", "-period", "-version")
    )
    for hyr in rows:
        latest.setdefault((hyr.fund_id, hyr.period), hyr)
    found = [hyr for hyr in latest.values() if visible(user, hyr)]
    # Newest half year first; funds A to Z within it (two stable sorts).
    return sorted(sorted(found, key=lambda h: h.fund.name), key=lambda h: h.period, reverse=True)


def fund_get(*, partnership: Partnership | str, slug: str) -> Fund:
    if isinstance(partnership, str):
        found = (
            Fund.objects.filter(partnership__slug=partnership, slug=slug)
            .select_related("partnership", "funder")
            .first()
        )
    else:
        found = Fund.objects.filter(partnership=partnership, slug=slug).select_related("partnership", "funder").first()
    if found is None:
        known = ", ".join(Fund.objects.values_list("slug", flat=True)[:10]) or "none yet"
        raise NotFound(f"no fund {slug!r} (known: {known})")
    return found


def fund_by_slug(slug: str) -> Fund:
    funds = list(Fund.objects.filter(slug=slug).select_related("partnership", "funder")[:2])
    if not funds:
        raise NotFound(f"no fund {slug!r}")
    if len(funds) > 1:
        raise NotFound(f"more than one partnership has a fund {slug!r}: give --partnership")
    return funds[0]


def parse_year(label: str) -> int:
    try:
        return FinancialYear.parse(label).start_year
    except PeriodError as exc:
        raise NotFound(str(exc)) from None


@dataclass(frozen=True)
class SignOffStatus:
    """Where a half-year return stands in its sign-off, for one user: whose signature is next
    (from the sign-off table), who holds that office, and whether this user may make it now."""

    step: str | None  # "csp_manager", "treasurer", or None once signed off
    office: str  # the office's name ("CSP manager", "Treasurer / CFO"), "" once signed off
    holder: Any  # the OfficeHolder of that office, or None
    replaced_by: HalfYearReturn | None  # the latest version, when this one is superseded
    already_signed: bool  # this user made the earlier signature
    may_sign: bool

    @property
    def sign_as(self) -> str:
        """The office within a sentence ("Sign as the treasurer / CFO"), from the office's enum."""
        from saferhub.domain.commissioning import SignOffStep

        return SignOffStep(self.step).in_sentence if self.step else ""


def sign_off_status(hyr: HalfYearReturn, user: Any) -> SignOffStatus:
    from saferhub.domain import commissioning as rules

    from .models import OfficeHolder

    latest = HalfYearReturn.objects.filter(fund=hyr.fund, period=hyr.period).order_by("-version").first()
    replaced_by = latest if latest is not None and latest.pk != hyr.pk else None
    step = rules.next_sign_off_step(hyr.state)
    if step is None:
        return SignOffStatus(None, "", None, replaced_by, False, False)
    holder = (
        OfficeHolder.objects.filter(partnership_id=hyr.fund.partnership_id, office=step.value)
        .select_related("user")
        .first()
    )
    already = user.pk in (hyr.csp_signed_by_id, hyr.cfo_signed_by_id)
    may = replaced_by is None and holder is not None and holder.user_id == user.pk and not already
    return SignOffStatus(step.value, rules.SIGN_OFF_OFFICES[step], holder, replaced_by, already, may)


def commissioning_paper(*, partnership: Partnership, as_at: datetime.date) -> CommissioningPaper | None:
    """The commissioning paper as it stood on ``as_at``: the intentions set out by then (of the
    latest year that has any), each confirmed only if it had been by then, and per fund the
    award decided, the carry-forward known and the projects committed by that date. None when
    no intention had been set out by then."""
    from decimal import Decimal

    from saferhub.domain.commissioning_paper import FundPosition, PaperIntention, was_by

    from .models import Award, Intention, IntentionState

    funds = list(Fund.objects.filter(partnership=partnership).order_by("name"))
    intentions = list(Intention.objects.filter(fund__in=funds, as_at__lte=as_at))
    if not intentions:
        return None
    year = max(i.year for i in intentions)
    this_year = sorted((i for i in intentions if i.year == year), key=lambda i: (i.fund_id, i.as_at, i.position))

    def confirmed(i: Intention) -> bool:
        return i.state == IntentionState.CONFIRMED and was_by(i.confirmed_on, as_at)

    rows = tuple(
        PaperIntention(
            area_of_need=i.area_of_need,
            recommendation=i.recommendation,
            # Confirmed only later: its amount was not known on this date.
            contribution=i.contribution if confirmed(i) or i.state != IntentionState.CONFIRMED else None,
            total_budget=i.total_budget,
            total_budget_note=i.total_budget_note,
            confirmed=confirmed(i),
            # Confirmed later: on this date it was still to be confirmed.
            state_label=i.get_state_display()
            if confirmed(i) or i.state != IntentionState.CONFIRMED
            else "To be confirmed",
        )
        for i in this_year
    )
    positions = []
    for fund in funds:
        award = Award.objects.filter(fund=fund, year=year).first()
        if award is None:
            continue
        mine = [i for i in this_year if i.fund_id == fund.pk and confirmed(i) and i.contribution is not None]
        projects = [p for p in Project.objects.filter(fund=fund, year=year) if was_by(p.committed_on, as_at)]
        positions.append(
            FundPosition(
                fund=fund.name,
                year=FinancialYear(year),
                award=award.amount if was_by(award.decided_on, as_at) else None,
                carried_forward=award.carried_forward
                if award.carried_forward and was_by(award.carried_forward_on, as_at)
                else Decimal(0),
                confirmed=sum((i.contribution for i in mine if i.contribution is not None), Decimal(0)),
                confirmed_count=len(mine),
                committed=sum((p.amount for p in projects), Decimal(0)),
                committed_count=len(projects),
            )
        )
    return CommissioningPaper(
        partnership=partnership.name, as_at=as_at, year=FinancialYear(year), intentions=rows, funds=tuple(positions)
    )
