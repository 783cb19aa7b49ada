"""Writes for partnerships: each one transaction, raising domain errors the caller reports."""

from __future__ import annotations

import datetime
from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.domain.geography import GeographyError, geography
from saferhub.domain.problems import ImportProblem, InputError, SaferhubError

from .models import AreaKind, Partnership, PartnershipArea, PartnershipLsoa


class PartnershipError(SaferhubError):
    pass


def _pieces(csps: Iterable[str], local_authorities: Iterable[str], lsoa_codes: Iterable[str]) -> list[tuple[str, str]]:
    """The area's pieces as (kind, ONS code), each once; unknown names and codes refused."""
    geo = geography()
    out: dict[tuple[str, str], None] = {}
    try:
        for c in csps:
            if c.strip():
                out[(AreaKind.CSP, geo.csp(c).code)] = None
        for la in local_authorities:
            if la.strip():
                out[(AreaKind.LOCAL_AUTHORITY, geo.district(la).code)] = None
    except GeographyError as exc:
        raise PartnershipError(str(exc)) from None
    for code in lsoa_codes:
        if not code.strip():
            continue
        try:
            out[(AreaKind.LSOA, geo.check_lsoa(code))] = None
        except GeographyError as exc:
            raise InputError(ImportProblem("--lsoa", None, "LSOA code", str(exc))) from None
    return list(out)


def _resolve(partnership: Partnership, pieces: list[tuple[str, str]]) -> int:
    """Store the pieces and the LSOAs they make; returns how many LSOA codes."""
    area = geography().area(
        csps=[v for k, v in pieces if k == AreaKind.CSP],
        districts=[v for k, v in pieces if k == AreaKind.LOCAL_AUTHORITY],
        lsoas=[v for k, v in pieces if k == AreaKind.LSOA],
    )
    PartnershipArea.objects.filter(partnership=partnership).delete()
    PartnershipLsoa.objects.filter(partnership=partnership).delete()
    PartnershipArea.objects.bulk_create([PartnershipArea(partnership=partnership, kind=k, value=v) for k, v in pieces])
    PartnershipLsoa.objects.bulk_create(
        [PartnershipLsoa(partnership=partnership, lsoa=c) for c in sorted(area.lsoas)], batch_size=5000
    )
    partnership.police_force_areas = sorted(area.pfas)
    partnership.save(update_fields=["police_force_areas"])
    return len(area.lsoas)


def _describe(pieces: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, value in pieces:
        out.setdefault(str(kind), []).append(value)
    return out


@transaction.atomic
def partnership_create(
    *,
    slug: str,
    name: str,
    local_authorities: Iterable[str] = (),
    lsoa_codes: Iterable[str] = (),
    csps: Iterable[str] = (),
    actor: Any = None,
    now: datetime.datetime | None = None,
) -> Partnership:
    """Create a partnership whose area is the given CSPs, districts (current or former, by code
    or name) and LSOAs (2011 or 2021 codes), each LSOA once. Its indicators are performance's
    (``saferhub.performance.services.standard_indicators_add`` gives the standard ones)."""
    if Partnership.objects.filter(slug=slug).exists():
        raise PartnershipError(f"a partnership with slug {slug!r} already exists")
    if not name.strip():
        raise PartnershipError("a partnership needs a name")
    pieces = _pieces(csps, local_authorities, lsoa_codes)
    partnership = Partnership.objects.create(slug=slug, name=name.strip())
    n = _resolve(partnership, pieces)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=partnership,
        at=now or timezone.now(),
        summary=f"partnership {partnership.name} created: {n} LSOAs",
        after={"area": _describe(pieces)},
    )
    return partnership


@transaction.atomic
def partnership_area_set(
    *,
    partnership: Partnership,
    local_authorities: Iterable[str] = (),
    lsoa_codes: Iterable[str] = (),
    csps: Iterable[str] = (),
    actor: Any = None,
    now: datetime.datetime | None = None,
) -> Partnership:
    """Redefine a partnership's area. Its figures follow at once from the counts already held:
    no file needs importing again. Audited, with the area before and after."""
    pieces = _pieces(csps, local_authorities, lsoa_codes)
    if not pieces:
        raise PartnershipError("give the area: a CSP, a local authority district or LSOA codes")
    before = _describe([(a.kind, a.value) for a in partnership.areas.all()])
    n = _resolve(partnership, pieces)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=partnership,
        at=now or timezone.now(),
        summary=f"area of {partnership.name} changed: {n} LSOAs",
        before={"area": before},
        after={"area": _describe(pieces)},
    )
    return partnership


@transaction.atomic
def partnership_create_all(*, actor: Any = None, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Create every Community Safety Partnership of England and Wales from the ONS lookup, each
    with exactly its CSP's area. A CSP that already has a partnership is left as it is.
    Returns (created, already there)."""
    geo = geography()
    existing = set(PartnershipArea.objects.filter(kind=AreaKind.CSP).values_list("value", flat=True))
    slugs = set(Partnership.objects.values_list("slug", flat=True))
    todo = []
    for csp in sorted(geo.csps.values(), key=lambda c: c.code):
        if csp.code in existing:
            continue
        slug = slugify(csp.name)[:70] or csp.code.lower()
        if slug in slugs:
            slug = f"{slug}-{csp.code.lower()}"
        slugs.add(slug)
        todo.append((csp, slug))
    made = Partnership.objects.bulk_create(
        [Partnership(slug=slug, name=csp.name, police_force_areas=[csp.pfa]) for csp, slug in todo]
    )
    made = list(Partnership.objects.filter(slug__in=[s for _, s in todo]).order_by("slug"))
    by_slug = {p.slug: p for p in made}
    areas, lsoas = [], []
    for csp, slug in todo:
        p = by_slug[slug]
        areas.append(PartnershipArea(partnership=p, kind=AreaKind.CSP, value=csp.code))
        codes = geo.with_counterparts(geo.lsoas_of_csp(csp))
        lsoas += [PartnershipLsoa(partnership=p, lsoa=c) for c in sorted(codes)]
    PartnershipArea.objects.bulk_create(areas)
    PartnershipLsoa.objects.bulk_create(lsoas, batch_size=5000)
    if todo:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="partnerships.partnership",
            at=now or timezone.now(),
            summary=f"{len(todo)} Community Safety Partnerships created from the ONS lookup",
            after={"csps": [c.code for c, _ in todo]},
        )
    return len(todo), len(geo.csps) - len(todo)
