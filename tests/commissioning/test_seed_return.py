"""The demo fund reproduces the seed's figures and reconciliations."""

from decimal import Decimal

from saferhub.commissioning.models import HalfYearReturn, Project
from saferhub.commissioning.returns import build_half_year_return, half_year_return_for


def _checks(data):
    return {(c["code"], c["subject"]): c for c in data["checks"]}


def test_seed_figures(fund):
    data = build_half_year_return(half_year_return_for(fund, 2017))
    assert data["allocation"] == "400568.00"
    assert data["carried_forward"] == "27678.00"
    assert data["allocated"] == "428246.00"
    assert data["claimed"] == "200284.00"
    assert [p["letter"] for p in data["projects"]] == list("ABCDEFGH")
    f = next(p for p in data["projects"] if p["letter"] == "F")
    assert f["spend_to_date"] == "1330.06"
    assert f["funding"] == "16046.00"
    assert [p["rag"] for p in data["projects"]] == ["achieved"] * 4 + ["on_track"] * 3 + ["behind"]
    a = data["projects"][0]
    assert a["provider"] == "Sanctuary Housing Association" and a["provider_type"] == "Charity"
    checks = _checks(data)
    assert checks[("allocations_reconcile", "")]["ok"] is True
    assert checks[("unallocated_intentions", "")]["message"].startswith("£167,068 ")
    assert checks[("claim_matches_schedule", "")]["ok"] is True
    assert all(checks[("spend_within_funding", p)]["ok"] for p in "ACDEFGH")
    # The seed's own figures: project B reports £37,500 spent against £25,000 from the fund
    # (half of the whole £75,000 service), and the check says so.
    b = checks[("spend_within_funding", "B")]
    assert b["ok"] is False and "£12,500" in b["message"]
    assert checks[("return_on_time", "")]["ok"] is True  # signed 3 November 2017, the deadline
    assert data["sign_off"]["csp_manager"] == {"name": "Matt Garrett", "job_title": "Head of Community Connections", "date": "2017-11-03"}
    assert data["sign_off"]["treasurer"] is None


def test_money_is_stored_to_the_penny(fund):
    total = sum((p.amount for p in Project.objects.filter(fund=fund)), Decimal(0))
    assert total == Decimal("428246.00") and isinstance(total, Decimal)


def test_loading_twice_changes_nothing(fund, partnership):
    from saferhub.audit.models import AuditEvent
    from saferhub.demo import commissioning as demo

    from .conftest import NOW

    before = (AuditEvent.objects.count(), HalfYearReturn.objects.count(), Project.objects.count())
    demo.load(partnership=partnership, now=NOW)
    assert (AuditEvent.objects.count(), HalfYearReturn.objects.count(), Project.objects.count()) == before
