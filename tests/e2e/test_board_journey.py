"""Issue 6: the board member reads the board's pages, the meeting of 24 January 2017 and downloads
its pack (after entering the password again: it holds sensitive figures); a write is refused (403). Every page is checked with axe-core."""

from __future__ import annotations

import pytest

from saferhub.demo import load_demo
from tests.performance.conftest import NOW

from .conftest import PASSWORD, axe_check, login, screenshot

SLUG = "safer-plymouth"


@pytest.fixture
def demo_with_pack(transactional_db, monkeypatch):
    from django.utils import timezone

    from saferhub.demo.governance import ACTOR, MEETING_DATE
    from saferhub.governance.models import Meeting
    from saferhub.governance.packs import pack_issue

    monkeypatch.setenv("SAFERHUB_DEMO_PASSWORD", PASSWORD)
    partnership = load_demo(now=NOW)
    # The demo issues the pack in write_outputs (it renders the performance report); set-up data here.
    meeting = Meeting.objects.get(board__partnership=partnership, date=MEETING_DATE)
    pack_issue(meeting=meeting, kind="supplement", actor=ACTOR, now=timezone.now())
    return meeting


def test_board_member_reads_the_meeting_and_its_pack_but_cannot_write(browser_page, demo_with_pack):
    from saferhub.governance.models import Meeting

    meeting = demo_with_pack
    page = browser_page
    login(page, "board")
    page.goto("/governance/")
    page.wait_for_url(f"**/governance/{SLUG}/")  # one board: the index goes straight to it
    assert "Members and deputies" in page.locator("h1").inner_text()
    assert page.locator("form[action$='/members/add/']").count() == 0  # the add-member form is for editors
    axe_check(page)
    screenshot(page, "governance-members")

    for section in ("Actions", "Priorities", "Terms of reference", "Packs"):
        page.get_by_label("Board sections").get_by_role("link", name=section, exact=True).click()
        page.wait_for_load_state()
        axe_check(page)
    screenshot(page, "governance-packs")
    page.get_by_label("Board sections").get_by_role("link", name="Meetings", exact=True).click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name="24 January 2017").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    main = page.locator("main").inner_text()
    assert "24 January 2017" in main
    # A board member reads: no pack building and no agenda changes on the page.
    assert page.locator("main button").count() == 0
    axe_check(page)
    screenshot(page, "governance-meeting")

    pack_link = page.get_by_role("link", name="(PDF,")
    href = pack_link.first.get_attribute("href")
    # The pack carries the performance report with sensitive figures: an export, so the
    # password again first (issue 12), then the download.
    pack_link.first.click()
    page.wait_for_url("**/accounts/confirm-password/**")
    axe_check(page)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="Continue").click()
    assert download.value.suggested_filename.endswith(".pdf")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-") and len(body) > 10_000

    # A write through the governance forms is refused, and nothing changes.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    before = Meeting.objects.count()
    refused = page.request.post(
        f"/governance/{SLUG}/meetings/add/",
        headers={"X-CSRFToken": csrf},
        form={"date_0": "1", "date_1": "6", "date_2": "2017", "starts_at": "10:00", "venue": "Council House"},
    )
    assert refused.status == 403
    assert Meeting.objects.count() == before
    refused = page.request.post(
        f"/governance/{SLUG}/meetings/{meeting.pk}/packs/", headers={"X-CSRFToken": csrf}, form={"kind": "supplement"}
    )
    assert refused.status == 403
