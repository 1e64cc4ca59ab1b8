"""axe-core on every page of the foundation, in Japanese and English: no serious or critical violation."""

import io
import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from cleanasia.directory.models import CountryGroup, Person
from cleanasia.framework.models import FrameworkNode
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


def page_paths(lang: str, node, group, person) -> dict[str, str]:
    with translation.override(lang):
        return {
            "home": reverse("portal:home"),
            "framework": reverse("portal:framework"),
            "staff-home": reverse("core:staff-home"),
            "framework-tree": reverse("framework:tree"),
            "node-edit": reverse("framework:node-edit", args=[node.pk]),
            "history": reverse("framework:node-history", args=[node.pk]),
            "countries": reverse("directory:countries"),
            "members-on-date": reverse("directory:countries") + f"?group={group.code}&on=2008-10-09",
            "group-detail": reverse("directory:group-detail", args=[group.code]),
            "organisations": reverse("directory:organisations"),
            "people": reverse("directory:people"),
            "person-detail": reverse("directory:person-detail", args=[person.pk]),
            "not-found": f"/{lang}/no-such-page/",
        }


def blocking_violations(page) -> list[dict]:
    results = Axe().run(page)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def test_no_serious_accessibility_violations(browser, live_server, sign_in_as, screenshot):
    # The real reference data and the demonstration data, as an installation shows them.
    call_command("load_reference", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    node = FrameworkNode.objects.get(code="G1")
    group = CountryGroup.objects.order_by("code").first()
    person = Person.objects.filter(is_demo=True).order_by("pk").first()
    assert group is not None
    assert person is not None
    user = user_with_role("secretariat")
    found = {}

    # Signed out: the public pages and the sign-in page.
    anonymous = browser.new_context(viewport={"width": 1280, "height": 900})
    page = anonymous.new_page()
    for lang in ("ja", "en"):
        for name in ("home", "framework", "not-found"):
            page.goto(live_server.url + page_paths(lang, node, group, person)[name])
            found[f"{lang} {name} (anonymous)"] = blocking_violations(page)
        with translation.override(lang):
            page.goto(live_server.url + reverse("accounts:login"))
        found[f"{lang} sign-in"] = blocking_violations(page)
        screenshot(page, f"{lang}-sign-in")
    anonymous.close()

    # Signed in as the secretariat: every page.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_as(page, user)
    for lang in ("ja", "en"):
        for name, path in page_paths(lang, node, group, person).items():
            response = page.goto(live_server.url + path)
            assert response.status == (404 if name == "not-found" else 200), path
            found[f"{lang} {name}"] = blocking_violations(page)
            screenshot(page, f"{lang}-{name}")
    context.close()

    failures = {page: violations for page, violations in found.items() if violations}
    if failures:
        print(json.dumps(failures, indent=2, ensure_ascii=False))
    assert not failures, f"serious or critical axe violations on: {', '.join(failures)}"
