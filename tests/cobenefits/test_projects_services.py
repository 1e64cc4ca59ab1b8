"""Services of stored projects and evaluations: what is stored, numbering, recomputing with newer factor files
and the difference, bad input storing nothing, stale edits, measure links, who may write."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cleanasia.accounts.models import Role
from cleanasia.cobenefits import project_services as services
from cleanasia.cobenefits.models import CobenefitProject, Evaluation
from cleanasia.core.concurrency import StaleEditError
from cleanasia.measures.models import MeasureLink

from ..factories import CountryFactory
from ..measures.factories import make_measure
from .test_projects_builders import NCV_COAL, bad_sulphur, fuel_switch, make_evaluation, make_project, newer_factors

pytestmark = pytest.mark.django_db


def test_an_evaluation_keeps_its_full_input_factor_versions_result_and_totals():
    project = make_project()
    evaluation = make_evaluation(project, note="  first  ")
    assert evaluation.request == fuel_switch()
    assert evaluation.gwp == "AR5"
    assert evaluation.fod_convention == "ipcc2006"
    assert evaluation.factor_versions == evaluation.result["factor_versions"]
    assert "combustion" in evaluation.factor_versions
    assert set(evaluation.totals) >= {"co2", "ch4", "n2o", "so2", "co2e"}
    assert evaluation.totals["so2"] == evaluation.result["species"]["so2"]["total"]
    assert evaluation.co2e_reduction == evaluation.totals["co2e"]["reduction"] > 0
    assert evaluation.note == "first"
    assert evaluation.result["lines"], "the working is kept"


def test_a_stored_evaluation_is_never_saved_again():
    evaluation = make_evaluation(make_project())
    evaluation.note = "changed"
    with pytest.raises(ValueError, match="never changed"):
        evaluation.save()
    evaluation.refresh_from_db()
    assert evaluation.note == ""


def test_evaluations_are_numbered_per_project():
    first, second = make_project(), make_project()
    assert [make_evaluation(first).number, make_evaluation(first).number, make_evaluation(second).number] == [1, 2, 1]


def test_a_refused_request_names_each_field_and_stores_nothing():
    project = make_project()
    with pytest.raises(services.EvaluationRefused) as caught:
        make_evaluation(project, request=bad_sulphur())
    assert "request.baseline.activities.0.sulphur_content" in caught.value.message_dict
    assert caught.value.field_errors[0].path == "baseline.activities[0].sulphur_content"
    with pytest.raises(services.EvaluationRefused) as caught:
        make_evaluation(project, request=["not", "an", "object"])
    assert set(caught.value.message_dict) == {"request"}
    assert not Evaluation.objects.exists()


def test_recomputing_with_newer_factors_makes_a_new_evaluation_and_shows_the_difference():
    project = make_project()
    stored = make_evaluation(project)
    again = services.evaluation_recompute(actor=None, evaluation=stored, factors=newer_factors())
    stored.refresh_from_db()
    assert (again.number, again.recomputed_from_id, again.request) == (2, stored.pk, stored.request)
    assert stored.number == 1
    assert stored.factor_versions["combustion"] != again.factor_versions["combustion"]

    difference = services.evaluation_difference(stored, again)
    assert difference["factor_versions"] == [
        {
            "file": "combustion",
            "before": stored.factor_versions["combustion"],
            "after": again.factor_versions["combustion"],
        }
    ]
    assert [f["factor_id"] for f in difference["factors"]] == [NCV_COAL]
    assert difference["factors"][0]["after"]["value"] == pytest.approx(
        difference["factors"][0]["before"]["value"] * 1.1
    )
    co2 = difference["totals"]["co2"]["baseline"]
    assert co2["after"] == pytest.approx(co2["before"] * 1.1)
    assert co2["change"] == pytest.approx(co2["after"] - co2["before"])
    # The project side burns gas: unchanged.
    assert difference["totals"]["co2"]["project"]["change"] == pytest.approx(0)
    assert difference["totals"]["co2e"]["reduction"]["change"] > 0
    assert not difference["request_changed"]
    assert not difference["overrides_changed"]


def test_recomputing_with_the_same_factors_changes_no_number():
    stored = make_evaluation(make_project())
    again = services.evaluation_recompute(actor=None, evaluation=stored)
    difference = services.evaluation_difference(stored, again)
    assert difference["factor_versions"] == []
    assert difference["factors"] == []
    assert all(side["change"] == 0 for sides in difference["totals"].values() for side in sides.values())


def test_a_project_is_edited_from_its_version_and_a_stale_edit_is_refused():
    project = make_project()
    updated = services.project_update(
        actor=None, project=project, expected_version=1, changes={"status": "ongoing", "title_en": " New "}
    )
    assert (updated.version, updated.status, updated.title_en) == (2, "ongoing", "New")
    with pytest.raises(StaleEditError):
        services.project_update(actor=None, project=project, expected_version=1, changes={"status": "completed"})
    with pytest.raises(StaleEditError):
        services.project_delete(actor=None, project=project, expected_version=1)
    assert updated.history.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "Not A Code"}, "code"),
        ({"title_ja": "", "title_en": " "}, "title_ja"),
        ({"sector": "mining"}, "sector"),
        ({"status": "abandoned"}, "status"),
        ({"visibility": "everyone"}, "visibility"),
        ({"number": 3}, "number"),
    ],
)
def test_bad_project_data_is_refused_naming_the_field(changes, field):
    project = make_project()
    with pytest.raises(ValidationError) as caught:
        services.project_update(actor=None, project=project, expected_version=1, changes=changes)
    assert field in caught.value.message_dict
    project.refresh_from_db()
    assert project.version == 1


def test_a_code_is_unique():
    make_project(code="vn-boiler")
    with pytest.raises(ValidationError) as caught:
        make_project(code="vn-boiler")
    assert "code" in caught.value.message_dict


def test_deleting_a_project_takes_its_evaluations_and_measure_links():
    measure = make_measure(visibility="public")
    project = make_project(measures=[measure])
    make_evaluation(project)
    assert MeasureLink.objects.filter(target_id=project.pk, measure=measure).exists()
    services.project_delete(actor=None, project=project, expected_version=1)
    assert not CobenefitProject.objects.exists()
    assert not Evaluation.objects.exists()
    assert not MeasureLink.objects.exists()


def test_measures_are_linked_and_replaced():
    first, second = make_measure(visibility="public"), make_measure(visibility="public")
    project = make_project(measures=[first])
    services.project_update(actor=None, project=project, expected_version=1, changes={"measures": [second]})
    assert services.linked_measure_ids([project.pk]) == {project.pk: [second.pk]}


def test_focal_points_write_projects_of_their_own_country_only(make_user):
    focal = make_user(Role.FOCAL_POINT)  # VN
    project = make_project(actor=focal, country="VN")
    make_evaluation(project, actor=focal)
    with pytest.raises(PermissionDenied):
        make_project(actor=focal, country="TH")
    with pytest.raises(PermissionDenied):
        services.project_update(
            actor=focal, project=project, expected_version=1, changes={"country": CountryFactory(code="TH")}
        )
    other = make_user(Role.FOCAL_POINT, country="TH")
    with pytest.raises(PermissionDenied):
        make_evaluation(project, actor=other)
    with pytest.raises(PermissionDenied):
        services.project_delete(actor=other, project=project, expected_version=1)
    expert = make_user(Role.EXPERT)
    with pytest.raises(PermissionDenied):
        make_project(actor=expert)
