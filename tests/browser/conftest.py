"""Playwright fixtures: one Chromium for the session, a fresh context per test, screenshots on disk.

Debian's Chromium is used (no `playwright install`): the platform is deployed
offline and CI installs `chromium` and `fonts-noto-cjk` from the distribution.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse database access from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
# axe-core impacts that fail a test; "moderate" and "minor" are reviewed by hand.
BLOCKING = {"serious", "critical"}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_page(browser, viewport, *, phone=False):
    context = browser.new_context(
        viewport=viewport, locale="ja-JP", timezone_id="Asia/Tokyo", is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(browser):
    """A desktop-sized page (1280x900) in a context of its own (no cookies shared between tests)."""
    context, page = _new_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized page (375x812, touch)."""
    context, page = _new_page(browser, PHONE, phone=True)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, name) saves test-artifacts/screenshots/<name>.png (whole page) and returns its path."""

    def save(page, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


@pytest.fixture
def sign_in_as(live_server):
    """Give a browser page the session of `user` (second factor verified), without typing.

    The sign-in form itself is exercised by test_sign_in; other tests start signed in.
    """
    from tests.conftest import verified_client

    def sign_in(page, user):
        client = verified_client(user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])

    return sign_in


def blocking_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now, each with up to five targets."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
