"""Every write of fields, working groups, their memberships and their work plans.

Each function takes the acting user (`actor=None` is the system: the seeder,
commands), checks the policy, validates (ValidationError naming the field),
writes in one transaction and marks the history row with its action code
(policies.groups). Edits of existing records carry the version the user
started from and are refused when stale.

A group is not an island: creating one also creates, through the progress
module's own services, the measure that carries its work (under the
framework's line for the network), so that the group's annual report is that
measure's progress report for the fiscal year, drafted, submitted, returned
and approved by the progress module's reporting cycle; and, given a
membership group, the working-level meeting series that holds its meetings.
Work-plan items link to measures through the progress module's MeasureLink,
as the meetings module's action items do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import ADD, CHANGE, VIEW, can
from cleanasia.directory.models import Country, GroupMembership
from cleanasia.framework.models import FrameworkNode
from cleanasia.measures import services as measures_services
from cleanasia.measures.models import (
    Measure,
    MeasureLink,
    MeasureLinkRelation,
    MeasureStatus,
    PeriodKind,
    ProgressReport,
    ReportingPeriod,
)
from cleanasia.meetings.models import MeetingLevel, MeetingSeries
from cleanasia.meetings.services.meetings import series_create

from ..models import Field, GroupRole, GroupStatus, WorkingGroup, WorkingGroupMember, WorkPlanItem, WorkPlanStatus
from ..policies.groups import (
    FIELD_CREATED,
    FIELD_MOVED,
    FIELD_UPDATED,
    GROUP_CREATED,
    GROUP_UPDATED,
    LEADING_ROLES,
    MEMBER_ADDED,
    MEMBER_ENDED,
    MEMBER_UPDATED,
    SET_STATUS,
    WORK_PLAN_ITEM_CREATED,
    WORK_PLAN_ITEM_MOVED,
    WORK_PLAN_ITEM_STATUS_SET,
    WORK_PLAN_ITEM_UPDATED,
    term_covers,
)

# The framework's line for the network: "M", the means of delivery that names the Asian Environmental
# Research and Training Network (framework/data/framework.json). Groups' measures hang under it.
NETWORK_FRAMEWORK_NODE = "M"
# Lower-case letters, digits and hyphens: the code also makes the measure's and the series' codes.
CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
GROUP_CODE_MAX = 36  # the measure code "NET-<CODE>" fits its 40 characters
GROUP_M2M = ("chair_countries", "co_chair_countries", "audience_groups")
GROUP_FIXED = ("code", "measure")
# The group's measure follows the group's state, so the progress module's lists and reminders agree with it.
MEASURE_STATUS_OF_GROUP = {
    GroupStatus.ACTIVE: MeasureStatus.ONGOING,
    GroupStatus.DORMANT: MeasureStatus.SUSPENDED,
    GroupStatus.CLOSED: MeasureStatus.COMPLETED,
}
MEMBER_EDITABLE = frozenset({"role", "country", "started_on", "ended_on"})
ITEM_RELATIONS = (MeasureLinkRelation.ADVANCES, MeasureLinkRelation.INVOLVES)


# --- helpers ---------------------------------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any, message: Any) -> None:
    """Refuse what the policies do not allow; `None` is the system (seeder, commands)."""
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def _require_name(values: dict[str, Any], ja: str = "name_ja", en: str = "name_en") -> None:
    if not (values.get(ja) or "").strip() and not (values.get(en) or "").strip():
        raise ValidationError({ja: _("Give the name in Japanese or in English.")})


def _check_code(code: str, *, max_length: int, example: str) -> None:
    if not CODE.match(code or "") or len(code) > max_length:
        raise ValidationError(
            {
                "code": _(
                    "Use lower-case letters, digits and hyphens only, at most %(max)s characters, e.g. %(example)s."
                )
                % {"max": max_length, "example": example}
            }
        )


def _country_codes(countries: Iterable[Any]) -> set[str]:
    return {getattr(country, "pk", country) for country in countries}


def _names(codes: Iterable[str]) -> str:
    countries = Country.objects.filter(code__in=set(codes)).order_by("name_en")
    return ", ".join(str(country) for country in countries)


def _day(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def membership_countries(series: MeetingSeries | None, day: dt.date) -> set[str] | None:
    """Countries a group's members represent on `day`: its series' membership group then, plus the series'
    other invited countries. None when the group has no membership group (anyone may be a member)."""
    if series is None or (series.membership_group_id is None and not series.extra_countries.exists()):
        return None
    codes = set(series.extra_countries.values_list("code", flat=True))
    if series.membership_group_id is not None:
        codes |= set(
            GroupMembership.objects.active_on(day)
            .filter(group_id=series.membership_group_id)
            .values_list("country_id", flat=True)
        )
    return codes


def network_framework_node() -> FrameworkNode | None:
    """The framework's line for the network, under which the groups' measures hang (None until loaded)."""
    return FrameworkNode.objects.filter(code=NETWORK_FRAMEWORK_NODE).first()


# --- fields ----------------------------------------------------------------------------------------


def _check_field(values: dict[str, Any], *, field: Field | None = None) -> None:
    _check_code(values.get("code") or "", max_length=40, example="air, waste-3r")
    clash = Field.objects.filter(code=values["code"])
    if field is not None:
        clash = clash.exclude(pk=field.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another field already has this code; choose another.")})
    _require_name(values)


def field_create(
    *,
    actor: Any,
    code: str,
    name_ja: str = "",
    name_en: str = "",
    description_ja: str = "",
    description_en: str = "",
    position: int | None = None,
    is_active: bool = True,
    is_demo: bool = False,
) -> Field:
    """Add a field to the list (last unless a position is given)."""
    _require(actor, ADD, Field, _("Only the secretariat edits the list of fields."))
    values = {"code": (code or "").strip(), "name_ja": name_ja, "name_en": name_en}
    _check_field(values)
    with transaction.atomic():
        if position is None:
            highest = Field.objects.aggregate(top=Max("position"))["top"]
            position = 0 if highest is None else highest + 1
        field = Field(
            description_ja=description_ja,
            description_en=description_en,
            position=position,
            is_active=is_active,
            is_demo=is_demo,
            **values,
        )
        field.full_clean()
        mark_action(field, FIELD_CREATED, actor=actor)
        field.save()
    return field


def field_update(*, actor: Any, field: Field, expected_version: int, changes: dict[str, Any]) -> Field:
    """Change a field: names, description, position, or whether it is still offered for new records."""
    _require(actor, CHANGE, field, _("Only the secretariat edits the list of fields."))
    changes = dict(changes)
    if "code" in changes:
        changes["code"] = (changes["code"] or "").strip()
    merged = {name: changes.get(name, getattr(field, name)) for name in ("code", "name_ja", "name_en")}
    _check_field(merged, field=field)
    return versioned_update(
        actor=actor, instance=field, expected_version=expected_version, changes=changes, action_code=FIELD_UPDATED
    )


def fields_reorder(*, actor: Any, order: list[int]) -> list[Field]:
    """Put the fields in the order of `order`, a list of all their ids."""
    _require(actor, CHANGE, Field, _("Only the secretariat edits the list of fields."))
    with transaction.atomic():
        fields = {field.pk: field for field in Field.objects.select_for_update()}
        if sorted(order) != sorted(fields) or len(set(order)) != len(order):
            raise ValidationError({"order": _("List every field exactly once; the list may have changed, reload it.")})
        for position, pk in enumerate(order):
            field = fields[pk]
            if field.position == position:
                continue
            field.position = position
            field.version += 1
            mark_action(field, FIELD_MOVED, actor=actor)
            field.save(update_fields=["position", "version", "updated_at"])
    return [fields[pk] for pk in order]


# --- groups ----------------------------------------------------------------------------------------


def _check_series(series: MeetingSeries | None, *, group: WorkingGroup | None = None) -> None:
    if series is None:
        return
    if series.level != MeetingLevel.WORKING:
        raise ValidationError({"meeting_series": _("A group meets in a working-level series; choose one.")})
    others = WorkingGroup.objects.filter(meeting_series=series)
    if group is not None:
        others = others.exclude(pk=group.pk)
    if others.exists():
        raise ValidationError(
            {"meeting_series": _("This series already holds another group's meetings; choose or create another.")}
        )


def _check_chairs(chairs: set[str], co_chairs: set[str], expected: set[str] | None) -> None:
    both = chairs & co_chairs
    if both:
        raise ValidationError(
            {
                "co_chair_countries": _("A country is chair or co-chair, not both: %(countries)s.")
                % {"countries": _names(both)}
            }
        )
    if expected is None:
        return
    for name, codes in (("chair_countries", chairs), ("co_chair_countries", co_chairs)):
        outside = codes - expected
        if outside:
            raise ValidationError(
                {
                    name: _("%(countries)s is not a member of the group's membership group today; choose a member.")
                    % {"countries": _names(outside)}
                }
            )


def _check_chairs_keep_their_members(group: WorkingGroup, chairs: set[str], co_chairs: set[str]) -> None:
    """A country cannot stop chairing while its member still holds the chair: end that term first."""
    today = timezone.localdate()
    current = WorkingGroupMember.objects.filter(term_covers(today), group=group, role__in=LEADING_ROLES)
    for name, role, codes in (
        ("chair_countries", GroupRole.CHAIR, chairs),
        ("co_chair_countries", GroupRole.CO_CHAIR, co_chairs),
    ):
        held = set(current.filter(role=role).exclude(country__isnull=True).values_list("country_id", flat=True))
        dropped = held - codes
        if dropped:
            raise ValidationError(
                {
                    name: _("%(countries)s still holds the group's %(role)s in a current term; end that term first.")
                    % {"countries": _names(dropped), "role": GroupRole(role).label.lower()}
                }
            )


def working_group_create(
    *,
    actor: Any,
    field: Field,
    code: str,
    name_ja: str = "",
    name_en: str = "",
    terms_of_reference_ja: str = "",
    terms_of_reference_en: str = "",
    public_summary_ja: str = "",
    public_summary_en: str = "",
    chair_countries: Iterable[Any] = (),
    co_chair_countries: Iterable[Any] = (),
    established_on: dt.date | None = None,
    status: str = GroupStatus.ACTIVE,
    membership_group: Any = None,
    meeting_series: MeetingSeries | None = None,
    framework_node: FrameworkNode | None = None,
    publishes_members: bool = False,
    publishes_work_plan: bool = True,
    publishes_reports: bool = False,
    visibility: str = Visibility.SECRETARIAT,
    audience_groups: Iterable[Any] = (),
    is_demo: bool = False,
) -> WorkingGroup:
    """Create a working group of a field, with the measure that carries its work (its annual reports are
    that measure's progress reports) and, given a membership group (EAS…), its working-level meeting
    series, whose code is NET-<CODE>. An existing series may be given instead. The measure hangs under
    the framework's line for the network unless another line is given."""
    _require(actor, ADD, WorkingGroup, _("Only the secretariat creates working groups."))
    code = (code or "").strip()
    _check_code(code, max_length=GROUP_CODE_MAX, example="wg-air")
    measure_code = f"NET-{code.upper()}"
    if WorkingGroup.objects.filter(code=code).exists() or Measure.objects.filter(code=measure_code).exists():
        raise ValidationError({"code": _("Another group (or its measure) already has this code; choose another.")})
    _require_name({"name_ja": name_ja, "name_en": name_en})
    if not field.is_active:
        raise ValidationError({"field": _("This field is no longer in use; choose a field in use.")})
    if status not in GroupStatus.values:
        raise ValidationError({"status": _("Choose active, dormant or closed.")})
    if meeting_series is not None and membership_group is not None:
        raise ValidationError(
            {"meeting_series": _("Give an existing meeting series or a membership group for a new one, not both.")}
        )
    _check_series(meeting_series)
    node = framework_node or network_framework_node()
    if node is None:
        raise ValidationError(
            {
                "framework_node": _(
                    "The framework has no line for the network (code M): load the framework reference data "
                    "or choose the line the group's measure belongs to."
                )
            }
        )
    chairs, co_chairs = _country_codes(chair_countries), _country_codes(co_chair_countries)
    today = timezone.localdate()
    if membership_group is not None:
        expected: set[str] | None = set(membership_group.members_on(today).values_list("code", flat=True))
    else:
        expected = membership_countries(meeting_series, today)
    _check_chairs(chairs, co_chairs, expected)
    with transaction.atomic():
        if membership_group is not None:
            meeting_series = series_create(
                actor=actor,
                code=measure_code,
                level=MeetingLevel.WORKING,
                title_ja=name_ja,
                title_en=name_en,
                membership_group=membership_group,
                visibility=visibility,
                is_demo=is_demo,
            )
        measure = measures_services.measure_create(
            actor=actor,
            framework_node=node,
            code=measure_code,
            title_ja=name_ja or name_en,
            title_en=name_en,
            starts_on=established_on,
            status=MEASURE_STATUS_OF_GROUP[GroupStatus(status)],
            visibility=visibility,
            is_demo=is_demo,
        )
        group = WorkingGroup(
            field=field,
            code=code,
            name_ja=name_ja,
            name_en=name_en,
            terms_of_reference_ja=terms_of_reference_ja,
            terms_of_reference_en=terms_of_reference_en,
            public_summary_ja=public_summary_ja,
            public_summary_en=public_summary_en,
            established_on=established_on,
            status=status,
            measure=measure,
            meeting_series=meeting_series,
            publishes_members=publishes_members,
            publishes_work_plan=publishes_work_plan,
            publishes_reports=publishes_reports,
            visibility=visibility,
            is_demo=is_demo,
        )
        group.full_clean()
        mark_action(group, GROUP_CREATED, actor=actor)
        group.save()
        group.chair_countries.set(chairs)
        group.co_chair_countries.set(co_chairs)
        group.audience_groups.set(list(audience_groups))
    return group


def _sync_measure(actor: Any, group: WorkingGroup) -> None:
    """Carry the group's name, level, state and start over to its measure (through the progress services)."""
    if group.measure_id is None:
        return
    measure = Measure.objects.get(pk=group.measure_id)
    wanted = {
        "title_ja": group.name_ja or group.name_en,
        "title_en": group.name_en,
        "visibility": group.visibility,
        "status": MEASURE_STATUS_OF_GROUP[GroupStatus(group.status)],
        "starts_on": group.established_on,
    }
    changes = {name: value for name, value in wanted.items() if getattr(measure, name) != value}
    if changes:
        measures_services.measure_update(
            actor=actor, measure=measure, expected_version=measure.version, changes=changes
        )


def working_group_update(
    *, actor: Any, group: WorkingGroup, expected_version: int, changes: dict[str, Any]
) -> WorkingGroup:
    """Change a group (m2m keys allowed: chair_countries, co_chair_countries, audience_groups). Its code and
    measure are fixed; its name, level, state and start date carry over to its measure."""
    _require(actor, CHANGE, group, _("Only the secretariat changes working groups."))
    changes = dict(changes)
    for name in GROUP_FIXED:
        if name in changes and changes[name] != getattr(group, name):
            raise ValidationError(
                {name: _("This is fixed once the group exists: its measure and meeting series are named by it.")}
            )
        changes.pop(name, None)
    m2m = {name: list(changes.pop(name)) for name in GROUP_M2M if name in changes}
    if "name_ja" in changes or "name_en" in changes:
        _require_name({name: changes.get(name, getattr(group, name)) for name in ("name_ja", "name_en")})
    if "field" in changes and changes["field"].pk != group.field_id and not changes["field"].is_active:
        raise ValidationError({"field": _("This field is no longer in use; choose a field in use.")})
    if "meeting_series" in changes:
        _check_series(changes["meeting_series"], group=group)
    if "status" in changes and changes["status"] not in GroupStatus.values:
        raise ValidationError({"status": _("Choose active, dormant or closed.")})
    if {"chair_countries", "co_chair_countries", "meeting_series"} & (set(changes) | set(m2m)):
        chairs = _country_codes(m2m.get("chair_countries", group.chair_countries.all()))
        co_chairs = _country_codes(m2m.get("co_chair_countries", group.co_chair_countries.all()))
        series = changes.get("meeting_series", group.meeting_series)
        _check_chairs(chairs, co_chairs, membership_countries(series, timezone.localdate()))
        _check_chairs_keep_their_members(group, chairs, co_chairs)
    with transaction.atomic():
        # An m2m-only edit still makes a new version, so that history and concurrency see it.
        updated = versioned_update(
            actor=actor, instance=group, expected_version=expected_version, changes=changes, action_code=GROUP_UPDATED
        )
        for name, values in m2m.items():
            getattr(updated, name).set(values)
        _sync_measure(actor, updated)
    return updated


def working_group_report_owner_set(*, actor: Any, group: WorkingGroup, user: Any) -> Measure:
    """Name who writes the group's annual reports (its chair, usually): the owner of the group's measure,
    who drafts and submits its progress reports. `user=None` leaves them to the secretariat."""
    _require(actor, CHANGE, group, _("Only the secretariat names who writes a group's annual report."))
    if group.measure_id is None:
        raise ValidationError({"measure": _("This group has no measure to report on; ask an administrator.")})
    if user is not None:
        writes = WorkingGroupMember.objects.filter(term_covers(timezone.localdate()), group=group, person__user=user)
        if not writes.exclude(role=GroupRole.OBSERVER).exists():
            raise ValidationError(
                {
                    "user": _(
                        "The annual report is written by a current member of the group (not an observer) "
                        "with an account; add them as a member first."
                    )
                }
            )
    measure = Measure.objects.get(pk=group.measure_id)
    return measures_services.measure_update(
        actor=actor, measure=measure, expected_version=measure.version, changes={"owner": user}
    )


def group_annual_report_start(*, actor: Any, group: WorkingGroup, fiscal_year: int) -> ProgressReport:
    """The group's annual report for a fiscal year: its measure's progress report for the year's period
    (the current version, or a new draft while the period is open). Edit, submit, return and approve it
    with the progress module's report services."""
    if group.measure_id is None:
        raise ValidationError({"measure": _("This group has no measure to report on; ask an administrator.")})
    period = ReportingPeriod.objects.filter(kind=PeriodKind.YEAR, fiscal_year=fiscal_year, number=1).first()
    if period is None:
        raise ValidationError(
            {"fiscal_year": _("There is no reporting period for this fiscal year yet; the secretariat opens it.")}
        )
    measure = Measure.objects.get(pk=group.measure_id)  # its owner as it is now, not as `group` cached it
    return measures_services.report_get_or_create_draft(actor=actor, measure=measure, period=period)


# --- members ---------------------------------------------------------------------------------------


def _check_term(
    group: WorkingGroup,
    *,
    person: Any,
    role: str,
    country: str | None,
    started_on: dt.date | None,
    ended_on: dt.date | None,
    member: WorkingGroupMember | None = None,
) -> None:
    """A membership's rules: an ordered term, no two terms of one person at once, a country of the group's
    membership group (observers excepted), chairs from the chair countries, co-chairs from the co-chairs'."""
    if started_on is None:
        raise ValidationError({"started_on": _("Give the day the term starts.")})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("A term cannot end before it starts; check the dates.")})
    if role not in GroupRole.values:
        raise ValidationError({"role": _("Choose chair, co-chair, member or observer.")})
    if country is None and role != GroupRole.OBSERVER:
        raise ValidationError(
            {"country": _("Say which country the member represents (the person has no country on record).")}
        )
    if role != GroupRole.OBSERVER:
        expected = membership_countries(group.meeting_series, started_on)
        if expected is not None and country not in expected:
            raise ValidationError(
                {
                    "country": _(
                        "%(country)s is not a member of the group's membership group on %(day)s; "
                        "an expert from elsewhere joins as an observer."
                    )
                    % {"country": _names([country]), "day": _day(started_on)}
                }
            )
    for leading_role, countries in (
        (GroupRole.CHAIR, group.chair_countries),
        (GroupRole.CO_CHAIR, group.co_chair_countries),
    ):
        if role == leading_role and not countries.filter(code=country).exists():
            raise ValidationError(
                {
                    "role": _(
                        "The %(role)s represents one of the group's %(role)s countries; choose another role, "
                        "or add the country to those countries first."
                    )
                    % {"role": GroupRole(role).label.lower()}
                }
            )
    others = WorkingGroupMember.objects.filter(group=group, person=person)
    if member is not None:
        others = others.exclude(pk=member.pk)
    if ended_on is not None:
        others = others.filter(started_on__lte=ended_on)
    overlapping = others.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=started_on)).order_by("started_on").first()
    if overlapping is not None:
        raise ValidationError(
            {
                "started_on": _(
                    "This person is already a member of the group from %(start)s%(end)s; end that term first "
                    "or choose dates that do not overlap it."
                )
                % {
                    "start": _day(overlapping.started_on),
                    "end": _(" to %(day)s") % {"day": _day(overlapping.ended_on)} if overlapping.ended_on else "",
                }
            }
        )


def group_member_add(
    *,
    actor: Any,
    group: WorkingGroup,
    person: Any,
    started_on: dt.date,
    role: str = GroupRole.MEMBER,
    ended_on: dt.date | None = None,
    country: Any = None,
    is_demo: bool = False,
) -> WorkingGroupMember:
    """Add a person to a group with a role and a term; the country represented defaults to the person's."""
    _require(actor, CHANGE, group, _("Only the secretariat changes a group's membership."))
    if group.status == GroupStatus.CLOSED:
        raise ValidationError({"group": _("This group is closed; it takes no new members.")})
    country_code = getattr(country, "pk", country) or person.country_id
    _check_term(group, person=person, role=role, country=country_code, started_on=started_on, ended_on=ended_on)
    with transaction.atomic():
        member = WorkingGroupMember(
            group=group,
            person=person,
            country_id=country_code,
            role=role,
            started_on=started_on,
            ended_on=ended_on,
            is_demo=is_demo,
        )
        member.full_clean()
        mark_action(member, MEMBER_ADDED, actor=actor)
        member.save()
    return member


def group_member_update(
    *, actor: Any, member: WorkingGroupMember, expected_version: int, changes: dict[str, Any]
) -> WorkingGroupMember:
    """Correct a membership (role, country, term) under the same rules; a new role from a date is a new term
    (end this one, add the next)."""
    _require(actor, CHANGE, member, _("Only the secretariat changes a group's membership."))
    not_editable = sorted(set(changes) - MEMBER_EDITABLE)
    if not_editable:
        raise ValidationError(
            {name: _("This cannot change; end the term and add a new one instead.") for name in not_editable}
        )
    changes = dict(changes)
    if changes.get("country"):
        code = getattr(changes["country"], "pk", changes["country"])
        changes["country"] = Country.objects.filter(pk=code).first()
        if changes["country"] is None:
            raise ValidationError({"country": _("No such country; give its ISO code, e.g. VN.")})
    merged = {name: changes.get(name, getattr(member, name)) for name in MEMBER_EDITABLE}
    _check_term(
        member.group,
        person=member.person,
        role=merged["role"],
        country=getattr(merged["country"], "pk", None),
        started_on=merged["started_on"],
        ended_on=merged["ended_on"],
        member=member,
    )
    return versioned_update(
        actor=actor, instance=member, expected_version=expected_version, changes=changes, action_code=MEMBER_UPDATED
    )


def group_member_end(*, actor: Any, member: WorkingGroupMember, ended_on: dt.date) -> WorkingGroupMember:
    """End a term on a day (the last day of membership); the record stays, with its history."""
    _require(actor, CHANGE, member, _("Only the secretariat changes a group's membership."))
    if ended_on is None:
        raise ValidationError({"ended_on": _("Give the last day of the term.")})
    with transaction.atomic():
        current = WorkingGroupMember.objects.select_for_update().get(pk=member.pk)
        if ended_on < current.started_on:
            raise ValidationError(
                {
                    "ended_on": _("A term cannot end before it starts (%(day)s); check the date.")
                    % {"day": _day(current.started_on)}
                }
            )
        if current.ended_on is not None and ended_on >= current.ended_on:
            raise ValidationError(
                {
                    "ended_on": _("This term already ends on %(day)s; to extend it, correct the term.")
                    % {"day": _day(current.ended_on)}
                }
            )
        current.ended_on = ended_on
        current.version += 1
        mark_action(current, MEMBER_ENDED, actor=actor)
        current.save(update_fields=["ended_on", "version", "updated_at"])
    return current


# --- work plan -------------------------------------------------------------------------------------


def _next_item_position(group: WorkingGroup) -> int:
    highest = WorkPlanItem.objects.filter(group=group).aggregate(top=Max("position"))["top"]
    return 0 if highest is None else highest + 1


def _check_status(status: str) -> None:
    if status not in WorkPlanStatus.values:
        raise ValidationError({"status": _("Choose planned, in progress, done or dropped.")})


def work_plan_item_create(
    *,
    actor: Any,
    group: WorkingGroup,
    title_ja: str = "",
    title_en: str = "",
    description_ja: str = "",
    description_en: str = "",
    due_on: dt.date | None = None,
    status: str = WorkPlanStatus.PLANNED,
    position: int | None = None,
    is_demo: bool = False,
) -> WorkPlanItem:
    """Add an item to a group's work plan, last unless a position is given."""
    _require(actor, CHANGE, group, _("Only the secretariat changes a group's work plan."))
    if group.status == GroupStatus.CLOSED:
        raise ValidationError({"group": _("This group is closed; its work plan is kept as it was.")})
    _require_name({"title_ja": title_ja, "title_en": title_en}, ja="title_ja", en="title_en")
    _check_status(status)
    with transaction.atomic():
        item = WorkPlanItem(
            group=group,
            position=_next_item_position(group) if position is None else position,
            title_ja=title_ja,
            title_en=title_en,
            description_ja=description_ja,
            description_en=description_en,
            due_on=due_on,
            status=status,
            is_demo=is_demo,
        )
        item.full_clean()
        mark_action(item, WORK_PLAN_ITEM_CREATED, actor=actor)
        item.save()
    return item


def work_plan_item_update(
    *, actor: Any, item: WorkPlanItem, expected_version: int, changes: dict[str, Any]
) -> WorkPlanItem:
    """Change an item (title, description, due date, status, position); it stays in its group's plan."""
    _require(actor, CHANGE, item, _("Only the secretariat changes a group's work plan."))
    changes = dict(changes)
    if "group" in changes and getattr(changes["group"], "pk", changes["group"]) != item.group_id:
        raise ValidationError({"group": _("An item stays in its group's work plan; add a new item to the other.")})
    changes.pop("group", None)
    if "title_ja" in changes or "title_en" in changes:
        merged = {name: changes.get(name, getattr(item, name)) for name in ("title_ja", "title_en")}
        _require_name(merged, ja="title_ja", en="title_en")
    if "status" in changes:
        _check_status(changes["status"])
    return versioned_update(
        actor=actor,
        instance=item,
        expected_version=expected_version,
        changes=changes,
        action_code=WORK_PLAN_ITEM_UPDATED,
    )


def work_plan_item_set_status(*, actor: Any, item: WorkPlanItem, expected_version: int, status: str) -> WorkPlanItem:
    """Set an item's status: by the group's current chair or co-chairs, or the secretariat."""
    _require(actor, SET_STATUS, item, _("Only the group's chair, its co-chairs or the secretariat set the status."))
    _check_status(status)
    if item.group.status == GroupStatus.CLOSED:
        raise ValidationError({"group": _("This group is closed; its work plan is kept as it was.")})
    return versioned_update(
        actor=actor,
        instance=item,
        expected_version=expected_version,
        changes={"status": status},
        action_code=WORK_PLAN_ITEM_STATUS_SET,
    )


def work_plan_reorder(*, actor: Any, group: WorkingGroup, order: list[int]) -> list[WorkPlanItem]:
    """Put a group's work-plan items in the order of `order`, a list of all their ids."""
    _require(actor, CHANGE, group, _("Only the secretariat changes a group's work plan."))
    with transaction.atomic():
        items = {item.pk: item for item in WorkPlanItem.objects.select_for_update().filter(group=group)}
        if sorted(order) != sorted(items) or len(set(order)) != len(order):
            raise ValidationError(
                {"order": _("List every item of the work plan exactly once; it may have changed, reload it.")}
            )
        for position, pk in enumerate(order):
            item = items[pk]
            if item.position == position:
                continue
            item.position = position
            item.version += 1
            mark_action(item, WORK_PLAN_ITEM_MOVED, actor=actor)
            item.save(update_fields=["position", "version", "updated_at"])
    return [items[pk] for pk in order]


def work_plan_item_link_measure(
    *,
    actor: Any,
    item: WorkPlanItem,
    measure: Measure,
    relation: str = MeasureLinkRelation.ADVANCES,
    note: str = "",
) -> MeasureLink:
    """Record that a work-plan item advances a measure (or that the group is involved in it); idempotent."""
    _require(actor, CHANGE, item, _("Only the secretariat links work-plan items to measures."))
    if actor is not None and not can(actor, VIEW, measure):
        raise ValidationError({"measure": _("No such measure.")})
    if relation not in ITEM_RELATIONS:
        raise ValidationError(
            {"relation": _("A work-plan item advances a measure, or the group is involved in it; choose one.")}
        )
    link, _created = MeasureLink.objects.get_or_create(
        measure=measure,
        relation=relation,
        target_type=ContentType.objects.get_for_model(WorkPlanItem),
        target_id=item.pk,
        defaults={"note": (note or "").strip()[:300]},
    )
    return link


def work_plan_item_unlink_measure(*, actor: Any, item: WorkPlanItem, measure: Measure) -> int:
    """Remove the item's links to a measure; returns how many were removed."""
    _require(actor, CHANGE, item, _("Only the secretariat links work-plan items to measures."))
    deleted, _by_model = MeasureLink.objects.filter(
        measure=measure, target_type=ContentType.objects.get_for_model(WorkPlanItem), target_id=item.pk
    ).delete()
    return deleted
