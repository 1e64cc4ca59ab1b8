"""Builders shared by the packages tests: packages, case studies and needs through this area's services."""

from __future__ import annotations

import itertools
from typing import Any

from cleanasia.network.models import CountryNeed, KnowHowPackage, PackageCase
from cleanasia.network.services import packages as services

from ..factories import CountryFactory
from .test_research_builders import make_field, organisation

_seq = itertools.count(1)


def make_package(
    *,
    code: str | None = None,
    fields: tuple[str, ...] = ("waste",),
    kind: str = "technology",
    visibility: str = "public",
    **kwargs: Any,
) -> KnowHowPackage:
    return services.package_create(
        actor=None,
        code=code or f"pkg-{next(_seq)}",
        kind=kind,
        fields=[make_field(f) for f in fields],
        title_en=kwargs.pop("title_en", "Package"),
        title_ja=kwargs.pop("title_ja", "パッケージ"),
        problem_en=kwargs.pop("problem_en", "Landfills overflow"),
        visibility=visibility,
        **kwargs,
    )


def make_case(package: KnowHowPackage, country: str = "VN", **kwargs: Any) -> PackageCase:
    return services.case_add(
        actor=None,
        package=package,
        country=CountryFactory(code=country),
        title_en=kwargs.pop("title_en", f"Case in {country}"),
        **kwargs,
    )


def make_need(
    *, country: str = "VN", field: str = "waste", visibility: str = "secretariat", actor: Any = None, **kwargs: Any
) -> CountryNeed:
    return services.need_submit(
        actor=actor,
        country=CountryFactory(code=country),
        field=make_field(field),
        title_en=kwargs.pop("title_en", "Municipal waste"),
        visibility=visibility,
        **kwargs,
    )


__all__ = ["make_case", "make_field", "make_need", "make_package", "organisation"]
