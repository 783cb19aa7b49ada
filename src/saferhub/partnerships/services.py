"""Writes for partnerships: each one transaction, raising domain errors the caller reports."""

from __future__ import annotations

import datetime
from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record, audited_update
from saferhub.domain.geography import GeographyError, geography
from saferhub.domain.problems import ImportProblem, InputError, SaferhubError
from saferhub.retiring import retire_or_reinstate

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


@transaction.atomic
def partnership_rename(
    *, partnership: Partnership, name: str, actor: Any = None, now: datetime.datetime | None = None
) -> Partnership:
    """Change the partnership's name (its slug, in every address, stays). Audited."""
    name = name.strip()
    if not name:
        raise PartnershipError("a partnership needs a name")
    if name == partnership.name:
        return partnership
    before = partnership.name
    partnership.name = name
    partnership.save(update_fields=["name"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=partnership,
        at=now or timezone.now(),
        summary=f"partnership {before} renamed {name}",
        before={"name": before},
        after={"name": name},
    )
    return partnership


@transaction.atomic
def partnership_retire(
    *, partnership: Partnership, retire: bool = True, actor: Any = None, now: datetime.datetime | None = None
) -> Partnership:
    """Retire a partnership (its data and addresses are kept; it is no longer offered as a
    choice) or reinstate it. Audited; doing it twice changes nothing."""
    return retire_or_reinstate(
        partnership,
        retire=retire,
        actor=actor,
        now=now or timezone.now(),
        summary=f"partnership {partnership.name} {'retired' if retire else 'reinstated'}",
    )


def suggested_slug(name: str) -> str:
    """The address part a partnership's name gives: "Safer Torbay" -> "safer-torbay"."""
    return slugify(name)[:70]


# --------------------------------------------------------------------------------- organisations
ORGANISATION_FIELDS = ("name", "kind", "charity_number", "company_number")


def _organisation_state(org: Any) -> dict[str, str]:
    return {f: getattr(org, f) for f in ORGANISATION_FIELDS}


@transaction.atomic
def organisation_save(
    *, organisation: Any = None, actor: Any = None, now: datetime.datetime | None = None, **fields: str
) -> Any:
    """Create an organisation, or change one (``organisation`` given). Names are unique, whatever
    their case, retired organisations included (a retired one can be reinstated). Audited with
    the fields before and after."""
    from .models import Organisation, OrganisationKind

    data = {f: str(fields.get(f, "") or "").strip() for f in ORGANISATION_FIELDS}
    if not data["name"]:
        raise PartnershipError("an organisation needs a name")
    if data["kind"] not in OrganisationKind.values:
        raise PartnershipError(f"{data['kind']!r} is not a kind of organisation")
    clash = Organisation.objects.filter(name__iexact=data["name"])
    if organisation is not None:
        clash = clash.exclude(pk=organisation.pk)
    if clash.exists():
        raise PartnershipError(f"there is already an organisation called {clash.first().name}")
    at = now or timezone.now()
    if organisation is None:
        organisation = Organisation.objects.create(**data)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=organisation,
            at=at,
            summary=f"organisation {organisation.name} added",
            after=data,
        )
        return organisation
    before = _organisation_state(organisation)
    changed = {f for f in ORGANISATION_FIELDS if before[f] != data[f]}
    if not changed:
        return organisation
    audited_update(
        organisation,
        {f: data[f] for f in sorted(changed)},
        actor=actor,
        at=at,
        summary=lambda o, _: f"organisation {o.name} changed: {', '.join(sorted(changed))}",
        only_changes=True,
    )
    return organisation


@transaction.atomic
def organisation_retire(
    *, organisation: Any, retire: bool = True, actor: Any = None, now: datetime.datetime | None = None
) -> Any:
    """Retire an organisation (kept, with its funds, seats and users, but no longer offered as a
    choice), or reinstate it (``retire=False``). Audited; doing it twice changes nothing."""
    return retire_or_reinstate(
        organisation,
        retire=retire,
        actor=actor,
        now=now or timezone.now(),
        summary=f"organisation {organisation.name} {'retired' if retire else 'reinstated'}",
    )
