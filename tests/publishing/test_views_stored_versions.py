"""Versions published before the figures became a typed value still show exactly as they did:
the rows in ``stored/`` were written by that code (schema 2), with what the public saw of each
(the page's main content, the CSV and the JSON download). A version of schema 1 (no sums, no
suppressed list, no source) is read through the same upgrade."""

from __future__ import annotations

import copy

import pytest
from rest_framework.test import APIClient

from saferhub.accounts.models import Role, User

from .stored import load, outputs, put_back


@pytest.mark.parametrize("name", ["demo-v2", "small-v2"])
def test_a_stored_version_shows_as_it_did(client, db, name):
    row, shown = load(name)
    version = put_back(row)
    assert version.verify()  # the row is the one its checksum was made of
    got = outputs(client, version)
    for what in shown:
        assert got[what] == shown[what], what


@pytest.mark.parametrize("name", ["demo-v2", "small-v2"])
def test_the_api_gives_a_stored_version_as_stored(db, name):
    row, _ = load(name)
    version = put_back(row)
    user = User.objects.create_user(username="reader", password="pw", role=Role.ANALYST)
    api = APIClient()
    api.force_authenticate(user)
    assert api.get(f"/api/publications/{version.pk}/").json()["figures"] == row["figures"]


def _as_schema_1(figures: dict) -> dict:
    """A schema 2 document as schema 1 stored it: no sums, no suppressed list, no sources."""
    old = {k: v for k, v in copy.deepcopy(figures).items() if k not in ("sums", "suppressed")}
    old["schema_version"] = 1
    for ind in old["indicators"]:
        del ind["source"]
    return old


def test_a_schema_1_version_shows_its_rows_with_no_source(client, db):
    row, shown = load("small-v2")
    assert all(i["source"] == "partner" for i in row["figures"]["indicators"])  # no police.uk note to lose
    version = put_back({**row, "figures": _as_schema_1(row["figures"])})
    got = outputs(client, version)
    assert got["page"] == shown["page"]
    blank = [
        ",".join(cells[:8] + [""] + cells[9:]) if n else ",".join(cells)
        for n, cells in enumerate(line.split(",") for line in shown["csv"].splitlines())
    ]
    assert got["csv"].splitlines() == blank
    assert got["json"] == shown["json"].replace('"source": "partner"', '"source": ""')
