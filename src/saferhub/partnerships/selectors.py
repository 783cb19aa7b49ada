from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from saferhub.domain.problems import SaferhubError

from .models import Partnership


class PartnershipNotFound(SaferhubError):
    pass


def partnership_get(slug: str) -> Partnership:
    try:
        return Partnership.objects.prefetch_related("areas").get(slug=slug)
    except ObjectDoesNotExist:
        known = ", ".join(Partnership.objects.values_list("slug", flat=True)[:10]) or "none yet"
        raise PartnershipNotFound(
            f"no partnership {slug!r} (known: {known}); create one with `saferhub partnership create`"
        ) from None


def area_described(partnership: Partnership) -> dict[str, list[str]]:
    """The area as a person reads it: each piece and police force area by name and ONS code,
    "Torbay (E06000027)", under its kind's label."""
    from saferhub.domain.geography import geography

    from .models import AreaKind

    geo = geography()
    names = {
        AreaKind.CSP: lambda code: geo.csps[code].name if code in geo.csps else "",
        AreaKind.LOCAL_AUTHORITY: lambda code: geo.districts[code].name if code in geo.districts else "",
        AreaKind.LSOA: lambda code: "",
    }
    out: dict[str, list[str]] = {}
    for piece in partnership.areas.order_by("kind", "value"):
        name = names[piece.kind](piece.value)
        out.setdefault(piece.get_kind_display(), []).append(f"{name} ({piece.value})" if name else piece.value)
    forces = [
        f"{geo.forces[pfa].pfa_name} ({pfa})" if pfa in geo.forces else pfa for pfa in partnership.police_force_areas
    ]
    if forces:
        out["Police force areas"] = forces
    return out
