"""Reads for the public pages: only published versions exist there."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Publication, PublishedVersion


def published_versions(*, partnership_slug: str | None = None) -> QuerySet[PublishedVersion]:
    qs = PublishedVersion.objects.select_related("partnership")
    if partnership_slug:
        qs = qs.filter(partnership__slug=partnership_slug)
    return qs.order_by("partnership__name", "-period", "-number")


def published_version_get(*, slug: str, period: str, number: int | None = None) -> PublishedVersion:
    """The given version, or the latest of that month; 404 for anything not published."""
    qs = published_versions(partnership_slug=slug).filter(period=period)
    version = (qs.filter(number=number) if number is not None else qs).order_by("-number").first()
    if version is None:
        raise Http404("No such publication")
    return version


def proposals() -> QuerySet[Publication]:
    return Publication.objects.select_related("partnership", "proposed_by", "decided_by").order_by(
        "-proposed_at", "-id"
    )
