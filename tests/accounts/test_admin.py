"""Django's admin site for accounts: administrators only."""

import pytest
from django.urls import reverse

from cleanasia.accounts import audit
from cleanasia.accounts.models import Role, RoleAssignment, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_administrator_sees_the_account_list_and_an_account(client_for):
    client, _admin = client_for(Role.ADMIN)
    other = UserFactory(email="listed@example.org")
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    page = client.get(reverse("admin:accounts_user_change", args=[other.pk]))
    assert page.status_code == 200
    assert "listed@example.org" in page.content.decode()


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.EXPERT])
def test_others_are_kept_out(client_for, role):
    client, _user = client_for(role)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_role_given_in_the_admin_is_recorded_and_grants_admin_access(client_for):
    client, admin = client_for(Role.ADMIN)
    other = UserFactory(email="promoted@example.org")
    url = reverse("admin:accounts_user_change", args=[other.pk])
    data = {
        "email": other.email,
        "full_name": other.full_name,
        "preferred_language": "ja",
        "is_active": "on",
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
        "role_assignments-0-role": Role.ADMIN,
        "role_assignments-0-user": str(other.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assignment = RoleAssignment.objects.get(user=other)
    assert assignment.granted_by == admin
    assert assignment.history.get().action_code == audit.ROLE_CHANGED_IN_ADMIN
    assert User.objects.get(pk=other.pk).is_staff
