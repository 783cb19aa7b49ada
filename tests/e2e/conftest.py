"""The browser-test harness: headless Chromium (Debian's, never a downloaded one) driven by
Playwright against pytest-django's live server, with helpers any journey can use:

- ``browser_page``: a fresh page (one browser for the session, one context per test);
- ``login(page, username, password)``: sign in through the sign-in form;
- ``axe_check(page)``: run axe-core on the page and fail on any violation;
- ``screenshot(page, name)``: save a full-page PNG under ``var/screenshots/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would refuse database access
# from it without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "var" / "screenshots"
PASSWORD = "browser-test-pass-1"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        # Not a skip: a missing browser would hide the journeys. `make test` checks for it first.
        pytest.fail(f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    # bypass_csp lets the test inject axe-core; the pages' own scripts are files (CSP script-src 'self'),
    # which tests/security checks separately.
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/totp/" in page.url:
        _second_factor(page, username)
    assert "/accounts/login/" not in page.url and "/accounts/totp/" not in page.url, f"{username} could not sign in"


def _second_factor(page, username: str) -> None:
    """Answer the TOTP step as the user's authenticator app would: with the enrolled secret, or,
    the first time, with the key the enrolment page shows."""
    from django.utils import timezone

    from saferhub.accounts.models import User
    from saferhub.accounts.totp import totp_code

    user = User.objects.get(username=username)
    secret = user.totp_secret or page.locator(".govuk-summary-list code").first.inner_text().strip()
    # A code is spent once used; tests sign the same user in many times within 30 seconds.
    User.objects.filter(pk=user.pk).update(totp_last_step=None)
    page.get_by_label("Security code from your authenticator app").fill(totp_code(secret, at=timezone.now()))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def axe_check(page) -> list[dict]:
    """Run every axe-core rule (WCAG 2.0-2.2 A/AA and best practice) and fail on any violation."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE}: run `make install` (npm ci)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert not violations, f"axe-core violations on {page.url}:\n{json.dumps(violations, indent=2)}"
    return violations


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save the page to var/screenshots; full_page=False keeps the first screen of a long page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
