"""Plain builders of meetings records for tests of every area (direct ORM: no area's services needed).

Area tests that exercise a service build through that service; these are for the records around it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from cleanasia.directory.models import CountryGroup, GroupMembership
from cleanasia.meetings.models import Meeting, MeetingSeries

from ..factories import CountryFactory

_seq = itertools.count(1)
ASEAN_PLUS = ("JP", "VN", "TH")


def make_group(code: str = "TESTGRP", members: tuple[str, ...] = ASEAN_PLUS, since: dt.date = dt.date(2000, 1, 1)):
    group, _ = CountryGroup.objects.get_or_create(code=code, defaults={"name_en": code, "name_ja": code})
    for country in members:
        GroupMembership.objects.get_or_create(
            group=group, country=CountryFactory(code=country), defaults={"joined_on": since}
        )
    return group


def make_series(
    code: str | None = None, *, level: str = "ministerial", group: Any = None, **kwargs: Any
) -> MeetingSeries:
    n = next(_seq)
    return MeetingSeries.objects.create(
        code=code or f"TS{n}",
        title_en=kwargs.pop("title_en", f"Test series {n}"),
        title_ja=kwargs.pop("title_ja", f"テスト会合{n}"),
        level=level,
        membership_group=group if group is not None else make_group(),
        visibility=kwargs.pop("visibility", "public"),
        **kwargs,
    )


def make_meeting(
    series: MeetingSeries | None = None,
    *,
    ordinal: int | None = None,
    starts_at: dt.datetime | None = None,
    days: int = 1,
    invite: tuple[str, ...] = ASEAN_PLUS,
    **kwargs: Any,
) -> Meeting:
    series = series or make_series()
    ordinal = ordinal or (series.meetings.count() + 1)
    starts_at = starts_at or timezone.now() + dt.timedelta(days=60)
    meeting = Meeting.objects.create(
        series=series,
        ordinal=ordinal,
        title_en=kwargs.pop("title_en", f"{ordinal}th meeting of {series.code}"),
        title_ja=kwargs.pop("title_ja", f"第{ordinal}回{series.title_ja}"),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(days=days, hours=-16),
        time_zone=kwargs.pop("time_zone", "Asia/Ho_Chi_Minh"),
        visibility=kwargs.pop("visibility", "public"),
        **kwargs,
    )
    meeting.invited_countries.set([CountryFactory(code=c) for c in invite])
    return meeting
