"""The demo partnership's pages as a board member sees them: many months of figures, targets,
revisions and commentary. Checked with axe-core and photographed."""

from __future__ import annotations

import pytest

from saferhub.demo import load_demo
from tests.performance.conftest import NOW

from .conftest import PASSWORD, axe_check, login, screenshot


@pytest.fixture
def demo(transactional_db, monkeypatch):
    monkeypatch.setenv("SAFERHUB_DEMO_PASSWORD", PASSWORD)
    return load_demo(now=NOW)


def test_board_member_reads_the_demo_dashboard_and_an_indicator(browser_page, demo):
    page = browser_page
    login(page, "board")
    page.goto("/dashboard/")
    tile = page.locator("#tile-overall-crime").inner_text()
    assert "12,586" in tile and "Year to November 2016" in tile and "Worsening" in tile
    nav = page.locator("#navigation").inner_text()
    assert "Data" not in nav and "Audit" not in nav  # a board member reads only
    axe_check(page)
    screenshot(page, "demo-dashboard")
    page.locator("#tile-ist-satisfaction").get_by_role("link").click()
    page.locator("#revisions").wait_for()
    page.wait_for_load_state()  # the whole page, so the absence below is not an unparsed tail
    assert page.get_by_role("button", name="Save commentary").count() == 0
    axe_check(page)
    screenshot(page, "demo-indicator")
    assert page.goto("/data/").status == 403
    axe_check(page)
    screenshot(page, "forbidden")


def test_board_member_finds_both_reports_on_the_reports_page(browser_page, demo):
    page = browser_page
    login(page, "board")
    page.goto("/reports/")
    assert page.get_by_role("link", name="Performance report November 2016 (PDF)").count() == 1
    returns = page.locator("#half-year-returns")
    assert "Community Safety Fund: First half of 2017/18" in returns.inner_text()
    assert "Signed by CSP manager" in returns.inner_text()
    axe_check(page)
    screenshot(page, "demo-reports", full_page=False)
    with page.expect_download() as download:
        returns.get_by_role("link", name="PDF of the Community Safety Fund return, First half of 2017/18").click()
    assert download.value.suggested_filename.endswith("-v1.pdf")
