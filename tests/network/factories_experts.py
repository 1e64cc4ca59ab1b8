"""Builders of the expert directory for its tests, through the services (actor None: the system), as the
application builds them. Importing this module registers the experts with the search index, as the app's
start-up does."""

from __future__ import annotations

import itertools
from typing import Any

from cleanasia.core.models import Visibility
from cleanasia.directory.models import Organisation
from cleanasia.network import search as registrations  # noqa: F401  (registers ExpertProfile with the index)
from cleanasia.network.models import ExpertProfile, Field, NominationState
from cleanasia.network.services import experts as services

from ..factories import CountryFactory

_seq = itertools.count(1)

# Valid ORCID iDs (ISO 7064 MOD 11-2 check digits), and one with its last digit changed.
ORCID_CARBERRY = "0000-0002-1825-0097"
ORCID_OTHER = "0000-0001-5109-3700"
ORCID_WITH_X = "0000-0002-1694-233X"
ORCID_BAD_CHECK = "0000-0002-1825-0098"


def make_field(code: str, name_en: str = "", name_ja: str = "", **kwargs: Any) -> Field:
    field, _created = Field.objects.get_or_create(
        code=code, defaults={"name_en": name_en or code.title(), "name_ja": name_ja or code, **kwargs}
    )
    return field


def make_organisation(name_en: str, name_ja: str = "", *, country: str | None = "JP", **kwargs: Any) -> Organisation:
    return Organisation.objects.create(
        name_en=name_en,
        name_ja=name_ja,
        country=CountryFactory(code=country) if country else None,
        **kwargs,
    )


def make_expert(
    name_en: str | None = None,
    *,
    name_ja: str = "",
    country: str = "VN",
    email: str | None = None,
    phone: str = "+84 24 0000 0000",
    state: str = NominationState.ACCEPTED,
    listed: bool = False,
    visibility: str = Visibility.MEMBERS,
    user: Any = None,
    fields: tuple[str, ...] = (),
    **profile: Any,
) -> ExpertProfile:
    """An expert nominated by the system and, by default, accepted; `listed`: consenting to a public listing."""
    n = next(_seq)
    name_en = name_en or f"Expert {n}"
    expert = services.expert_nominate(
        actor=None,
        person_data={
            "name_en": name_en,
            "name_ja": name_ja,
            "family_name": name_en.split()[-1],
            "country": CountryFactory(code=country),
            "email": email if email is not None else f"{name_en.lower().replace(' ', '.')}.{n}@example.org",
            "phone": phone,
        },
        fields=[make_field(code) for code in fields],
        listed_publicly=listed,
        visibility=visibility,
        **profile,
    )
    if user is not None:
        expert.person.user = user
        expert.person.save()
    if state == NominationState.ACCEPTED:
        expert = services.expert_accept(actor=None, expert=expert)
    elif state == NominationState.DECLINED:
        expert = services.expert_decline(actor=None, expert=expert)
    return ExpertProfile.objects.select_related("person").get(pk=expert.pk)


def actions(record: Any) -> list[str]:
    """The action codes of a record's history, oldest first."""
    return list(record.history.order_by("history_date", "history_id").values_list("action_code", flat=True))
