"""The public co-benefits calculator in a real browser: an example is loaded, evaluated and its result read, in
Japanese on a desktop and in English on a phone; axe-core finds no serious or critical violation on either page."""

import pytest
from django.urls import reverse
from django.utils import translation

from .conftest import PHONE, blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def calculator_url(base: str, lang: str) -> str:
    with translation.override(lang):
        return base + reverse("cobenefits:calculator")


@pytest.mark.parametrize(("lang", "phone"), [("ja", False), ("en", True)])
def test_an_example_is_evaluated_and_its_working_shown(browser, live_server, screenshot, lang, phone):
    context = browser.new_context(
        viewport=PHONE if phone else {"width": 1280, "height": 900},
        locale="ja-JP" if lang == "ja" else "en-GB",
        is_mobile=phone,
        has_touch=phone,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(calculator_url(live_server.url, lang) + "?example=landfill_food_waste_composting")
        assert page.locator("h1").count() == 1
        assert blocking_violations(page) == []
        request_text = page.locator("#id_request").input_value()
        assert '"landfill_fod"' in request_text, "the example is loaded into the form"
        screenshot(page, f"cobenefits-calculator-{lang}")

        page.locator("form.cobenefits-form button[type=submit]").click()
        page.wait_for_load_state()
        heading = "コベネフィット評価の結果" if lang == "ja" else "Co-benefits evaluation result"
        assert page.locator("h1").inner_text().strip() == heading
        totals = page.locator("#totals-heading")
        assert totals.is_visible()
        assert page.locator("#sheet-heading").is_visible()
        assert page.get_by_text("CH4").first.is_visible()
        # The working names the source of the landfill factors (IPCC 2006 Vol. 5).
        assert page.get_by_text("IPCC", exact=False).first.is_visible()
        assert blocking_violations(page) == []
        if phone:  # nothing wider than the screen but the tables' own scroll areas
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"] + 1, width
        screenshot(page, f"cobenefits-result-{lang}{'-phone' if phone else ''}")
    finally:
        context.close()
