"""The analyst's comment on an indicator for a reporting month."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain.calendar import Month

from ..models import AnalystComment, Indicator


@transaction.atomic
def comment_set(
    *,
    indicator: Indicator,
    period: str,
    text: str,
    author: str,
    now: datetime.datetime,
    actor: Any = None,
) -> AnalystComment | None:
    """Record the comment; the same text again changes nothing (returns None). The change is
    audited with the text before and after; ``actor`` is the signed-in user, if any."""
    Month.parse(period)
    text = text.strip()
    latest = AnalystComment.objects.filter(indicator=indicator, period=period).order_by("written_at", "id").last()
    if latest is not None and latest.text == text:
        return None
    comment = AnalystComment.objects.create(
        indicator=indicator, period=period, text=text, author=author, written_at=now
    )
    audit_record(
        actor=actor if actor is not None else author,
        action=AuditAction.CREATE if latest is None else AuditAction.UPDATE,
        obj=indicator,
        at=now,
        summary=f"commentary on {indicator.code} for {period}",
        before={"period": period, "text": latest.text} if latest is not None else None,
        after={"period": period, "text": text},
    )
    return comment
