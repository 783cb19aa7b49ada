"""Demo data for users (filled in by that part's work)."""

from __future__ import annotations

import datetime

from saferhub.partnerships.models import Partnership


def load(*, partnership: Partnership, now: datetime.datetime) -> None:
    """Nothing yet."""
