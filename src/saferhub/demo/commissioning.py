"""Demo data for commissioning (filled in by that part's work)."""

from __future__ import annotations

import datetime

from saferhub.partnerships.models import Partnership


def load(*, partnership: Partnership, now: datetime.datetime) -> None:
    """Nothing yet."""

# The provider of project A in the seed's half-year return ("Delivered by Sanctuary Housing
# Association which is a charity"); the demo's provider user belongs to it.
PROJECT_A_PROVIDER = "Sanctuary Housing Association"
