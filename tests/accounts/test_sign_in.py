"""Signing in by e-mail and password, signing out, and the protections around them."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from cleanasia.accounts import services
from cleanasia.settings import base as base_settings
from tests.factories import PASSWORD, UserFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db

GENERIC_ERROR = "The e-mail address or the password is not correct."


def signed_in_user_id(client: Client):
    return client.session.get("_auth_user_id")


def test_sign_in_page_labels_the_fields_for_browsers_and_password_managers(client):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "E-mail address" in html
    assert 'type="email"' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html


def test_right_password_signs_in_and_goes_to_the_workspace(client, member):
    response = sign_in(client, member.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:staff-home")
    assert signed_in_user_id(client) == str(member.pk)


def test_e_mail_address_is_matched_whatever_its_letter_case(client, member):
    response = sign_in(client, "  MEMBER@Example.ORG ")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(member.pk)


def test_wrong_password_and_unknown_address_get_the_same_generic_message(client, member):
    wrong = sign_in(client, member.email, "not the password")
    unknown = sign_in(client, "nobody@example.org", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert GENERIC_ERROR in response.content.decode()
        assert signed_in_user_id(client) is None
    # Nothing on the page tells the two apart.
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_inactive_account_cannot_sign_in_and_is_not_revealed(client, member):
    member.is_active = False
    member.save()
    response = sign_in(client, member.email)
    assert signed_in_user_id(client) is None
    assert GENERIC_ERROR in response.content.decode()


def test_next_on_this_site_is_followed_but_another_site_is_not(client, member):
    inside = sign_in(client, member.email, next="/en/accounts/profile/")
    assert inside["Location"] == "/en/accounts/profile/"
    client.logout()
    outside = sign_in(Client(), member.email, next="https://evil.example/steal")
    assert outside["Location"] == reverse("core:staff-home")


def test_signing_in_adds_no_row_to_the_account_history(client, member):
    before = member.history.count()
    sign_in(client, member.email)
    assert member.history.count() == before


def test_production_hashes_new_passwords_with_argon2(db):
    assert base_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base_settings.PASSWORD_HASHERS):
        user = services.user_create(
            actor=None, email="hash@example.org", full_name="Hash", password="a long enough passphrase 42"
        )
        assert user.password.startswith("argon2")
        assert get_user_model().objects.get(pk=user.pk).check_password("a long enough passphrase 42")


def test_sign_out_needs_post_and_ends_the_session(client, member):
    client.force_login(member)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in_user_id(client) == str(member.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert signed_in_user_id(client) is None


def test_sign_in_without_csrf_token_is_refused_with_the_friendly_page(member):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": member.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "core/errors/csrf.html" in [t.name for t in response.templates]
    assert signed_in_user_id(client) is None


def test_sign_in_with_forged_csrf_token_is_refused(member):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))  # receives a real CSRF cookie
    response = client.post(
        reverse("accounts:login"),
        {"username": member.email, "password": PASSWORD, "csrfmiddlewaretoken": "forged" * 8},
    )
    assert response.status_code == 403
    assert signed_in_user_id(client) is None


class TestLockout:
    """django-axes: 5 failures for one account from one address pause signing in."""

    def test_after_five_wrong_passwords_even_the_right_one_is_refused(self, client, member):
        for _attempt in range(4):
            assert sign_in(client, member.email, "wrong password").status_code == 200
        fifth = sign_in(client, member.email, "wrong password")
        # The fifth failure reaches the limit: that answer is already the lockout page.
        assert fifth.status_code == 429
        sixth = sign_in(client, member.email, PASSWORD)
        assert sixth.status_code == 429
        assert "accounts/locked_out.html" in [t.name for t in sixth.templates]
        html = sixth.content.decode()
        assert "Signing in is paused" in html
        assert "You can try again in about 15 minutes." in html
        assert "secretariat" in html
        assert signed_in_user_id(client) is None

    def test_changing_letter_case_does_not_dodge_the_counter(self, client, member):
        for attempt in range(5):
            email = member.email.upper() if attempt % 2 else member.email
            sign_in(client, email, "wrong password")
        assert sign_in(client, "Member@Example.org", PASSWORD).status_code == 429

    def test_a_successful_sign_in_before_the_limit_resets_the_counter(self, client, member):
        for _attempt in range(4):
            sign_in(client, member.email, "wrong password")
        assert sign_in(client, member.email).status_code == 302
        client.logout()
        for _attempt in range(4):
            assert sign_in(client, member.email, "wrong password").status_code == 200
        assert sign_in(client, member.email).status_code == 302
        assert signed_in_user_id(client) == str(member.pk)

    def test_lockout_is_for_the_account_not_for_everyone_at_that_address(self, client, member):
        other = UserFactory(email="other@example.org")
        for _attempt in range(5):
            sign_in(client, member.email, "wrong password")
        assert sign_in(client, other.email).status_code == 302
        assert AccessAttempt.objects.filter(username=member.email).exists()


@override_settings(AXES_USERNAME_CALLABLE="cleanasia.accounts.lockout.lockout_username")
def test_lockout_name_ignores_letter_case_on_other_sign_in_forms_too(client, member):
    admin_login = reverse("admin:login")
    for attempt in range(5):
        email = member.email.upper() if attempt % 2 else member.email
        client.post(admin_login, {"username": email, "password": "wrong password"})
    assert sign_in(client, member.email).status_code == 429
