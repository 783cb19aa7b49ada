"""The standard police.uk indicators (``saferhub.domain.policeuk.STANDARD_INDICATORS``) given to
a partnership: a performance service, called by whoever creates partnerships (the
``partnership`` command), so that partnerships never reach up into performance."""

from __future__ import annotations

from typing import Iterable

from django.db import transaction

from saferhub.domain.policeuk import STANDARD_INDICATORS
from saferhub.partnerships.models import Partnership

from ..models import Indicator, Polarity, Source

# The owner a standard indicator is made with. The report names the forces behind the figures in
# its place (e.g. "Devon & Cornwall Police (police.uk open data)"); an owner a user sets is kept.
STANDARD_OWNER = "Police (police.uk open data)"


def _standard_indicators(partnership: Partnership) -> list[Indicator]:
    return [
        Indicator(
            partnership=partnership,
            code=std.code,
            title=std.title,
            polarity=Polarity(std.polarity),
            frequency="monthly",
            unit="count",
            source=Source.POLICEUK,
            crime_types=list(std.crime_types),
            noun=std.noun,
            owner=STANDARD_OWNER,
            notes="Street-level crime and anti-social behaviour published on police.uk.",
            position=100 + position,
        )
        for position, std in enumerate(STANDARD_INDICATORS)
    ]


@transaction.atomic
def standard_indicators_add(partnerships: Iterable[Partnership]) -> int:
    """Give each partnership the standard police.uk indicators (part of making the partnership,
    whose creation is the audited event); returns how many indicators were made."""
    indicators = [i for p in partnerships for i in _standard_indicators(p)]
    Indicator.objects.bulk_create(indicators, batch_size=2000)
    return len(indicators)
