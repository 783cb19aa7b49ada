"""The demo's second partnership, fed by police.uk alone: Torbay Community Safety Partnership,
its area the official CSP (E22000060, from the shipped geography), with the standard police.uk
indicators and the real 2019 Devon & Cornwall street files trimmed to Torbay's rows (SOURCE.md).
January to November load with the demo; December is left out for the analyst to upload at /data/."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from saferhub.partnerships.models import Partnership

HERE = Path(__file__).resolve().parent
SLUG = "torbay"
NAME = "Torbay Community Safety Partnership"
CSP = "E22000060"
POLICEUK_DIR = HERE / "policeuk"
# The month left out of the demo's load, for the analyst to upload and see the dashboard move.
UPLOAD_FILE = HERE / "upload" / "2019-12-devon-and-cornwall-street.csv"
REPORT_PERIOD = "2019-11"


def load(*, now: datetime.datetime) -> Partnership:
    """Create Torbay (once) and import its police.uk months. Loading twice changes nothing: the
    files' checksums are held, so a second import leaves every force-month as it was."""
    from saferhub.partnerships.models import Partnership
    from saferhub.partnerships.services import partnership_create
    from saferhub.performance.services import policeuk_import, standard_indicators_add

    partnership = Partnership.objects.filter(slug=SLUG).first()
    if partnership is None:
        partnership = partnership_create(slug=SLUG, name=NAME, csps=[CSP], actor="saferhub demo", now=now)
        standard_indicators_add([partnership])
    policeuk_import(paths=[POLICEUK_DIR], partnership=partnership, now=now, actor="saferhub demo")
    return partnership
