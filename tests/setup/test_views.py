"""The set-up pages (issue 15): the task list "Set up your partnership", the partnership and its
area, organisations, indicators and targets. Each page asks its rule; every change is audited;
errors come back in the GOV.UK pattern; retiring keeps the record."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from saferhub.accounts.models import User
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.partnerships.models import Organisation, Partnership
from saferhub.partnerships.services import partnership_create
from saferhub.performance.models import ImportRun, Indicator, TargetValue
from saferhub.setup.task_list import _first_url

from ..conftest import standard_partnership

ALL = ["admin", "analyst", "commissioner", "provider", "board"]


@pytest.fixture
def people(db):
    charity = Organisation.objects.create(name="Harbour Charity", kind="charity")
    out = {}
    for role in ALL:
        out[role] = User.objects.create_user(
            role, password="x", role=role, organisation=charity if role == "provider" else None
        )
    return out


@pytest.fixture
def torbay(db):
    # With the standard police.uk indicators, as the set-up page's box (ticked by default) gives them.
    return standard_partnership(slug="torbay", name="Safer Torbay")


@pytest.fixture
def as_role(client, people):
    def sign_in(role):
        client.logout()
        if role:
            client.force_login(people[role])
        return client

    return sign_in


def _status(html: str, key: str) -> str:
    """The state shown for one task of the task list."""
    start = html.index(f'id="task-{key}-status"')
    chunk = html[start : html.index("</div>", start)]
    for state in ("Not yet started", "In progress", "Completed"):
        if state in chunk:
            return state
    raise AssertionError(f"no state for {key}: {chunk}")


# (address, who may open it)
PAGES = [
    ("/setup/", {"admin"}),
    ("/setup/new/", {"admin"}),
    ("/setup/torbay/", {"admin"}),
    ("/setup/torbay/area/", {"admin"}),
    ("/setup/organisations/", {"admin", "commissioner"}),
    ("/setup/organisations/new/", {"admin", "commissioner"}),
    ("/setup/torbay/indicators/", {"admin", "analyst"}),
    ("/setup/torbay/indicators/new/", {"admin", "analyst"}),
    ("/setup/torbay/indicators/burglary/", {"admin", "analyst"}),
    ("/setup/torbay/indicators/burglary/targets/", {"admin", "analyst"}),
]


@pytest.mark.parametrize("role", ALL + [None])
def test_each_role_opens_exactly_the_pages_its_rules_allow(as_role, torbay, role):
    client = as_role(role)
    for url, allowed in PAGES:
        before = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        elif role in allowed:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url
            assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() == before + 1, url


def test_the_setup_item_is_in_the_admins_navigation_only(as_role, torbay):
    assert 'href="/setup/"' in as_role("admin").get("/setup/").content.decode()
    assert 'href="/setup/"' not in as_role("analyst").get("/setup/torbay/indicators/").content.decode()


def test_an_admin_on_an_empty_installation_starts_at_setup(as_role):
    response = as_role("admin").get("/")
    assert response.status_code == 302 and response["Location"] == "/setup/"
    page = as_role("admin").get("/setup/").content.decode()
    assert "There is no partnership yet" in page and 'href="/setup/new/"' in page
    assert "Set up your partnership" in as_role("admin").get("/dashboard/").content.decode()
    assert "An administrator creates one" in as_role("analyst").get("/dashboard/").content.decode()


def test_creating_a_partnership_from_the_web_is_audited_and_leads_to_its_task_list(as_role):
    client = as_role("admin")
    response = client.post("/setup/new/", {"name": "Safer Torbay", "slug": "", "standard_indicators": "on"})
    assert response.status_code == 302 and response["Location"] == "/setup/safer-torbay/"
    p = Partnership.objects.get(slug="safer-torbay")
    assert p.indicators.filter(source="policeuk").exists()
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="partnerships.partnership")
    assert event.actor.username == "admin" and "Safer Torbay" in event.summary
    page = client.get("/setup/safer-torbay/").content.decode()
    assert "Set up your partnership" in page
    assert _status(page, "area") == "Not yet started"
    assert _status(page, "indicators") == "In progress"  # the standard police.uk ones, no target yet
    assert "Still to do: set the targets" in page
    assert _status(page, "funds") == "Not yet started" and _status(page, "board") == "Not yet started"
    # The commissioning and governance set-up pages where they exist, else the parts' own pages.
    funds = _first_url(["commissioning:setup-funds"], "safer-torbay", "/commissioning/")
    board = _first_url(["governance:setup-board"], "safer-torbay", "/governance/safer-torbay/")
    assert f'href="{funds}"' in page and f'href="{board}"' in page


def test_creating_a_partnership_shows_the_errors_in_the_govuk_pattern(as_role, torbay):
    client = as_role("admin")
    page = client.post("/setup/new/", {"name": "", "slug": ""}).content.decode()
    assert "There is a problem" in page and 'href="#id_name"' in page and "Enter the name of the partnership" in page
    assert "govuk-input--error" in page
    page = client.post("/setup/new/", {"name": "Torbay again", "slug": "torbay"}).content.decode()
    assert "There is a problem" in page and "already exists" in page
    page = client.post("/setup/new/", {"name": "Torbay", "slug": "Not A Slug"}).content.decode()
    assert "lower-case letters, numbers and hyphens" in page
    page = client.post("/setup/new/", {"name": "Organisations"}).content.decode()
    assert "The short name cannot be organisations" in page
    assert Partnership.objects.count() == 1


def test_setting_the_area_by_district_name_is_audited_and_completes_the_task(as_role, torbay):
    client = as_role("admin")
    response = client.post("/setup/torbay/area/", {"action": "area", "local_authorities": "Torbay"})
    assert response.status_code == 302
    torbay.refresh_from_db()
    assert torbay.local_authorities() == ["E06000027"] and torbay.lsoas.count() > 50
    assert torbay.police_force_areas  # Devon and Cornwall
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(torbay.pk)).latest("id")
    assert event.after == {"area": {"local_authority": ["E06000027"]}} and event.before == {"area": {}}
    assert _status(client.get("/setup/torbay/").content.decode(), "area") == "Completed"
    page = client.get("/setup/torbay/area/").content.decode()
    assert "Torbay (E06000027)" in page and "Devon &amp; Cornwall (E23000035)" in page


def test_an_unknown_area_is_refused_on_its_field_and_nothing_changes(as_role, torbay):
    client = as_role("admin")
    page = client.post("/setup/torbay/area/", {"action": "area", "local_authorities": "Atlantis"}).content.decode()
    assert "There is a problem" in page and 'href="#id_local_authorities"' in page and "Atlantis" in page
    page = client.post("/setup/torbay/area/", {"action": "area", "lsoa_codes": "E0XXXXXXX"}).content.decode()
    assert 'href="#id_lsoa_codes"' in page
    page = client.post("/setup/torbay/area/", {"action": "area"}).content.decode()
    assert "Enter the area" in page
    assert not torbay.areas.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_renaming_the_partnership_is_audited(as_role, torbay):
    response = as_role("admin").post("/setup/torbay/area/", {"action": "rename", "name-name": "Torbay CSP"})
    assert response.status_code == 302
    torbay.refresh_from_db()
    assert torbay.name == "Torbay CSP" and torbay.slug == "torbay"
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert event.before == {"name": "Safer Torbay"} and event.after == {"name": "Torbay CSP"}


def test_organisations_are_added_changed_and_retired_with_the_audit(as_role, torbay):
    client = as_role("commissioner")
    page = client.post("/setup/organisations/new/", {"name": "", "kind": ""}).content.decode()
    assert "Enter the organisation" in page and "Select what the organisation is" in page
    page = client.post("/setup/organisations/new/", {"name": "harbour charity", "kind": "charity"}).content.decode()
    assert "already an organisation called Harbour Charity" in page
    response = client.post("/setup/organisations/new/", {"name": "Torbay Council", "kind": "local_authority"})
    assert response.status_code == 302
    council = Organisation.objects.get(name="Torbay Council")
    assert council.is_statutory_agency
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="partnerships.organisation")
    assert created.after["kind"] == "local_authority" and created.actor.username == "commissioner"

    client.post(
        f"/setup/organisations/{council.pk}/",
        {"name": "Torbay Council", "kind": "local_authority", "charity_number": "", "company_number": "123"},
    )
    changed = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(council.pk)).latest("id")
    assert changed.before == {"company_number": ""} and changed.after == {"company_number": "123"}

    client.post(f"/setup/organisations/{council.pk}/", {"action": "retire"})
    council.refresh_from_db()
    assert council.retired_at is not None
    assert "retired" in AuditEvent.objects.filter(object_id=str(council.pk)).latest("id").summary
    # Retired: kept, listed apart, and no longer offered when inviting a user.
    listing = client.get("/setup/organisations/").content.decode()
    assert "Retired organisations" in listing and "Torbay Council" in listing
    invite = as_role("admin").get("/accounts/users/invite/").content.decode()
    assert "Torbay Council" not in invite and "Harbour Charity" in invite
    from saferhub.governance.forms import MembershipForm

    assert list(MembershipForm().fields["organisation"].queryset) == [Organisation.objects.get(name="Harbour Charity")]
    as_role("admin").post(f"/setup/organisations/{council.pk}/", {"action": "reinstate"})
    council.refresh_from_db()
    assert council.retired_at is None


def test_the_organisations_task_is_complete_with_a_statutory_agency_and_a_provider(as_role, torbay):
    client = as_role("admin")
    page = client.get("/setup/torbay/").content.decode()
    assert _status(page, "organisations") == "In progress" and "Still to do: a statutory agency" in page
    client.post("/setup/organisations/new/", {"name": "Devon and Cornwall Police", "kind": "police"})
    assert _status(client.get("/setup/torbay/").content.decode(), "organisations") == "Completed"
    assert _status(client.get("/setup/torbay/").content.decode(), "people") == "Completed"  # four non-admins


def test_an_analyst_adds_and_changes_an_indicator_with_the_audit(as_role, torbay):
    client = as_role("analyst")
    form = {
        "code": "da-referrals",
        "title": "Domestic abuse referrals",
        "polarity": "higher_is_better",
        "frequency": "quarterly",
        "unit": "count",
        "source": "partner",
        "owner": "Torbay Council",
        "sensitive": "on",
    }
    assert client.post("/setup/torbay/indicators/new/", form).status_code == 302
    ind = Indicator.objects.get(partnership=torbay, code="da-referrals")
    assert ind.sensitive and ind.noun == "domestic abuse referrals" and ind.frequency == "quarterly"
    assert AuditEvent.objects.get(action=AuditAction.CREATE, object_type="performance.indicator").after["code"] == (
        "da-referrals"
    )
    page = client.post("/setup/torbay/indicators/new/", form).content.decode()
    assert "already has an indicator with the code da-referrals" in page
    edit = {k: v for k, v in form.items() if k != "code"} | {
        "title": "Referrals to domestic abuse services",
        "noun": "domestic abuse referrals",  # as the form shows it
    }
    assert client.post("/setup/torbay/indicators/da-referrals/", edit).status_code == 302
    ind.refresh_from_db()
    assert ind.title == "Referrals to domestic abuse services" and ind.code == "da-referrals"
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(ind.pk)).latest("id")
    assert event.before == {"title": "Domestic abuse referrals"}


def test_an_indicator_definition_that_cannot_be_is_refused_on_its_field(as_role, torbay):
    client = as_role("admin")
    base = {"code": "x", "title": "X", "polarity": "lower_is_better", "frequency": "monthly", "unit": "count"}
    page = client.post("/setup/torbay/indicators/new/", base | {"source": "policeuk"}).content.decode()
    assert 'href="#id_crime_types_0"' in page and "Select the police.uk crime types" in page
    page = client.post(
        "/setup/torbay/indicators/new/", base | {"source": "policeuk", "unit": "percentage", "crime_types": "burglary"}
    ).content.decode()
    assert 'href="#id_unit"' in page and "A police.uk indicator is a count" in page
    page = client.post("/setup/torbay/indicators/new/", base | {"source": "partner", "polarity": ""}).content.decode()
    assert "Select the polarity" in page
    page = client.post(
        "/setup/torbay/indicators/new/", base | {"source": "partner", "code": "Not a code"}
    ).content.decode()
    assert "lower-case letters, numbers and hyphens" in page
    assert not Indicator.objects.filter(code="x").exists()


def test_targets_are_set_on_a_policeuk_indicator_for_a_financial_year(as_role, torbay):
    client = as_role("analyst")
    url = "/setup/torbay/indicators/burglary/targets/?year=2019/20"
    page = client.get(url).content.decode()
    assert "Targets for 2019/20" in page and "April 2019" in page and "March 2020" in page
    form = {"kind": "cumulative", "target_2019-04": "120", "target_2019-05": "240", "target_2019-06": "1,000"}
    response = client.post(url, form)
    assert response.status_code == 302
    burglary = Indicator.objects.get(partnership=torbay, code="burglary")
    held = {t.period: t.value for t in TargetValue.objects.filter(indicator=burglary)}
    assert held == {"2019-04": D("120"), "2019-05": D("240"), "2019-06": D("1000")}
    events = AuditEvent.objects.filter(object_id=str(burglary.pk), object_type="performance.indicator")
    assert events.filter(action=AuditAction.CREATE).count() == 3
    assert _status(as_role("admin").get("/setup/torbay/").content.decode(), "indicators") == "Completed"

    # The targets are the report's (police.uk indicator or not); their run is not a source of figures.
    from saferhub.domain.calendar import Month
    from saferhub.performance.report import build_performance_report
    from saferhub.performance.selectors import import_runs_for
    from saferhub.rendering.report_json import report_json

    report = report_json(build_performance_report(torbay, Month(2019, 5)))
    entry = next(i for i in report["indicators"] if i["code"] == "burglary")
    may = next(p for p in entry["periods"] if p["period"] == "2019-05")
    assert entry["target_kind"] == "cumulative" and may["target_cumulative"] == 240
    assert import_runs_for(torbay) == []
    # Saving the same targets again changes nothing and records no run.
    runs = ImportRun.objects.count()
    client.post(url, form)
    assert ImportRun.objects.count() == runs and events.count() == 3
    # An emptied box removes that period's target, audited.
    client.post(url, form | {"target_2019-06": ""})
    assert not TargetValue.objects.filter(indicator=burglary, period="2019-06").exists()
    assert events.filter(action=AuditAction.DELETE).get().before["target"] == "1000.0000"
    # The form shows what is held.
    assert 'value="240"' in client.get(url).content.decode()


def test_a_target_that_is_not_a_number_is_refused_and_nothing_is_saved(as_role, torbay):
    client = as_role("admin")
    url = "/setup/torbay/indicators/burglary/targets/?year=2019/20"
    page = client.post(url, {"kind": "flat", "target_2019-04": "lots", "target_2019-05": "-3"}).content.decode()
    assert "There is a problem" in page and 'href="#id_target_2019-04"' in page
    assert "The target for April 2019 must be a number" in page and "The target for May 2019 must be 0 or more" in page
    assert not TargetValue.objects.exists()
    response = client.get("/setup/torbay/indicators/burglary/targets/?year=2019")
    assert response.status_code == 400 and "financial year like 2019/20" in response.content.decode()


def test_a_retired_indicator_keeps_its_targets_and_leaves_the_report(as_role, torbay):
    from saferhub.domain.calendar import Month
    from saferhub.performance.report import build_performance_report

    client = as_role("analyst")
    client.post("/setup/torbay/indicators/burglary/targets/?year=2019/20", {"kind": "flat", "target_2019-04": "10"})
    client.post("/setup/torbay/indicators/burglary/", {"action": "retire"})
    burglary = Indicator.objects.get(partnership=torbay, code="burglary")
    assert burglary.retired_at is not None and burglary.targets.count() == 1
    listing = client.get("/setup/torbay/indicators/").content.decode()
    assert "Retired indicators" in listing
    codes = [i.code for i in build_performance_report(torbay, Month(2019, 4)).indicators]
    assert "burglary" not in codes and "robbery" in codes
    client.post("/setup/torbay/indicators/burglary/", {"action": "reinstate"})
    burglary.refresh_from_db()
    assert burglary.retired_at is None
    assert AuditEvent.objects.filter(object_id=str(burglary.pk), summary__contains="reinstated").exists()


def test_no_page_shows_a_traceback_for_a_missing_partnership_or_indicator(as_role, torbay):
    client = as_role("admin")
    assert client.get("/setup/nowhere/").status_code == 404
    assert client.get("/setup/torbay/indicators/nothing/").status_code == 404
    assert client.get("/setup/organisations/999/").status_code == 404


def test_a_retired_partnership_keeps_its_data_and_is_no_longer_offered(as_role, torbay):
    other = partnership_create(slug="plymouth", name="Safer Plymouth")
    client = as_role("admin")
    assert client.post("/setup/torbay/area/", {"action": "retire"}).status_code == 302
    torbay.refresh_from_db()
    assert torbay.retired_at is not None and torbay.indicators.exists()
    event = AuditEvent.objects.filter(object_id=str(torbay.pk), object_type="partnerships.partnership").latest("id")
    assert "retired" in event.summary and event.before == {"retired_at": None}
    start = client.get("/setup/").content.decode()
    assert "Retired partnerships" in start and 'href="/setup/plymouth/"' in start
    assert 'href="/setup/torbay/"' not in start  # its task list is not offered, its page is
    invite = client.get("/accounts/users/invite/").content.decode()
    assert "Safer Torbay" not in invite and "Safer Plymouth" in invite
    # Nobody is given it as their current partnership (it was the first); its own pages still answer.
    from django.test import RequestFactory

    from saferhub.partnerships.current import current_partnership

    request = RequestFactory().get("/")
    request.session = {}
    assert current_partnership(request) == other
    assert client.get("/setup/torbay/").status_code == 200
    client.post("/setup/torbay/area/", {"action": "reinstate"})
    torbay.refresh_from_db()
    assert torbay.retired_at is None


def test_a_quarterly_indicator_takes_a_target_a_quarter(as_role, torbay):
    client = as_role("analyst")
    client.post(
        "/setup/torbay/indicators/new/",
        {
            "code": "da-referrals",
            "title": "Referrals",
            "polarity": "higher_is_better",
            "frequency": "quarterly",
            "unit": "count",
            "source": "partner",
        },
    )
    url = "/setup/torbay/indicators/da-referrals/targets/?year=2016/17"
    page = client.get(url).content.decode()
    assert "Q1 2016/17 (April-June 2016)" in page and "Target for each quarter" in page
    assert client.post(url, {"kind": "flat", "target_2016-Q1": "500", "target_2016-Q4": "520"}).status_code == 302
    held = dict(TargetValue.objects.filter(indicator__code="da-referrals").values_list("period", "value"))
    assert held == {"2016-Q1": D("500"), "2016-Q4": D("520")}


def test_the_task_list_links_the_set_up_pages_of_commissioning_and_governance_when_they_exist(settings):
    settings.ROOT_URLCONF = "tests.setup.urls_with_setup_pages"
    assert _first_url(["commissioning:setup-funds"], "torbay", "/commissioning/") == "/commissioning/torbay/setup/"
    assert _first_url(["governance:setup-board"], "torbay", "/governance/torbay/") == "/governance/setup/"
    assert _first_url(["nowhere:setup"], "torbay", "/fallback/") == "/fallback/"
