"""Demonstration data of the co-benefits module: 30 co-benefit projects per unit of scale across the ASEAN+3
countries, each with one or two stored evaluations computed by the engine.

Every request is one of the three worked examples (data/examples/: a coal boiler switched to natural gas, food
waste composted instead of landfilled, a wastewater lagoon replaced by a reactor with flaring) varied by a scale
factor on its quantities (fuel, waste, population) and a start year; a wastewater project uses its own country's
factors, so those projects go to the countries the library has wastewater factors for. About two in five
projects have a second evaluation: the same project after a revised design (the project side's quantities
changed). Where the measures and network modules have their demonstration data, projects are linked to
measures (some to two, so that the portfolio shows a project counted under both) and to working groups.

Drawn from the module's own random generator and reading the database in a fixed order, so two databases
seeded alike hold the same projects and numbers. Everything goes through project_services (policies checked
as the system, history marked); every row is `is_demo`.
"""

from __future__ import annotations

import copy
import random
from typing import Any, TextIO

from django.contrib.contenttypes.models import ContentType

from cleanasia.core.demo import register
from cleanasia.core.models import Visibility
from cleanasia.directory.models import Country
from cleanasia.measures.models import Measure, MeasureLink
from cleanasia.network.models import KnowHowPackage, WorkingGroup

from . import project_services
from .models import CobenefitProject, Evaluation, ProjectStatus, Sector
from .views.examples import examples

PROJECTS_PER_SCALE = 30
ASEAN_PLUS_THREE = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "CN", "JP", "KR"]
# Countries with country-specific wastewater factors in the engine's library (of ASEAN+3).
WASTEWATER_COUNTRIES = ["CN", "ID", "JP", "KR", "MY", "PH", "TH", "VN"]
VISIBILITY_WEIGHTS = {Visibility.PUBLIC: 5, Visibility.MEMBERS: 3, Visibility.SECRETARIAT: 2}
STATUS_WEIGHTS = {ProjectStatus.PLANNED: 3, ProjectStatus.ONGOING: 4, ProjectStatus.COMPLETED: 2}

# The three kinds of project: the example they vary, its sector(s), the quantities scaled and short titles.
KINDS = {
    "boiler": {
        "example": "coal_boiler_to_gas",
        "sectors": [Sector.INDUSTRY, Sector.ENERGY],
        "quantities": ["fuel_quantity"],
        "title_en": "Coal boiler to natural gas",
        "title_ja": "石炭ボイラーの天然ガス転換",
    },
    "composting": {
        "example": "landfill_food_waste_composting",
        "sectors": [Sector.WASTE],
        "quantities": ["waste_deposited", "waste_treated"],
        "title_en": "Food waste composting instead of landfill",
        "title_ja": "食品廃棄物の埋立から堆肥化への転換",
    },
    "wastewater": {
        "example": "wastewater_lagoon_to_reactor",
        "sectors": [Sector.WASTEWATER],
        "quantities": ["population"],
        "title_en": "Wastewater lagoon to anaerobic reactor with flaring",
        "title_ja": "排水ラグーンから嫌気性反応槽(フレア付き)への更新",
    },
}
KIND_WEIGHTS = {"boiler": 4, "composting": 3, "wastewater": 3}
SCALE_FACTORS = [0.25, 0.4, 0.5, 0.6, 0.75, 0.8, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0]


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _scaled(quantity: dict[str, Any], factor: float) -> dict[str, Any]:
    value = quantity["value"] * factor
    return {**quantity, "value": round(value) if value >= 100 else round(value, 2)}


def build_request(kind: str, *, factor: float, start: int, country: str, project_factor: float = 1.0) -> dict[str, Any]:
    """The example of `kind` with its quantities multiplied by `factor` (the project side's also by
    `project_factor`: a revised design), its years shifted to begin in `start`, its activities in `country`."""
    spec = KINDS[kind]
    request = copy.deepcopy(examples()[spec["example"]].request)
    length = request["years"]["end"] - request["years"]["start"]
    request["years"] = {"start": start, "end": start + length}
    for side in ("baseline", "project"):
        side_factor = factor * (project_factor if side == "project" else 1.0)
        for activity in request[side]["activities"]:
            if "country" in activity:
                activity["country"] = country
            for name in spec["quantities"]:
                if name in activity:
                    activity[name] = _scaled(activity[name], side_factor)
    if kind == "wastewater":  # populations are whole people
        for side in ("baseline", "project"):
            for activity in request[side]["activities"]:
                activity["population"]["value"] = int(activity["population"]["value"])
    request["label"] = f"{request['label']} ×{factor:g}"
    return request


def _world() -> dict[str, Any]:
    """What other modules' demonstration data offer to link to (empty lists where they are not loaded)."""
    return {
        "countries": {c.code: c for c in Country.objects.filter(code__in=ASEAN_PLUS_THREE).order_by("code")},
        "measures": list(Measure.objects.filter(is_demo=True, kind="measure").order_by("code")),
        "groups": list(WorkingGroup.objects.filter(is_demo=True).select_related("measure").order_by("code")),
        "packages": list(KnowHowPackage.objects.filter(is_demo=True).order_by("code")),
    }


def _links(rng: random.Random, world: dict[str, Any]) -> tuple[Any, list[Measure]]:
    """A working group (or None) and zero, one or two measures: the group's own measure first, if any."""
    group = rng.choice(world["groups"]) if world["groups"] and rng.random() < 0.5 else None
    measures: list[Measure] = []
    if group is not None and group.measure_id:
        measures.append(group.measure)
    if world["measures"]:
        draw = rng.random()
        wanted = 2 if draw < 0.25 else 1 if draw < 0.7 else 0
        for measure in rng.sample(world["measures"], min(len(world["measures"]), 2)):
            if len(measures) >= wanted:
                break
            if measure.pk not in {m.pk for m in measures}:
                measures.append(measure)
    return group, measures


def generate(rng: random.Random, scale: int, stdout: TextIO) -> dict[str, Any]:
    """Create 30 × scale projects with their evaluations (see the module docstring)."""
    world = _world()
    countries = world["countries"]
    general = [code for code in ASEAN_PLUS_THREE if code in countries]
    wastewater = [code for code in WASTEWATER_COUNTRIES if code in countries]
    projects = evaluations = links = 0
    for index in range(1, PROJECTS_PER_SCALE * scale + 1):
        kind = _pick(rng, KIND_WEIGHTS)
        spec = KINDS[kind]
        country = countries[rng.choice(wastewater if kind == "wastewater" else general)]
        factor = rng.choice(SCALE_FACTORS)
        start = rng.randint(2022, 2028)
        group, measures = _links(rng, world)
        package = rng.choice(world["packages"]) if world["packages"] and rng.random() < 0.3 else None
        place_en, place_ja = country.name_en or country.code, country.name_ja or country.name_en or country.code
        project = project_services.project_create(
            actor=None,
            code=f"demo-{index:04d}-{kind}-{country.code.lower()}",
            country=country,
            sector=rng.choice(spec["sectors"]),
            title_en=f"{spec['title_en']}, {place_en} ({index})",
            title_ja=f"{spec['title_ja']}({place_ja}、{index})",
            package=package,
            working_group=group,
            measures=measures,
            status=_pick(rng, STATUS_WEIGHTS),
            visibility=_pick(rng, VISIBILITY_WEIGHTS),
            is_demo=True,
        )
        projects += 1
        links += len(measures)
        request = build_request(kind, factor=factor, start=start, country=country.code)
        project_services.evaluation_create(
            actor=None, project=project, request=request, note="Feasibility study (demonstration)"
        )
        evaluations += 1
        if rng.random() < 0.4:
            revised = build_request(
                kind,
                factor=factor,
                start=start,
                country=country.code,
                project_factor=rng.choice([0.85, 0.9, 1.1, 1.15]),
            )
            project_services.evaluation_create(
                actor=None, project=project, request=revised, note="Revised design (demonstration)"
            )
            evaluations += 1
    return {"projects": projects, "evaluations": evaluations, "measure links": links}


def _delete_demo_rows() -> int:
    """The measure links of the demonstration projects (the registry then deletes the records)."""
    ids = list(CobenefitProject.objects.filter(is_demo=True).values_list("pk", flat=True))
    links = MeasureLink.objects.filter(
        target_type=ContentType.objects.get_for_model(CobenefitProject), target_id__in=ids
    )
    return links.delete()[0]


# Deleted in this order (dependants first) by the registry after `_delete_demo_rows`.
DELETION_ORDER = [Evaluation, CobenefitProject]

register("cobenefits", generate, models=DELETION_ORDER, before_reset=_delete_demo_rows)
