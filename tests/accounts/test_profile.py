"""The signed-in person's own account page."""

import datetime as dt

import pytest
from django.urls import reverse

from cleanasia.accounts import services
from cleanasia.accounts.models import Role, User
from tests.factories import CountryFactory

pytestmark = pytest.mark.django_db


def test_shows_name_language_roles_with_country_and_period(client_for):
    CountryFactory(code="VN")
    client, user = client_for(Role.FOCAL_POINT, full_name="Tran Thi B")
    services.role_assign(
        actor=None, user=user, role=Role.EXPERT, starts_on=dt.date(2020, 4, 1), ends_on=dt.date(2021, 3, 31)
    )
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tran Thi B" in html
    assert "Country focal point" in html
    assert "ベトナム" in html or "Viet Nam" in html
    assert 'datetime="2021-03-31"' in html
    assert "Ended" in html
    assert "In force" in html
    assert reverse("accounts:otp-setup") in html
    assert reverse("accounts:password-change") in html


def test_shows_only_ones_own_roles(client_for, make_user):
    make_user(Role.SECRETARIAT, full_name="Someone Else")
    client, _user = client_for(Role.EXPERT)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Registered expert" in html
    assert "Secretariat staff" not in html


def test_name_and_language_can_be_changed(client_for):
    client, user = client_for(Role.EXPERT)
    response = client.post(reverse("accounts:profile"), {"full_name": "Sato Ken", "preferred_language": "en"})
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.full_name == "Sato Ken"
    assert user.preferred_language == "en"


def test_invalid_language_is_refused_with_the_error_at_the_field(client_for):
    client, user = client_for(Role.EXPERT)
    response = client.post(reverse("accounts:profile"), {"full_name": "X", "preferred_language": "fr"})
    assert response.status_code == 400
    assert 'id="id_preferred_language_error"' in response.content.decode()
    assert User.objects.get(pk=user.pk).full_name != "X"


def test_second_factor_status_is_shown(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Replace your authenticator app" in html


def test_needs_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response["Location"].startswith(reverse("accounts:login"))
