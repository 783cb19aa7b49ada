"""Demo data for publishing: the sensitive indicators are marked, and the demo report is
proposed by the analyst and approved by the commissioner once those demo users exist."""

from __future__ import annotations

import datetime

from saferhub.partnerships.models import Partnership

# Domestic abuse and hate crime: published by quarter only, under the stricter rule.
SENSITIVE_CODES = ("domestic-abuse", "domestic-abuse-referrals", "hate-crime")


def load(*, partnership: Partnership, now: datetime.datetime) -> None:
    from saferhub.accounts.models import Role, User
    from saferhub.domain.calendar import Month
    from saferhub.performance.models import Indicator
    from saferhub.publishing.models import PublishedVersion
    from saferhub.publishing.services import publication_approve, publication_propose

    from . import REPORT_PERIOD

    Indicator.objects.filter(partnership=partnership, code__in=SENSITIVE_CODES, sensitive=False).update(sensitive=True)
    if PublishedVersion.objects.filter(partnership=partnership, period=REPORT_PERIOD).exists():
        return  # loading twice changes nothing
    analyst = User.objects.filter(role=Role.ANALYST, is_active=True).order_by("pk").first()
    approver = (
        User.objects.filter(role__in=[Role.COMMISSIONER, Role.ADMIN], is_active=True).order_by("role", "pk").first()
    )
    if analyst is None or approver is None:
        return  # the demo users are made by the users part; without them nothing is published
    proposal = publication_propose(
        partnership=partnership,
        period=Month.parse(REPORT_PERIOD),
        actor=analyst,
        now=now,
        note="The demo report, as presented to the board.",
    )
    publication_approve(publication=proposal, actor=approver, now=now)
