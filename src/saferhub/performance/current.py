"""A partnership's own time: the months its indicators hold figures for, so that one
partnership's imports never move another's month. (Which partnership is current is
``saferhub.partnerships.current``'s.)"""

from __future__ import annotations

from saferhub.domain.calendar import Month
from saferhub.partnerships.models import Partnership


def months_with_figures(partnership: Partnership) -> list[Month]:
    """The months for which this partnership's own indicators hold figures, newest first: its
    partner-supplied values, and, if it has police.uk indicators, the police.uk months held for
    every force that polices its area. Another partnership's data never adds a month here."""
    from .models import Indicator, IndicatorValue, Source
    from .selectors import police_months_held

    labels = {
        p
        for p in IndicatorValue.objects.filter(indicator__partnership=partnership, indicator__source=Source.PARTNER)
        .order_by()
        .values_list("period", flat=True)
        .distinct()
        if "Q" not in p
    }
    if Indicator.objects.filter(partnership=partnership, source=Source.POLICEUK).exists():
        labels |= police_months_held(partnership)
    return sorted((Month.parse(label) for label in labels), reverse=True)


def latest_month(partnership: Partnership) -> Month | None:
    """The partnership's own latest month (months_with_figures), or None before any figure."""
    months = months_with_figures(partnership)
    return months[0] if months else None
