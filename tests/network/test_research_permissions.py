"""Who sees and who changes research projects, outputs and milestones: every role of ROLES over every level,
plus the working group's members and the focal points of the countries taking part."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.permissions import ADD, CHANGE, DELETE, VIEW, can, visible
from cleanasia.network.models import ResearchMilestone, ResearchOutput, ResearchProject
from cleanasia.network.policies.research import SET_STATUS
from cleanasia.network.services import research as services

from ..conftest import ROLES
from ..factories import CountryFactory
from ..measures.factories import make_measure
from .test_research_builders import make_field, make_group, make_member, make_project

pytestmark = pytest.mark.django_db

STAFF = (Role.SECRETARIAT, Role.ADMIN)
LEVELS = ("public", "members", "groups", "secretariat")


@pytest.fixture
def world():
    air = make_field("air")
    group = make_group(air)
    projects = {level: make_project(field=air, visibility=level) for level in LEVELS}
    projects["in_group"] = make_project(field=air, visibility="secretariat", working_group=group)
    projects["with_vn"] = make_project(visibility="secretariat", countries=[CountryFactory(code="VN")])
    projects["with_th"] = make_project(visibility="secretariat", countries=[CountryFactory(code="TH")])
    for project in projects.values():
        services.output_add(actor=None, project=project, kind="publication", title="Paper")
        services.milestone_add(actor=None, project=project, due_on=project.starts_on, title_en="Start")
    return {"group": group, "projects": projects}


def user_for(role, make_user, world):
    if role == "public":
        return AnonymousUser()
    user = make_user(role)
    if role == Role.WG_MEMBER:
        make_member(world["group"], user)
    return user


def expected(role):
    if role in STAFF:
        return {*LEVELS, "in_group", "with_vn", "with_th"}
    if role == "public":
        return {"public"}
    return {
        "public",
        "members",
        *({"in_group"} if role == Role.WG_MEMBER else ()),
        *({"with_vn"} if role == Role.FOCAL_POINT else ()),  # a focal point of Viet Nam
    }


@pytest.mark.parametrize("role", ROLES)
def test_project_visibility_matrix(role, make_user, world):
    user = user_for(role, make_user, world)
    projects = world["projects"]
    wanted = {projects[key].pk for key in expected(role)}
    assert set(visible(ResearchProject.objects.all(), user).values_list("pk", flat=True)) == wanted
    for key, project in projects.items():
        assert can(user, VIEW, project) == (key in expected(role)), key
    # Outputs and milestones follow their project.
    assert set(visible(ResearchOutput.objects.all(), user).values_list("project_id", flat=True)) == wanted
    assert set(visible(ResearchMilestone.objects.all(), user).values_list("project_id", flat=True)) == wanted


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_changes_and_nobody_deletes(role, make_user, world):
    user = user_for(role, make_user, world)
    staff = role in STAFF
    project = world["projects"]["public"]
    assert can(user, ADD, ResearchProject) == staff
    assert can(user, CHANGE, project) == staff
    assert can(user, SET_STATUS, project) == staff
    assert can(user, CHANGE, project.outputs.get()) == staff
    assert can(user, CHANGE, project.milestones.get()) == staff
    assert not can(user, DELETE, project)
    assert not can(user, DELETE, project.outputs.get())


@pytest.mark.parametrize("role", [r for r in ROLES if r not in STAFF and r != "public"])
def test_the_services_refuse_what_the_policies_refuse(role, make_user, world):
    user = user_for(role, make_user, world)
    project = world["projects"]["in_group" if role == Role.WG_MEMBER else "public"]
    output, milestone = project.outputs.get(), project.milestones.get()
    calls = [
        lambda: services.project_create(
            actor=user,
            code="x",
            field=project.field,
            lead_organisation=project.lead_organisation,
            starts_on=project.starts_on,
            title_en="X",
        ),
        lambda: services.project_update(actor=user, project=project, expected_version=1, changes={"funder": "x"}),
        lambda: services.project_set_status(actor=user, project=project, expected_version=1, status="ongoing"),
        lambda: services.output_add(actor=user, project=project, kind="dataset", title="Data"),
        lambda: services.output_update(actor=user, output=output, expected_version=1, changes={"title": "x"}),
        lambda: services.milestone_add(actor=user, project=project, due_on=project.starts_on, title_en="x"),
        lambda: services.milestone_update(
            actor=user, milestone=milestone, expected_version=1, changes={"title_en": "x"}
        ),
        lambda: services.milestone_mark_done(actor=user, milestone=milestone, expected_version=1),
        lambda: services.project_link_measure(actor=user, project=project, measure=make_measure()),
        lambda: services.project_unlink_measure(actor=user, project=project, measure=make_measure()),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    project.refresh_from_db()
    assert project.version == 1
    assert project.status == "proposed"


def test_a_past_or_future_member_of_the_group_does_not_see_its_restricted_projects(make_user, world):
    today = timezone.localdate()
    former = make_user(Role.WG_MEMBER)
    make_member(
        world["group"], former, started_on=today - dt.timedelta(days=800), ended_on=today - dt.timedelta(days=1)
    )
    future = make_user(Role.WG_MEMBER)
    make_member(world["group"], future, started_on=today + dt.timedelta(days=1))
    for user in (former, future):
        assert not can(user, VIEW, world["projects"]["in_group"])


def test_a_named_group_sees_the_projects_shown_to_it(make_user, world):
    user = make_user(Role.EXPERT)
    readers = Group.objects.create(name="Air partners")
    user.groups.add(readers)
    world["projects"]["groups"].audience_groups.add(readers)
    assert can(user, VIEW, world["projects"]["groups"])
    assert not can(make_user(Role.EXPERT), VIEW, world["projects"]["groups"])
