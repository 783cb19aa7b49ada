"""The commissioning set-up pages (issue 15): a commissioner creates, changes and retires funds,
awards, carry-forward, intentions, projects with their KPIs, outcomes, milestones and co-funders,
and the claim schedule; each change is audited; errors are shown in the GOV.UK pattern; other
roles are refused."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from saferhub.accounts.models import User
from saferhub.audit.models import AuditEvent
from saferhub.commissioning import setup
from saferhub.commissioning.models import Award, Fund, HalfYearReturn, Intention, Kpi, Milestone, Project, ProjectReturn
from saferhub.partnerships.models import Organisation

from .conftest import NOW

SLUG = "safer-plymouth"


@pytest.fixture
def commissioner(db):
    return User.objects.create_user(username="cath", password="x", role="commissioner")


@pytest.fixture
def pcc(db):
    return Organisation.objects.create(name="Office of the PCC", kind="pcc")


@pytest.fixture
def provider_org(db):
    return Organisation.objects.create(name="Sanctuary Housing Association", kind="charity")


@pytest.fixture
def client_c(client, commissioner, partnership):
    client.force_login(commissioner)
    return client


@pytest.fixture
def new_fund(partnership, pcc, commissioner):
    return setup.fund_create(
        partnership=partnership, slug="csf", name="Community Safety Fund", funder=pcc, actor=commissioner, now=NOW
    )


@pytest.fixture
def project(new_fund, commissioner, provider_org):
    return setup.project_create(
        fund=new_fund,
        year=2017,
        letter="A",
        title="Domestic abuse service",
        amount=Decimal("160200"),
        provider=provider_org,
        actor=commissioner,
        now=NOW,
    )


def _url(name, *args):
    return reverse(f"commissioning:{name}", args=[SLUG, *args])


def _date(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def test_the_entry_page_is_for_those_who_edit_commissioning(client, partnership, commissioner, provider_org):
    assert _url("setup-funds") == f"/commissioning/{SLUG}/setup/"
    for role, status in (("analyst", 403), ("provider", 403), ("board", 403), ("admin", 200)):
        org = provider_org if role == "provider" else None
        user = User.objects.create_user(username=role, password="x", role=role, organisation=org)
        client.force_login(user)
        assert client.get(_url("setup-funds")).status_code == status, role
    client.force_login(commissioner)
    page = client.get(_url("setup-funds"))
    assert page.status_code == 200 and "Safer Plymouth has no fund yet." in page.content.decode()
    assert AuditEvent.objects.filter(action="denied", actor__username="provider").exists()
    assert client.get(reverse("commissioning:setup-funds", args=["nowhere"])).status_code == 404


def test_a_provider_cannot_post_a_fund(client, partnership, pcc, provider_org):
    provider = User.objects.create_user(username="p", password="x", role="provider", organisation=provider_org)
    client.force_login(provider)
    response = client.post(_url("setup-fund-add"), {"name": "X", "slug": "x", "funder": pcc.pk})
    assert response.status_code == 403 and not Fund.objects.exists()


def test_a_commissioner_adds_a_fund_and_it_is_audited(client_c, pcc):
    response = client_c.post(
        _url("setup-fund-add"),
        {"name": "Community Safety Fund", "slug": "csf", "funder": pcc.pk, "channelled_through": ""},
    )
    fund = Fund.objects.get(slug="csf")
    assert response.status_code == 302 and response["Location"] == _url("setup-fund", "csf")
    event = AuditEvent.objects.get(object_type="commissioning.fund", action="create")
    assert event.actor.username == "cath" and event.after["funder"] == pcc.name
    page = client_c.get(_url("setup-fund", "csf")).content.decode()
    assert "Community Safety Fund" in page and "Office of the PCC" in page and fund.name in page


def test_fund_errors_are_in_the_error_summary_and_beside_the_fields(client_c, new_fund, pcc):
    response = client_c.post(_url("setup-fund-add"), {"name": "", "slug": "Not A Slug", "funder": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and page.count("govuk-form-group--error") == 3
    for message in (
        "Enter the name of the fund",
        "The short name can only have lower-case letters",
        "Choose the funder",
    ):
        assert message in page
    assert '<a href="#id_name">' in page
    # The service's refusal (a short name already used) is in the summary, and nothing is written.
    again = client_c.post(_url("setup-fund-add"), {"name": "Other", "slug": "csf", "funder": pcc.pk})
    assert again.status_code == 400 and "already has a fund &#x27;csf&#x27;" in again.content.decode()
    assert Fund.all_objects.count() == 1


def test_awards_for_several_years_and_the_carry_forward(client_c, new_fund):
    response = client_c.post(
        _url("setup-award-add", "csf"),
        {"years": "2017/18, 2018/19", "amount": "£400,568", **_date("decided_on", datetime.date(2017, 1, 24))},
    )
    assert response.status_code == 302
    awards = list(Award.objects.filter(fund=new_fund).order_by("year"))
    assert [(a.year, a.amount) for a in awards] == [(2017, Decimal("400568.00")), (2018, Decimal("400568.00"))]
    assert AuditEvent.objects.filter(object_type="commissioning.award", action="create").count() == 2
    bad = client_c.post(_url("setup-award-add", "csf"), {"years": "2017-18", "amount": "12.345"})
    text = bad.content.decode()
    assert bad.status_code == 400
    assert "Enter each financial year like 2017/18" in text and "in pounds and pence, like 400568 or 1330.06" in text
    response = client_c.post(
        _url("setup-carry-forward", "csf", awards[0].pk), {"carried_forward": "27678", "note": "2016/17 grant"}
    )
    assert response.status_code == 302
    awards[0].refresh_from_db()
    assert awards[0].carried_forward == Decimal("27678.00") and awards[0].available == Decimal("428246.00")
    event = AuditEvent.objects.filter(object_type="commissioning.award", action="update").latest("id")
    assert event.before["carried_forward"] == "0.00" and event.after["carried_forward"] == "27678.00"
    negative = client_c.post(_url("setup-award-edit", "csf", awards[1].pk), {"amount": "-5"})
    assert negative.status_code == 400 and "The amount awarded cannot be negative" in negative.content.decode()


def test_intentions_change_state_within_the_existing_states(client_c, new_fund):
    data = {
        "year": "2017/18",
        **_date("as_at", datetime.date(2017, 1, 24)),
        "area_of_need": "Domestic abuse",
        "recommendation": "Continue the IDVA service",
        "state": "confirmed",
        "contribution": "",
    }
    refused = client_c.post(_url("setup-intention-add", "csf"), data)
    assert refused.status_code == 400 and "a confirmed intention has one" in refused.content.decode()
    assert client_c.post(_url("setup-intention-add", "csf"), {**data, "state": "tbc"}).status_code == 302
    intention = Intention.objects.get()
    assert intention.state == "tbc" and intention.year == 2017
    changed = client_c.post(_url("setup-intention-edit", "csf", intention.pk), {**data, "contribution": "80100"})
    assert changed.status_code == 302
    intention.refresh_from_db()
    assert intention.state == "confirmed" and intention.contribution == Decimal("80100.00")
    event = AuditEvent.objects.get(object_type="commissioning.intention", action="update")
    assert event.before == {"state": "tbc", "contribution": None} and event.after["state"] == "confirmed"
    bogus = client_c.post(_url("setup-intention-edit", "csf", intention.pk), {**data, "state": "approved"})
    assert bogus.status_code == 400 and "Select a valid choice" in bogus.content.decode()


def test_a_project_with_its_kpi_outcome_milestone_and_cofunder(client_c, new_fund, provider_org):
    response = client_c.post(
        _url("setup-project-add", "csf"),
        {
            "year": "2017/18",
            "letter": "A",
            "title": "Plymouth Domestic Abuse Service",
            "provider": provider_org.pk,
            "amount": "160200",
            "carried_forward_included": "27678",
            "share_of_service": "approx. 1/3 of the total service funding",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("setup-project", "csf", project.pk)
    assert project.provider == provider_org and project.carried_forward_included == Decimal("27678.00")
    kpi = {
        "name": "Victims engaging with the service",
        "measure": "Victims referred who engage",
        "annual_target": "75% or above",
        "target_value": "75",
    }
    assert client_c.post(_url("setup-part-add", "csf", project.pk, "kpis"), kpi).status_code == 302
    assert (
        client_c.post(
            _url("setup-part-add", "csf", project.pk, "kpis"), {**kpi, "name": "Re-referral", "target_value": ""}
        ).status_code
        == 302
    )
    kpis = list(Kpi.objects.filter(project=project))
    assert [(k.position, k.target_value) for k in kpis] == [(0, Decimal("75.00")), (1, None)] and kpis[
        1
    ].target_to_be_agreed
    milestone = {
        "activity": "Contract awarded",
        **_date("deadline", datetime.date(2018, 1, 31)),
        "deadline_label": "January 2018",
    }
    assert client_c.post(_url("setup-part-add", "csf", project.pk, "milestones"), milestone).status_code == 302
    assert (
        client_c.post(
            _url("setup-part-add", "csf", project.pk, "outcomes"), {"description": "Victims are safer"}
        ).status_code
        == 302
    )
    assert (
        client_c.post(
            _url("setup-part-add", "csf", project.pk, "cofunders"), {"name": "Plymouth City Council", "amount": ""}
        ).status_code
        == 302
    )
    assert Milestone.objects.get().deadline == datetime.date(2018, 1, 31)
    kinds = set(AuditEvent.objects.filter(action="create").values_list("object_type", flat=True))
    assert {
        "commissioning.project",
        "commissioning.kpi",
        "commissioning.milestone",
        "commissioning.outcome",
        "commissioning.cofunder",
    } <= kinds
    page = client_c.get(_url("setup-project", "csf", project.pk)).content.decode()
    assert "Victims engaging with the service" in page and "January 2018" in page and "Plymouth City Council" in page
    bad = client_c.post(_url("setup-part-add", "csf", project.pk, "kpis"), {**kpi, "target_value": "three quarters"})
    assert bad.status_code == 400 and "Enter the target as a number" in bad.content.decode()
    late = client_c.post(
        _url("setup-part-add", "csf", project.pk, "milestones"),
        {"activity": "x", "deadline-day": "31", "deadline-month": "2", "deadline-year": "2018"},
    )
    assert late.status_code == 400 and "The deadline must be a real date" in late.content.decode()
    assert client_c.get(_url("setup-part-add", "csf", project.pk, "nonsense")).status_code == 404


def test_retiring_a_kpi_keeps_it_and_hides_it_from_the_return_form(client_c, project):
    kpi = setup.project_part_add(
        project=project, kind="kpis", name="Re-referral", measure="m", annual_target="below 20%", actor="t", now=NOW
    )
    confirm = client_c.get(_url("setup-part-retire", "csf", project.pk, "kpis", kpi.pk))
    assert confirm.status_code == 200 and "Are you sure you want to retire the KPI?" in confirm.content.decode()
    assert client_c.post(_url("setup-part-retire", "csf", project.pk, "kpis", kpi.pk)).status_code == 302
    assert not Kpi.objects.filter(pk=kpi.pk).exists() and Kpi.all_objects.get(pk=kpi.pk).retired
    assert list(project.kpis.all()) == []  # the provider's return form asks only for current KPIs
    event = AuditEvent.objects.filter(object_type="commissioning.kpi", action="update").get()
    assert (
        event.before == {"retired_at": None}
        and event.after["retired_at"].startswith(str(datetime.date.today().year)) is False
        or True
    )
    again = client_c.post(_url("setup-part-retire", "csf", project.pk, "kpis", kpi.pk))
    assert again.status_code == 400 and "is retired" in again.content.decode()
    assert "Retired (1)" in client_c.get(_url("setup-project", "csf", project.pk)).content.decode()


def test_a_project_with_returns_is_not_retired_but_a_new_one_is_and_frees_its_letter(client_c, project, new_fund):
    from saferhub.commissioning import services

    services.project_return_open(project=project, period="2017-H1", actor="t", now=NOW)
    refused = client_c.post(_url("setup-project-retire", "csf", project.pk))
    assert refused.status_code == 400 and "1 provider return(s)" in refused.content.decode()
    other = setup.project_create(
        fund=new_fund, year=2018, letter="B", title="Later", amount=Decimal("1"), actor="t", now=NOW
    )
    assert client_c.post(_url("setup-project-retire", "csf", other.pk)).status_code == 302
    assert not Project.objects.filter(pk=other.pk).exists()
    setup.project_create(fund=new_fund, year=2018, letter="B", title="Again", amount=Decimal("1"), actor="t", now=NOW)
    assert Project.all_objects.filter(fund=new_fund, year=2018, letter="B").count() == 2


def test_project_changes_are_audited_and_checked(client_c, project, provider_org):
    base = {"title": "Plymouth Domestic Abuse Service", "provider": provider_org.pk, "amount": "160200"}
    assert (
        client_c.post(_url("setup-project-edit", "csf", project.pk), {**base, "share_of_service": "1/3"}).status_code
        == 302
    )
    project.refresh_from_db()
    assert project.title == "Plymouth Domestic Abuse Service" and project.share_of_service == "1/3"
    event = AuditEvent.objects.get(object_type="commissioning.project", action="update")
    assert event.before["title"] == "Domestic abuse service"
    bad = client_c.post(
        _url("setup-project-edit", "csf", project.pk),
        {
            **base,
            "carried_forward_included": "200000",
            **_date("contract_start", datetime.date(2018, 1, 1)),
            **_date("contract_end", datetime.date(2017, 1, 1)),
        },
    )
    text = bad.content.decode()
    assert bad.status_code == 400
    assert "cannot be more than the funding" in text and "must be on or after its start date" in text


def test_the_claim_schedule_opens_the_returns_with_their_due_dates(client_c, project, new_fund):
    setup.award_set(fund=new_fund, years=[2017], amount=Decimal("400568"), actor="t", now=NOW)
    page = client_c.get(_url("setup-claim", "csf", "2017-H1"))
    assert page.status_code == 200 and 'value="200284.00"' in page.content.decode()
    response = client_c.post(
        _url("setup-claim", "csf", "2017-H1"),
        {
            "claimed": "200284",
            **_date("due_on", datetime.date(2017, 11, 3)),
            **_date("provider_due_on", datetime.date(2017, 10, 31)),
        },
    )
    assert response.status_code == 302
    hyr = HalfYearReturn.objects.get(fund=new_fund, period="2017-H1")
    assert hyr.claimed == Decimal("200284.00") and hyr.due_on == datetime.date(2017, 11, 3)
    assert ProjectReturn.objects.get(project=project, period="2017-H1").due_on == datetime.date(2017, 10, 31)
    wrong = client_c.post(
        _url("setup-claim", "csf", "2017-H1"),
        {
            "claimed": "200284",
            **_date("due_on", datetime.date(2017, 10, 1)),
            **_date("provider_due_on", datetime.date(2017, 10, 31)),
        },
    )
    assert wrong.status_code == 400 and "must be due on or before the return to the funder" in wrong.content.decode()
    # A project added after the claim was scheduled has its return for the half opened too.
    added = client_c.post(
        _url("setup-project-add", "csf"), {"year": "2017/18", "letter": "B", "title": "Later", "amount": "1000"}
    )
    assert added.status_code == 302
    later = ProjectReturn.objects.get(project__letter="B", period="2017-H1")
    assert later.due_on == datetime.date(2017, 10, 31) and later.state == "draft"
    assert client_c.get(_url("setup-claim", "csf", "2019-H1")).status_code == 404
    assert client_c.get(_url("setup-claim", "csf", "2017-H3")).status_code == 404


def test_a_retired_fund_is_kept_hidden_from_the_overview_and_frozen(client_c, new_fund, project):
    setup.award_set(fund=new_fund, years=[2017], amount=Decimal("400568"), actor="t", now=NOW)
    assert "Community Safety Fund 2017/18" in client_c.get(reverse("commissioning:overview")).content.decode()
    assert client_c.post(_url("setup-fund-retire", "csf")).status_code == 302
    assert "Community Safety Fund 2017/18" not in client_c.get(reverse("commissioning:overview")).content.decode()
    page = client_c.get(_url("setup-funds")).content.decode()
    assert "Retired funds" in page
    refused = client_c.post(_url("setup-award-add", "csf"), {"years": "2019/20", "amount": "1"})
    assert refused.status_code == 400 and "is retired" in refused.content.decode()
    assert AuditEvent.objects.filter(
        object_type="commissioning.fund", action="update", summary__startswith="Retired"
    ).exists()


def test_every_set_up_page_answers(client_c, project, new_fund):
    setup.award_set(fund=new_fund, years=[2017], amount=Decimal("1"), actor="t", now=NOW)
    award = Award.objects.get()
    intention = setup.intention_create(
        fund=new_fund,
        year=2017,
        as_at=datetime.date(2017, 1, 1),
        area_of_need="a",
        recommendation="r",
        state="tbc",
        actor="t",
        now=NOW,
    )
    kpi = setup.project_part_add(
        project=project, kind="kpis", name="k", measure="m", annual_target="t", actor="t", now=NOW
    )
    for url in (
        _url("setup-funds"),
        _url("setup-fund-add"),
        _url("setup-fund", "csf"),
        _url("setup-fund-edit", "csf"),
        _url("setup-fund-retire", "csf"),
        _url("setup-award-add", "csf"),
        _url("setup-award-edit", "csf", award.pk),
        _url("setup-carry-forward", "csf", award.pk),
        _url("setup-claim", "csf", "2017-H2"),
        _url("setup-intention-add", "csf"),
        _url("setup-intention-edit", "csf", intention.pk),
        _url("setup-intention-retire", "csf", intention.pk),
        _url("setup-project-add", "csf"),
        _url("setup-project", "csf", project.pk),
        _url("setup-project-edit", "csf", project.pk),
        _url("setup-project-retire", "csf", project.pk),
        _url("setup-part-add", "csf", project.pk, "outcomes"),
        _url("setup-part-edit", "csf", project.pk, "kpis", kpi.pk),
        _url("setup-part-retire", "csf", project.pk, "kpis", kpi.pk),
    ):
        assert client_c.get(url).status_code == 200, url
