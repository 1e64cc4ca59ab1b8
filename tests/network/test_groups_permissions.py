"""Who sees and who changes fields, groups, memberships and work plans: every role over every visibility
level, a group's current member against a non-member (a former member, a future one, a member of another
group), what the public page publishes, and the privacy of members' contact details."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.permissions import can, visible
from cleanasia.network.models import Field, GroupRole, WorkingGroup, WorkingGroupMember, WorkPlanItem
from cleanasia.network.policies.groups import SET_STATUS, VIEW_WORKSPACE
from cleanasia.network.selectors.groups import group_public_page_for, group_workspace_for
from cleanasia.network.services import groups as services

from ..conftest import ROLES
from .factories_groups import add_member, make_field, make_wg

pytestmark = pytest.mark.django_db

VISIBILITIES = ["public", "members", "groups", "secretariat"]
STAFF = (Role.SECRETARIAT, Role.ADMIN)
TODAY = timezone.localdate()


def user_for(role, make_user):
    return AnonymousUser() if role == "public" else make_user(role)


@pytest.fixture
def world():
    """A group per level publishing everything, and a public group publishing nothing; each with a
    current member, a former member and a work-plan item."""
    groups = {}
    for vis in VISIBILITIES:
        groups[vis] = make_wg(visibility=vis, publishes_members=True, publishes_work_plan=True, publishes_reports=True)
    groups["quiet"] = make_wg(visibility="public", publishes_members=False, publishes_work_plan=False)
    for group in groups.values():
        add_member(group, country="TH")
        add_member(group, country="VN", started_on=dt.date(2020, 1, 1), ended_on=dt.date(2021, 12, 31))
        services.work_plan_item_create(actor=None, group=group, title_en="Inventory")
    return groups


def sees_group(role, vis):
    if role in STAFF:
        return True
    if role == "public":
        return vis == "public"
    return vis in ("public", "members")


@pytest.mark.parametrize("role", ROLES)
def test_groups_members_and_work_plans_by_role_and_level(role, make_user, world):
    user = user_for(role, make_user)
    groups = set(visible(WorkingGroup.objects.all(), user).values_list("pk", flat=True))
    members = visible(WorkingGroupMember.objects.all(), user)
    items = set(visible(WorkPlanItem.objects.all(), user).values_list("group_id", flat=True))
    for key, group in world.items():
        vis = "public" if key == "quiet" else key
        wanted = sees_group(role, vis)
        assert (group.pk in groups) is wanted, key
        assert can(user, "view", group) is wanted, key
        # Nobody of these roles is a member: the workspace is the secretariat's alone.
        assert can(user, VIEW_WORKSPACE, group) is (role in STAFF), key
        published = wanted and key != "quiet"
        current = set(members.filter(group=group).values_list("ended_on", flat=True))
        if role in STAFF:
            assert current == {None, dt.date(2021, 12, 31)}, key  # past terms too
        else:
            assert current == ({None} if published else set()), key  # current terms only, when published
        assert (group.pk in items) is (role in STAFF or published), key


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_changes_and_nobody_deletes(role, make_user, world):
    user = user_for(role, make_user)
    group = world["public"]
    staff = role in STAFF
    member = group.members.first()
    item = group.work_plan.get()
    for obj in (group, member, item, group.field):
        assert can(user, "change", obj) is staff
        assert not can(user, "delete", obj)
    assert can(user, SET_STATUS, item) is staff
    for model in (Field, WorkingGroup, WorkingGroupMember, WorkPlanItem):
        assert can(user, "add", model) is staff
    assert can(user, "view", group.field)
    assert set(visible(Field.objects.all(), user)) == set(Field.objects.all())


def test_a_current_member_sees_their_group_whatever_its_level_and_its_workspace(make_user, world):
    group = world["secretariat"]  # publishes everything, but nobody outside the secretariat sees it
    member, former, future, elsewhere = (make_user(Role.WG_MEMBER) for _ in range(4))
    add_member(group, country="JP", user=member, started_on=TODAY)
    add_member(group, country="JP", user=former, started_on=dt.date(2019, 1, 1), ended_on=TODAY - dt.timedelta(1))
    add_member(group, country="KH", user=future, started_on=TODAY + dt.timedelta(days=1))
    add_member(world["quiet"], country="KH", user=elsewhere)

    assert can(member, "view", group)
    assert can(member, VIEW_WORKSPACE, group)
    assert group.pk in set(visible(WorkingGroup.objects.all(), member).values_list("pk", flat=True))
    # The workspace shows every term of the group, past ones too, and its whole work plan.
    assert visible(WorkingGroupMember.objects.filter(group=group), member).count() == 5
    assert visible(WorkPlanItem.objects.filter(group=group), member).count() == 1
    assert not can(member, "change", group)
    for outsider in (former, future, elsewhere):
        assert not can(outsider, "view", group)
        assert not can(outsider, VIEW_WORKSPACE, group)
        assert not visible(WorkPlanItem.objects.filter(group=group), outsider).exists()
    # A former member still sees their own past term, and nothing else of the group.
    assert list(
        visible(WorkingGroupMember.objects.filter(group=group), former).values_list("person__user", flat=True)
    ) == [former.pk]


def test_a_member_of_a_quiet_group_sees_what_it_does_not_publish(make_user, world):
    group = world["quiet"]
    member, expert = make_user(Role.WG_MEMBER), make_user(Role.EXPERT)
    add_member(group, country="JP", user=member)
    assert visible(WorkPlanItem.objects.filter(group=group), member).count() == 1
    assert visible(WorkingGroupMember.objects.filter(group=group), member).count() == 3
    assert not visible(WorkPlanItem.objects.filter(group=group), expert).exists()
    assert not visible(WorkingGroupMember.objects.filter(group=group), expert).exists()


def test_named_groups_see_their_groups(make_user, world):
    user = make_user(Role.EXPERT)
    audience = Group.objects.create(name="Air quality task force")
    user.groups.add(audience)
    world["groups"].audience_groups.add(audience)
    assert can(user, "view", world["groups"])
    assert not can(user, VIEW_WORKSPACE, world["groups"])
    assert not can(user, "view", world["secretariat"])


@pytest.mark.parametrize("role", ROLES)
def test_the_workspace_is_for_members_and_the_secretariat(role, make_user, world):
    user = user_for(role, make_user)
    group = world["public"]
    if role in STAFF:
        assert group_workspace_for(user=user, code=group.code)["group"] == group
    else:
        with pytest.raises(PermissionDenied):  # the group is public, its workspace is not
            group_workspace_for(user=user, code=group.code)
    if role not in STAFF:
        with pytest.raises(Http404):  # a group they may not see does not exist for them
            group_workspace_for(user=user, code=world["secretariat"].code)


def test_contact_details_of_members_are_the_secretariats_only(make_user, world):
    group = world["public"]
    secretariat, member = make_user(Role.SECRETARIAT), make_user(Role.WG_MEMBER)
    add_member(group, country="JP", user=member)
    staff_rows = group_workspace_for(user=secretariat, code=group.code)["members"]
    assert all("@" in row["email"] for row in staff_rows)
    member_rows = group_workspace_for(user=member, code=group.code)["members"]
    assert len(member_rows) == 3
    assert all("email" not in row and "phone" not in row for row in member_rows)
    for user in (AnonymousUser(), member, secretariat):
        for row in group_public_page_for(user=user, code=group.code)["members"]:
            assert set(row) & {"email", "phone"} == set()
            assert row["current"]


@pytest.mark.parametrize("role", ROLES)
def test_the_public_page_shows_what_the_group_publishes_to_everyone_alike(role, make_user, world):
    user = user_for(role, make_user)
    quiet = group_public_page_for(user=user, code=world["quiet"].code)
    assert (quiet["members"], quiet["work_plan"], quiet["reports"]) == ([], [], [])
    page = group_public_page_for(user=user, code=world["public"].code)
    assert [row["role"] for row in page["members"]] == [GroupRole.MEMBER]  # the current member only
    assert [item.title_en for item in page["work_plan"]] == ["Inventory"]
    assert page["may_view_workspace"] is (role in STAFF)
    if role == "public":
        with pytest.raises(Http404):
            group_public_page_for(user=user, code=world["members"].code)


def test_field_list_is_reference_data(make_user):
    make_field("air")
    make_field("old", is_active=False)
    assert visible(Field.objects.all(), AnonymousUser()).count() == 2
    assert not can(make_user(Role.FOCAL_POINT), "change", Field.objects.get(code="air"))
