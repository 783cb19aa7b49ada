"""Issue 6: the provider files a return for project A and submits it; the commissioner sends it back
with a note; the provider changes it and submits again; the commissioner accepts it. Every page on
the way is checked with axe-core; the main ones are photographed."""

from __future__ import annotations

import datetime

import pytest

from saferhub.demo import load_demo
from tests.performance.conftest import NOW

from .conftest import PASSWORD, axe_check, login, screenshot

PERIOD = "2017-H2"  # the demo's returns are for 2017-H1; this one is new and still a draft


@pytest.fixture
def demo(transactional_db, monkeypatch):
    monkeypatch.setenv("SAFERHUB_DEMO_PASSWORD", PASSWORD)
    return load_demo(now=NOW)


def _project_a(partnership):
    from saferhub.accounts.models import User
    from saferhub.commissioning.models import Project

    provider = User.objects.get(username="provider")
    mine = Project.objects.get(provider=provider.organisation, letter="A")
    other = Project.objects.exclude(provider=provider.organisation).exclude(provider=None).first()
    return mine, other


def test_provider_files_a_return_and_the_commissioner_reviews_it(browser_page, demo):
    from saferhub.commissioning.models import ProjectReturn
    from saferhub.commissioning.services import project_return_open

    project, other = _project_a(demo)
    # The seed gives project A no KPI table (its service specification is not in the seed), so the
    # test adds two, as set-up data, for the provider to report against.
    for i, (name, target) in enumerate([("Referrals accepted", "80"), ("Cases closed with risk reduced", "60")]):
        project.kpis.create(
            position=i, name=name, measure="Number in the half year", annual_target=target, target_value=target
        )
    pr = project_return_open(project=project, period=PERIOD, due_on=datetime.date(2018, 4, 30), now=NOW)
    page = browser_page

    # The provider: overview, project A, the new return, its form (with an error first).
    login(page, "provider")
    page.goto("/commissioning/")
    axe_check(page)
    page.get_by_role("link", name=f"{project.title}").first.click()
    page.wait_for_url(f"**/commissioning/projects/{project.pk}/")
    axe_check(page)
    screenshot(page, "commissioning-project")
    page.goto(f"/commissioning/returns/{pr.pk}/")
    assert "Draft" in page.locator("main").inner_text()
    axe_check(page)
    page.get_by_role("link", name="Edit the return").click()
    page.wait_for_url(f"**/returns/{pr.pk}/edit/")
    axe_check(page)

    kpis = list(project.kpis.order_by("pk"))
    first_kpi = page.locator(f"#id_kpi_{kpis[0].pk}")
    first_kpi.fill("lots")
    page.locator("#id_spend_0_category").fill("Caseworker salaries")
    page.locator("#id_spend_0_amount").fill("12,5x")
    page.get_by_role("button", name="Save the return").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "as a number" in summary.inner_text() and "in pounds and pence" in summary.inner_text()
    axe_check(page)
    screenshot(page, "commissioning-return-form-error")

    page.get_by_label("To what extent have the outcomes been achieved?").fill("Referrals met the half-year target.")
    page.get_by_label("Actions put in place to achieve outcomes").fill("A second caseworker started in November.")
    page.get_by_label("On Track to Achieve").check()
    for i, kpi in enumerate(kpis):
        page.locator(f"#id_kpi_{kpi.pk}").fill(str(40 + i))
        page.locator(f"#id_kpi_{kpi.pk}_note").fill("From the case management system")
    page.locator("#id_spend_0_amount").fill("12,500.50")
    page.locator("#id_spend_1_category").fill("Training")
    page.locator("#id_spend_1_amount").fill("750")
    axe_check(page)
    screenshot(page, "commissioning-return-form")
    page.get_by_role("button", name="Save the return").click()
    page.wait_for_url(f"**/returns/{pr.pk}/")
    main = page.locator("main").inner_text()
    assert "£13,250.50" in main and "Caseworker salaries" in main and "On Track to Achieve" in main
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert "Submitted" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Edit the return").count() == 0  # frozen while under review
    axe_check(page)

    # Another organisation's project is not there at all for this provider.
    assert page.goto(f"/commissioning/projects/{other.pk}/").status == 404
    axe_check(page)

    # The commissioner sends it back, first forgetting the note.
    login(page, "commissioner")
    page.goto(f"/commissioning/returns/{pr.pk}/")
    axe_check(page)
    page.get_by_label("Request changes").check()
    page.get_by_role("button", name="Record the review").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Say what the provider needs to change" in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)
    screenshot(page, "commissioning-review-error")
    page.get_by_label("Request changes").check()
    page.get_by_label("Comment to the provider").fill("Please split the salaries by post.")
    page.get_by_role("button", name="Record the review").click()
    page.wait_for_load_state()
    assert "Please split the salaries by post." in page.locator("main").inner_text()
    axe_check(page)
    screenshot(page, "commissioning-review")
    assert ProjectReturn.objects.get(pk=pr.pk).state == "changes_requested"

    # The provider reads the note, changes the return and submits it again.
    login(page, "provider")
    page.goto(f"/commissioning/returns/{pr.pk}/")
    assert "Please split the salaries by post." in page.locator("main").inner_text()
    page.get_by_role("link", name="Edit the return").click()
    page.locator("#id_spend_0_category").fill("Caseworker 1 salary")
    page.locator("#id_spend_0_amount").fill("6,250.25")
    page.locator("#id_spend_1_category").fill("Caseworker 2 salary")
    page.locator("#id_spend_1_amount").fill("6,250.25")
    page.locator("#id_spend_2_category").fill("Training")
    page.locator("#id_spend_2_amount").fill("750")
    page.get_by_role("button", name="Save the return").click()
    page.wait_for_url(f"**/returns/{pr.pk}/")
    assert "Caseworker 2 salary" in page.locator("main").inner_text()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert "Submitted" in page.locator("main").inner_text()

    # The commissioner accepts it; the provider can no longer change it.
    login(page, "commissioner")
    page.goto(f"/commissioning/returns/{pr.pk}/")
    page.get_by_label("Accept the return").check()
    page.get_by_label("Comment to the provider").fill("Thank you.")
    page.get_by_role("button", name="Record the review").click()
    page.wait_for_load_state()
    assert "Accepted" in page.locator("main").inner_text()
    axe_check(page)
    screenshot(page, "commissioning-accepted")
    done = ProjectReturn.objects.get(pk=pr.pk)
    assert done.state == "accepted" and done.rag == "on_track"
    assert sorted(str(s.amount) for s in done.spend_lines.all()) == ["6250.25", "6250.25", "750.00"]


def test_the_treasurer_countersigns_as_themselves_after_entering_the_password(browser_page, demo):
    """Issue 12, finding 6: the demo's return awaits the treasurer; the commissioner is not offered
    the signature; the treasurer signs with their own account after re-entering the password, and
    the return shows their name and office from the account."""
    from saferhub.commissioning.models import HalfYearReturn

    hyr = HalfYearReturn.objects.get(period="2017-H1", version=1)
    page = browser_page
    login(page, "commissioner")
    page.goto(f"/commissioning/half-year/{hyr.pk}/")
    assert "Awaiting the signature of Alex Morgan, Treasurer / CFO" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Record the signature").count() == 0

    login(page, "treasurer")
    page.goto(f"/commissioning/half-year/{hyr.pk}/")
    assert "Sign as the treasurer / CFO" in page.locator("main").inner_text()
    axe_check(page)
    page.get_by_role("button", name="Record the signature").click()
    page.wait_for_url("**/accounts/confirm-password/**")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**/commissioning/half-year/{hyr.pk}/")
    page.get_by_role("button", name="Record the signature").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Signature recorded" in page.content() and "Alex Morgan, Section 151 Officer" in main
    assert "Matt Garrett, Head of Community Connections" in main
    axe_check(page)
    screenshot(page, "commissioning-half-year-signed")
    hyr.refresh_from_db()
    assert (
        hyr.state == "signed"
        and hyr.cfo_signed_by.username == "treasurer"
        and hyr.csp_signed_by.username == "csp-manager"
    )
