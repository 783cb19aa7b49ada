"""Reading the audit log with its filters."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent


def audit_events(
    *,
    user: str = "",
    action: str = "",
    object_type: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events newest first; dates are whole days in the local time zone, both ends included."""
    qs = AuditEvent.objects.all()
    if user:
        qs = qs.filter(actor_name__iexact=user)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(at__gte=_start_of(date_from))
    if date_to:
        qs = qs.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return qs.order_by("-at", "-id")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def object_types() -> list[str]:
    # order_by() on the column itself: the model's ordering (-at, -id) would otherwise join the
    # SELECT DISTINCT and give one option per event.
    return sorted(
        t for t in AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct() if t
    )


def actor_names() -> list[Any]:
    return sorted(
        n for n in AuditEvent.objects.order_by("actor_name").values_list("actor_name", flat=True).distinct() if n
    )
