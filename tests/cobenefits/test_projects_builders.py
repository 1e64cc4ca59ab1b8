"""Builders of stored co-benefit projects and evaluations (through the services, as the application builds
them), and the checks of the builders themselves."""

from __future__ import annotations

import copy
import dataclasses
import itertools
from typing import Any

import pytest

from cleanasia.cobenefits import project_services as services
from cleanasia.cobenefits.models import CobenefitProject, Evaluation
from cleanasia.engines.cobenefits import FactorSet, default_factors

from ..factories import CountryFactory

_seq = itertools.count(1)

FUEL_SWITCH: dict[str, Any] = {
    "label": "Boiler fuel switch, coal to natural gas",
    "years": {"start": 2025, "end": 2027},
    "gwp": "AR5",
    "baseline": {
        "activities": [
            {
                "method": "stationary_combustion",
                "fuel": "other_bituminous_coal",
                "fuel_quantity": {"value": 1000, "unit": "t"},
                "sulphur_content": {"value": 0.8, "unit": "%", "grade": "measured"},
            }
        ]
    },
    "project": {
        "activities": [
            {"method": "stationary_combustion", "fuel": "natural_gas", "fuel_quantity": {"value": 20, "unit": "TJ"}}
        ]
    },
}

NCV_COAL = "combustion.ncv.other_bituminous_coal"


def fuel_switch() -> dict[str, Any]:
    return copy.deepcopy(FUEL_SWITCH)


def bad_sulphur() -> dict[str, Any]:
    """The fuel switch with a sulphur content over 100 %."""
    request = fuel_switch()
    request["baseline"]["activities"][0]["sulphur_content"] = {"value": 120, "unit": "%"}
    return request


def newer_factors() -> FactorSet:
    """The shipped library with a newer combustion file: the coal's net calorific value 10 % higher."""
    base = default_factors()
    ncv = base.get(NCV_COAL)
    return dataclasses.replace(
        base,
        factors={**base.factors, NCV_COAL: dataclasses.replace(ncv, value=ncv.value * 1.1)},
        versions={**base.versions, "combustion": f"{base.versions['combustion']}-next"},
    )


def make_project(*, country: str = "VN", visibility: str = "public", **kwargs: Any) -> CobenefitProject:
    n = next(_seq)
    return services.project_create(
        actor=kwargs.pop("actor", None),
        code=kwargs.pop("code", f"cb-{n}"),
        country=CountryFactory(code=country),
        sector=kwargs.pop("sector", "energy"),
        title_en=kwargs.pop("title_en", f"Boiler {n}"),
        title_ja=kwargs.pop("title_ja", f"ボイラー{n}"),
        visibility=visibility,
        **kwargs,
    )


def make_evaluation(project: CobenefitProject, request: dict[str, Any] | None = None, **kwargs: Any) -> Evaluation:
    return services.evaluation_create(
        actor=kwargs.pop("actor", None), project=project, request=request or fuel_switch(), **kwargs
    )


@pytest.mark.django_db
def test_the_builders_make_a_project_with_an_evaluation():
    project = make_project()
    evaluation = make_evaluation(project)
    assert project.version == 1
    assert project.status == "planned"
    assert evaluation.number == 1
    assert evaluation.co2e_reduction == pytest.approx(evaluation.result["co2e"]["total"]["reduction"])
    assert newer_factors().versions["combustion"].endswith("-next")
