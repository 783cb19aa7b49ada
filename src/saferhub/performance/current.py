"""The "current" partnership of the pages whose addresses name none (/dashboard/, /data/ ...):
the one the user chose, kept in the session, else the first one; and its own time (the months
its indicators hold figures for), so that one partnership's imports never move another's month."""

from __future__ import annotations

from django.http import HttpRequest

from saferhub.domain.calendar import Month
from saferhub.partnerships.models import Partnership

SESSION_KEY = "saferhub.partnership"


def current_partnership(request: HttpRequest) -> Partnership | None:
    slug = request.session.get(SESSION_KEY)
    if slug:
        chosen = Partnership.objects.filter(slug=slug).first()
        if chosen is not None:
            return chosen
    # A retired partnership is not chosen for anyone; it stays reachable by its own addresses.
    return Partnership.objects.current().order_by("pk").first() or Partnership.objects.order_by("pk").first()


def choose_partnership(request: HttpRequest, slug: str) -> Partnership | None:
    chosen = Partnership.objects.filter(slug=slug).first()
    if chosen is not None:
        request.session[SESSION_KEY] = chosen.slug
    return chosen


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
