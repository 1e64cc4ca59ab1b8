"""Staff pages of co-benefit projects and their evaluations for each role (the public, an expert, a focal point
of the project's country and of another, the secretariat): list, detail, forms (409 on stale edits), the
structured evaluation form (round trip, errors at their fields, nothing stored), the JSON form, the stored
evaluation's page, PDF, recompute and difference."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.cobenefits import sheet
from cleanasia.cobenefits.forms import count_name
from cleanasia.cobenefits.models import CobenefitProject, Evaluation

from ..factories import CountryFactory
from .test_projects_builders import fuel_switch, make_evaluation, make_project

pytestmark = pytest.mark.django_db

PUBLIC, EXPERT, FOCAL_VN, FOCAL_TH, SECRETARIAT = "public", "expert", "focal_vn", "focal_th", "secretariat"
WHO = [PUBLIC, EXPERT, FOCAL_VN, FOCAL_TH, SECRETARIAT]
WRITES_VN = {FOCAL_VN, SECRETARIAT}


@pytest.fixture
def signed_in(client_for):
    def make(who):
        if who == FOCAL_VN:
            client, user = client_for(Role.FOCAL_POINT, country="VN")
        elif who == FOCAL_TH:
            client, user = client_for(Role.FOCAL_POINT, country="TH")
        else:
            client, user = client_for({PUBLIC: "public", EXPERT: Role.EXPERT, SECRETARIAT: Role.SECRETARIAT}[who])
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client, user

    return make


@pytest.fixture
def world():
    public = make_project(code="vn-public", country="VN", visibility="public", title_en="Hanoi boiler switch")
    members = make_project(code="vn-members", country="VN", visibility="members")
    vn_secret = make_project(code="vn-secret", country="VN", visibility="secretariat", sector="waste")
    th_secret = make_project(code="th-secret", country="TH", visibility="secretariat")
    return {
        "public": public,
        "members": members,
        "vn_secret": vn_secret,
        "th_secret": th_secret,
        "evaluation": make_evaluation(public),
    }


SEES = {
    EXPERT: {"vn-public", "vn-members"},
    FOCAL_VN: {"vn-public", "vn-members", "vn-secret"},
    FOCAL_TH: {"vn-public", "vn-members", "th-secret"},
    SECRETARIAT: {"vn-public", "vn-members", "vn-secret", "th-secret"},
}


def url(name, *args):
    return reverse(f"cobenefits_staff:{name}", args=args)


# --- list and detail -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_each_role_sees_the_list_it_may_see(who, signed_in, world):
    client, _user = signed_in(who)
    response = client.get(url("project-list"))
    if who == PUBLIC:
        assert response.status_code == 302
        assert "sign-in" in response["Location"]
        return
    html = response.content.decode()
    assert response.status_code == 200
    for code in ("vn-public", "vn-members", "vn-secret", "th-secret"):
        assert (f">{code}<" in html) == (code in SEES[who]), code
    assert ("New project" in html) == (who in {FOCAL_VN, FOCAL_TH, SECRETARIAT})


def test_the_list_filters_pages_and_shows_the_latest_reduction(signed_in, world):
    client, _user = signed_in(SECRETARIAT)
    html = client.get(url("project-list") + "?country=VN&sector=waste&status=planned").content.decode()
    assert ">vn-secret<" in html
    assert ">vn-public<" not in html
    second = make_evaluation(world["public"])
    html = client.get(url("project-list") + "?country=VN&sector=energy").content.decode()
    assert url("evaluation-detail", second.pk) in html
    assert url("evaluation-detail", world["evaluation"].pk) not in html
    for n in range(51):
        make_project(code=f"many-{n:02d}", country="TH")
    page = client.get(url("project-list") + "?country=TH")
    assert "Page 1 of 2" in page.content.decode()
    assert ">many-50<" in client.get(url("project-list") + "?country=TH&page=2").content.decode()


@pytest.mark.parametrize("who", WHO)
def test_each_role_on_the_project_page(who, signed_in, world):
    client, _user = signed_in(who)
    visible = client.get(url("project-detail", world["public"].pk))
    hidden = client.get(url("project-detail", world["vn_secret"].pk))
    if who == PUBLIC:
        assert visible.status_code == hidden.status_code == 302
        return
    assert visible.status_code == 200
    assert hidden.status_code == (200 if "vn-secret" in SEES[who] else 404)
    html = visible.content.decode()
    assert "Hanoi boiler switch" in html
    assert "Evaluation 1" in html
    assert ("Edit the project" in html) == (who in WRITES_VN)
    assert ("New evaluation" in html) == (who in WRITES_VN)
    assert ("Recompute with the current factors" in html) == (who in WRITES_VN)


def test_the_project_page_lists_evaluations_newest_first(signed_in, world):
    make_evaluation(world["public"])
    client, _user = signed_in(EXPERT)
    html = client.get(url("project-detail", world["public"].pk)).content.decode()
    assert html.index("Evaluation 2") < html.index("Evaluation 1")


# --- project forms -------------------------------------------------------------------------------


def project_data(**changes):
    data = {
        "code": "vn-new",
        "title_en": "New boiler",
        "title_ja": "",
        "country": "VN",
        "sector": "energy",
        "status": "planned",
        "visibility": "members",
    }
    return {**data, **changes}


@pytest.mark.parametrize("who", WHO)
def test_who_creates_a_project(who, signed_in, world):
    client, _user = signed_in(who)
    response = client.post(url("project-create"), project_data())
    if who == PUBLIC:
        assert response.status_code == 302
        assert not CobenefitProject.objects.filter(code="vn-new").exists()
        return
    if who in WRITES_VN:
        assert response.status_code == 302
        project = CobenefitProject.objects.get(code="vn-new")
        assert response["Location"] == url("project-detail", project.pk)
    elif who == FOCAL_TH:  # VN is not among the countries offered to a Thai focal point
        assert response.status_code == 400
        assert not CobenefitProject.objects.filter(code="vn-new").exists()
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", [EXPERT, FOCAL_VN, FOCAL_TH, SECRETARIAT])
def test_who_edits_and_deletes(who, signed_in, world):
    client, _user = signed_in(who)
    project = world["public"]
    edit = client.get(url("project-edit", project.pk))
    delete = client.get(url("project-delete", project.pk))
    assert edit.status_code == delete.status_code == (200 if who in WRITES_VN else 403)
    hidden = client.get(url("project-edit", world["vn_secret"].pk))
    assert hidden.status_code == {FOCAL_VN: 200, SECRETARIAT: 200, FOCAL_TH: 404, EXPERT: 404}[who]


def test_an_edit_saves_and_a_stale_edit_is_refused_with_409(signed_in, world):
    client, _user = signed_in(FOCAL_VN)
    project = world["public"]
    data = project_data(code=project.code, title_en="Renamed", status="ongoing", version=project.version)
    assert client.post(url("project-edit", project.pk), data).status_code == 302
    project.refresh_from_db()
    assert project.title_en == "Renamed"
    assert project.status == "ongoing"
    stale = client.post(url("project-edit", project.pk), {**data, "title_en": "Mine", "version": 1})
    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.content.decode()
    project.refresh_from_db()
    assert project.title_en == "Renamed"


def test_a_service_refusal_is_shown_at_its_field(signed_in, world):
    client, _user = signed_in(SECRETARIAT)
    response = client.post(url("project-create"), project_data(code="vn-public"))
    assert response.status_code == 400
    assert "Another project already has this code" in response.content.decode()


def test_delete_with_the_version_and_409_when_stale(signed_in, world):
    client, _user = signed_in(SECRETARIAT)
    project = world["public"]
    assert client.post(url("project-delete", project.pk), {"version": project.version + 5}).status_code == 409
    assert CobenefitProject.objects.filter(pk=project.pk).exists()
    assert client.post(url("project-delete", project.pk), {"version": project.version}).status_code == 302
    assert not CobenefitProject.objects.filter(pk=project.pk).exists()
    assert not Evaluation.objects.filter(project_id=project.pk).exists()


# --- the structured evaluation form --------------------------------------------------------------


def plan_query(**counts):
    query = {"step": "parameters", "start": 2025, "end": 2027, "gwp": "AR5", "fod_convention": "ipcc2006"}
    for key, n in counts.items():
        side, method = key.split("__")
        query[count_name(side, method)] = n
    return query


def structured_post(**overrides):
    """The fuel switch of the builders, as the structured form posts it."""
    data = {
        "start": "2025",
        "end": "2027",
        "gwp": "AR5",
        "fod_convention": "ipcc2006",
        "label": "Boiler fuel switch",
        "note": "from the form",
        count_name("baseline", "stationary_combustion"): "1",
        count_name("project", "stationary_combustion"): "1",
        "baseline-0-fuel": "other_bituminous_coal",
        "baseline-0-fuel_quantity": "1000",
        "baseline-0-fuel_quantity__unit": "t",
        "baseline-0-sulphur_content": "0.8",
        "baseline-0-sulphur_content__unit": "%",
        "baseline-0-sulphur_content__grade": "measured",
        "project-0-fuel": "natural_gas",
        "project-0-fuel_quantity": "20",
        "project-0-fuel_quantity__unit": "TJ",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("who", [EXPERT, FOCAL_VN, FOCAL_TH, SECRETARIAT])
def test_who_may_open_the_evaluation_form(who, signed_in, world):
    client, _user = signed_in(who)
    response = client.get(url("evaluation-create", world["public"].pk))
    assert response.status_code == (200 if who in WRITES_VN else 403)
    assert client.get(url("evaluation-create", world["vn_secret"].pk)).status_code == (200 if who in WRITES_VN else 404)


def test_the_plan_leads_to_the_parameters_from_the_catalogue(signed_in, world):
    client, _user = signed_in(FOCAL_VN)
    plan = client.get(url("evaluation-create", world["public"].pk)).content.decode()
    assert "Stationary fuel combustion" in plan
    assert 'name="baseline__landfill_fod"' in plan
    query = plan_query(baseline__stationary_combustion=1, project__landfill_fod=2)
    response = client.get(url("evaluation-create", world["public"].pk), query)
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("baseline-0-fuel_quantity", "project-0-waste_deposited", "project-1-composition"):
        assert f'name="{name}"' in html, name
    # the default unit is pre-selected, the default factor shown beside the field
    assert '<option value="t" selected>t</option>' in html
    assert "combustion.so2_per_s" in html
    assert "Default factor" in html


def test_the_plan_needs_an_activity(signed_in, world):
    client, _user = signed_in(FOCAL_VN)
    response = client.get(url("evaluation-create", world["public"].pk), plan_query())
    assert response.status_code == 400
    assert "Add at least one activity" in response.content.decode()


def test_the_structured_form_round_trip_stores_what_the_json_request_would(signed_in, world):
    client, user = signed_in(FOCAL_VN)
    project = world["public"]
    response = client.post(url("evaluation-create", project.pk), structured_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    evaluation = Evaluation.objects.get(project=project, number=2)
    assert response["Location"] == url("evaluation-detail", evaluation.pk)
    assert evaluation.note == "from the form"
    assert evaluation.created_by == user
    request = evaluation.request
    assert request["baseline"]["activities"][0] == {
        "method": "stationary_combustion",
        "fuel": "other_bituminous_coal",
        "fuel_quantity": {"value": 1000.0, "unit": "t"},
        "sulphur_content": {"value": 0.8, "unit": "%", "grade": "measured"},
    }
    expected = make_evaluation(project, fuel_switch())
    assert evaluation.co2e_reduction == pytest.approx(expected.co2e_reduction)


def test_refresh_shows_the_resolved_default_factors_and_stores_nothing(signed_in, world):
    client, _user = signed_in(FOCAL_VN)
    response = client.post(url("evaluation-create", world["public"].pk), {**structured_post(), "action": "refresh"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "combustion.ef_co2.natural_gas" in html
    assert "56100" in html
    assert Evaluation.objects.filter(project=world["public"]).count() == 1


def test_an_engine_error_is_shown_at_its_field_and_nothing_is_stored(signed_in, world):
    client, _user = signed_in(FOCAL_VN)
    response = client.post(
        url("evaluation-create", world["public"].pk),
        structured_post(
            **{
                "baseline-0-sulphur_content": "120",
            }
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert Evaluation.objects.filter(project=world["public"]).count() == 1
    # the message sits in the field's own block and the summary links to the field
    assert 'id="id_baseline-0-sulphur_content_error"' in html
    assert 'href="#id_baseline-0-sulphur_content"' in html
    assert "Out of range" in html


def test_a_form_error_is_shown_at_its_field(signed_in, world):
    client, _user = signed_in(FOCAL_VN)
    data = structured_post(**{"project-0-fuel_quantity": "lots", "baseline-0-fuel": ""})
    response = client.post(url("evaluation-create", world["public"].pk), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_project-0-fuel_quantity_error"' in html
    assert "Enter a number." in html
    assert 'id="id_baseline-0-fuel_error"' in html
    assert "required by the method" in html
    assert Evaluation.objects.filter(project=world["public"]).count() == 1


def test_the_json_form_stores_and_names_bad_paths(signed_in, world):
    client, _user = signed_in(SECRETARIAT)
    project = world["public"]
    bad = fuel_switch()
    bad["baseline"]["activities"][0]["sulphur_content"] = {"value": 120, "unit": "%"}
    import json

    refused = client.post(url("evaluation-create-json", project.pk), {"request": json.dumps(bad)})
    assert refused.status_code == 400
    assert "baseline.activities[0].sulphur_content" in refused.content.decode()
    assert Evaluation.objects.filter(project=project).count() == 1
    stored = client.post(url("evaluation-create-json", project.pk), {"request": json.dumps(fuel_switch())})
    assert stored.status_code == 302
    assert Evaluation.objects.filter(project=project).count() == 2
    prefilled = client.get(url("evaluation-create-json", project.pk) + f"?from={world['evaluation'].pk}")
    assert "other_bituminous_coal" in prefilled.content.decode()


# --- stored evaluations --------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_the_evaluation_page_for_each_role(who, signed_in, world):
    client, _user = signed_in(who)
    hidden = make_evaluation(world["vn_secret"])
    response = client.get(url("evaluation-detail", world["evaluation"].pk))
    if who == PUBLIC:
        assert response.status_code == 302
        return
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Settings of the evaluation", "Totals over the years", "Calculation sheet", "<svg", "CO2e by year"):
        assert text in html, text
    assert ("Recompute with the current factors" in html) == (who in WRITES_VN)
    assert client.get(url("evaluation-detail", hidden.pk)).status_code == (200 if "vn-secret" in SEES[who] else 404)


def test_the_pdf_of_a_stored_evaluation(signed_in, world):
    client, _user = signed_in(EXPERT)
    response = client.get(url("evaluation-pdf", world["evaluation"].pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "vn-public-1" in response["Content-Disposition"]


@pytest.mark.parametrize("who", [EXPERT, FOCAL_VN, FOCAL_TH, SECRETARIAT])
def test_recompute_makes_a_new_evaluation_and_shows_the_difference(who, signed_in, world):
    client, _user = signed_in(who)
    evaluation = world["evaluation"]
    response = client.post(url("evaluation-recompute", evaluation.pk))
    if who not in WRITES_VN:
        assert response.status_code == 403
        assert Evaluation.objects.filter(project=evaluation.project).count() == 1
        return
    new = Evaluation.objects.get(project=evaluation.project, number=2)
    assert new.recomputed_from == evaluation
    assert response.status_code == 302
    assert response["Location"] == url("evaluation-difference", new.pk) + f"?other={evaluation.pk}"
    html = client.get(response["Location"]).content.decode()
    assert "Both evaluations have the same request." in html
    assert "Both evaluations used the same factor file versions." in html


def test_the_difference_table_shows_before_after_and_change(signed_in, world):
    from .test_projects_builders import NCV_COAL, newer_factors

    project = world["public"]
    newer = make_evaluation(project, factors=newer_factors())
    client, _user = signed_in(EXPERT)
    response = client.get(url("evaluation-difference", newer.pk) + f"?other={world['evaluation'].pk}")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Before", "After", "Change", "CO2e", "SO2", "Factor files whose version changed", NCV_COAL):
        assert text in html, text
    assert "-next" in html
    missing = client.get(url("evaluation-difference", newer.pk) + "?other=999999")
    assert "That evaluation was not found" in missing.content.decode()


def test_another_countrys_focal_point_cannot_evaluate_or_see_hidden(signed_in, world):
    client, _user = signed_in(FOCAL_TH)
    assert client.post(url("evaluation-create", world["public"].pk), structured_post()).status_code == 403
    assert client.post(url("evaluation-create", world["vn_secret"].pk), structured_post()).status_code == 404
    CountryFactory(code="TH")
    own = client.post(url("project-create"), project_data(code="th-new", country="TH"))
    assert own.status_code == 302


# --- uncertainty of a stored evaluation -------------------------------------------------------------------------


def test_the_evaluation_page_shows_the_interval_of_the_stored_request_with_the_current_files(signed_in, world):
    from cleanasia.engines.cobenefits import monte_carlo

    client, _user = signed_in(EXPERT)
    evaluation = world["evaluation"]
    expected = monte_carlo(evaluation.request, draws=2_000, seed=0).totals["co2e"]["reduction"]
    html = client.get(url("evaluation-detail", evaluation.pk)).content.decode()
    assert "Uncertainty of the totals" in html
    assert "Seed 0, 2000 draws" in html
    for value in (expected.median, expected.low, expected.high):
        assert sheet.format_number(value) in html
    assert expected.low <= expected.median <= expected.high
    assert "The interval uses the current factor files" not in html
    section = re.compile(r'<section aria-labelledby="uncertainty-heading".*?</section>', re.S)
    again = client.get(url("evaluation-detail", evaluation.pk)).content.decode()
    assert section.search(html).group(0) == section.search(again).group(0)  # same seed, same numbers
    assert not Evaluation.objects.exclude(pk=evaluation.pk).filter(project=evaluation.project).exists()


def test_an_evaluation_stored_with_other_factor_files_says_the_interval_uses_the_current_ones(signed_in, world):
    from .test_projects_builders import newer_factors

    older = make_evaluation(world["public"], factors=newer_factors())
    client, _user = signed_in(EXPERT)
    html = client.get(url("evaluation-detail", older.pk)).content.decode()
    assert "Uncertainty of the totals" in html
    assert "The interval uses the current factor files" in html
