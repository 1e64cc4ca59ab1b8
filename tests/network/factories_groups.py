"""Builders of fields, working groups and their members for the tests of the groups area, through the
services (actor None: the system), as the application builds them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from cleanasia.directory.models import CountryGroup, GroupMembership
from cleanasia.framework.models import FrameworkNode, NodeKind
from cleanasia.network.models import Field, WorkingGroup, WorkingGroupMember
from cleanasia.network.services import groups as services

from ..factories import CountryFactory, PersonFactory

_seq = itertools.count(1)
EAS_TODAY = ("JP", "VN", "TH", "KH")
LONG_AGO = dt.date(2000, 1, 1)


def network_node() -> FrameworkNode:
    """The framework's line for the network, as the reference data has it (code M)."""
    node, _created = FrameworkNode.objects.get_or_create(
        code="M",
        defaults={
            "kind": NodeKind.MEANS,
            "title_ja": "東アジア首脳会議環境大臣会合、アジア環境研究・研修ネットワーク構想等",
            "title_en": "EAS Environment Ministers Meeting, the research and training network and other means",
        },
    )
    return node


def eas(members: tuple[str, ...] = EAS_TODAY, since: dt.date = LONG_AGO) -> CountryGroup:
    group, _created = CountryGroup.objects.get_or_create(code="eas", defaults={"name_en": "EAS", "name_ja": "EAS"})
    for code in members:
        GroupMembership.objects.get_or_create(
            group=group, country=CountryFactory(code=code), defaults={"joined_on": since}
        )
    return group


def make_field(code: str | None = None, **kwargs: Any) -> Field:
    n = next(_seq)
    return services.field_create(
        actor=None,
        code=code or f"field-{n}",
        name_en=kwargs.pop("name_en", f"Field {n}"),
        name_ja=kwargs.pop("name_ja", f"分野{n}"),
        **kwargs,
    )


def make_wg(
    code: str | None = None,
    *,
    field: Field | None = None,
    chairs: tuple[str, ...] = ("JP",),
    co_chairs: tuple[str, ...] = ("VN",),
    membership_group: Any = "eas",
    **kwargs: Any,
) -> WorkingGroup:
    """A working group (with its measure under the network's line, and its series for the EAS members)."""
    network_node()
    n = next(_seq)
    if membership_group == "eas":
        membership_group = eas()
    return services.working_group_create(
        actor=None,
        field=field or make_field(),
        code=code or f"wg-{n}",
        name_en=kwargs.pop("name_en", f"Working group {n}"),
        name_ja=kwargs.pop("name_ja", f"作業部会{n}"),
        chair_countries=[CountryFactory(code=c) for c in chairs],
        co_chair_countries=[CountryFactory(code=c) for c in co_chairs],
        membership_group=membership_group,
        **kwargs,
    )


def add_member(
    group: WorkingGroup,
    *,
    country: str = "TH",
    role: str = "member",
    started_on: dt.date = LONG_AGO,
    ended_on: dt.date | None = None,
    user: Any = None,
    person: Any = None,
) -> WorkingGroupMember:
    """A person of `country` (with the account `user`, if given) added to the group."""
    person = person or PersonFactory(country=CountryFactory(code=country), user=user)
    return services.group_member_add(
        actor=None,
        group=group,
        person=person,
        role=role,
        started_on=started_on,
        ended_on=ended_on,
        country=CountryFactory(code=country),
    )
