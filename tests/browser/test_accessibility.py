"""axe-core on every page of the foundation and the network's main pages, in Japanese and English: no serious or
critical violation."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from cleanasia.directory.models import CountryGroup, Person
from cleanasia.framework.models import FrameworkNode
from tests.factories import user_with_role

from .conftest import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def network_paths(lang: str, *, public: bool) -> dict[str, str]:
    """The network's pages over the demonstration data: the public ones, or the secretariat's."""
    from cleanasia.network.models import (
        CountryNeed,
        ExpertProfile,
        KnowHowPackage,
        ResearchProject,
        TrainingSession,
        WorkingGroup,
    )

    group = WorkingGroup.objects.order_by("code").first()
    expert = ExpertProfile.objects.filter(listed_publicly=True).order_by("pk").first()
    package = KnowHowPackage.objects.order_by("pk").first()
    project = ResearchProject.objects.order_by("pk").first()
    need = CountryNeed.objects.order_by("pk").first()
    session = TrainingSession.objects.filter(nominations__isnull=False).order_by("pk").first()
    with translation.override(lang):
        if public:
            return {
                "network": reverse("network_public:home"),
                "network groups": reverse("network_public:group-list"),
                "network experts": reverse("network_public:expert-list") + "?q=" + ("大気" if lang == "ja" else "air"),
                "network packages": reverse("network_public:package-list"),
                "network research": reverse("network_public:project-list"),
                "certificate check": reverse("network_verify:verify-form"),
            }
        return {
            "network home": reverse("network:home"),
            "network oversight": reverse("network:oversight"),
            "network group": reverse("network:group-workspace", args=[group.code]),
            "network experts": reverse("network:expert-list") + "?q=" + ("大気" if lang == "ja" else "air"),
            "network expert": reverse("network:expert-detail", args=[expert.pk]),
            "network project": reverse("network:project-detail", args=[project.pk]),
            "network package": reverse("network:package-detail", args=[package.pk]),
            "network matches": reverse("network:need-matches", args=[need.pk]),
            "network programmes": reverse("network:programme-list"),
            "network session": reverse("network:session-detail", args=[session.pk]),
            "network attendance": reverse("network:session-attendance", args=[session.pk]),
            "network statistics": reverse("network:training-statistics"),
            "network alumni": reverse("network:alumni-list"),
        }


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
        for name, path in network_paths(lang, public=True).items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            found[f"{lang} {name} (anonymous)"] = blocking_violations(page)
            screenshot(page, f"{lang}-{name.replace(' ', '-')}-public")
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
        for name, path in network_paths(lang, public=False).items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            found[f"{lang} {name}"] = blocking_violations(page)
            screenshot(page, f"{lang}-{name.replace(' ', '-')}")
    context.close()

    failures = {page: violations for page, violations in found.items() if violations}
    if failures:
        print(json.dumps(failures, indent=2, ensure_ascii=False))
    assert not failures, f"serious or critical axe violations on: {', '.join(failures)}"
