"""Every write to countries' groups, organisations, people and their affiliations.

Each service takes the acting user explicitly, validates, changes and marks the
history row with a namespaced action code in one transaction. The reference
loader and the demonstration seeder call the same services with their own
action codes (`directory.organisation.loaded`, `...generated`) so that the change
history tells loaded, generated and hand-edited records apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from cleanasia.core.audit import register_action
from cleanasia.core.concurrency import versioned_update
from cleanasia.core.context import current_request_id
from cleanasia.core.history import mark_action
from cleanasia.core.models import Visibility

from .models import (
    Affiliation,
    Country,
    CountryGroup,
    GroupMembership,
    Organisation,
    OrganisationKind,
    Person,
)

# Action codes written to the change history, with their (lazily translated) labels.
GROUP_CREATED = "directory.group.created"
GROUP_UPDATED = "directory.group.updated"
GROUP_LOADED = "directory.group.loaded"
MEMBERSHIP_ADDED = "directory.membership.added"
MEMBERSHIP_UPDATED = "directory.membership.updated"
MEMBERSHIP_LOADED = "directory.membership.loaded"
ORGANISATION_CREATED = "directory.organisation.created"
ORGANISATION_UPDATED = "directory.organisation.updated"
ORGANISATION_LOADED = "directory.organisation.loaded"
ORGANISATION_GENERATED = "directory.organisation.generated"
PERSON_CREATED = "directory.person.created"
PERSON_UPDATED = "directory.person.updated"
PERSON_LOADED = "directory.person.loaded"
PERSON_GENERATED = "directory.person.generated"
AFFILIATION_ADDED = "directory.affiliation.added"
AFFILIATION_UPDATED = "directory.affiliation.updated"
AFFILIATION_LOADED = "directory.affiliation.loaded"
AFFILIATION_GENERATED = "directory.affiliation.generated"

for _code, _label in (
    (GROUP_CREATED, _("Country group created")),
    (GROUP_UPDATED, _("Country group changed")),
    (GROUP_LOADED, _("Country group loaded from reference data")),
    (MEMBERSHIP_ADDED, _("Group membership added")),
    (MEMBERSHIP_UPDATED, _("Group membership changed")),
    (MEMBERSHIP_LOADED, _("Group membership loaded from reference data")),
    (ORGANISATION_CREATED, _("Organisation created")),
    (ORGANISATION_UPDATED, _("Organisation changed")),
    (ORGANISATION_LOADED, _("Organisation loaded from reference data")),
    (ORGANISATION_GENERATED, _("Demonstration organisation generated")),
    (PERSON_CREATED, _("Person created")),
    (PERSON_UPDATED, _("Person changed")),
    (PERSON_LOADED, _("Person loaded from reference data")),
    (PERSON_GENERATED, _("Demonstration person generated")),
    (AFFILIATION_ADDED, _("Affiliation added")),
    (AFFILIATION_UPDATED, _("Affiliation changed")),
    (AFFILIATION_LOADED, _("Affiliation loaded from reference data")),
    (AFFILIATION_GENERATED, _("Demonstration affiliation generated")),
):
    register_action(_code, _label)


# --- helpers ---------------------------------------------------------------


def _require_a_name(values: dict[str, Any], field: str = "name") -> None:
    """A bilingual name needs at least one language; the other falls back with a marker."""
    if not (values.get(f"{field}_ja") or "").strip() and not (values.get(f"{field}_en") or "").strip():
        raise ValidationError({f"{field}_ja": _("Give the name in Japanese or in English (or both).")})


def _save_new(instance: models.Model, *, actor: Any, action_code: str) -> models.Model:
    instance.full_clean()
    mark_action(instance, action_code, actor=actor)
    instance.save()
    return instance


def _bulk_create(
    model: type[models.Model], objs: Sequence[models.Model], *, actor: Any, action_code: str, batch_size: int
) -> list[models.Model]:
    """Insert many rows with their history rows, stamped with the action code and request id."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return bulk_create_with_history(
        list(objs),
        model,
        batch_size=batch_size,
        default_user=user,
        custom_historical_attrs={"action_code": action_code, "request_id": current_request_id()},
    )


# --- country groups and memberships ---------------------------------------


def country_group_create(
    *,
    actor: Any,
    code: str,
    name_ja: str = "",
    name_en: str = "",
    description_ja: str = "",
    description_en: str = "",
    source: str = "",
    action_code: str = GROUP_CREATED,
) -> CountryGroup:
    """Create a named group of countries (its members are added with `group_membership_add`)."""
    values = {"name_ja": name_ja, "name_en": name_en}
    _require_a_name(values)
    with transaction.atomic():
        group = CountryGroup(
            code=code,
            name_ja=name_ja,
            name_en=name_en,
            description_ja=description_ja,
            description_en=description_en,
            source=source,
        )
        return _save_new(group, actor=actor, action_code=action_code)


def country_group_update(
    *, actor: Any, group: CountryGroup, expected_version: int, changes: dict[str, Any], action_code: str = GROUP_UPDATED
) -> CountryGroup:
    """Change a group's names, description or source (refused if someone changed it meanwhile)."""
    _require_a_name({f: changes.get(f, getattr(group, f)) for f in ("name_ja", "name_en")})
    return versioned_update(
        actor=actor, instance=group, expected_version=expected_version, changes=changes, action_code=action_code
    )


def _overlapping_memberships(
    *, group: CountryGroup, country: Country, joined_on: dt.date, left_on: dt.date | None, exclude_pk: int | None
) -> models.QuerySet[GroupMembership]:
    # Periods are inclusive at both ends (GroupMembership.objects.active_on uses <= and >=).
    qs = GroupMembership.objects.filter(group=group, country=country).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=joined_on)
    )
    if left_on is not None:
        qs = qs.filter(joined_on__lte=left_on)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def group_membership_check(
    *,
    group: CountryGroup,
    country: Country,
    joined_on: dt.date,
    left_on: dt.date | None,
    exclude_pk: int | None = None,
) -> None:
    """Raise ValidationError (on `joined_on` or `left_on`) if this period would not be a valid membership.

    Forms (the admin's among them) call it to show the message beside the field.
    """
    if left_on is not None and left_on < joined_on:
        raise ValidationError({"left_on": _("A membership cannot end before it starts.")})
    clash = _overlapping_memberships(
        group=group, country=country, joined_on=joined_on, left_on=left_on, exclude_pk=exclude_pk
    ).first()
    if clash is not None:
        until = clash.left_on.isoformat() if clash.left_on else _("today")
        raise ValidationError(
            {
                "joined_on": _(
                    "%(country)s is already a member of %(group)s from %(start)s to %(end)s; "
                    "the periods of one country's memberships of a group must not overlap."
                )
                % {"country": country, "group": group, "start": clash.joined_on.isoformat(), "end": until}
            }
        )


def group_membership_add(
    *,
    actor: Any,
    group: CountryGroup,
    country: Country,
    joined_on: dt.date,
    left_on: dt.date | None = None,
    note: str = "",
    source: str = "",
    is_demo: bool = False,
    action_code: str = MEMBERSHIP_ADDED,
) -> GroupMembership:
    """Record that `country` joined `group` on `joined_on` (and left on `left_on`, if it did).

    Refused with a message on `joined_on` when the period overlaps another
    membership of the same country in the same group: "members on a day" must
    count each country once.
    """
    with transaction.atomic():
        # Lock the group row so that two concurrent additions cannot both pass the overlap check.
        CountryGroup.objects.select_for_update().filter(pk=group.pk).first()
        group_membership_check(group=group, country=country, joined_on=joined_on, left_on=left_on)
        membership = GroupMembership(
            group=group,
            country=country,
            joined_on=joined_on,
            left_on=left_on,
            note=note,
            source=source,
            is_demo=is_demo,
        )
        return _save_new(membership, actor=actor, action_code=action_code)


def group_membership_update(
    *,
    actor: Any,
    membership: GroupMembership,
    expected_version: int,
    changes: dict[str, Any],
    action_code: str = MEMBERSHIP_UPDATED,
) -> GroupMembership:
    """Correct a membership's dates, note or source, with the same overlap rule as `group_membership_add`."""
    with transaction.atomic():
        CountryGroup.objects.select_for_update().filter(pk=membership.group_id).first()
        group_membership_check(
            group=changes.get("group", membership.group),
            country=changes.get("country", membership.country),
            joined_on=changes.get("joined_on", membership.joined_on),
            left_on=changes.get("left_on", membership.left_on),
            exclude_pk=membership.pk,
        )
        return versioned_update(
            actor=actor,
            instance=membership,
            expected_version=expected_version,
            changes=changes,
            action_code=action_code,
        )


# --- organisations ---------------------------------------------------------


def organisation_parent_check(*, organisation: Organisation | None, parent: Organisation | None) -> None:
    """Raise ValidationError on `parent` if `organisation` would end up under itself."""
    seen: set[int] = set()
    node = parent
    while node is not None:
        if organisation is not None and node.pk == organisation.pk:
            raise ValidationError({"parent": _("An organisation cannot be placed under itself or one of its units.")})
        if node.pk in seen:  # a cycle already in the data; stop rather than loop
            break
        seen.add(node.pk)
        node = node.parent


def organisation_create(
    *,
    actor: Any,
    name_ja: str = "",
    name_en: str = "",
    acronym: str = "",
    kind: str = OrganisationKind.OTHER,
    country: Country | None = None,
    parent: Organisation | None = None,
    website: str = "",
    alternative_names: Iterable[str] = (),
    source: str = "",
    is_demo: bool = False,
    action_code: str = ORGANISATION_CREATED,
) -> Organisation:
    """Create an organisation (a ministry, a unit of one, an institute, an international body)."""
    _require_a_name({"name_ja": name_ja, "name_en": name_en})
    organisation_parent_check(organisation=None, parent=parent)
    with transaction.atomic():
        organisation = Organisation(
            name_ja=name_ja,
            name_en=name_en,
            acronym=acronym,
            kind=kind,
            country=country,
            parent=parent,
            website=website,
            alternative_names=list(alternative_names),
            source=source,
            is_demo=is_demo,
        )
        return _save_new(organisation, actor=actor, action_code=action_code)


def organisation_update(
    *,
    actor: Any,
    organisation: Organisation,
    expected_version: int,
    changes: dict[str, Any],
    action_code: str = ORGANISATION_UPDATED,
) -> Organisation:
    """Change an organisation; refused with StaleEditError if someone changed it since `expected_version`."""
    _require_a_name({f: changes.get(f, getattr(organisation, f)) for f in ("name_ja", "name_en")})
    if "parent" in changes:
        organisation_parent_check(organisation=organisation, parent=changes["parent"])
    return versioned_update(
        actor=actor,
        instance=organisation,
        expected_version=expected_version,
        changes=changes,
        action_code=action_code,
    )


def organisation_bulk_create(
    *, actor: Any, organisations: Sequence[Organisation], action_code: str = ORGANISATION_GENERATED
) -> list[Organisation]:
    """Insert many organisations at once (demonstration data, imports), each with its history row.

    Rows must have no parent: bulk inserts cannot check the hierarchy.
    """
    for organisation in organisations:
        _require_a_name({"name_ja": organisation.name_ja, "name_en": organisation.name_en})
        if organisation.parent_id is not None:
            raise ValidationError({"parent": _("Organisations created in bulk cannot have a parent.")})
    with transaction.atomic():
        return _bulk_create(Organisation, organisations, actor=actor, action_code=action_code, batch_size=500)


# --- people and affiliations -----------------------------------------------


def person_create(
    *,
    actor: Any,
    name_ja: str = "",
    name_en: str = "",
    family_name: str = "",
    given_name: str = "",
    honorific: str = "",
    country: Country | None = None,
    email: str = "",
    phone: str = "",
    visibility: str = Visibility.SECRETARIAT,
    audience_groups: Iterable[Any] = (),
    user: Any = None,
    source: str = "",
    is_demo: bool = False,
    action_code: str = PERSON_CREATED,
) -> Person:
    """Create a person record; visibility defaults to the secretariat only (personal data)."""
    _require_a_name({"name_ja": name_ja, "name_en": name_en})
    with transaction.atomic():
        person = Person(
            name_ja=name_ja,
            name_en=name_en,
            family_name=family_name,
            given_name=given_name,
            honorific=honorific,
            country=country,
            email=email,
            phone=phone,
            visibility=visibility,
            user=user,
            source=source,
            is_demo=is_demo,
        )
        _save_new(person, actor=actor, action_code=action_code)
        groups = list(audience_groups)
        if groups:
            mark_action(person, action_code, actor=actor)
            person.audience_groups.set(groups)
        return person


def person_update(
    *, actor: Any, person: Person, expected_version: int, changes: dict[str, Any], action_code: str = PERSON_UPDATED
) -> Person:
    """Change a person record; refused with StaleEditError if someone changed it since `expected_version`."""
    _require_a_name({f: changes.get(f, getattr(person, f)) for f in ("name_ja", "name_en")})
    return versioned_update(
        actor=actor, instance=person, expected_version=expected_version, changes=changes, action_code=action_code
    )


def person_bulk_create(*, actor: Any, people: Sequence[Person], action_code: str = PERSON_GENERATED) -> list[Person]:
    """Insert many people at once (demonstration data, imports), each with its history row."""
    for person in people:
        _require_a_name({"name_ja": person.name_ja, "name_en": person.name_en})
    with transaction.atomic():
        return _bulk_create(Person, people, actor=actor, action_code=action_code, batch_size=1000)


def _check_period(started_on: dt.date | None, ended_on: dt.date | None) -> None:
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": _("An affiliation cannot end before it starts.")})


def affiliation_add(
    *,
    actor: Any,
    person: Person,
    organisation: Organisation,
    position_ja: str = "",
    position_en: str = "",
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    source: str = "",
    is_demo: bool = False,
    action_code: str = AFFILIATION_ADDED,
) -> Affiliation:
    """Record a person's position in an organisation over a period (open-ended if current)."""
    _check_period(started_on, ended_on)
    with transaction.atomic():
        affiliation = Affiliation(
            person=person,
            organisation=organisation,
            position_ja=position_ja,
            position_en=position_en,
            started_on=started_on,
            ended_on=ended_on,
            source=source,
            is_demo=is_demo,
        )
        return _save_new(affiliation, actor=actor, action_code=action_code)


def affiliation_update(
    *,
    actor: Any,
    affiliation: Affiliation,
    expected_version: int,
    changes: dict[str, Any],
    action_code: str = AFFILIATION_UPDATED,
) -> Affiliation:
    """Change an affiliation's position or period."""
    _check_period(changes.get("started_on", affiliation.started_on), changes.get("ended_on", affiliation.ended_on))
    return versioned_update(
        actor=actor, instance=affiliation, expected_version=expected_version, changes=changes, action_code=action_code
    )


def affiliation_bulk_create(
    *, actor: Any, affiliations: Sequence[Affiliation], action_code: str = AFFILIATION_GENERATED
) -> list[Affiliation]:
    """Insert many affiliations at once (demonstration data, imports), each with its history row."""
    for affiliation in affiliations:
        _check_period(affiliation.started_on, affiliation.ended_on)
    with transaction.atomic():
        return _bulk_create(Affiliation, affiliations, actor=actor, action_code=action_code, batch_size=1000)
