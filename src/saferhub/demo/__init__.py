"""The demo: Safer Plymouth's 2015/16 and 2016/17 figures, transcribed from the performance
report in the board pack of 24 January 2017 (Agenda Item 8), plus one illustrative partner
indicator that is not in that pack ("Arson of vehicles in the night-time economy area", small
monthly counts), so that the published pages show small-number suppression ("[c]")."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package is an installed app: it imports no model before the registry is ready
    from saferhub.partnerships.models import Partnership

DATA_DIR = Path(__file__).resolve().parent / "safer_plymouth"
SLUG = "safer-plymouth"
NAME = "Safer Plymouth"
REPORT_PERIOD = "2016-11"


def _parts() -> tuple[ModuleType, ...]:
    """Each part of the mission loads its own demo data: a module in this package with
    ``load(*, partnership, now)`` and, optionally, ``write_outputs(*, partnership, out_dir) -> list[Path]``.
    They run in this order after the performance figures; loading twice changes nothing. Imported
    here, not at the top: the package is an installed app, and its parts import models."""
    from . import commissioning, governance, publishing, users

    return (commissioning, governance, users, publishing)


def load_demo(*, now: datetime.datetime) -> Partnership:
    """Create (or bring up to date) the demo partnership with every part of the mission.
    Loading twice changes nothing."""
    from saferhub.accounts.notifications import paused

    with paused():  # the seeded history (a return submitted, a pack issued in 2017) emails no one
        partnership = load_performance_demo(now=now)
        for module in _parts():
            module.load(partnership=partnership, now=now)
    return partnership


def write_part_outputs(*, partnership: Partnership, out_dir: Path) -> list[Path]:
    """The demo's documents beyond the performance report (returns, packs ...)."""
    written: list[Path] = []
    for module in _parts():
        if hasattr(module, "write_outputs"):
            written += module.write_outputs(partnership=partnership, out_dir=out_dir)
    return written


def load_performance_demo(*, now: datetime.datetime) -> Partnership:
    """The partnership and its performance figures, from the seed's Agenda Item 8."""
    from saferhub.partnerships.models import Partnership
    from saferhub.partnerships.services import partnership_create
    from saferhub.performance.services import catalogue_import, indicators_import

    partnership = Partnership.objects.filter(slug=SLUG).first()
    if partnership is None:
        partnership = partnership_create(
            slug=SLUG,
            name=NAME,
            local_authorities=["Plymouth"],
        )
    catalogue_import(path=DATA_DIR / "catalogue.csv", partnership=partnership)
    indicators_import(path=DATA_DIR / "figures.csv", partnership=partnership, now=now)
    _load_comments(partnership, now)
    return partnership


def _load_comments(partnership: Partnership, now: datetime.datetime) -> None:
    """The analyst's comments of the seed report that describe context rather than figures
    (its figure-quoting comments held the errors that the generated commentary replaces)."""
    import csv

    from saferhub.performance.models import Indicator
    from saferhub.performance.services import comment_set

    with open(DATA_DIR / "comments.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            indicator = Indicator.objects.get(partnership=partnership, code=row["indicator"])
            comment_set(
                indicator=indicator, period=row["period"], text=row["text"], author="Community safety analyst", now=now
            )
