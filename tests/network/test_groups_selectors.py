"""Reads of fields and groups: the list with its counts and filters, the workspace (members, work plan with
its measures, annual reports in every state, meetings), the public page (approved reports only), and a
fixed number of queries whatever the size of the group."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.measures import services as measures
from cleanasia.network.models import GroupRole
from cleanasia.network.selectors.groups import (
    field_list_for,
    group_list_for,
    group_public_page_for,
    group_workspace_for,
)
from cleanasia.network.services import groups as services

from ..measures.factories import make_measure, make_period
from ..meetings.factories import make_meeting
from .factories_groups import add_member, make_field, make_wg

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def approved_report(group, period, narrative="Done"):
    report = measures.report_get_or_create_draft(actor=None, measure=group.measure, period=period)
    report = measures.report_update(
        actor=None,
        report=report,
        expected_version=report.version,
        changes={"narrative_en": narrative, "rating": "on_track"},
    )
    report = measures.report_submit(actor=None, report=report)
    return measures.report_approve(actor=None, report=report)


def test_the_field_list_counts_the_groups_each_user_sees(make_user):
    air, water = make_field("air"), make_field("water")
    make_field("old", is_active=False)
    make_wg(field=air, visibility="public")
    make_wg(field=air, visibility="secretariat")
    public = {f.code: f.group_count for f in field_list_for(user=AnonymousUser())}
    assert public == {"air": 1, "water": 0}
    staff = {f.code: f.group_count for f in field_list_for(user=make_user(Role.SECRETARIAT), active_only=False)}
    assert staff == {"air": 2, "water": 0, "old": 0}
    assert water.position < make_field("later").position


def test_the_group_list_counts_current_members_and_marks_the_users_groups(make_user):
    air = make_field("air")
    mine = make_wg("wg-air", field=air, visibility="members", name_en="Air quality")
    other = make_wg("wg-water", visibility="members", name_en="Water")
    user = make_user(Role.WG_MEMBER)
    add_member(mine, country="JP", user=user)
    add_member(mine, country="TH")
    add_member(mine, country="VN", started_on=dt.date(2020, 1, 1), ended_on=dt.date(2020, 12, 31))
    rows = {g.code: g for g in group_list_for(user=user)}
    assert (rows["wg-air"].member_count, rows["wg-air"].is_member) == (2, True)
    assert (rows["wg-water"].member_count, rows["wg-water"].is_member) == (0, False)
    assert [g.code for g in group_list_for(user=user, filters={"mine": True})] == ["wg-air"]
    assert [g.code for g in group_list_for(user=user, filters={"field": "air"})] == ["wg-air"]
    assert [g.code for g in group_list_for(user=user, filters={"field": air.pk})] == ["wg-air"]
    assert [g.code for g in group_list_for(user=user, filters={"q": "wat"})] == ["wg-water"]
    services.working_group_update(actor=None, group=other, expected_version=1, changes={"status": "closed"})
    assert [g.code for g in group_list_for(user=user, filters={"status": "closed"})] == ["wg-water"]
    assert list(group_list_for(user=AnonymousUser())) == []


def test_the_workspace_holds_members_work_plan_reports_and_meetings(make_user):
    group = make_wg(visibility="members")
    chair = make_user(Role.WG_MEMBER)
    add_member(group, country="JP", role=GroupRole.CHAIR, user=chair)
    add_member(group, country="TH")
    add_member(group, country="KH", started_on=dt.date(2020, 1, 1), ended_on=dt.date(2020, 12, 31))
    first = services.work_plan_item_create(actor=None, group=group, title_en="Inventory")
    second = services.work_plan_item_create(actor=None, group=group, title_en="Training needs")
    services.work_plan_reorder(actor=None, group=group, order=[second.pk, first.pk])
    public_measure = make_measure(visibility="public", code="M-PUB")
    hidden_measure = make_measure(visibility="secretariat", code="M-HID")
    services.work_plan_item_link_measure(actor=None, item=first, measure=public_measure)
    services.work_plan_item_link_measure(actor=None, item=first, measure=hidden_measure)
    services.working_group_report_owner_set(actor=None, group=group, user=chair)
    fy2024, fy2025 = make_period("year", 2024), make_period("year", 2025)
    approved = approved_report(group, fy2024)
    correction = measures.report_correct(actor=None, report=approved)
    draft = measures.report_get_or_create_draft(actor=None, measure=group.measure, period=fy2025)
    meeting = make_meeting(group.meeting_series, visibility="members")
    make_meeting(group.meeting_series, visibility="secretariat")

    page = group_workspace_for(user=chair, code=group.code)
    assert [(r["role"], r["current"]) for r in page["members"]] == [
        ("chair", True),
        ("member", True),
        ("member", False),
    ]
    assert [item.title_en for item in page["work_plan"]] == ["Training needs", "Inventory"]
    # The chair sees the links to the measures they may see; the secretariat sees them all.
    assert [link["measure"].code for link in page["work_plan"][1].measure_links] == ["M-PUB"]
    assert page["reports"] == [draft, correction]  # every state, the latest version of each year
    assert page["meetings"] == [meeting]
    assert (page["may_set_status"], page["may_change"], page["may_report"]) == (True, False, True)
    assert page["report_owner"] == chair
    staff = group_workspace_for(user=make_user(Role.SECRETARIAT), code=group.code)
    assert [link["measure"].code for link in staff["work_plan"][1].measure_links] == ["M-HID", "M-PUB"]
    assert (staff["may_change"], staff["may_set_status"]) == (True, True)


def test_the_public_page_shows_approved_reports_only_and_only_when_published(make_user):
    group = make_wg(visibility="public", publishes_reports=True)
    fy2024, fy2025 = make_period("year", 2024), make_period("year", 2025)
    approved = approved_report(group, fy2024, narrative="Published")
    measures.report_correct(actor=None, report=approved)  # a correction in draft: not public yet
    measures.report_get_or_create_draft(actor=None, measure=group.measure, period=fy2025)
    page = group_public_page_for(user=AnonymousUser(), code=group.code)
    assert page["reports"] == [approved]
    quiet = make_wg(visibility="public", publishes_reports=False)
    approved_report(quiet, fy2024)
    assert group_public_page_for(user=make_user(Role.SECRETARIAT), code=quiet.code)["reports"] == []


def _populate(group, n):
    for i in range(n):
        add_member(group, country=("JP", "VN", "TH", "KH")[i % 4])
        item = services.work_plan_item_create(actor=None, group=group, title_en=f"Item {i}")
        services.work_plan_item_link_measure(actor=None, item=item, measure=make_measure(visibility="public"))
        make_meeting(group.meeting_series, visibility="public")
        approved_report(group, make_period("year", 2040 + i))


@pytest.mark.parametrize("n", [1, 6])
def test_the_pages_run_a_fixed_number_of_queries(n, make_user, django_assert_max_num_queries):
    group = make_wg(visibility="public", publishes_members=True, publishes_reports=True)
    _populate(group, n)
    member = make_user(Role.WG_MEMBER)
    add_member(group, country="JP", role=GroupRole.CHAIR, user=member)
    staff = make_user(Role.SECRETARIAT)
    for user in (member, staff):
        user.role_codes  # noqa: B018 (the roles are read once per request, not per page)
        with django_assert_max_num_queries(10):
            page = group_workspace_for(user=user, code=group.code)
        assert len(page["work_plan"]) == len(page["reports"]) == n
        with django_assert_max_num_queries(9):
            public = group_public_page_for(user=user, code=group.code)
        assert len(public["members"]) == n + 1
        with django_assert_max_num_queries(1):
            list(group_list_for(user=user))
    with django_assert_max_num_queries(8):
        group_public_page_for(user=AnonymousUser(), code=group.code)
