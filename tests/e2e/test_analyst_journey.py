"""The analyst signs in, uploads a month of police.uk data and sees the dashboard change.
Every page on the way is checked with axe-core and photographed."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from saferhub.accounts.models import Role, User
from saferhub.performance.services import policeuk_import
from tests.conftest import DEVON_AND_CORNWALL

from ..conftest import standard_partnership
from .conftest import PASSWORD, axe_check, login, screenshot

APRIL = DEVON_AND_CORNWALL / "2019-04-devon-and-cornwall-street.csv"  # the first month of 2019/20
MAY = DEVON_AND_CORNWALL / "2019-05-devon-and-cornwall-street.csv"
TILE = "#tile-all-crime"


@pytest.fixture
def plymouth(transactional_db, live_worker):
    # The import runs on the job queue's worker (a thread here, `saferhub worker` in real use);
    # the page follows it.
    partnership = standard_partnership(slug="plymouth", name="Safer Plymouth", local_authorities=["Plymouth"])
    policeuk_import(paths=[APRIL], partnership=partnership, now=timezone.now())
    for role in (Role.ANALYST, Role.ADMIN):
        User.objects.create_user(username=role, password=PASSWORD, role=role)
    return partnership


def test_analyst_uploads_a_month_and_the_dashboard_changes(browser_page, plymouth):
    page = browser_page
    login(page, "analyst")
    page.goto("/dashboard/")
    tile = page.locator(TILE)
    assert "Year to April 2019" in tile.inner_text()
    before = tile.locator("[data-ytd]").inner_text()
    axe_check(page)
    screenshot(page, "dashboard-before")

    page.get_by_role("link", name="Data").click()
    page.get_by_role("button", name="Upload and import").click()  # nothing chosen yet
    summary = page.locator(".govuk-error-summary")
    assert "Select what kind of data you are uploading" in summary.inner_text()
    assert "Select a file to upload" in summary.inner_text()
    # GOV.UK Frontend ran (from a static file, no inline script): the error summary takes the focus.
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('govuk-error-summary')")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    axe_check(page)
    screenshot(page, "data-error")
    page.get_by_label("police.uk street files").check()
    page.get_by_label("Files", exact=True).set_input_files(str(MAY))
    axe_check(page)
    screenshot(page, "data")
    page.get_by_role("button", name="Upload and import").click()
    # The upload page follows the import in the background, then shows what was added.
    page.get_by_text("Success").wait_for(timeout=60_000)
    outcomes = page.locator("#outcomes")
    assert "2019-05-devon-and-cornwall-street.csv" in outcomes.inner_text()
    assert re.search(r"added", outcomes.inner_text())
    axe_check(page)
    screenshot(page, "upload-result")

    page.get_by_role("link", name="See the dashboard").click()
    tile = page.locator(TILE)
    assert "Year to May 2019" in tile.inner_text()
    after = tile.locator("[data-ytd]").inner_text()
    assert int(after.replace(",", "")) > int(before.replace(",", ""))
    axe_check(page)
    screenshot(page, "dashboard-after")

    tile.get_by_role("link").click()
    page.wait_for_url("**/indicators/all-crime/**")
    assert page.locator("#spc").count() == 1 or "too few" in page.content().lower()
    axe_check(page)
    screenshot(page, "indicator")

    page.get_by_label(re.compile("Your commentary")).fill("")
    page.get_by_role("button", name="Save commentary").click()
    page.locator(".govuk-error-summary").wait_for()
    axe_check(page)
    screenshot(page, "indicator-error")
    page.get_by_label(re.compile("Your commentary")).fill("May adds a second month of police.uk data.")
    page.get_by_role("button", name="Save commentary").click()
    page.get_by_text("Commentary saved").wait_for()
    # The saved words show at once, with no reload: in the editor and among the versions.
    assert (
        page.get_by_label(re.compile("Your commentary")).input_value() == "May adds a second month of police.uk data."
    )
    # The month chooser lists the partnership's own months, the latest chosen.
    assert page.locator("#period").input_value() == "2019-05"

    page.get_by_role("link", name="Reports").click()
    page.wait_for_url("**/reports/")  # waits for the page to load: count() alone would not wait
    assert page.get_by_role("link", name=re.compile(r"\(PDF\)")).count() == 1
    axe_check(page)
    screenshot(page, "reports")


def test_admin_reads_the_audit_log(browser_page, plymouth):
    page = browser_page
    page.goto("/accounts/login/")
    axe_check(page)
    screenshot(page, "login")
    login(page, "admin")
    page.goto("/audit/")
    assert "Logged in" in page.locator("#events").inner_text()
    axe_check(page)
    screenshot(page, "audit")
    # On a phone the table scrolls in its own box: the page itself is no wider than the screen.
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "audit-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/audit/?date_from_0=31&date_from_1=2&date_from_2=2026")
    page.locator(".govuk-error-summary").wait_for()
    axe_check(page)
    screenshot(page, "audit-error")
