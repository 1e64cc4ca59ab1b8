"""Who sees and changes series, meetings and agenda items: every role over every visibility level, with and
without the focal point's country invited, delegates through their delegation, and the feed-token secret."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from cleanasia.accounts.models import Role
from cleanasia.core.permissions import can, visible
from cleanasia.meetings.models import (
    AgendaItem,
    CalendarFeedToken,
    Delegation,
    DelegationState,
    Meeting,
    MeetingSeries,
    Participant,
)

from ..conftest import ROLES
from ..factories import CountryFactory
from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db

VISIBILITIES = ["public", "members", "groups", "secretariat"]
STAFF = (Role.SECRETARIAT, Role.ADMIN)


@pytest.fixture
def world():
    """One meeting per (visibility, Viet Nam invited or not), each in a series of the same visibility, with an item."""
    meetings = {}
    for vis in VISIBILITIES:
        for with_vn in (False, True):
            series = make_series(visibility=vis)
            meeting = make_meeting(series, visibility=vis, invite=("VN", "TH") if with_vn else ("TH",))
            AgendaItem.objects.create(meeting=meeting, number="1", title_en="Opening")
            meetings[(vis, with_vn)] = meeting
    return meetings


def user_for(role, make_user):
    return AnonymousUser() if role == "public" else make_user(role)


def expected(role, key):
    vis, with_vn = key
    if role in STAFF:
        return True
    if role == "public":
        return vis == "public"
    return vis in ("public", "members") or (role == Role.FOCAL_POINT and with_vn)


@pytest.mark.parametrize("role", ROLES)
def test_meeting_series_and_agenda_visibility_matrix(role, make_user, world):
    user = user_for(role, make_user)
    shown = set(visible(Meeting.objects.all(), user).values_list("pk", flat=True))
    series = set(visible(MeetingSeries.objects.all(), user).values_list("pk", flat=True))
    items = set(visible(AgendaItem.objects.all(), user).values_list("meeting_id", flat=True))
    for key, meeting in world.items():
        wanted = expected(role, key)
        assert (meeting.pk in shown) is wanted, key
        assert can(user, "view", meeting) is wanted, key
        assert (meeting.pk in items) is wanted, key
        # A series is seen with its level, or through a meeting the focal point's country is invited to.
        assert (meeting.series_id in series) is wanted, key


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_changes_and_nobody_deletes(role, make_user, world):
    user = user_for(role, make_user)
    meeting = world[("public", True)]
    item = meeting.agenda_items.get()
    staff = role in STAFF
    for obj in (meeting, meeting.series, item):
        assert can(user, "change", obj) is staff
        assert can(user, "view_history", obj) is staff
        assert not can(user, "delete", obj)
    assert can(user, "add", Meeting) is staff
    assert can(user, "add", MeetingSeries) is staff
    assert can(user, "add", AgendaItem) is staff


def test_named_groups_see_their_meetings(make_user, world):
    user = make_user(Role.EXPERT)
    group = Group.objects.create(name="EAS EMM task force")
    user.groups.add(group)
    world[("groups", False)].audience_groups.add(group)
    shown = set(visible(Meeting.objects.all(), user).values_list("pk", flat=True))
    assert world[("groups", False)].pk in shown
    assert world[("groups", True)].pk not in shown


def test_a_delegate_sees_the_meetings_of_their_delegation_unless_withdrawn(make_user, world):
    delegate = make_user(Role.EXPERT)
    meeting = world[("secretariat", False)]
    delegation = Delegation.objects.create(meeting=meeting, country=CountryFactory(code="TH"))
    Participant.objects.create(delegation=delegation, user=delegate, given_name="Somchai", family_name="K.")
    assert can(delegate, "view", meeting)
    assert can(delegate, "view", meeting.series)
    assert not can(delegate, "change", meeting)
    delegation.state = DelegationState.WITHDRAWN
    delegation.save()
    assert not can(delegate, "view", meeting)


def test_a_focal_point_of_another_country_does_not_see_viet_nams_invitations(make_user, world):
    thai = make_user(Role.FOCAL_POINT, country="TH")
    viet = make_user(Role.FOCAL_POINT, country="VN")
    secret_vn_only = make_meeting(make_series(visibility="secretariat"), visibility="secretariat", invite=("VN",))
    assert can(viet, "view", secret_vn_only)
    assert not can(thai, "view", secret_vn_only)


@pytest.mark.parametrize("role", ROLES)
def test_a_feed_token_is_its_users_secret_only(role, make_user):
    owner = make_user(Role.EXPERT)
    token = CalendarFeedToken.objects.create(user=owner)
    user = user_for(role, make_user)
    assert not can(user, "view", token)
    assert not can(user, "change", token)
    assert not visible(CalendarFeedToken.objects.all(), user).exists()
    assert can(owner, "view", token)
    assert can(owner, "change", token)
    assert list(visible(CalendarFeedToken.objects.all(), owner)) == [token]
