"""The demo fund reproduces the seed's figures and reconciliations."""

from decimal import Decimal

from saferhub.commissioning import returns
from saferhub.commissioning.models import HalfYearReturn, Project
from saferhub.commissioning.returns import half_year_return_for
from saferhub.rendering.return_json import return_to_json


def build_half_year_return(*args, **kwargs):
    """The return in its JSON rendering (the keys these assertions read; issue 13 made the
    return a typed value)."""
    return return_to_json(returns.build_half_year_return(*args, **kwargs))


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
    assert data["sign_off"]["csp_manager"] == {
        "name": "Matt Garrett",
        "job_title": "Head of Community Connections",
        "date": "2017-11-03",
        "office": "CSP manager",
        "account": "csp-manager",
    }
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


def test_spend_to_date_adds_the_years_halves(fund):
    import datetime

    from saferhub.commissioning import services

    from .conftest import NOW

    f = Project.objects.get(fund=fund, letter="F")
    h2 = services.project_return_open(project=f, period="2017-H2", now=NOW)
    services.project_return_update(
        project_return=h2, actor="t", now=NOW, spend_lines=[("Youth outreach", Decimal("14715.94"))]
    )
    hyr = services.half_year_return_open(
        fund=fund,
        period="2017-H2",
        area="Safer Plymouth",
        claimed=Decimal("200284"),
        due_on=datetime.date(2018, 5, 4),
        now=NOW,
    )
    data = build_half_year_return(hyr, today=datetime.date(2018, 4, 20))
    section = next(p for p in data["projects"] if p["letter"] == "F")
    assert (section["spend_this_half"], section["spend_to_date"]) == ("14715.94", "16046.00")
    checks = {(c["code"], c["subject"]): c for c in data["checks"]}
    assert checks[("spend_within_funding", "F")]["ok"] is True  # exactly the funding: full spend
    assert checks[("return_on_time", "")]["ok"] is True
    late = build_half_year_return(hyr, today=datetime.date(2018, 5, 5))
    assert {c["code"]: c for c in late["checks"]}["return_on_time"]["ok"] is False
    # the first half's return still reads as it was
    assert build_half_year_return(half_year_return_for(fund, 2017, half=1))["projects"][5]["spend_to_date"] == "1330.06"


def test_each_projects_funding_reads_as_one_sentence(fund):
    """Project E's funding read "£36,000 which provides 65% of the total funding of the total
    service funding": the demo's share repeated the words the return adds to it."""
    data = returns.build_half_year_return(half_year_return_for(fund, 2017))
    e = next(p for p in data.projects if p.letter == "E")
    assert e.funding_text.startswith("£36,000 which provides 65% of the total service funding.")
    for p in data.projects:
        assert p.funding_text.count("of the total") <= 1, p.funding_text


def test_every_check_on_the_internal_summary_is_a_sentence(fund):
    """The internal summary printed "Refers to appendix A, attached" among findings that each end
    with a full stop."""
    data = returns.build_half_year_return(half_year_return_for(fund, 2017))
    assert any(c.code == "appendix_references" for c in data.checks)
    for c in data.checks:
        assert c.message.endswith("."), c.message
