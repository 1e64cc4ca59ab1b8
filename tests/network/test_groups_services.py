"""The services of fields and working groups: every rule, its message naming the field, the history, and
the group's measure and series made through the progress and meetings modules' own services."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.concurrency import StaleEditError
from cleanasia.framework.models import FrameworkNode
from cleanasia.measures.models import MeasureLink, MeasureStatus
from cleanasia.meetings.models import MeetingLevel
from cleanasia.network.models import Field, GroupRole, WorkPlanStatus
from cleanasia.network.services import groups as services

from ..factories import CountryFactory, PersonFactory
from ..measures.factories import make_measure
from ..meetings.factories import make_series
from .factories_groups import add_member, eas, make_field, make_wg, network_node

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR_AGO = TODAY - dt.timedelta(days=365)


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


def message(excinfo, field):
    """The message the refusal gives for `field` (failing when it names another field)."""
    return " ".join(excinfo.value.message_dict[field])


def actions(record):
    return list(record.history.order_by("history_id").values_list("action_code", flat=True))


# --- fields ----------------------------------------------------------------------------------------


def test_a_field_is_added_last_and_its_history_names_the_action(secretariat):
    air = services.field_create(actor=secretariat, code="air", name_en="Air", name_ja="大気")
    water = services.field_create(actor=secretariat, code="water", name_en="Water", name_ja="水")
    assert (air.position, water.position) == (0, 1)
    assert actions(air) == ["network.field.created"]
    assert air.history.get().history_user == secretariat


@pytest.mark.parametrize("code", ["", "Air", "air quality", "air_quality", "a" * 41])
def test_a_field_code_is_lower_case_letters_digits_and_hyphens(secretariat, code):
    with pytest.raises(ValidationError) as excinfo:
        services.field_create(actor=secretariat, code=code, name_en="Air")
    assert "lower-case letters" in message(excinfo, "code")


def test_a_field_code_is_used_once_and_a_field_has_a_name(secretariat):
    make_field("air")
    with pytest.raises(ValidationError) as excinfo:
        services.field_create(actor=secretariat, code="air", name_en="Air again")
    assert "already has this code" in message(excinfo, "code")
    with pytest.raises(ValidationError) as excinfo:
        services.field_create(actor=secretariat, code="water", name_en=" ", name_ja="")
    assert "Japanese or in English" in message(excinfo, "name_ja")


def test_a_field_edit_started_from_an_old_version_is_refused(secretariat):
    air = make_field("air")
    services.field_update(actor=secretariat, field=air, expected_version=1, changes={"name_en": "Air quality"})
    with pytest.raises(StaleEditError):
        services.field_update(actor=secretariat, field=air, expected_version=1, changes={"is_active": False})
    air.refresh_from_db()
    assert (air.name_en, air.is_active, air.version) == ("Air quality", True, 2)
    assert actions(air) == ["network.field.created", "network.field.updated"]


def test_fields_are_reordered_only_with_the_whole_list(secretariat):
    air, water, waste = make_field("air"), make_field("water"), make_field("waste-3r")
    with pytest.raises(ValidationError) as excinfo:
        services.fields_reorder(actor=secretariat, order=[waste.pk, air.pk])
    assert "exactly once" in message(excinfo, "order")
    services.fields_reorder(actor=secretariat, order=[waste.pk, air.pk, water.pk])
    assert list(Field.objects.values_list("code", flat=True)) == ["waste-3r", "air", "water"]
    assert actions(Field.objects.get(code="waste-3r"))[-1] == "network.field.moved"


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_edits_the_fields(make_user, role):
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        services.field_create(actor=user, code="air", name_en="Air")
    air = make_field("air")
    with pytest.raises(PermissionDenied):
        services.field_update(actor=user, field=air, expected_version=1, changes={"name_en": "x"})


# --- groups ----------------------------------------------------------------------------------------


def test_a_group_comes_with_its_measure_under_the_networks_line_and_its_series(secretariat):
    node = network_node()
    air = make_field("air")
    group = services.working_group_create(
        actor=secretariat,
        field=air,
        code="wg-air",
        name_ja="大気作業部会",
        name_en="Air working group",
        terms_of_reference_ja="付託事項",
        terms_of_reference_en="Terms of reference",
        chair_countries=[CountryFactory(code="JP")],
        co_chair_countries=[CountryFactory(code="VN")],
        membership_group=eas(),
        established_on=dt.date(2026, 4, 1),
        visibility="public",
    )
    measure = group.measure
    assert (measure.code, measure.framework_node, measure.title_ja) == ("NET-WG-AIR", node, "大気作業部会")
    assert (measure.visibility, measure.status, measure.starts_on) == ("public", "ongoing", dt.date(2026, 4, 1))
    series = group.meeting_series
    assert (series.code, series.level, series.membership_group.code) == ("NET-WG-AIR", MeetingLevel.WORKING, "eas")
    assert set(group.chair_countries.values_list("code", flat=True)) == {"JP"}
    assert actions(group) == ["network.group.created"]
    assert measure.history.get().action_code == "measures.measure.created"


def test_without_the_networks_line_a_group_names_the_line_to_choose(secretariat):
    with pytest.raises(ValidationError) as excinfo:
        services.working_group_create(actor=secretariat, field=make_field(), code="wg-air", name_en="Air")
    assert "code M" in message(excinfo, "framework_node")
    other_line = FrameworkNode.objects.create(code="F.2", kind="direction", title_en="Human resources")
    group = services.working_group_create(
        actor=secretariat, field=make_field(), code="wg-air", name_en="Air", framework_node=other_line
    )
    assert group.measure.framework_node == other_line


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"code": "WG Air"}, "code", "lower-case letters"),
        ({"code": "w" * 37}, "code", "at most 36"),
        ({"name_en": "", "name_ja": ""}, "name_ja", "Japanese or in English"),
        ({"chairs": ("JP",), "co_chairs": ("JP", "VN")}, "co_chair_countries", "not both"),
        ({"chairs": ("US",)}, "chair_countries", "not a member"),
        ({"co_chairs": ("US",)}, "co_chair_countries", "not a member"),
        ({"status": "asleep"}, "status", "active, dormant or closed"),
    ],
)
def test_a_group_is_refused_with_a_message_naming_the_field(kwargs, field, words):
    with pytest.raises(ValidationError) as excinfo:
        make_wg(**kwargs)
    assert words in message(excinfo, field)


def test_a_group_code_is_used_once_and_its_field_must_be_in_use():
    make_wg("wg-air")
    with pytest.raises(ValidationError) as excinfo:
        make_wg("wg-air")
    assert "already has this code" in message(excinfo, "code")
    retired = make_field("old", is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        make_wg("wg-old", field=retired)
    assert "no longer in use" in message(excinfo, "field")


def test_a_group_meets_in_one_working_level_series_of_its_own():
    network_node()
    ministerial = make_series(level="ministerial", group=eas())
    with pytest.raises(ValidationError) as excinfo:
        make_wg(membership_group=None, meeting_series=ministerial)
    assert "working-level" in message(excinfo, "meeting_series")
    working = make_series(level="working", group=eas())
    make_wg(membership_group=None, meeting_series=working)
    with pytest.raises(ValidationError) as excinfo:
        make_wg(membership_group=None, meeting_series=working)
    assert "another group" in message(excinfo, "meeting_series")
    with pytest.raises(ValidationError) as excinfo:
        make_wg(meeting_series=make_series(level="working", group=eas()))
    assert "not both" in message(excinfo, "meeting_series")


def test_a_group_without_membership_group_takes_chairs_from_anywhere():
    group = make_wg(membership_group=None, chairs=("US",), co_chairs=())
    assert group.meeting_series is None
    assert list(group.chair_countries.values_list("code", flat=True)) == ["US"]


def test_a_group_edit_carries_over_to_its_measure_and_keeps_its_code(secretariat):
    group = make_wg("wg-air", visibility="members")
    updated = services.working_group_update(
        actor=secretariat,
        group=group,
        expected_version=1,
        changes={"name_ja": "大気・越境大気汚染", "status": "dormant", "visibility": "public"},
    )
    measure = updated.measure
    measure.refresh_from_db()
    assert (measure.title_ja, measure.status, measure.visibility) == (
        "大気・越境大気汚染",
        MeasureStatus.SUSPENDED,
        "public",
    )
    assert measure.history.order_by("-history_id").first().action_code == "measures.measure.updated"
    with pytest.raises(ValidationError) as excinfo:
        services.working_group_update(actor=secretariat, group=updated, expected_version=2, changes={"code": "x"})
    assert "fixed" in message(excinfo, "code")
    with pytest.raises(StaleEditError):
        services.working_group_update(actor=secretariat, group=updated, expected_version=1, changes={"name_en": "x"})
    assert actions(updated) == ["network.group.created", "network.group.updated"]


def test_a_chair_country_with_a_current_chair_cannot_be_dropped(secretariat):
    group = make_wg(chairs=("JP",), co_chairs=("VN",))
    add_member(group, country="JP", role=GroupRole.CHAIR)
    with pytest.raises(ValidationError) as excinfo:
        services.working_group_update(
            actor=secretariat, group=group, expected_version=1, changes={"chair_countries": [CountryFactory(code="TH")]}
        )
    assert "Japan" in message(excinfo, "chair_countries")
    # Adding a chair country is fine, and the m2m edit is a new version.
    updated = services.working_group_update(
        actor=secretariat,
        group=group,
        expected_version=1,
        changes={"chair_countries": [CountryFactory(code="JP"), CountryFactory(code="TH")]},
    )
    assert updated.version == 2
    assert set(updated.chair_countries.values_list("code", flat=True)) == {"JP", "TH"}


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_creates_and_changes_groups(make_user, role):
    network_node()
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        services.working_group_create(actor=user, field=make_field(), code="wg-x", name_en="X")
    group = make_wg()
    add_member(group, country="VN", user=user)  # even a member of the group
    with pytest.raises(PermissionDenied):
        services.working_group_update(actor=user, group=group, expected_version=1, changes={"name_en": "x"})


# --- members ---------------------------------------------------------------------------------------


def test_a_member_represents_their_countrys_seat_for_a_term(secretariat):
    group = make_wg()
    person = PersonFactory(country=CountryFactory(code="TH"))
    member = services.group_member_add(actor=secretariat, group=group, person=person, started_on=YEAR_AGO)
    assert (member.country_id, member.role, member.ended_on) == ("TH", "member", None)
    assert actions(member) == ["network.member.added"]


def test_a_term_cannot_end_before_it_starts(secretariat):
    group = make_wg()
    with pytest.raises(ValidationError) as excinfo:
        add_member(group, started_on=TODAY, ended_on=TODAY - dt.timedelta(days=1))
    assert "cannot end before it starts" in message(excinfo, "ended_on")


def test_terms_of_one_person_in_one_group_do_not_overlap(secretariat):
    group = make_wg()
    person = PersonFactory(country=CountryFactory(code="TH"))
    first = add_member(group, person=person, started_on=dt.date(2024, 1, 1), ended_on=dt.date(2024, 12, 31))
    with pytest.raises(ValidationError) as excinfo:
        add_member(group, person=person, started_on=dt.date(2024, 6, 1))
    assert "already a member" in message(excinfo, "started_on")
    with pytest.raises(ValidationError):  # an open-ended term starting before covers the first one
        add_member(group, person=person, started_on=dt.date(2023, 1, 1))
    # The next term may start the day after; the same person may sit in another group at once.
    add_member(group, person=person, started_on=dt.date(2025, 1, 1))
    add_member(make_wg(), person=person, started_on=dt.date(2024, 6, 1))
    # Correcting the first term into the second is refused too.
    with pytest.raises(ValidationError) as excinfo:
        services.group_member_update(
            actor=secretariat, member=first, expected_version=1, changes={"ended_on": dt.date(2025, 3, 31)}
        )
    assert "already a member" in message(excinfo, "started_on")


def test_a_member_represents_a_country_of_the_membership_group_unless_an_observer():
    group = make_wg()
    with pytest.raises(ValidationError) as excinfo:
        add_member(group, country="US")
    assert "not a member of the group's membership group" in message(excinfo, "country")
    assert add_member(group, country="US", role=GroupRole.OBSERVER).role == "observer"


def test_a_member_needs_a_country_when_the_person_has_none(secretariat):
    group = make_wg()
    person = PersonFactory(country=None)
    with pytest.raises(ValidationError) as excinfo:
        services.group_member_add(actor=secretariat, group=group, person=person, started_on=TODAY)
    assert "which country" in message(excinfo, "country")


def test_a_country_that_left_the_membership_group_has_no_seat_after_it_left():
    group = make_wg()
    membership = eas().memberships.get(country_id="KH")
    membership.left_on = dt.date(2020, 12, 31)
    membership.save()
    add_member(group, country="KH", started_on=dt.date(2020, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        add_member(group, country="KH", started_on=dt.date(2021, 1, 1))
    assert "Cambodia" in message(excinfo, "country") or "KH" in message(excinfo, "country")


def test_chairs_come_from_the_chair_countries_and_co_chairs_from_theirs():
    group = make_wg(chairs=("JP",), co_chairs=("VN",))
    with pytest.raises(ValidationError) as excinfo:
        add_member(group, country="TH", role=GroupRole.CHAIR)
    assert "chair countries" in message(excinfo, "role")
    with pytest.raises(ValidationError) as excinfo:
        add_member(group, country="JP", role=GroupRole.CO_CHAIR)
    assert "co-chair countries" in message(excinfo, "role")
    add_member(group, country="JP", role=GroupRole.CHAIR)
    add_member(group, country="VN", role=GroupRole.CO_CHAIR)


def test_a_closed_group_takes_no_new_members_nor_items(secretariat):
    group = make_wg(status="closed")
    with pytest.raises(ValidationError) as excinfo:
        add_member(group)
    assert "closed" in message(excinfo, "group")
    with pytest.raises(ValidationError) as excinfo:
        services.work_plan_item_create(actor=secretariat, group=group, title_en="Survey")
    assert "closed" in message(excinfo, "group")


def test_a_term_ends_on_a_day_after_it_started_and_only_earlier_than_set(secretariat):
    group = make_wg()
    member = add_member(group, started_on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.group_member_end(actor=secretariat, member=member, ended_on=dt.date(2023, 12, 31))
    assert "cannot end before it starts" in message(excinfo, "ended_on")
    ended = services.group_member_end(actor=secretariat, member=member, ended_on=dt.date(2025, 3, 31))
    assert ended.ended_on == dt.date(2025, 3, 31)
    assert actions(ended) == ["network.member.added", "network.member.ended"]
    with pytest.raises(ValidationError) as excinfo:
        services.group_member_end(actor=secretariat, member=ended, ended_on=dt.date(2025, 6, 30))
    assert "already ends" in message(excinfo, "ended_on")


def test_a_membership_correction_keeps_group_and_person(secretariat):
    group = make_wg()
    member = add_member(group)
    with pytest.raises(ValidationError) as excinfo:
        services.group_member_update(actor=secretariat, member=member, expected_version=1, changes={"person": None})
    assert "new one" in message(excinfo, "person")
    with pytest.raises(ValidationError) as excinfo:
        services.group_member_update(actor=secretariat, member=member, expected_version=1, changes={"country": "ZZ"})
    assert "No such country" in message(excinfo, "country")
    CountryFactory(code="US")
    fixed = services.group_member_update(
        actor=secretariat, member=member, expected_version=1, changes={"role": GroupRole.OBSERVER, "country": "US"}
    )
    assert (fixed.role, fixed.country_id) == ("observer", "US")


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_changes_membership(make_user, role):
    user = make_user(role)
    group = make_wg()
    with pytest.raises(PermissionDenied):
        services.group_member_add(actor=user, group=group, person=PersonFactory(), started_on=TODAY)
    member = add_member(group, country="VN", role=GroupRole.CO_CHAIR, user=user)
    with pytest.raises(PermissionDenied):
        services.group_member_end(actor=user, member=member, ended_on=TODAY)


# --- work plan -------------------------------------------------------------------------------------


def test_work_plan_items_are_added_in_order_and_reordered_as_a_whole(secretariat):
    group = make_wg()
    items = [services.work_plan_item_create(actor=secretariat, group=group, title_en=t) for t in "ABC"]
    assert [i.position for i in items] == [0, 1, 2]
    with pytest.raises(ValidationError) as excinfo:
        services.work_plan_reorder(actor=secretariat, group=group, order=[items[2].pk, items[0].pk])
    assert "exactly once" in message(excinfo, "order")
    other = services.work_plan_item_create(actor=secretariat, group=make_wg(), title_en="Elsewhere")
    with pytest.raises(ValidationError):
        services.work_plan_reorder(
            actor=secretariat, group=group, order=[items[2].pk, items[0].pk, items[1].pk, other.pk]
        )
    services.work_plan_reorder(actor=secretariat, group=group, order=[items[2].pk, items[0].pk, items[1].pk])
    assert list(group.work_plan.values_list("title_en", flat=True)) == ["C", "A", "B"]
    items[2].refresh_from_db()
    assert actions(items[2]) == ["network.work_plan_item.created", "network.work_plan_item.moved"]


def test_a_work_plan_item_has_a_title_a_known_status_and_stays_in_its_group(secretariat):
    group = make_wg()
    with pytest.raises(ValidationError) as excinfo:
        services.work_plan_item_create(actor=secretariat, group=group, title_ja="", title_en="")
    assert "Japanese or in English" in message(excinfo, "title_ja")
    with pytest.raises(ValidationError) as excinfo:
        services.work_plan_item_create(actor=secretariat, group=group, title_en="A", status="finished")
    assert "planned, in progress" in message(excinfo, "status")
    item = services.work_plan_item_create(actor=secretariat, group=group, title_en="A")
    with pytest.raises(ValidationError) as excinfo:
        services.work_plan_item_update(actor=secretariat, item=item, expected_version=1, changes={"group": make_wg()})
    assert "stays in its group" in message(excinfo, "group")
    changed = services.work_plan_item_update(
        actor=secretariat, item=item, expected_version=1, changes={"title_ja": "調査", "due_on": dt.date(2027, 3, 31)}
    )
    assert (changed.title_ja, changed.version) == ("調査", 2)


def test_the_chair_and_co_chairs_set_an_items_status_and_nothing_else(make_user, secretariat):
    group = make_wg()
    item = services.work_plan_item_create(actor=secretariat, group=group, title_en="Inventory")
    chair, co_chair, member, observer, former, outsider = (make_user(Role.WG_MEMBER) for _ in range(6))
    add_member(group, country="JP", role=GroupRole.CHAIR, user=chair)
    add_member(group, country="VN", role=GroupRole.CO_CHAIR, user=co_chair)
    add_member(group, country="TH", user=member)
    add_member(group, country="US", role=GroupRole.OBSERVER, user=observer)
    add_member(
        group, country="JP", role=GroupRole.CHAIR, user=former, started_on=dt.date(2020, 1, 1), ended_on=YEAR_AGO
    )
    item = services.work_plan_item_set_status(
        actor=chair, item=item, expected_version=1, status=WorkPlanStatus.IN_PROGRESS
    )
    item = services.work_plan_item_set_status(actor=co_chair, item=item, expected_version=2, status="done")
    assert item.status == "done"
    assert actions(item)[-1] == "network.work_plan_item.status_set"
    assert item.history.order_by("-history_id").first().history_user == co_chair
    for user in (member, observer, former, outsider):
        with pytest.raises(PermissionDenied):
            services.work_plan_item_set_status(actor=user, item=item, expected_version=3, status="planned")
    # The chair sets the status only: the content of the plan is the secretariat's.
    with pytest.raises(PermissionDenied):
        services.work_plan_item_update(actor=chair, item=item, expected_version=3, changes={"title_en": "x"})
    with pytest.raises(PermissionDenied):
        services.work_plan_item_create(actor=chair, group=group, title_en="More")
    with pytest.raises(ValidationError) as excinfo:
        services.work_plan_item_set_status(actor=chair, item=item, expected_version=3, status="finished")
    assert "planned" in message(excinfo, "status")
    with pytest.raises(StaleEditError):
        services.work_plan_item_set_status(actor=chair, item=item, expected_version=1, status="planned")


def test_a_chair_of_another_group_does_not_set_this_groups_statuses(make_user, secretariat):
    group, other = make_wg(), make_wg()
    item = services.work_plan_item_create(actor=secretariat, group=group, title_en="Inventory")
    chair_elsewhere = make_user(Role.WG_MEMBER)
    add_member(other, country="JP", role=GroupRole.CHAIR, user=chair_elsewhere)
    with pytest.raises(PermissionDenied):
        services.work_plan_item_set_status(actor=chair_elsewhere, item=item, expected_version=1, status="done")


def test_a_work_plan_item_links_to_measures_through_measure_links(secretariat, make_user):
    group = make_wg()
    item = services.work_plan_item_create(actor=secretariat, group=group, title_en="Emission inventory")
    measure = make_measure()
    link = services.work_plan_item_link_measure(actor=secretariat, item=item, measure=measure, note=" co-benefits ")
    again = services.work_plan_item_link_measure(actor=secretariat, item=item, measure=measure)
    assert link.pk == again.pk
    assert (link.relation, link.note, link.target) == ("advances", "co-benefits", item)
    assert link.target_type == ContentType.objects.get_for_model(item)
    with pytest.raises(ValidationError) as excinfo:
        services.work_plan_item_link_measure(actor=secretariat, item=item, measure=measure, relation="evidence")
    assert "advances a measure" in message(excinfo, "relation")
    assert services.work_plan_item_unlink_measure(actor=secretariat, item=item, measure=measure) == 1
    assert not MeasureLink.objects.exists()
    expert = make_user(Role.EXPERT)
    with pytest.raises(PermissionDenied):
        services.work_plan_item_link_measure(actor=expert, item=item, measure=measure)


# --- the annual report: the progress module's report of the group's measure --------------------------


def test_the_chair_reports_through_the_progress_cycle(make_user, secretariat):
    from cleanasia.measures import services as measures

    from ..measures.factories import make_period

    group = make_wg()
    chair, observer, outsider = make_user(Role.WG_MEMBER), make_user(Role.WG_MEMBER), make_user(Role.EXPERT)
    add_member(group, country="JP", role=GroupRole.CHAIR, user=chair)
    add_member(group, country="US", role=GroupRole.OBSERVER, user=observer)
    with pytest.raises(ValidationError) as excinfo:
        services.working_group_report_owner_set(actor=secretariat, group=group, user=outsider)
    assert "current member" in message(excinfo, "user")
    with pytest.raises(ValidationError):
        services.working_group_report_owner_set(actor=secretariat, group=group, user=observer)
    with pytest.raises(PermissionDenied):
        services.working_group_report_owner_set(actor=chair, group=group, user=chair)
    with pytest.raises(ValidationError) as excinfo:
        services.group_annual_report_start(actor=secretariat, group=group, fiscal_year=2026)
    assert "no reporting period" in message(excinfo, "fiscal_year")

    make_period("year", 2026)
    with pytest.raises(PermissionDenied):  # not yet the group's rapporteur
        services.group_annual_report_start(actor=chair, group=group, fiscal_year=2026)
    services.working_group_report_owner_set(actor=secretariat, group=group, user=chair)
    report = services.group_annual_report_start(actor=chair, group=group, fiscal_year=2026)
    assert (report.measure, report.period.kind, report.state) == (group.measure, "year", "draft")
    assert services.group_annual_report_start(actor=chair, group=group, fiscal_year=2026) == report
    report = measures.report_update(
        actor=chair, report=report, expected_version=1, changes={"narrative_en": "Two surveys", "rating": "on_track"}
    )
    report = measures.report_submit(actor=chair, report=report)
    with pytest.raises(PermissionDenied):
        measures.report_approve(actor=chair, report=report)
    report = measures.report_approve(actor=secretariat, report=report)
    assert report.state == "approved"
