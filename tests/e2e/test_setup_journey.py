"""Issue 15: an administrator of a new installation, on an empty database, sets up a partnership
through the web only, guided by the task list "Set up your partnership": creates it, sets its area,
adds an organisation, an indicator and targets, and sees each task's state change. Every page on
the way is checked with axe-core and photographed (var/screenshots/setup-*.png)."""

from __future__ import annotations

from saferhub.accounts.models import Role, User
from saferhub.audit.models import AuditEvent
from saferhub.partnerships.models import Organisation, Partnership
from saferhub.performance.models import Indicator, TargetValue

from .conftest import PASSWORD, axe_check, login, screenshot


def _state(page, key: str) -> str:
    return page.locator(f"#task-{key}-status").inner_text().strip()


def test_an_admin_sets_up_a_partnership_from_nothing(browser_page, transactional_db):
    assert not Partnership.objects.exists()
    User.objects.create_user(username="admin", password=PASSWORD, role=Role.ADMIN, email="admin@example.org")
    page = browser_page

    # A new installation: the administrator starts at "Set up a partnership".
    login(page, "admin")
    page.goto("/")
    page.wait_for_url("**/setup/")
    assert "There is no partnership yet" in page.locator("main").inner_text()
    axe_check(page)
    screenshot(page, "setup-01-start")

    page.get_by_role("button", name="Create a partnership").click()
    page.wait_for_url("**/setup/new/")
    page.get_by_role("button", name="Create the partnership").click()  # no name yet
    summary = page.locator(".govuk-error-summary")
    assert "Enter the name of the partnership" in summary.inner_text()
    axe_check(page)
    screenshot(page, "setup-02-new-error")
    page.get_by_label("Name of the partnership").fill("Safer Torbay")
    page.get_by_role("button", name="Create the partnership").click()
    page.wait_for_url("**/setup/safer-torbay/")

    # The task list, each task with its state.
    assert page.get_by_role("heading", name="Set up your partnership").is_visible()
    assert _state(page, "area") == "Not yet started"
    assert _state(page, "organisations") == "Not yet started"
    assert _state(page, "indicators") == "In progress"  # the standard police.uk indicators, no targets yet
    assert _state(page, "funds") == "Not yet started"
    axe_check(page)
    screenshot(page, "setup-03-tasks-new")

    # Its area: a district by name.
    page.get_by_role("link", name="Its name and area").click()
    page.wait_for_url("**/setup/safer-torbay/area/")
    page.get_by_label("Local authority districts").fill("Atlantis")
    page.get_by_role("button", name="Save the area").click()
    assert "Atlantis" in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)
    screenshot(page, "setup-04-area-error")
    page.get_by_label("Local authority districts").fill("Torbay")
    page.get_by_role("button", name="Save the area").click()
    page.wait_for_url("**/setup/safer-torbay/")
    assert "The area of Safer Torbay is set" in page.locator(".govuk-notification-banner").inner_text()
    assert _state(page, "area") == "Completed"
    page.get_by_role("link", name="Its name and area").click()
    assert "E06000027" in page.locator(".govuk-summary-list").inner_text()
    axe_check(page)
    screenshot(page, "setup-05-area")

    # An organisation.
    page.goto("/setup/safer-torbay/")
    page.get_by_role("link", name="Organisations").click()
    page.wait_for_url("**/setup/organisations/")
    assert "No organisation yet" in page.locator("main").inner_text()
    axe_check(page)
    page.get_by_role("button", name="Add an organisation").click()
    page.get_by_label("Name").fill("Torbay Council")
    page.get_by_role("button", name="Add the organisation").click()  # what it is: not chosen
    assert "Select what the organisation is" in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)
    screenshot(page, "setup-06-organisation-error")
    page.get_by_label("What it is").select_option("local_authority")
    page.get_by_role("button", name="Add the organisation").click()
    page.wait_for_url("**/setup/organisations/")
    assert "Torbay Council" in page.locator("table").inner_text()
    axe_check(page)
    screenshot(page, "setup-07-organisations")
    page.get_by_role("link", name="Torbay Council").click()
    axe_check(page)  # its page, with "Retire"
    screenshot(page, "setup-07b-organisation")
    page.goto("/setup/safer-torbay/")
    assert _state(page, "organisations") == "In progress"  # a statutory agency; no provider yet

    # An indicator of the partnership's own, then targets on a police.uk one.
    page.get_by_role("link", name="Indicators and targets").click()
    page.wait_for_url("**/setup/safer-torbay/indicators/")
    axe_check(page)
    page.get_by_role("button", name="Add an indicator").click()
    page.get_by_label("Code").fill("da-referrals")
    page.get_by_label("Title").fill("Domestic abuse referrals")
    page.get_by_label("Polarity").select_option("higher_is_better")
    page.get_by_label("Frequency").select_option("quarterly")
    page.get_by_label("Source").select_option("partner")
    page.get_by_label("Owner (optional)").fill("Torbay Council")
    page.get_by_label("Sensitive").check()
    axe_check(page)
    screenshot(page, "setup-08-indicator")
    page.get_by_role("button", name="Add the indicator").click()
    page.wait_for_url("**/setup/safer-torbay/indicators/")
    assert "Domestic abuse referrals" in page.locator("table").first.inner_text()
    screenshot(page, "setup-09-indicators", full_page=False)

    page.get_by_role("link", name="Set targets for Burglary").click()
    page.get_by_label("Financial year").select_option("2019/20")
    page.get_by_role("button", name="Show the year").click()
    page.wait_for_url("**/targets/?year=2019%2F20")
    page.get_by_label("April 2019").fill("12x")
    page.get_by_role("button", name="Save the targets").click()
    assert "The target for April 2019 must be a number" in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)
    page.get_by_label("April 2019").fill("120")
    page.get_by_label("May 2019").fill("240")
    page.get_by_role("button", name="Save the targets").click()
    assert "2 periods changed" in page.locator(".govuk-notification-banner").inner_text()
    axe_check(page)
    screenshot(page, "setup-10-targets")

    page.goto("/setup/safer-torbay/indicators/burglary/")  # a police.uk indicator's definition, with "Retire"
    assert "Set targets for a financial year" in page.locator("main").inner_text()
    axe_check(page)
    page.goto("/setup/")
    assert "Set up Safer Torbay" in page.locator("main").inner_text()
    axe_check(page)

    page.goto("/setup/safer-torbay/")
    assert _state(page, "area") == "Completed"
    assert _state(page, "indicators") == "Completed"
    assert _state(page, "organisations") == "In progress"
    screenshot(page, "setup-11-tasks-after")
    # On a phone the task list fits the screen, and so does the catalogue (its table scrolls in its box).
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "setup-12-tasks-phone")
    page.goto("/setup/safer-torbay/indicators/")
    screenshot(page, "setup-13-indicators-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # What the web did is in the database, and in the audit log under the admin's name.
    torbay = Partnership.objects.get(slug="safer-torbay")
    assert torbay.local_authorities() == ["E06000027"]
    assert Organisation.objects.filter(name="Torbay Council", kind="local_authority").exists()
    assert Indicator.objects.get(partnership=torbay, code="da-referrals").sensitive
    assert TargetValue.objects.filter(indicator__partnership=torbay, indicator__code="burglary").count() == 2
    summaries = list(AuditEvent.objects.filter(actor__username="admin").values_list("summary", flat=True))
    for words in ("partnership Safer Torbay created", "area of Safer Torbay changed", "organisation Torbay Council"):
        assert any(words in s for s in summaries), words
