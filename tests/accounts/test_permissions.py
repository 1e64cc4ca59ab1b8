"""Who sees accounts and roles, through the one permission helper."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cleanasia.accounts.models import Role, RoleAssignment, User
from cleanasia.accounts.permissions import ADMINISTER
from cleanasia.core.permissions import CHANGE, VIEW, can, visible
from tests.conftest import ROLES
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def others():
    return [user_with_role(Role.EXPERT), UserFactory()]


@pytest.mark.parametrize("role", ROLES)
def test_accounts_visible_by_role(role, make_user, others):
    user = AnonymousUser() if role == "public" else make_user(role)
    seen = set(visible(User.objects.all(), user))
    if role == "public":
        assert seen == set()
    elif role in (Role.SECRETARIAT, Role.ADMIN):
        assert seen == set(User.objects.all())
    else:
        assert seen == {user}


@pytest.mark.parametrize("role", ROLES)
def test_role_assignments_visible_by_role(role, make_user, others):
    user = AnonymousUser() if role == "public" else make_user(role)
    seen = set(visible(RoleAssignment.objects.all(), user))
    if role == "public":
        assert seen == set()
    elif role in (Role.SECRETARIAT, Role.ADMIN):
        assert seen == set(RoleAssignment.objects.all())
    else:
        assert seen == set(RoleAssignment.objects.filter(user=user))


def test_a_person_may_view_and_change_their_own_account_only(make_user, others):
    expert = make_user(Role.EXPERT)
    assert can(expert, VIEW, expert)
    assert can(expert, CHANGE, expert)
    assert not can(expert, VIEW, others[1])
    assert not can(expert, CHANGE, others[1])


def test_only_administrators_administer(make_user):
    assert can(make_user(Role.ADMIN), ADMINISTER, User)
    assert not can(make_user(Role.SECRETARIAT), ADMINISTER, User)
    assert not can(AnonymousUser(), ADMINISTER, User)


def test_platform_wide_role_assignments_are_for_administrators(make_user):
    secretariat, admin = make_user(Role.SECRETARIAT), make_user(Role.ADMIN)
    grant = RoleAssignment(user=UserFactory(), role=Role.ADMIN)
    expert_grant = RoleAssignment(user=UserFactory(), role=Role.EXPERT)
    assert not can(secretariat, "add", grant)
    assert can(admin, "add", grant)
    assert can(secretariat, "add", expert_grant)
