"""Issue 15: a new partnership's commissioner sets up a fund, an award for two years, a project with
a KPI and a milestone, and the claim for a half year; its board owner creates the board (from the
page that used to be a 404), a member with a deputy, and a meeting with an agenda item. Every new
page is checked with axe-core, error states included; the main steps are photographed into
/tmp/setup-web2-shots/ (SETUP_SHOTS overrides it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import PASSWORD, axe_check, login

SHOTS = Path(os.environ.get("SETUP_SHOTS", "/tmp/setup-web2-shots"))


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def torbay(transactional_db):
    from saferhub.accounts.models import User
    from saferhub.partnerships.models import Organisation
    from saferhub.partnerships.services import partnership_create

    partnership = partnership_create(slug="torbay", name="Safer Torbay", local_authorities=["Torbay"])
    Organisation.objects.create(name="Office of the Police and Crime Commissioner", kind="pcc")
    Organisation.objects.create(name="Torbay Domestic Abuse Service", kind="charity")
    Organisation.objects.create(name="Torbay Council", kind="local_authority")
    User.objects.create_user(username="cath", password=PASSWORD, role="commissioner", first_name="Cath")
    User.objects.create_user(username="sam", password=PASSWORD, role="analyst", first_name="Sam")
    return partnership


def _date(page, name: str, day: int, month: int, year: int) -> None:
    page.locator(f"#id_{name}-day").fill(str(day))
    page.locator(f"#id_{name}-month").fill(str(month))
    page.locator(f"#id_{name}-year").fill(str(year))


def _submit(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_commissioner_sets_up_a_fund_and_board_owner_a_board(browser_page, torbay):
    from saferhub.audit.models import AuditEvent
    from saferhub.commissioning.models import Award, Fund, Kpi, Milestone, Project
    from saferhub.governance.models import AgendaItem, Board, Meeting, Membership

    page = browser_page
    login(page, "cath")
    page.goto("/commissioning/torbay/setup/")
    assert "Safer Torbay has no fund yet." in page.locator("main").inner_text()
    axe_check(page)
    shot(page, "01-funds-empty")

    page.get_by_role("link", name="Add a fund").click()
    _submit(page, "Add the fund")  # nothing filled in: the error summary
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)
    shot(page, "02-fund-errors")
    page.get_by_label("Name of the fund").fill("Community Safety Fund")
    page.get_by_label("Short name").fill("community-safety-fund")
    page.get_by_label("Funder").select_option(label="Office of the Police and Crime Commissioner")
    _submit(page, "Add the fund")
    page.wait_for_url("**/commissioning/torbay/setup/funds/community-safety-fund/")
    axe_check(page)

    page.get_by_role("link", name="Add an award").click()
    page.get_by_label("Financial years").fill("2019/20, 2020/21")
    page.get_by_label("Amount awarded for each year, in pounds").fill("£250,000")
    axe_check(page)
    _submit(page, "Add the award")
    assert Award.objects.filter(fund__slug="community-safety-fund").count() == 2

    page.get_by_role("link", name="Set the claim for the first half of 2019/20").click()
    assert page.get_by_label("Amount to claim for the half year, in pounds").input_value() == "125000.00"
    _date(page, "due_on", 31, 10, 2019)
    _date(page, "provider_due_on", 15, 11, 2019)  # after the funder's date: refused
    _submit(page, "Save the claim")
    assert "on or before the return to the funder" in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)
    shot(page, "02b-claim-error")
    _date(page, "provider_due_on", 15, 10, 2019)
    _submit(page, "Save the claim")
    assert "Claim schedule saved" in page.locator("main").inner_text()

    page.get_by_role("link", name="Add a project").click()
    page.get_by_label("Financial year").fill("2019/20")
    page.get_by_label("Letter").fill("A")
    page.get_by_label("Title").fill("Torbay Domestic Abuse Service")
    page.get_by_label("Provider", exact=True).select_option(label="Torbay Domestic Abuse Service")
    page.get_by_label("Funding from this fund, in pounds").fill("120000")
    page.get_by_label("Share of the service (optional)").fill("about half of the service")
    axe_check(page)
    _submit(page, "Add the project")
    project = Project.objects.get(fund__slug="community-safety-fund", letter="A")
    page.wait_for_url(f"**/projects/{project.pk}/")
    axe_check(page)

    page.get_by_role("link", name="Add a KPI").click()
    page.get_by_label("KPI", exact=True).fill("Victims referred who engage with the service")
    page.get_by_label("How it is measured").fill("Engaged victims as a share of those referred")
    page.get_by_label("Annual target, as the specification words it").fill("75% or above")
    page.get_by_label("Target as a number (optional)").fill("seventy-five")
    _submit(page, "Add the KPI")
    assert "Enter the target as a number" in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)
    shot(page, "03-kpi-error")
    page.get_by_label("Target as a number (optional)").fill("75")
    _submit(page, "Add the KPI")

    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Activity").fill("Contract awarded")
    _date(page, "deadline", 31, 1, 2020)
    page.get_by_label("Deadline as it is to read (optional)").fill("January 2020")
    _submit(page, "Add the milestone")
    main = page.locator("main").inner_text()
    assert "Victims referred who engage with the service" in main and "January 2020" in main
    axe_check(page)
    shot(page, "04-project-with-kpi-and-milestone")
    assert (
        Kpi.objects.get(project=project).target_value == 75 and Milestone.objects.filter(project=project).count() == 1
    )

    page.get_by_role("link", name="Retire KPI 1").click()  # the confirmation page, not the retirement
    assert "Are you sure you want to retire the KPI?" in page.locator("h1").inner_text()
    axe_check(page)
    shot(page, "04b-retire-kpi-confirm")
    page.get_by_role("link", name="No, go back").click()
    page.get_by_role("link", name="Back to Community Safety Fund").click()
    axe_check(page)
    shot(page, "05-fund-set-up")
    assert Fund.objects.get(slug="community-safety-fund").funder.name.startswith("Office of the Police")

    # The board owner: the page that was a 404 offers to create the board.
    page.context.clear_cookies()
    login(page, "sam")
    page.goto("/governance/torbay/")
    assert "Safer Torbay has no board yet" in page.locator("h1").inner_text()
    axe_check(page)
    shot(page, "06-no-board-yet")
    page.get_by_role("link", name="Create the board").click()
    page.get_by_label("Members needed for a quorum").fill("2")
    page.get_by_label("Of whom from statutory agencies").fill("3")
    _submit(page, "Create the board")
    assert "cannot need more statutory agencies than members" in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)
    page.get_by_label("Name of the board").fill("Safer Torbay Partnership Board")
    page.get_by_label("Members needed for a quorum").fill("5")
    _submit(page, "Create the board")
    page.wait_for_url("**/governance/torbay/setup/")
    axe_check(page)

    page.get_by_role("link", name="Add a member").click()
    page.get_by_label("Organisation").select_option(label="Torbay Council")
    page.get_by_label("Representative").fill("Jo Bloggs")
    page.get_by_label("Chair", exact=True).check()
    page.get_by_label("Mandated deputy (optional)").fill("Sam Deputy")
    _date(page, "starts_on", 1, 4, 2019)
    axe_check(page)
    shot(page, "07-member-form")
    _submit(page, "Add the member")

    page.get_by_role("link", name="Schedule a meeting").click()
    _date(page, "date", 23, 7, 2019)
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Venue").fill("Town Hall, Torquay")
    _submit(page, "Schedule the meeting")
    meeting = Meeting.objects.get(board__partnership=torbay)
    page.wait_for_url(f"**/setup/meetings/{meeting.pk}/")
    axe_check(page)

    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Title").fill("Domestic abuse: the new service")
    page.get_by_label("Purpose").fill("To note the new contract.")
    page.get_by_label("Presenter (optional)").fill("Cath, commissioning officer")
    page.get_by_label("Link to a paper published elsewhere (optional)").fill("https://example.org/torbay-da.pdf")
    _submit(page, "Add the item")
    main = page.locator("main").inner_text()
    assert "Domestic abuse: the new service" in main and "Cath, commissioning officer" in main
    axe_check(page)
    shot(page, "08-meeting-with-agenda-item")
    page.get_by_role("link", name="Withdraw item 1").click()
    axe_check(page)
    page.get_by_role("link", name="No, go back").click()
    page.get_by_role("link", name="Back to setting up the board").click()
    axe_check(page)
    shot(page, "09-board-set-up")

    board = Board.objects.get(partnership=torbay)
    assert Membership.objects.get(board=board).deputy == "Sam Deputy"
    assert AgendaItem.objects.get(meeting=meeting).lead == "Cath, commissioning officer"
    audited = set(AuditEvent.objects.filter(action="create").values_list("object_type", flat=True))
    for kind in (
        "commissioning.fund",
        "commissioning.award",
        "commissioning.project",
        "commissioning.kpi",
        "commissioning.milestone",
        "governance.board",
        "governance.membership",
        "governance.meeting",
        "governance.agendaitem",
    ):
        assert kind in audited, kind
