"""Retention: what `saferhub purge` deletes (ASVS 8.3.8). The ages are months, in settings
``SAFERHUB_RETENTION_MONTHS``; audit events are kept 24 months by default.

The audit log refuses deletion through its model on purpose; this is the one place that
deletes events, with a queryset, from a command an operator runs, and it records that it did."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction


@dataclass(frozen=True)
class PurgeItem:
    kind: str
    older_than: datetime.datetime
    count: int
    oldest: datetime.datetime | None


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time ``months`` months earlier (clamped to the month's last day)."""
    import calendar

    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _querysets(now: datetime.datetime):
    from saferhub.accounts.models import LoginFailure
    from saferhub.audit.models import AuditEvent

    months = settings.SAFERHUB_RETENTION_MONTHS
    cut_audit = months_before(now, months["audit_events"])
    cut_login = months_before(now, months["login_failures"])
    return [
        ("audit_events", cut_audit, AuditEvent.objects.filter(at__lt=cut_audit), "at"),
        ("login_failures", cut_login, LoginFailure.objects.filter(at__lt=cut_login), "at"),
    ]


def purge_plan(*, now: datetime.datetime) -> list[PurgeItem]:
    out = []
    for kind, cut, qs, field in _querysets(now):
        oldest = qs.order_by(field).values_list(field, flat=True).first()
        out.append(PurgeItem(kind, cut, qs.count(), oldest))
    return out


@transaction.atomic
def purge_run(*, now: datetime.datetime) -> list[PurgeItem]:
    from saferhub.audit.models import AuditAction
    from saferhub.audit.services import audit_record

    done = purge_plan(now=now)
    for kind, cut, qs, _ in _querysets(now):
        qs.delete()  # a queryset delete: AuditEvent.delete() (which refuses) is not called
    summary = "; ".join(f"{i.count} {i.kind.replace('_', ' ')} before {i.older_than:%Y-%m-%d}" for i in done)
    audit_record(actor="saferhub purge", action=AuditAction.DELETE, object_type="retention",
                 summary=f"retention purge: {summary}", at=now)
    return done
