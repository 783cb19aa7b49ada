"""The public pages: no login, and only published versions can be reached."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from saferhub.audit.services import read_count
from saferhub.domain.disclosure import SENSITIVE, STANDARD
from saferhub.domain.published import DATA_DICTIONARY, MARKERS

from .downloads import version_csv, version_json
from .models import PublishedVersion
from .selectors import published_version_get, published_versions


def _reports(versions: list[PublishedVersion]) -> list[tuple[PublishedVersion, list[PublishedVersion]]]:
    """Each partnership's published months as (latest version, earlier versions), in the order the
    versions come (by partnership, newest month first, newest number first): the rows of the
    published reports table (publishing/_published_reports.html)."""
    months: dict[tuple[str, str], list[PublishedVersion]] = {}
    for v in versions:
        months.setdefault((v.partnership.slug, v.period), []).append(v)
    return [(vs[0], vs[1:]) for vs in months.values()]


def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "publishing/public_index.html", {"reports": _reports(list(published_versions()))})


def public_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    """Every report a partnership has published, newest month first, with its versions; 404 when
    it has published nothing (an unpublished partnership is not listed in public)."""
    versions = list(published_versions(partnership_slug=slug))
    if not versions:
        raise Http404("Nothing published")
    return render(
        request,
        "publishing/public_partnership.html",
        {
            "partnership": versions[0].partnership,
            "reports": _reports(versions),
            "standard": STANDARD,
            "sensitive": SENSITIVE,
        },
    )


def public_version(request: HttpRequest, slug: str, period: str, number: int | None = None) -> HttpResponse:
    version = published_version_get(slug=slug, period=period, number=number)
    others = published_versions(partnership_slug=slug).filter(period=period).exclude(pk=version.pk)
    return render(
        request,
        "publishing/public_version.html",
        {
            "version": version,
            "figures": version.published,
            "others": others,
            "standard": STANDARD,
            "sensitive": SENSITIVE,
            "dictionary": DATA_DICTIONARY,
            "markers": MARKERS,
            "is_latest": not others.filter(number__gt=version.number).exists(),
        },
    )


def public_csv(request: HttpRequest, slug: str, period: str, number: int | None = None) -> HttpResponse:
    version = published_version_get(slug=slug, period=period, number=number)
    # Published figures are public: each read is counted, not audited (an anonymous flood would
    # otherwise fill the immutable audit log).
    read_count(obj=version, what="figures.csv", at=timezone.now())
    response = HttpResponse(version_csv(version), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{period}-v{version.number}.csv"'
    return response


def public_json(request: HttpRequest, slug: str, period: str, number: int | None = None) -> HttpResponse:
    """The same figures as JSON with the data dictionary. Counted as the CSV is, not audited read
    by read (public reads are counted, not audited: issue 12 finding 9)."""
    version = published_version_get(slug=slug, period=period, number=number)
    read_count(obj=version, what="figures.json", at=timezone.now())
    response = HttpResponse(version_json(version), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{period}-v{version.number}.json"'
    return response
