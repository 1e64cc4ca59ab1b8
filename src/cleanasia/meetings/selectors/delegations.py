"""Reads of invitations, delegations and participants for pages, exports and the API, always through the policies.

Participants come in protocol order: countries alphabetically by English
name, then observer organisations; within a delegation the head first, then
alternates, delegates and advisers (PROTOCOL_ORDER), then the order given.
Which fields of a participant a reader gets is decided per row by the
policy's VIEW_PERSONAL (participant_row).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import translation

from cleanasia.core.models import Visibility
from cleanasia.core.permissions import can, is_secretariat, visible

from ..models import PROTOCOL_ORDER, Delegation, DelegationState, Invitation, Meeting, Participant
from ..policies.delegations import VIEW_PERSONAL, focal_countries, public_listing_q
from ..services.delegations import registration_open

# Every reader who may see a participant gets the name and the organisation; these fields only the
# secretariat, the person and their country's focal point.
PERSONAL_FIELDS = (
    "name_local",
    "job_title",
    "email",
    "phone",
    "dietary_needs",
    "access_needs",
    "consent_public_listing",
    "consent_keep_for_next",
    "consent_recorded_at",
)


def role_rank() -> Case:
    return Case(
        *[When(role=role, then=Value(rank)) for role, rank in PROTOCOL_ORDER.items()],
        default=Value(len(PROTOCOL_ORDER)),
        output_field=IntegerField(),
    )


def _observers_last(prefix: str = "") -> Case:
    return Case(
        When(**{f"{prefix}country__isnull": True}, then=Value(1)), default=Value(0), output_field=IntegerField()
    )


def protocol_ordered(participants: QuerySet) -> QuerySet:
    """Participants in protocol order, with what a list shows selected in the same query."""
    return (
        participants.select_related("delegation__country", "delegation__organisation", "organisation")
        .annotate(observer_rank=_observers_last("delegation__"), role_rank=role_rank())
        .order_by(
            "observer_rank",
            "delegation__country__name_en",
            "delegation__organisation__name_en",
            "delegation_id",
            "role_rank",
            "position",
            "family_name",
            "given_name",
            "pk",
        )
    )


def delegations_ordered(delegations: QuerySet) -> QuerySet:
    return delegations.annotate(observer_rank=_observers_last()).order_by(
        "observer_rank", "country__name_en", "organisation__name_en", "pk"
    )


def delegations_for(*, user: Any, meeting: Meeting) -> list[Delegation]:
    """The delegations of a meeting the user may see, with their participant counts (one query)."""
    return list(
        delegations_ordered(
            visible(Delegation.objects.filter(meeting=meeting), user)
            .select_related("country", "organisation", "submitted_by", "decided_by")
            .annotate(participant_count=Count("participants"))
        )
    )


def participants_for(*, user: Any, meeting: Meeting) -> list[Participant]:
    """The participants of a meeting the user may see, in protocol order (one query)."""
    return list(protocol_ordered(visible(Participant.objects.filter(delegation__meeting=meeting), user)))


def public_participants(*, meeting: Meeting) -> list[Participant]:
    """The public list: consenting people of approved delegations, and only if the meeting is public."""
    if meeting.visibility != Visibility.PUBLIC:
        return []
    return list(protocol_ordered(Participant.objects.filter(public_listing_q(), delegation__meeting=meeting)))


def display_name(participant: Participant) -> str:
    return " ".join(p for p in (participant.honorific, participant.given_name, participant.family_name) if p)


def delegation_label(delegation: Delegation, language: str = "en") -> str:
    holder = delegation.country or delegation.organisation
    if holder is None:
        return ""
    return getattr(holder, f"name_{language}", "") or getattr(holder, "name_en", "") or str(holder)


def organisation_label(participant: Participant, language: str = "en") -> str:
    if participant.organisation is not None:
        org = participant.organisation
        return getattr(org, f"name_{language}", "") or org.name_en or org.name_ja
    return participant.organisation_name


def participant_row(participant: Participant, *, user: Any, language: str = "en", public: bool = False) -> dict:
    """What `user` may read of one participant. `public` forces the public variant (name and organisation)."""
    personal = not public and can(user, VIEW_PERSONAL, participant)
    row = {
        "participant": participant,
        "delegation": participant.delegation,
        "delegation_label": delegation_label(participant.delegation, language),
        "is_observer": participant.delegation.country_id is None,
        "role": participant.role,
        "role_label": participant.get_role_display(),
        "name": display_name(participant),
        "honorific": participant.honorific,
        "given_name": participant.given_name,
        "family_name": participant.family_name,
        "organisation": organisation_label(participant, language),
        "personal": personal,
        "purged": participant.purged_at is not None,
    }
    if personal:
        row.update({name: getattr(participant, name) for name in PERSONAL_FIELDS})
    return row


def participant_rows(*, user: Any, meeting: Meeting, language: str = "en", public: bool = False) -> list[dict]:
    """Rows of the participants list (page or file) for `user`; `public` gives the public variant."""
    people = public_participants(meeting=meeting) if public else participants_for(user=user, meeting=meeting)
    return [participant_row(p, user=user, language=language, public=public) for p in people]


def invitations_for(*, user: Any, meeting: Meeting) -> list[Invitation]:
    return list(
        visible(Invitation.objects.filter(meeting=meeting), user)
        .select_related("country", "organisation")
        .order_by("country_id", "email")
    )


def current_language() -> str:
    return (translation.get_language() or "en")[:2]


def _state_label(state: str) -> str:
    return str(DelegationState(state).label)


def meeting_section(*, meeting: Meeting, user: Any) -> dict | None:
    """The delegations section of the meeting hub (fixed queries), or None when the user has nothing there.

    The secretariat gets counts by state and a row per country; a focal point of
    an invited country their own delegation(s) and a link to register; the
    person registered their own delegation's state. Everyone else: None.
    """
    secretariat = is_secretariat(user)
    language = current_language()
    own_delegations: list[Delegation] = []
    own_countries: dict[str, Any] = {}
    if not secretariat:
        countries = focal_countries(user)
        if countries:
            own_countries = {c.pk: c for c in meeting.invited_countries.filter(pk__in=countries)}
        mine = Q(country_id__in=countries)
        if getattr(user, "is_authenticated", False):
            mine |= Q(pk__in=Participant.objects.filter(user=user).values("delegation_id"))
        own_delegations = list(
            delegations_ordered(
                visible(Delegation.objects.filter(mine, meeting=meeting), user)
                .select_related("country", "organisation")
                .annotate(participant_count=Count("participants"))
            )
        )
        if not own_countries and not own_delegations:
            return None
    section: dict[str, Any] = {
        "meeting": meeting,
        "is_secretariat": secretariat,
        "registration_open": registration_open(meeting),
        "deadline": meeting.registration_deadline,
        "list_url": reverse("meetings:delegation-list", kwargs={"meeting_pk": meeting.pk}),
    }
    if secretariat:
        by_state = {
            row["state"]: row["n"]
            for row in Delegation.objects.filter(meeting=meeting).values("state").annotate(n=Count("id")).order_by()
        }
        section["by_state"] = [
            {"state": state, "label": label, "count": by_state.get(state, 0)}
            for state, label in DelegationState.choices
        ]
        section["by_country"] = [
            {
                "label": delegation_label(d, language),
                "state": d.state,
                "state_label": _state_label(d.state),
                "participants": d.participant_count,
                "url": reverse("meetings:delegation-edit", kwargs={"pk": d.pk}),
            }
            for d in delegations_for(user=user, meeting=meeting)
        ]
        section["participants_count"] = (
            Participant.objects.filter(delegation__meeting=meeting)
            .exclude(delegation__state=DelegationState.WITHDRAWN)
            .count()
        )
        section["invited_count"] = meeting.invited_countries.count()
        section["invitations_url"] = reverse("meetings:invitation-list", kwargs={"meeting_pk": meeting.pk})
        section["participants_url"] = reverse("meetings:participants-list", kwargs={"meeting_pk": meeting.pk})
        return section
    registered = {d.country_id for d in own_delegations}
    section["own_delegations"] = [
        {
            "label": delegation_label(d, language),
            "state": d.state,
            "state_label": _state_label(d.state),
            "participants": d.participant_count,
            "comment": d.secretariat_comment if d.state == DelegationState.RETURNED else "",
            "url": reverse("meetings:delegation-edit", kwargs={"pk": d.pk}),
        }
        for d in own_delegations
    ]
    section["participants_count"] = sum(d.participant_count for d in own_delegations)
    section["register"] = [
        {
            "label": getattr(country, f"name_{language}", "") or country.name_en,
            "url": reverse("meetings:delegation-register", kwargs={"meeting_pk": meeting.pk, "country": code}),
        }
        for code, country in sorted(own_countries.items())
        if code not in registered
    ]
    return section
