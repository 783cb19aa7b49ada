"""axe-core on every main page of commissioning and governance as an officer sees them (with their
forms), including the forms' error states. The journeys cover the provider's, the board member's
and the public's views; this covers the editors' pages they do not reach."""

from __future__ import annotations

import pytest

from saferhub.demo import load_demo
from tests.performance.conftest import NOW

from .conftest import PASSWORD, axe_check, login, screenshot

SLUG = "safer-plymouth"


@pytest.fixture
def demo(transactional_db, monkeypatch):
    monkeypatch.setenv("SAFERHUB_DEMO_PASSWORD", PASSWORD)
    return load_demo(now=NOW)


def test_officer_pages_pass_axe_with_and_without_errors(browser_page, demo):
    from saferhub.commissioning.models import HalfYearReturn
    from saferhub.governance.models import Meeting, Priority, TermsOfReference

    page = browser_page
    failures: list[str] = []

    def check(name: str | None = None) -> None:
        # Every page is checked; the failures are gathered so one run lists them all.
        try:
            axe_check(page)
        except AssertionError as e:
            failures.append(str(e))
        if name:
            screenshot(page, name)

    def submit_empty(button: str) -> str:
        # Commissioning and governance both come back with the GOV.UK error summary, which
        # govuk-frontend focuses so a screen reader announces it; its links reach the fields.
        page.get_by_role("button", name=button).first.click()
        shown = page.locator(".govuk-error-summary")
        shown.first.wait_for()
        page.wait_for_function(
            "document.activeElement && document.activeElement.classList.contains('govuk-error-summary')"
        )
        assert page.title().startswith("Error: ")
        for href in shown.first.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            assert page.locator(href).count() == 1, f"{href} leads nowhere"
        return shown.first.inner_text()

    login(page, "commissioner")
    page.goto("/commissioning/")
    check("commissioning-overview")
    hyr = HalfYearReturn.objects.order_by("pk").first()
    page.goto(f"/commissioning/half-year/{hyr.pk}/")
    check("commissioning-half-year")
    if page.get_by_role("button", name="Record the signature").count():
        assert "Enter the name of the person signing" in submit_empty("Record the signature")
        check("commissioning-half-year-error")

    page.goto("/governance/")
    page.wait_for_url(f"**/governance/{SLUG}/")
    check()
    submit_empty("Add member")
    check("governance-members-error")
    page.goto(f"/governance/{SLUG}/meetings/")
    assert page.title().endswith(": meetings – saferhub")  # the title once held the whole form
    assert page.get_by_role("button", name="Schedule meeting").count() == 1
    check("governance-meetings")
    submit_empty("Schedule meeting")
    check("governance-meetings-error")
    meeting = Meeting.objects.order_by("date").first()
    page.goto(f"/governance/{SLUG}/meetings/{meeting.pk}/")
    check("governance-meeting-officer")
    for details in ("Add an agenda item", "Add a paper", "Record a decision", "Raise an action"):
        page.get_by_text(details, exact=True).click()  # open every form, so axe sees them
    check("governance-meeting-forms")
    submit_empty("Add item")
    assert "{#" not in page.locator("body").inner_text()  # no template comment leaks into the page
    check("governance-meeting-error")
    page.goto(f"/governance/{SLUG}/actions/")
    check("governance-actions")
    page.goto(f"/governance/{SLUG}/priorities/")
    check("governance-priorities")
    priority = Priority.objects.order_by("pk").first()
    page.goto(f"/governance/{SLUG}/priorities/{priority.pk}/")
    check("governance-priority")
    submit_empty("Record score")
    check("governance-priority-error")
    page.goto(f"/governance/{SLUG}/terms/")
    check("governance-terms")
    terms = TermsOfReference.objects.order_by("pk").first()
    page.goto(f"/governance/{SLUG}/terms/{terms.pk}/")
    check()
    page.goto(f"/governance/{SLUG}/packs/")
    check()

    assert not failures, "\n\n".join(failures)
