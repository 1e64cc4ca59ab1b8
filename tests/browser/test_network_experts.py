"""The expert directory in a real browser: a Japanese keyword finds an expert whose keywords are Japanese, on
the staff directory (the secretariat, who sees the contact details) and on the public directory (which never
shows them); on a desktop and on a phone. Also axe-core on the list and expert pages. Screenshots are saved
as artefacts (test-artifacts/screenshots/network-experts-*.png)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from cleanasia.accounts.models import Role
from tests.factories import user_with_role
from tests.network.factories_experts import make_expert, make_field, make_organisation

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
EMAIL = "sato.hanako@example.jp"


def path(name, lang, *args):
    with translation.override(lang):
        return reverse(name, args=args or None)


def blocking_violations(page):
    results = Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def search(page, url, keyword):
    page.goto(url)
    page.locator("input[name=q]").fill(keyword)
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**?q=*")


def test_a_japanese_keyword_finds_the_expert_on_the_staff_and_public_directories(
    browser, live_server, sign_in_as, screenshot
):
    make_field("air", "Air quality", "大気環境")
    nies = make_organisation(
        "National Institute for Environmental Studies", "国立環境研究所", country="JP", acronym="NIES"
    )
    make_expert(
        "Sato Hanako",
        name_ja="佐藤花子",
        country="JP",
        email=EMAIL,
        listed=True,
        keywords="大気汚染対策\n越境大気汚染\nPM2.5",
        languages=["ja", "en"],
        fields=("air",),
        affiliations=[{"organisation": nies, "position_ja": "主任研究員"}],
    )
    make_expert("Somchai Dee", country="TH", listed=True, keywords="水質汚濁\nwastewater")
    secretariat = user_with_role(Role.SECRETARIAT, full_name="Suzuki Secretariat")
    base = live_server.url
    found = {}

    staff_context = browser.new_context(viewport=DESKTOP, locale="ja-JP", timezone_id="Asia/Tokyo")
    staff = staff_context.new_page()
    staff.set_default_timeout(30_000)
    sign_in_as(staff, secretariat)

    # The secretariat searches the staff directory in Japanese: a part of a keyword finds the expert.
    search(staff, base + path("network:expert-list", "ja"), "大気汚染")
    rows = staff.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("佐藤花子")
    expect(rows.first).to_contain_text("国立環境研究所")
    found["ja staff list"] = blocking_violations(staff)
    screenshot(staff, "network-experts-staff-search-ja")
    rows.first.get_by_role("link", name="佐藤花子").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("佐藤花子")
    expect(staff.get_by_text(EMAIL).first).to_be_visible()  # the secretariat sees the contact details
    found["ja staff expert"] = blocking_violations(staff)
    screenshot(staff, "network-experts-staff-expert-ja")
    staff_context.close()

    # The public directory: the same keyword finds the listed expert; no contact detail anywhere.
    public_context = browser.new_context(viewport=DESKTOP, locale="ja-JP", timezone_id="Asia/Tokyo")
    public = public_context.new_page()
    public.set_default_timeout(30_000)
    for lang in ("ja", "en"):
        search(public, base + path("network_public:expert-list", lang), "大気汚染")
        assert public.locator("html").get_attribute("lang") == lang
        rows = public.locator("table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Sato Hanako" if lang == "en" else "佐藤花子")
        found[f"{lang} public list"] = blocking_violations(public)
        screenshot(public, f"network-experts-public-search-{lang}")
        rows.first.get_by_role("link").first.click()
        expect(public.get_by_role("heading", level=1)).to_be_visible()
        expect(public.get_by_text("越境大気汚染")).to_be_visible()
        assert EMAIL not in public.content()
        found[f"{lang} public expert"] = blocking_violations(public)
        screenshot(public, f"network-experts-public-expert-{lang}")
    public_context.close()

    # On a phone: the search and the table (scrolling in its wrapper) still work.
    phone_context = browser.new_context(
        viewport=PHONE, locale="ja-JP", timezone_id="Asia/Tokyo", is_mobile=True, has_touch=True
    )
    phone = phone_context.new_page()
    phone.set_default_timeout(30_000)
    search(phone, base + path("network_public:expert-list", "ja"), "越境")
    expect(phone.locator("table tbody tr")).to_have_count(1)
    screenshot(phone, "network-experts-public-search-phone")
    phone_context.close()

    assert not {k: v for k, v in found.items() if v}, found
