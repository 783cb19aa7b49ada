"""A fund's grants for a year as a 360Giving data package (standard 1.4).

Identifiers follow the standard's conventions: a grant is ``360G-<prefix>-<local id>``; an
organisation is ``GB-CHC-<number>`` for a registered charity (England and Wales), ``GB-COH-<number>``
for a company, and otherwise ``<prefix>-ORG-<name>`` from the publisher's own records. The prefix
defaults to ``saferhub-<partnership slug>``; a partnership registered with 360Giving sets its own
(``SAFERHUB_360G_PREFIX``)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.utils.text import slugify

from saferhub.domain.exact_json import exact_json_dumps
from saferhub.partnerships.models import Organisation

from .models import Fund, Project

# 360Giving currencies are ISO 4217 codes; the funder's own identifier is its name in our records.
CURRENCY = "GBP"


def _prefix(fund: Fund) -> str:
    return getattr(settings, "SAFERHUB_360G_PREFIX", "") or f"saferhub-{fund.partnership.slug}"


def organisation_id(org: Organisation, prefix: str) -> str:
    charity = re.sub(r"\s", "", org.charity_number or "")
    company = re.sub(r"\s", "", org.company_number or "")
    if charity:
        return f"GB-CHC-{charity}"
    if company:
        return f"GB-COH-{company.upper()}"
    return f"360G-{prefix}-ORG-{slugify(org.name)}"


def _organisation(org: Organisation, prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": organisation_id(org, prefix), "name": org.name}
    if org.charity_number:
        out["charityNumber"] = org.charity_number
    if org.company_number:
        out["companyNumber"] = org.company_number
    return out


def _grant(project: Project, prefix: str, award_date: datetime.date) -> dict[str, Any]:
    fund = project.fund
    year_label = f"{project.year}/{(project.year + 1) % 100:02d}"
    grant: dict[str, Any] = {
        "id": f"360G-{prefix}-{fund.slug}-{project.year}-{project.letter}",
        "title": project.title,
        "description": f"{fund.name} {year_label}, project {project.letter}: {project.title}. "
        + (project.funding_note or project.expenditure_breakdown or ""),
        "currency": CURRENCY,
        "amountAwarded": project.amount,  # a JSON number written exactly (grants_json), never a float
        "awardDate": award_date.isoformat(),
        "recipientOrganization": [_organisation(project.provider, prefix)],
        "fundingOrganization": [_organisation(fund.funder, prefix) | {"department": fund.name}],
        "grantProgramme": [{"code": fund.slug, "title": fund.name}],
        "plannedDates": [{"startDate": f"{project.year}-04-01", "endDate": f"{project.year + 1}-03-31"}],
        "beneficiaryLocation": [{"name": fund.partnership.name, "countryCode": "GB"}],
    }
    return grant


def grants_package(*, fund: Fund, year: int, issued: datetime.date | None = None) -> dict[str, Any]:
    """The year's grants to named providers. Projects still without a provider (being
    procured) are not grants yet and are left out until one is appointed."""
    prefix = _prefix(fund)
    award = fund.awards.get(year=year)
    award_date = award.decided_on or datetime.date(year, 4, 1)
    projects = Project.objects.filter(fund=fund, year=year, provider__isnull=False).select_related(
        "provider", "fund__partnership", "fund__funder"
    )
    return {
        "version": "1.4",
        "title": f"{fund.partnership.name}: {fund.name} grants {year}/{(year + 1) % 100:02d}",
        "identifier": f"360G-{prefix}-{fund.slug}-{year}",
        "issued": (issued or award_date).isoformat(),
        "publisher": {"name": fund.partnership.name, "identifier": f"360G-{prefix}"},
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "grants": [_grant(p, prefix, award_date) for p in projects],
    }


def grants_json(package: dict[str, Any]) -> str:
    """The package as JSON text, amounts as numbers exact to the penny."""
    return exact_json_dumps(package, indent=2, ensure_ascii=False) + "\n"
