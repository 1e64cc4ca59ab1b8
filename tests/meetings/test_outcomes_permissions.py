"""Who sees and who changes outcomes, elements and updates: every role of ROLES over every visibility."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cleanasia.accounts.models import Role
from cleanasia.core.permissions import ADD, CHANGE, VIEW, VIEW_HISTORY, can, visible
from cleanasia.meetings.models import Element, ElementUpdate, Outcome
from cleanasia.meetings.policies.outcomes import ADOPT, REPORT_UPDATE
from cleanasia.meetings.services import followup as followup_services
from cleanasia.meetings.services import outcomes as services

from ..conftest import ROLES
from .factories import make_series
from .test_outcomes_builders import adopted_outcome, draft_outcome, element, make_action_item, past_meeting

pytestmark = pytest.mark.django_db

STAFF = (Role.SECRETARIAT, Role.ADMIN)
VISIBILITIES = ("public", "members", "groups", "secretariat")


@pytest.fixture
def world():
    series = make_series()
    outcomes = {vis: adopted_outcome(past_meeting(series), visibility=vis) for vis in VISIBILITIES}
    outcomes["draft"] = draft_outcome(past_meeting(series), visibility="public")
    hidden_meeting = past_meeting(make_series(), visibility="secretariat", invite=("TH",))
    outcomes["hidden_meeting"] = adopted_outcome(hidden_meeting, visibility="public")
    item_vn = make_action_item(element(outcomes["public"], "02.a"), countries=("VN",))
    item_th = make_action_item(element(outcomes["public"], "02.b"), countries=("TH",))
    item_all = make_action_item(element(outcomes["public"], "03"), addressee="all")
    followup_services.element_update_record(actor=None, element=item_vn, status="in_progress", note="x", country="VN")
    return {"outcomes": outcomes, "vn": item_vn, "th": item_th, "all": item_all}


def user_for(role, make_user):
    return AnonymousUser() if role == "public" else make_user(role)


def expected_outcomes(role):
    if role in STAFF:
        return {*VISIBILITIES, "draft", "hidden_meeting"}
    if role == "public":
        return {"public"}
    return {"public", "members"}


@pytest.mark.parametrize("role", ROLES)
def test_outcome_visibility_matrix(role, make_user, world):
    user = user_for(role, make_user)
    shown = set(visible(Outcome.objects.all(), user).values_list("pk", flat=True))
    expected = {world["outcomes"][key].pk for key in expected_outcomes(role)}
    assert shown == expected
    for key, outcome in world["outcomes"].items():
        assert can(user, VIEW, outcome) == (key in expected_outcomes(role)), key
    # Elements follow their outcome.
    elements = set(visible(Element.objects.all(), user).values_list("outcome_id", flat=True))
    assert elements == {pk for pk in expected if Element.objects.filter(outcome_id=pk).exists()}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_records_adopts_and_classifies(role, make_user, world):
    user = user_for(role, make_user)
    staff = role in STAFF
    assert can(user, ADD, Outcome) == staff
    assert can(user, CHANGE, world["outcomes"]["public"]) == staff
    assert can(user, ADOPT, world["outcomes"]["draft"]) == staff
    assert can(user, CHANGE, world["vn"]) == staff


@pytest.mark.parametrize("role", ROLES)
def test_who_reports_on_which_item(role, make_user, world):
    user = user_for(role, make_user)
    staff = role in STAFF
    focal = role == Role.FOCAL_POINT  # of Viet Nam
    assert can(user, REPORT_UPDATE, world["vn"]) == (staff or focal)
    assert can(user, REPORT_UPDATE, world["all"]) == (staff or focal)
    assert can(user, REPORT_UPDATE, world["th"]) == staff
    informational = element(world["outcomes"]["public"], "01")
    assert can(user, REPORT_UPDATE, informational) == staff


@pytest.mark.parametrize("role", ROLES)
def test_updates_are_for_signed_in_readers_and_history_for_staff_and_focal_points(role, make_user, world):
    user = user_for(role, make_user)
    updates = visible(ElementUpdate.objects.all(), user)
    assert updates.exists() == (role != "public")
    assert can(user, VIEW_HISTORY, world["vn"]) == (role in (*STAFF, Role.FOCAL_POINT))
    assert can(user, ADD, ElementUpdate) == (role in (*STAFF, Role.FOCAL_POINT))


def test_group_audience_sees_group_outcomes(make_user, world):
    from django.contrib.auth.models import Group

    user = make_user(Role.EXPERT)
    group = Group.objects.create(name="WG air")
    user.groups.add(group)
    world["outcomes"]["groups"].audience_groups.add(group)
    assert can(user, VIEW, world["outcomes"]["groups"])
    assert not can(user, VIEW, world["outcomes"]["secretariat"])


def test_a_focal_point_sees_outcomes_of_a_restricted_meeting_their_country_attends(make_user, world):
    # The meeting is secretariat-only, but TH is invited: the meeting's policy opens it to TH's focal point.
    focal_th = make_user(Role.FOCAL_POINT, country="TH")
    assert can(focal_th, VIEW, world["outcomes"]["hidden_meeting"])
    assert not can(make_user(Role.FOCAL_POINT, country="VN"), VIEW, world["outcomes"]["hidden_meeting"])


def test_services_refuse_what_the_policies_refuse(make_user, world):
    from django.core.exceptions import PermissionDenied

    expert = make_user(Role.EXPERT)
    with pytest.raises(PermissionDenied):
        services.outcome_adopt(actor=expert, outcome=world["outcomes"]["draft"])
    with pytest.raises(PermissionDenied):
        services.outcome_split(actor=expert, outcome=world["outcomes"]["draft"])
    with pytest.raises(PermissionDenied):
        services.outcome_set_status(actor=expert, outcome=world["outcomes"]["public"], status="active")
    with pytest.raises(PermissionDenied):
        followup_services.element_update_record(actor=expert, element=world["vn"], status="in_progress", note="x")
