"""Builders shared by the research tests: fields and groups by the ORM (other areas own their services),
projects, outputs and milestones through this area's services, as users would make them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from cleanasia.network.models import Field, ResearchProject, WorkingGroup, WorkingGroupMember
from cleanasia.network.services import research as services

from ..factories import CountryFactory, OrganisationFactory, PersonFactory

_seq = itertools.count(1)
START = dt.date(2025, 4, 1)


def make_field(code: str = "air", *, is_active: bool = True) -> Field:
    field, _created = Field.objects.get_or_create(
        code=code, defaults={"name_en": code.title(), "name_ja": code, "is_active": is_active}
    )
    return field


def make_group(field: Field | None = None, code: str | None = None, **kwargs: Any) -> WorkingGroup:
    field = field or make_field()
    return WorkingGroup.objects.create(
        field=field, code=code or f"wg-{field.code}-{next(_seq)}", name_en=f"WG {field.code}", **kwargs
    )


def make_member(group: WorkingGroup, user: Any, *, started_on: dt.date | None = None, ended_on=None):
    """Make `user` (through their directory person) a member of `group`, from a year ago unless given."""
    person = PersonFactory(user=user)
    return WorkingGroupMember.objects.create(
        group=group,
        person=person,
        started_on=started_on or timezone.localdate() - dt.timedelta(days=365),
        ended_on=ended_on,
    )


def organisation(country: str = "JP", **kwargs: Any):
    return OrganisationFactory(country=CountryFactory(code=country), **kwargs)


def make_project(
    *,
    field: Field | None = None,
    code: str | None = None,
    visibility: str = "public",
    lead: Any = None,
    partners: tuple = (),
    starts_on: dt.date = START,
    ends_on: dt.date | None = None,
    **kwargs: Any,
) -> ResearchProject:
    return services.project_create(
        actor=None,
        code=code or f"proj-{next(_seq)}",
        field=field or make_field(),
        lead_organisation=lead or organisation("JP"),
        partner_organisations=partners,
        starts_on=starts_on,
        ends_on=ends_on,
        title_en=kwargs.pop("title_en", "Joint study of urban air"),
        title_ja=kwargs.pop("title_ja", "都市大気の共同研究"),
        visibility=visibility,
        **kwargs,
    )


def set_status(project: ResearchProject, *statuses: str) -> ResearchProject:
    for status in statuses:
        project = services.project_set_status(
            actor=None, project=project, expected_version=project.version, status=status
        )
    return project
