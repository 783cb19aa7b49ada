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
