"""Django admin is for administrators only; the staff area is the secretariat's tool."""

import pytest

from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_reach_django_admin(role, client_for):
    client, _user = client_for(role)
    response = client.get("/en/admin/")
    if role == "admin":
        assert response.status_code == 200
        assert b"Site administration" in response.content
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_an_administrator_sees_the_platform_models_in_admin(client_for):
    client, _user = client_for("admin")
    response = client.get("/en/admin/")
    assert b"Framework nodes" in response.content or b"framework" in response.content.lower()
