"""Demonstration data of the co-benefits module: plausible, deterministic, idempotent and removable."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from cleanasia.cobenefits.models import CobenefitProject, Evaluation
from cleanasia.cobenefits.project_services import linked_measure_ids
from cleanasia.core.models import DemoDataset
from cleanasia.engines.cobenefits import evaluate
from cleanasia.measures.models import MeasureLink

pytestmark = pytest.mark.django_db


def cobenefits_demo():
    """The module, imported late: importing it registers its generator, and the registry runs the generators
    in the order they were registered (the measures' must come first, as in INSTALLED_APPS)."""
    from cleanasia.cobenefits import demo

    return demo


@pytest.fixture(autouse=True)
def cobenefits_and_its_prerequisites_only(demo_modules):
    """Co-benefits and the measures it links to; the network's (heavy) generator is not run."""
    demo_modules("accounts", "directory", "measures", "cobenefits")


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    call_command("load_reference", stdout=io.StringIO())
    seed(scale=1, seed=1)


def snapshot() -> list[tuple]:
    return list(
        Evaluation.objects.order_by("project__code", "number").values_list(
            "project__code", "project__country_id", "project__sector", "project__visibility", "number", "co2e_reduction"
        )
    )


def test_scale_one_gives_thirty_projects_across_asean_plus_three_with_evaluations(seeded):
    projects = CobenefitProject.objects.filter(is_demo=True)
    assert projects.count() == 30
    assert set(projects.values_list("country_id", flat=True)) <= set(cobenefits_demo().ASEAN_PLUS_THREE)
    assert len(set(projects.values_list("country_id", flat=True))) >= 6
    assert {"waste", "wastewater"} <= set(projects.values_list("sector", flat=True))
    assert "public" in set(projects.values_list("visibility", flat=True))
    per_project = Counter(Evaluation.objects.values_list("project_id", flat=True))
    assert len(per_project) == 30
    assert set(per_project.values()) <= {1, 2}
    assert 2 in per_project.values()
    assert not Evaluation.objects.filter(is_demo=False).exists()
    # Evaluated by the engine: the stored result is what the engine gives for the stored request.
    evaluation = Evaluation.objects.order_by("pk").first()
    assert evaluate(evaluation.request).total("co2e", "reduction") == pytest.approx(evaluation.co2e_reduction)
    # Linked to the progress module's demonstration measures, some projects to two.
    links = linked_measure_ids(projects.values_list("pk", flat=True))
    assert links
    assert max(len(ids) for ids in links.values()) == 2


def test_wastewater_projects_use_their_own_countrys_factors(seeded):
    for evaluation in Evaluation.objects.filter(project__sector="wastewater"):
        activity = evaluation.request["baseline"]["activities"][0]
        assert activity["country"] == evaluation.project.country_id
        assert activity["country"] in cobenefits_demo().WASTEWATER_COUNTRIES


def test_same_seed_same_data_and_seeding_again_changes_nothing(seeded):
    first = snapshot()
    out = seed(scale=1, seed=1)
    assert "cobenefits: already loaded" in out
    assert snapshot() == first
    seed(scale=1, seed=1, reset=True)
    assert snapshot() == first
    seed(scale=1, seed=2)  # another seed replaces the data
    assert snapshot() != first
    assert DemoDataset.objects.get(module="cobenefits").seed == 2


def test_reset_removes_the_demonstration_rows_and_links_but_keeps_real_ones(seeded):
    real = CobenefitProject.objects.create(code="real-one", title_en="Real", country_id="VN", sector="energy")
    from cleanasia.core.demo import autodiscover, reset_demo_data

    reset_demo_data(autodiscover(), stdout=io.StringIO())
    assert list(CobenefitProject.objects.all()) == [real]
    assert not Evaluation.objects.exists()
    assert not MeasureLink.objects.filter(target_type__model="cobenefitproject").exists()
    assert not DemoDataset.objects.filter(module="cobenefits").exists()


def test_requests_vary_the_worked_examples_by_a_scale_factor():
    base = cobenefits_demo().build_request("boiler", factor=1, start=2026, country="TH")
    double = cobenefits_demo().build_request("boiler", factor=2, start=2030, country="TH")
    assert double["years"] == {"start": 2030, "end": 2034}
    quantity = "fuel_quantity"
    for side in ("baseline", "project"):
        assert double[side]["activities"][0][quantity]["value"] == 2 * base[side]["activities"][0][quantity]["value"]
    assert evaluate(double).total("co2e", "reduction") == pytest.approx(2 * evaluate(base).total("co2e", "reduction"))
    revised = cobenefits_demo().build_request("composting", factor=1, start=2026, country="VN", project_factor=1.1)
    assert revised["project"]["activities"][1]["waste_treated"]["value"] == 13200
