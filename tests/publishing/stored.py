"""Published versions as the database holds them, put back without the services (a version
stored by older code is a row, not something to publish again), and everything the public sees
of one: the page's main content, the CSV and the JSON download, the API's figures."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from saferhub.accounts.models import Role, User
from saferhub.partnerships.models import Partnership
from saferhub.publishing.models import Publication, PublicationState, PublishedVersion

STORED = Path(__file__).resolve().parent / "stored"
# The stored rows, and beside each (same name, another suffix) what the code that stored it showed.
OUTPUTS = {"page": ".page.html", "csv": ".figures.csv", "json": ".figures.json"}


def stored_row(version: PublishedVersion, note: str) -> dict[str, Any]:
    """A version's stored row as a JSON document (the fixture format of ``STORED``)."""
    return {
        "note": note,
        "partnership": {"slug": version.partnership.slug, "name": version.partnership.name},
        "period": version.period,
        "number": version.number,
        "rule_name": version.rule_name,
        "rule_parameters": version.rule_parameters,
        "approved_by_name": version.approved_by_name,
        "approved_at": version.approved_at.isoformat(),
        "checksum": version.checksum,
        "audit": version.audit,
        "figures": version.figures,
    }


def put_back(row: dict[str, Any]) -> PublishedVersion:
    """The stored row as a version in this database: its figures exactly as stored."""
    partnership, _ = Partnership.objects.get_or_create(slug=row["partnership"]["slug"], name=row["partnership"]["name"])
    approver, _ = User.objects.get_or_create(username=row["approved_by_name"], defaults={"role": Role.ADMIN})
    proposer, _ = User.objects.get_or_create(username="stored-proposer", defaults={"role": Role.ANALYST})
    at = datetime.datetime.fromisoformat(row["approved_at"])
    if at.tzinfo is None:  # SQLite's text of an aware UTC time
        at = at.replace(tzinfo=datetime.timezone.utc)
    publication = Publication.objects.create(
        partnership=partnership,
        period=row["period"],
        state=PublicationState.PUBLISHED,
        proposed_by=proposer,
        proposed_at=at,
        decided_by=approver,
        decided_at=at,
    )
    return PublishedVersion.objects.create(
        publication=publication,
        partnership=partnership,
        period=row["period"],
        number=row["number"],
        figures=row["figures"],
        rule_name=row["rule_name"],
        rule_parameters=row["rule_parameters"],
        approved_by=approver,
        approved_by_name=row["approved_by_name"],
        approved_at=at,
        checksum=row["checksum"],
        audit=row["audit"],
    )


def main_of(html: str) -> str:
    """The page's <main> element: the header and menu around it are the site's, not the version's."""
    start = html.index("<main")
    return html[start : html.index("</main>", start) + len("</main>")]


def outputs(client: Any, version: PublishedVersion) -> dict[str, str]:
    base = f"/public/{version.partnership.slug}/{version.period}/v{version.number}/"
    got = {}
    for name, suffix in (("page", ""), ("csv", "figures.csv"), ("json", "figures.json")):
        response = client.get(base + suffix)
        assert response.status_code == 200, (base + suffix, response.status_code)
        got[name] = response.content.decode()
    got["page"] = main_of(got["page"])
    return got


def load(name: str) -> tuple[dict[str, Any], dict[str, str]]:
    """A stored row and what the public saw of it."""
    row = json.loads((STORED / f"{name}.json").read_text())
    shown = {k: (STORED / f"{name}{suffix}").read_bytes().decode() for k, suffix in OUTPUTS.items()}  # CRLF kept
    return row, shown
