"""The visibility levels, for every role, through the one permission helper."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404

from cleanasia.core.models import Visibility
from cleanasia.core.permissions import can, get_visible_or_404, visible
from cleanasia.directory.models import Person
from tests.conftest import ROLES
from tests.factories import FrameworkNodeFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    group = Group.objects.create(name="WG air")
    rows = {level: PersonFactory(visibility=level) for level in Visibility.values}
    rows[Visibility.GROUPS].audience_groups.add(group)
    return rows, group


EXPECTED = {
    "public": {"public"},
    "expert": {"public", "members"},
    "wg_member": {"public", "members"},
    "focal_point": {"public", "members"},
    "secretariat": {"public", "members", "groups", "secretariat"},
    "admin": {"public", "members", "groups", "secretariat"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.usefixtures("people")
def test_each_role_sees_exactly_its_visibility_levels(role, make_user):
    user = AnonymousUser() if role == "public" else make_user(role)
    seen = {p.visibility for p in visible(Person.objects.all(), user)}
    assert seen == EXPECTED[role]


def test_named_groups_are_seen_by_their_members_only(people, make_user):
    rows, group = people
    member, outsider = make_user("expert"), make_user("expert")
    member.groups.add(group)
    assert rows["groups"] in visible(Person.objects.all(), member)
    assert rows["groups"] not in visible(Person.objects.all(), outsider)


def test_missing_and_forbidden_give_the_same_404(people, make_user):
    rows, _group = people
    user = make_user("expert")
    with pytest.raises(Http404):
        get_visible_or_404(Person.objects.all(), user, pk=rows["secretariat"].pk)
    with pytest.raises(Http404):
        get_visible_or_404(Person.objects.all(), user, pk=999_999)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_changes_reference_data(role, make_user):
    user = AnonymousUser() if role == "public" else make_user(role)
    node = FrameworkNodeFactory()
    assert can(user, "view", node)
    assert can(user, "change", node) is (role in {"secretariat", "admin"})
