"""The analyst's comment on an indicator for a reporting month."""

from __future__ import annotations

import datetime

from django.db import transaction

from saferhub.domain.calendar import Month

from ..models import AnalystComment, Indicator


@transaction.atomic
def comment_set(*, indicator: Indicator, period: str, text: str, author: str, now: datetime.datetime) -> AnalystComment | None:
    """Record the comment; the same text again changes nothing (returns None)."""
    Month.parse(period)
    text = text.strip()
    latest = AnalystComment.objects.filter(indicator=indicator, period=period).order_by("written_at", "id").last()
    if latest is not None and latest.text == text:
        return None
    return AnalystComment.objects.create(indicator=indicator, period=period, text=text, author=author, written_at=now)
