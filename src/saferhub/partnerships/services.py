"""Writes for partnerships: each one transaction, raising domain errors the caller reports."""

from __future__ import annotations

from django.db import transaction

from saferhub.domain.policeuk import STANDARD_INDICATORS
from saferhub.domain.problems import ImportProblem, InputError

from .models import AreaKind, Partnership, PartnershipArea


class PartnershipError(Exception):
    pass


@transaction.atomic
def partnership_create(
    *,
    slug: str,
    name: str,
    local_authorities: list[str] = (),  # type: ignore[assignment]
    lsoa_codes: list[str] = (),  # type: ignore[assignment]
    standard_indicators: bool = True,
) -> Partnership:
    """Create a partnership covering the given local authorities and LSOAs, with the
    standard police.uk indicators unless asked not to."""
    from saferhub.performance.models import Indicator, Polarity, Source

    if Partnership.objects.filter(slug=slug).exists():
        raise PartnershipError(f"a partnership with slug {slug!r} already exists")
    if not name.strip():
        raise PartnershipError("a partnership needs a name")
    partnership = Partnership.objects.create(slug=slug, name=name.strip())
    for la in dict.fromkeys(a.strip() for a in local_authorities if a.strip()):
        PartnershipArea.objects.create(partnership=partnership, kind=AreaKind.LOCAL_AUTHORITY, value=la)
    for code in dict.fromkeys(c.strip().upper() for c in lsoa_codes if c.strip()):
        if not (len(code) == 9 and code[0] in "EW" and code[1:].isdigit()):
            raise InputError(ImportProblem("--lsoa", None, "LSOA code", f"{code!r} is not an LSOA code like E01015000"))
        PartnershipArea.objects.create(partnership=partnership, kind=AreaKind.LSOA, value=code)
    if standard_indicators:
        for position, std in enumerate(STANDARD_INDICATORS):
            Indicator.objects.create(
                partnership=partnership,
                code=std.code,
                title=std.title,
                polarity=Polarity(std.polarity),
                frequency="monthly",
                unit="count",
                source=Source.POLICEUK,
                crime_types=list(std.crime_types),
                noun=std.noun,
                owner="Police (police.uk open data)",
                notes="Street-level crime and anti-social behaviour published on police.uk.",
                position=100 + position,
            )
    return partnership
