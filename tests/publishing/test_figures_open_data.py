"""Counts made from police.uk's open street-level data are public already, row by row: a
partnership's count of them is published as it is, whatever its size (issue 16)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from saferhub.domain.calendar import Month
from saferhub.performance.services import policeuk_import
from saferhub.publishing.services import publication_approve, publication_propose

from ..conftest import DEVON_AND_CORNWALL, standard_partnership

POLICEUK = DEVON_AND_CORNWALL  # the conftest fails loudly when ../shared is missing
NOW = timezone.make_aware(datetime.datetime(2020, 2, 3, 9, 0))


@pytest.fixture
def torbay(db, tmp_path):
    """Torbay's rows of the real 2019 Devon & Cornwall street files (the rest left out for speed)."""
    folder = tmp_path / "torbay"
    folder.mkdir()
    for src in sorted(POLICEUK.glob("2019-*-street.csv")):
        raw = src.read_bytes()
        lines = raw.splitlines(keepends=True)
        (folder / src.name).write_bytes(b"".join([lines[0], *(ln for ln in lines[1:] if b",Torbay " in ln)]))
    p = standard_partnership(slug="torbay", name="Safer Torbay", local_authorities=["Torbay"])
    policeuk_import(paths=[folder], partnership=p, now=NOW)
    return p


def test_torbay_policeuk_figures_are_published_whole(torbay, users, client):
    p = publication_propose(partnership=torbay, period=Month(2019, 12), actor=users["analyst"], now=NOW)
    v = publication_approve(publication=p, actor=users["commissioner"], now=NOW)
    cells = [
        (i["code"], r["period"], f, r[f])
        for i in v.figures["indicators"]
        for r in i["rows"]
        for f in ("value", "previous", "cumulative", "previous_cumulative")
    ]
    assert cells and not [c for c in cells if c[3] == "[c]"]
    asb = next(i for i in v.figures["indicators"] if i["code"] == "anti-social-behaviour")
    assert asb["ytd"]["value"] > 1000 and asb["ytd"]["previous"] is None
    # No figure for last year: no change either, and never "[c]".
    assert all(i["ytd"]["change"] is None and i["ytd"]["previous"] is None for i in v.figures["indicators"] if i["ytd"])
    small = [c for c in cells if isinstance(c[3], int) and 1 <= c[3] <= 4]
    assert small, "Torbay has months with 1 to 4 of some crime types: they are published as they are"
    html = client.get("/public/torbay/2019-12/").content.decode()
    assert "[c]" not in html.split('id="suppression-note"')[0]
    assert "police.uk" in html
