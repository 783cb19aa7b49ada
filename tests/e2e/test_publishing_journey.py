"""Issue 6: the analyst proposes a month's report for publication and the commissioner approves it,
through the staff pages; the public (no sign-in) then reads it under /public/, with small counts
suppressed ("[c]") and sensitive indicators by quarter only, rounded. Every page is checked with axe-core."""

from __future__ import annotations

import re

import pytest

from saferhub.demo import load_demo
from tests.performance.conftest import NOW

from .conftest import PASSWORD, SCREENSHOTS, axe_check, login, screenshot


@pytest.fixture
def demo(transactional_db, monkeypatch):
    monkeypatch.setenv("SAFERHUB_DEMO_PASSWORD", PASSWORD)
    return load_demo(now=NOW)


def test_analyst_proposes_commissioner_approves_and_the_public_reads(browser_page, demo):
    from saferhub.publishing.models import PublishedVersion

    page = browser_page
    login(page, "analyst")
    page.goto("/publishing/")
    axe_check(page)
    # Nothing chosen: the error summary, then a real proposal for October 2016.
    page.get_by_role("button", name="Propose for publication").click()
    page.locator(".govuk-error-summary").wait_for()
    axe_check(page)
    screenshot(page, "publishing-propose-error")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2016")
    page.get_by_label("Note for the approver (optional)").fill("October, for the partnership's website.")
    page.get_by_role("button", name="Propose for publication").click()
    page.wait_for_url("**/publishing/*/")
    assert "has been proposed" in page.locator(".govuk-notification-banner").inner_text()
    axe_check(page)
    page.get_by_role("link", name="All proposals").click()
    page.wait_for_url("**/publishing/")
    axe_check(page)
    screenshot(page, "publishing-proposals")
    page.get_by_role("link", name="Safer Plymouth, October 2016").first.click()
    page.wait_for_url("**/publishing/*/")
    # The analyst proposes but may not approve their own proposal.
    assert page.get_by_role("button", name="Approve and publish").count() == 0
    axe_check(page)

    login(page, "commissioner")
    page.goto("/publishing/")
    page.get_by_role("link", name="Safer Plymouth, October 2016").first.click()
    page.wait_for_url("**/publishing/*/")
    assert page.locator("#suppression-note").count() == 1  # the approver sees what the public will see
    axe_check(page)
    screenshot(page, "publishing-proposal")
    page.get_by_role("button", name="Do not publish").click()  # a rejection needs a reason
    page.locator(".govuk-error-summary").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url("**/public/safer-plymouth/2016-10/v1/")  # approving publishes version 1 and shows it
    assert PublishedVersion.objects.filter(partnership=demo, period="2016-10").count() == 1

    # The public: no sign-in.
    page.context.clear_cookies()
    page.goto("/public/")
    index = page.locator("main").inner_text()
    assert "November 2016" in index and "October 2016" in index  # the demo's and the new one
    axe_check(page)
    screenshot(page, "public-index")
    page.get_by_role("link", name="October 2016").first.click()
    page.wait_for_url("**/public/safer-plymouth/2016-10/")
    # Small counts: the demo's vehicle-arson indicator had 1 deliberate vehicle fire in October 2016
    # (and 2 and 3 earlier in the year); the public sees "[c]", never the number.
    arson = page.locator("section[aria-labelledby='ind-ntea-vehicle-arson']")
    arson.scroll_into_view_if_needed()
    october = arson.locator("tbody tr", has_text="October 2016").locator("td").first.inner_text()
    assert october.startswith("[c]"), october
    figures = [r.locator("td").first.inner_text().strip() for r in arson.locator("tbody tr").all()]
    assert not {"1", "2", "3", "4"} & set(figures), figures
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    arson.screenshot(path=str(SCREENSHOTS / "public-report-suppressed.png"))
    # The sensitive rule: hate crime by quarter only, rounded. The first quarter's raw count is in the database.
    note = page.locator("#suppression-note").inner_text()
    rounding = int(re.search(r"rounded to the nearest (\d+)", note).group(1))
    assert rounding > 1
    raw = _quarter_total("hate-crime", ["2016-04", "2016-05", "2016-06"])
    section = page.locator("section[aria-labelledby='ind-hate-crime']")
    assert "by quarter" in section.locator("caption").inner_text()
    shown = section.locator("tbody tr").first.locator("td").first.inner_text().replace(",", "")
    assert int(shown) % rounding == 0 and abs(int(shown) - raw) <= rounding / 2
    assert section.locator("tbody tr").count() <= 4  # quarters, never months
    assert page.locator("#suppression-note").count() == 1
    assert page.locator("main .govuk-tag--purple", has_text="Sensitive").count() >= 1
    assert "Sign out" not in page.content()
    axe_check(page)
    screenshot(page, "public-report")
    csv = page.request.get("/public/safer-plymouth/2016-10/figures.csv")
    assert csv.status == 200 and "hate" in csv.text().lower()


def _quarter_total(code: str, months: list[str]) -> int:
    """The unrounded count of a partner indicator over some months: each month's latest revision."""
    from saferhub.performance.models import IndicatorValue

    total = 0
    for month in months:
        latest = (
            IndicatorValue.objects.filter(indicator__code=code, period=month).order_by("-reported_on", "-id").first()
        )
        total += int(latest.value)
    return total


@pytest.fixture
def small_published(transactional_db, tmp_path):
    from saferhub.domain.calendar import Month
    from saferhub.publishing.services import publication_approve, publication_propose
    from tests.publishing.conftest import one_user_per_role, small_partnership

    partnership = small_partnership(tmp_path)
    users = one_user_per_role()
    p = publication_propose(partnership=partnership, period=Month(2016, 8), actor=users["analyst"], now=NOW)
    return publication_approve(publication=p, actor=users["admin"], now=NOW)


@pytest.mark.parametrize("width", [320, 375])
def test_the_public_pages_do_not_scroll_sideways_on_a_phone(browser_page, small_published, width):
    """Issue 16, looked at on a 375px phone: the five-column tables widened the whole page (it
    scrolled sideways, 495px wide). Each table now scrolls in its own region, which the keyboard
    reaches and shows focused (WCAG 2.2 1.4.10, 2.1.1, 2.4.7)."""
    page = browser_page
    page.set_viewport_size({"width": width, "height": 800})
    for address in ("/public/", "/public/testcsp/", "/public/testcsp/2016-08/"):
        page.goto(address)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, address
        axe_check(page)
    region = page.locator("div.sh-scroll[role='region']", has=page.locator("#cap-thefts"))
    region.focus()
    outline = region.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px"), outline
    screenshot(page, f"public-report-{width}px")
