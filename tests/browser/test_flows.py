"""A real browser: sign-in with the second factor, language switching, the framework tree, phone layout."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import PASSWORD, user_with_role
from tests.ui.framework_data import build_seed_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, hex


def submit(page):
    page.locator("main form button[type=submit]").first.click()


def test_a_secretariat_user_signs_in_with_the_second_factor_and_switches_language(page, live_server, screenshot):
    user = user_with_role("secretariat", email="sec@example.org", full_name="Sato Secretariat")
    device = TOTPDevice.objects.create(user=user, name="phone", key=KEY, confirmed=True)
    build_seed_framework()

    with translation.override("ja"):
        sign_in_path = reverse("accounts:login")
    page.goto(live_server.url + sign_in_path)
    page.fill("input[name=username]", "sec@example.org")
    page.fill("input[name=password]", PASSWORD)
    screenshot(page, "sign-in-ja")
    submit(page)
    page.wait_for_url(re.compile(r"/ja/accounts/.+"))
    page.fill("input[name=code]", f"{totp(device.bin_key):06d}")
    screenshot(page, "second-factor-ja")
    submit(page)
    page.wait_for_url(f"{live_server.url}/ja/staff/")
    assert page.locator(".staff-nav").is_visible(), "signed in: the workspace navigation is shown"

    page.goto(f"{live_server.url}/ja/framework/")
    assert page.locator("html").get_attribute("lang") == "ja"
    for title in ["低炭素型・低公害型社会の実現", "循環型社会の実現", "連携の基盤確立"]:
        assert page.get_by_role("heading", name=re.compile(title)).is_visible()
    screenshot(page, "framework-ja")

    page.locator(".language-switcher button[value=en]").click()
    page.wait_for_url(f"{live_server.url}/en/framework/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Promote Sound Material-Cycle society").is_visible()
    screenshot(page, "framework-en")

    page.locator(".language-switcher button[value=ja]").click()
    page.wait_for_url(f"{live_server.url}/ja/framework/")

    page.goto(f"{live_server.url}/ja/staff/framework/")
    assert page.get_by_role("link", name=re.compile("G1")).first.is_visible()
    screenshot(page, "framework-tree-ja")


def test_the_staff_pages_are_usable_on_a_phone(phone_page, live_server, sign_in_as, screenshot):
    page = phone_page
    build_seed_framework()
    sign_in_as(page, user_with_role("secretariat"))
    paths = {
        "home": "/ja/",
        "framework": "/ja/framework/",
        "staff-home": "/ja/staff/",
        "framework-tree": "/ja/staff/framework/",
        "people": "/en/staff/directory/people/",
        "countries": "/en/staff/directory/countries/",
    }
    for name, path in paths.items():
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        screenshot(page, f"phone-{name}")

    # The navigation wraps instead of hiding: every item is on screen and can be followed.
    page.goto(live_server.url + "/ja/staff/")
    for link in page.locator(".staff-nav a").all():
        assert link.is_visible()
        box = link.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375
    page.locator(".staff-nav a").nth(1).click()
    page.wait_for_url(re.compile(r"/ja/staff/framework/$"))


def test_the_skip_link_appears_on_focus(page, live_server):
    page.goto(live_server.url + "/en/")
    skip = page.locator(".skip-link")
    assert skip.bounding_box()["y"] < 0, "hidden until focused"
    page.keyboard.press("Tab")
    assert skip.evaluate("el => el === document.activeElement")
    expect(skip).to_be_in_viewport(ratio=1)
