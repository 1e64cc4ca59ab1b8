"""Factories of the progress module: records built through the services, as the application builds them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from cleanasia.framework.models import NodeKind
from cleanasia.measures import services
from cleanasia.measures.models import Indicator, Measure, ReportingPeriod, Result

from ..factories import CountryFactory, FrameworkNodeFactory

_seq = itertools.count(1)


def goal_with_line(code: str | None = None) -> tuple[Any, Any]:
    """A goal and one line under it (measures hang under lines)."""
    n = next(_seq)
    goal = FrameworkNodeFactory(kind=NodeKind.GOAL, code=code or f"G{n}")
    line = FrameworkNodeFactory(kind=NodeKind.DIRECTION, code=f"{goal.code}.L{n}", parent=goal)
    return goal, line


def make_measure(
    *,
    node: Any = None,
    owner: Any = None,
    visibility: str = "secretariat",
    countries: tuple[str, ...] = (),
    status: str = "ongoing",
    code: str | None = None,
    **kwargs: Any,
) -> Measure:
    if node is None:
        _goal, node = goal_with_line()
    return services.measure_create(
        actor=None,
        framework_node=node,
        code=code or f"M-{next(_seq):04d}",
        title_ja=kwargs.pop("title_ja", "施策"),
        title_en=kwargs.pop("title_en", "Measure"),
        owner=owner,
        visibility=visibility,
        partner_countries=[CountryFactory(code=c) for c in countries],
        status=status,
        **kwargs,
    )


def make_result(measure: Measure | None = None, level: str = "outcome") -> Result:
    return services.result_create(actor=None, measure=measure or make_measure(), level=level, title_ja="成果")


def make_indicator(
    measure: Measure | None = None,
    *,
    unit: str = "t CO2e",
    direction: str = "increase",
    public_approved: bool = False,
    **kwargs: Any,
) -> Indicator:
    return services.indicator_create(
        actor=None,
        result=make_result(measure),
        code=kwargs.pop("code", f"IND-{next(_seq):05d}"),
        title_ja="指標",
        title_en="Indicator",
        unit=unit,
        direction=direction,
        public_approved=public_approved,
        **kwargs,
    )


def make_period(
    kind: str = "quarter", fiscal_year: int = 2026, number: int = 1, *, open: bool = True
) -> ReportingPeriod:
    period = services.period_create(actor=None, kind=kind, fiscal_year=fiscal_year, number=number)
    if open:
        period = services.period_open(actor=None, period=period)
    return period


def make_milestone(measure: Measure, due_on: dt.date, owner: Any = None) -> Any:
    return services.milestone_create(actor=None, measure=measure, title_ja="節目", due_on=due_on, owner=owner)
