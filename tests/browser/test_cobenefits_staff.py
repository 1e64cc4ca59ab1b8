"""The staff pages of co-benefit projects in a real browser, in Japanese and English, over a small fixture set (not
the demonstration data): project list and detail, both steps of the structured evaluation form, a stored
evaluation, the difference of two evaluations, the staff and public portfolios and the Excel import. Each page
answers, has one h1 and the page's language, and axe-core finds no serious or critical violation; the stored
evaluation does not overflow a phone's width."""

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import translation

from cleanasia.accounts.models import Role
from cleanasia.cobenefits import project_services as services
from cleanasia.cobenefits.forms import count_name
from tests.factories import CountryFactory, user_with_role

from .conftest import DESKTOP, PHONE, blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLES = Path(services.__file__).resolve().parent / "data" / "examples"


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))["request"]


@pytest.fixture
def cobenefits():
    """Two projects of Viet Nam recorded by its focal point: a public boiler switch with two evaluations (AR5,
    then AR6) and a members-only landfill project with one."""
    focal = user_with_role(Role.FOCAL_POINT, country="VN")
    viet_nam = CountryFactory(code="VN")
    boiler = services.project_create(
        actor=focal,
        code="vn-boiler-gas",
        country=viet_nam,
        sector="energy",
        title_ja="ハノイ工場ボイラーの燃料転換",
        title_en="Hanoi factory boiler fuel switch",
        status="ongoing",
        visibility="public",
    )
    landfill = services.project_create(
        actor=focal,
        code="vn-landfill-compost",
        country=viet_nam,
        sector="waste",
        title_ja="食品廃棄物の堆肥化",
        title_en="Food waste composting",
        visibility="members",
    )
    first = services.evaluation_create(actor=focal, project=boiler, request=example("coal_boiler_to_gas"))
    second = services.evaluation_create(
        actor=focal,
        project=boiler,
        request={**example("coal_boiler_to_gas"), "gwp": "AR6"},
        note="AR6 for comparison",
    )
    services.evaluation_create(actor=focal, project=landfill, request=example("landfill_food_waste_composting"))
    return {"boiler": boiler, "first": first, "second": second}


def staff_paths(lang: str, data: dict) -> dict[str, str]:
    boiler, first, second = data["boiler"], data["first"], data["second"]
    step2 = {
        "step": "parameters",
        "label": "Boiler",
        "start": "2026",
        "end": "2030",
        "gwp": "AR5",
        "fod_convention": "ipcc2006",
        count_name("baseline", "stationary_combustion"): "1",
        count_name("project", "stationary_combustion"): "1",
    }
    with translation.override(lang):
        create = reverse("cobenefits_staff:evaluation-create", args=[boiler.pk])
        return {
            "project-list": reverse("cobenefits_staff:project-list"),
            "project-detail": reverse("cobenefits_staff:project-detail", args=[boiler.pk]),
            "evaluation-step1": create,
            "evaluation-step2": create + "?" + urlencode(step2),
            "evaluation-detail": reverse("cobenefits_staff:evaluation-detail", args=[second.pk]),
            "difference": reverse("cobenefits_staff:evaluation-difference", args=[second.pk]) + f"?other={first.pk}",
            "portfolio": reverse("cobenefits_staff:portfolio"),
            "import": reverse("cobenefits_staff:import"),
        }


def check(page, url: str, lang: str) -> list[str]:
    """Visit `url`; what is wrong with the page (empty when nothing)."""
    response = page.goto(url)
    page.wait_for_load_state()
    problems = []
    if response is None or not response.ok:
        problems.append(f"status {response.status if response else None}")
    if page.url != url:
        problems.append(f"ended at {page.url}")
    headings = page.locator("h1").count()
    if headings != 1:
        problems.append(f"{headings} h1 elements")
    found_lang = page.locator("html").get_attribute("lang")
    if found_lang != lang:
        problems.append(f"html lang={found_lang!r}")
    violations = blocking_violations(page)
    if violations:
        problems.append("axe: " + json.dumps(violations, ensure_ascii=False, indent=1))
    return problems


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_staff_pages_answer_and_pass_axe(browser, page, live_server, sign_in_as, screenshot, cobenefits, lang):
    secretariat = user_with_role(Role.SECRETARIAT)
    sign_in_as(page, secretariat)
    failures: dict[str, list[str]] = {}
    for name, path in staff_paths(lang, cobenefits).items():
        problems = check(page, live_server.url + path, lang)
        if problems:
            failures[name] = problems
        screenshot(page, f"cobenefits-staff-{name}-{lang}")

    # The public portfolio, read by the public (a context without the session).
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP" if lang == "ja" else "en-GB")
    anonymous = context.new_page()
    anonymous.set_default_timeout(15_000)
    try:
        with translation.override(lang):
            path = reverse("cobenefits:portfolio")
        problems = check(anonymous, live_server.url + path, lang)
        if problems:
            failures["public-portfolio"] = problems
        elif ("Viet Nam" if lang == "en" else "ベトナム") not in anonymous.locator("main").inner_text():
            failures["public-portfolio"] = ["the public project's country is not in the public portfolio"]
        screenshot(anonymous, f"cobenefits-staff-public-portfolio-{lang}")
    finally:
        context.close()

    for name, problems in failures.items():
        print(f"--- {name} ({lang})")
        for problem in problems:
            print(problem)
    assert failures == {}, failures


def test_the_stored_evaluation_fits_a_phone(phone_page, live_server, sign_in_as, screenshot, cobenefits):
    sign_in_as(phone_page, user_with_role(Role.SECRETARIAT))
    with translation.override("ja"):
        path = reverse("cobenefits_staff:evaluation-detail", args=[cobenefits["second"].pk])
    response = phone_page.goto(live_server.url + path)
    assert response is not None
    assert response.ok
    assert phone_page.url == live_server.url + path
    assert phone_page.locator("h1").count() == 1
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    screenshot(phone_page, "cobenefits-staff-evaluation-detail-ja-phone")
    assert width <= PHONE["width"] + 1, width
