"""Builders shared by the outcomes and follow-up tests (through the services, as users would make them)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cleanasia.meetings.models import Element, Outcome
from cleanasia.meetings.services import outcomes as services

from ..factories import CountryFactory
from .factories import make_meeting

TEXT_EN = """The ministers, meeting in Tokyo:
1. Welcomed the report of the working group.
2. Agreed to:
(a) share air quality data;
(b) develop a regional plan, including:
(i) monitoring networks;
(ii) capacity building;
(c) review progress.
3. Requested the secretariat to report at the next meeting.
"""

TEXT_JA = """東京に集まった大臣は、
１．作業部会の報告を歓迎した。
２．次のことに合意した。
（ａ）大気質データを共有すること
（ｂ）次を含む地域計画を策定すること
（ｉ）モニタリング網
（ｉｉ）能力開発
（ｃ）進捗を評価すること
３．事務局に対し次回会合で報告するよう要請した。
"""


def past_meeting(series=None, *, days_ago: int = 400, **kwargs):
    """A meeting that has already taken place."""
    return make_meeting(series, starts_at=timezone.now() - dt.timedelta(days=days_ago), **kwargs)


def draft_outcome(meeting=None, *, kind: str = "joint_statement", visibility: str = "public", **kwargs) -> Outcome:
    meeting = meeting or past_meeting()
    return services.outcome_create(
        actor=None,
        meeting=meeting,
        kind=kind,
        title_ja=kwargs.pop("title_ja", "共同声明"),
        title_en=kwargs.pop("title_en", "Joint statement"),
        text_ja=kwargs.pop("text_ja", TEXT_JA),
        text_en=kwargs.pop("text_en", TEXT_EN),
        visibility=visibility,
        **kwargs,
    )


def adopted_outcome(meeting=None, *, adopted_on: dt.date | None = None, **kwargs) -> Outcome:
    outcome = draft_outcome(meeting, **kwargs)
    return services.outcome_adopt(actor=None, outcome=outcome, adopted_on=adopted_on)


def element(outcome: Outcome, suffix: str) -> Element:
    return Element.objects.get(code=f"{outcome.code}.{suffix}")


def make_action_item(
    item: Element,
    *,
    countries: tuple[str, ...] = ("VN",),
    addressee: str = "countries",
    due_on: dt.date | None = None,
    **changes,
) -> Element:
    """Mark an element as an action item addressed to `countries`, due `due_on` (default: a year after the decision)."""
    item.refresh_from_db()
    decided = services.decision_date(item.outcome)
    return services.element_classify(
        actor=None,
        element=item,
        expected_version=item.version,
        changes={
            "is_operational": True,
            "is_action_item": True,
            "addressee": addressee,
            "addressed_countries": [CountryFactory(code=c) for c in countries] if addressee == "countries" else [],
            "due_on": due_on or decided + dt.timedelta(days=365),
            **changes,
        },
    )
