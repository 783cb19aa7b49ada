"""The 360Giving export validates against the standard's schemas in ../shared."""

import datetime
import json

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests.conftest import SHARED

SCHEMAS = SHARED / "schemas" / "360giving"


def _validator():
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    # The schemas name their dialect as http://json-schema.org/draft/2020-12/schema (not the
    # canonical https form), so say which it is rather than let it be guessed.
    resource = DRAFT202012.create_resource(grant)
    # The package refers to the grant schema by its web address (1.4.2); resolve it to the local file.
    grant_ref = package["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resources([(grant_ref, resource), (grant["$id"], resource)])
    return Draft202012Validator(package, registry=registry, format_checker=_formats())


def _formats() -> FormatChecker:
    """The schemas say a date is "YYYY-MM-DD, or in full date-time format" with oneOf, so the
    date-time format must really be checked (jsonschema only does so with an optional package):
    a date-time needs its time part."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if "T" not in value.upper():
            return False
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    return checker


def test_export_validates_and_uses_the_standards_identifiers(fund, tmp_path):
    out = tmp_path / "grants.json"
    call_command("export", "360giving", "--fund", "community-safety-fund", "--year", "2017/18", "-o", str(out))
    data = json.loads(out.read_text())
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    grants = {g["title"]: g for g in data["grants"]}
    # G and H have no provider yet: they are not grants until one is appointed
    assert len(grants) == 6
    a = grants["Plymouth Domestic Abuse Service"]
    assert a["id"] == "360G-saferhub-safer-plymouth-community-safety-fund-2017-A"
    assert a["amountAwarded"] == 160200 and a["currency"] == "GBP"
    assert grants["Healthy Relationships"]["recipientOrganization"][0]["id"] == "GB-CHC-216250"
    assert a["recipientOrganization"][0]["id"].startswith("360G-saferhub-safer-plymouth-ORG-")
    assert all(g["id"].startswith("360G-") for g in data["grants"])


def test_a_broken_grant_fails_validation(fund):
    from saferhub.commissioning.open_data import grants_json, grants_package

    data = json.loads(grants_json(grants_package(fund=fund, year=2017)))
    data["grants"][0]["awardDate"] = "3 November 2017"
    assert list(_validator().iter_errors(data))


def test_unknown_fund_is_refused(fund):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no fund 'nope'"):
        call_command("export", "360giving", "--fund", "nope", "--year", "2017/18")
