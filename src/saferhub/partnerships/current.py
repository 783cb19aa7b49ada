"""The "current" partnership of the pages whose addresses name none (/dashboard/, /data/,
/commissioning/ ...): the one the user chose, kept in the session, else the first one."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Partnership

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
