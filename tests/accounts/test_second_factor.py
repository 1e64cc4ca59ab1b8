"""The second factor: who must use it, setting up an authenticator, verifying codes and backup codes."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cleanasia.accounts import services
from cleanasia.accounts.models import Role
from tests.factories import user_with_role

from .conftest import app_code, wrong_code

pytestmark = pytest.mark.django_db

STAFF_HOME = "/ja/staff/"


def unverified_client(user) -> Client:
    """Signed in with the password only."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def secretariat():
    return user_with_role(Role.SECRETARIAT, email="sec@example.org")


@pytest.fixture
def enrolled(secretariat):
    """A secretariat account with a confirmed authenticator and backup codes; returns (user, device, codes)."""
    device = TOTPDevice.objects.create(user=secretariat, name="app", confirmed=True)
    codes = services.backup_codes_issue(actor=None, user=secretariat)
    return secretariat, device, codes


def is_verified(client: Client) -> bool:
    return "otp_device_id" in client.session


class TestWhoMustVerify:
    def test_secretariat_without_an_app_is_sent_to_set_one_up(self, secretariat):
        response = unverified_client(secretariat).get(STAFF_HOME)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:otp-setup')}?next=%2Fja%2Fstaff%2F"

    def test_secretariat_with_an_app_is_sent_to_verify(self, enrolled):
        user, _device, _codes = enrolled
        response = unverified_client(user).get(STAFF_HOME + "?q=a&page=2")
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:otp-verify')}?next=%2Fja%2Fstaff%2F%3Fq%3Da%26page%3D2"

    def test_administrator_must_verify_too(self):
        admin = user_with_role(Role.ADMIN)
        assert unverified_client(admin).get(STAFF_HOME)["Location"].startswith(reverse("accounts:otp-setup"))

    def test_expert_is_not_forced(self):
        expert = user_with_role(Role.EXPERT)
        assert unverified_client(expert).get(STAFF_HOME).status_code == 200

    def test_expert_who_chose_an_app_must_use_it(self):
        expert = user_with_role(Role.EXPERT)
        TOTPDevice.objects.create(user=expert, name="app", confirmed=True)
        assert unverified_client(expert).get(STAFF_HOME)["Location"].startswith(reverse("accounts:otp-verify"))

    def test_unverified_secretariat_can_still_sign_out(self, secretariat):
        client = unverified_client(secretariat)
        assert client.post(reverse("accounts:logout")).status_code == 302
        assert "_auth_user_id" not in client.session

    def test_api_answers_403_problem_instead_of_redirecting(self, secretariat):
        response = unverified_client(secretariat).get("/api/v1/")
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"

    def test_verified_client_reaches_the_workspace(self, client_for):
        client, _user = client_for(Role.SECRETARIAT)
        assert client.get(STAFF_HOME).status_code == 200


class TestSetUp:
    def test_page_shows_qr_code_and_key_for_manual_entry(self, secretariat):
        response = unverified_client(secretariat).get(reverse("accounts:otp-setup"))
        assert response.status_code == 200
        device = TOTPDevice.objects.get(user=secretariat)
        assert not device.confirmed
        html = response.content.decode()
        assert "<svg" in html
        assert 'role="img"' in html
        assert response.context["secret"].replace(" ", "") in html.replace(" ", "")
        assert 'autocomplete="one-time-code"' in html
        assert 'inputmode="numeric"' in html
        assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]  # drawn here, no external image

    def test_reloading_keeps_the_same_key(self, secretariat):
        client = unverified_client(secretariat)
        first = client.get(reverse("accounts:otp-setup")).context["secret"]
        second = client.get(reverse("accounts:otp-setup")).context["secret"]
        assert first == second
        assert TOTPDevice.objects.filter(user=secretariat).count() == 1

    def test_right_code_confirms_verifies_and_shows_ten_backup_codes_once(self, secretariat):
        client = unverified_client(secretariat)
        client.get(reverse("accounts:otp-setup"))
        device = TOTPDevice.objects.get(user=secretariat)
        response = client.post(reverse("accounts:otp-setup"), {"code": app_code(device), "next": STAFF_HOME})
        assert response.status_code == 200
        assert "accounts/otp_backup_codes.html" in [t.name for t in response.templates]
        codes = response.context["codes"]
        assert len(codes) == 10 == len(set(codes))
        assert all(code in response.content.decode() for code in codes)
        assert f'href="{STAFF_HOME}"' in response.content.decode()
        assert response["Cache-Control"] == "no-store"
        device.refresh_from_db()
        assert device.confirmed
        assert is_verified(client)
        assert client.get(STAFF_HOME).status_code == 200
        assert StaticToken.objects.filter(device__user=secretariat).count() == 10

    def test_wrong_code_confirms_nothing(self, secretariat):
        client = unverified_client(secretariat)
        client.get(reverse("accounts:otp-setup"))
        device = TOTPDevice.objects.get(user=secretariat)
        response = client.post(reverse("accounts:otp-setup"), {"code": wrong_code(device)})
        assert response.status_code == 400
        assert "That code is not correct" in response.content.decode()
        device.refresh_from_db()
        assert not device.confirmed
        assert not is_verified(client)

    def test_someone_with_an_app_cannot_add_another_before_verifying(self, enrolled):
        user, device, _codes = enrolled
        client = unverified_client(user)
        response = client.get(reverse("accounts:otp-setup"))
        assert response["Location"].startswith(reverse("accounts:otp-verify"))
        response = client.post(reverse("accounts:otp-setup"), {"code": "123456"})
        assert response["Location"].startswith(reverse("accounts:otp-verify"))
        assert list(TOTPDevice.objects.filter(user=user)) == [device]

    def test_verified_user_replacing_the_app_loses_the_old_one(self, client_for):
        client, user = client_for(Role.SECRETARIAT)
        old = TOTPDevice.objects.get(user=user)
        client.get(reverse("accounts:otp-setup"))
        new = TOTPDevice.objects.get(user=user, confirmed=False)
        client.post(reverse("accounts:otp-setup"), {"code": app_code(new)})
        assert list(TOTPDevice.objects.filter(user=user)) == [new]
        assert not TOTPDevice.objects.filter(pk=old.pk).exists()


class TestVerify:
    def test_code_from_the_app_verifies_and_follows_next(self, enrolled):
        user, device, _codes = enrolled
        client = unverified_client(user)
        response = client.post(reverse("accounts:otp-verify"), {"code": app_code(device), "next": STAFF_HOME})
        assert response.status_code == 302
        assert response["Location"] == STAFF_HOME
        assert is_verified(client)
        assert client.get(STAFF_HOME).status_code == 200

    def test_code_typed_with_a_space_is_accepted(self, enrolled):
        user, device, _codes = enrolled
        code = app_code(device)
        client = unverified_client(user)
        client.post(reverse("accounts:otp-verify"), {"code": f"{code[:3]} {code[3:]}"})
        assert is_verified(client)

    def test_wrong_code_is_refused_with_a_message(self, enrolled):
        user, device, _codes = enrolled
        client = unverified_client(user)
        response = client.post(reverse("accounts:otp-verify"), {"code": wrong_code(device)})
        assert response.status_code == 400
        html = response.content.decode()
        assert "That code is not correct" in html
        assert 'aria-describedby="id_code_helptext id_code_error"' in html
        assert not is_verified(client)
        assert client.get(STAFF_HOME).status_code == 302

    def test_a_code_cannot_be_used_twice(self, enrolled):
        user, device, _codes = enrolled
        code = app_code(device)
        first = unverified_client(user)
        first.post(reverse("accounts:otp-verify"), {"code": code})
        assert is_verified(first)
        second = unverified_client(user)
        second.post(reverse("accounts:otp-verify"), {"code": code})
        assert not is_verified(second)

    def test_after_a_wrong_code_the_next_try_must_wait(self, enrolled):
        user, device, _codes = enrolled
        client = unverified_client(user)
        client.post(reverse("accounts:otp-verify"), {"code": wrong_code(device)})
        too_soon = client.post(reverse("accounts:otp-verify"), {"code": app_code(device)})
        assert "Too many incorrect codes" in too_soon.content.decode()
        assert not is_verified(client)
        # Once the wait is over, the right code works.
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=5)
        )
        client.post(reverse("accounts:otp-verify"), {"code": app_code(device)})
        assert is_verified(client)

    def test_backup_code_works_once_only(self, enrolled):
        user, _device, codes = enrolled
        first = unverified_client(user)
        response = first.post(reverse("accounts:otp-verify"), {"backup_code": codes[0].upper(), "next": STAFF_HOME})
        assert response["Location"] == STAFF_HOME
        assert is_verified(first)
        assert StaticToken.objects.filter(device__user=user).count() == 9
        second = unverified_client(user)
        refused = second.post(reverse("accounts:otp-verify"), {"backup_code": codes[0]})
        assert refused.status_code == 400
        assert "That backup code is not correct or was already used." in refused.content.decode()
        assert not is_verified(second)

    def test_next_to_another_site_is_ignored(self, enrolled):
        user, device, _codes = enrolled
        client = unverified_client(user)
        response = client.post(
            reverse("accounts:otp-verify"), {"code": app_code(device), "next": "https://evil.example/"}
        )
        assert response["Location"] == reverse("core:staff-home")

    def test_without_a_device_verify_sends_to_set_up(self, secretariat):
        response = unverified_client(secretariat).get(reverse("accounts:otp-verify"))
        assert response["Location"].startswith(reverse("accounts:otp-setup"))

    def test_empty_submission_asks_for_the_code(self, enrolled):
        user, _device, _codes = enrolled
        response = unverified_client(user).post(reverse("accounts:otp-verify"), {"code": ""})
        assert response.status_code == 400
        assert "Enter the code." in response.content.decode()

    def test_whole_sign_in_with_password_then_code(self, enrolled):
        user, device, _codes = enrolled
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": user.email, "password": "correct horse battery staple"}
        )
        after_password = client.get(response["Location"])
        assert after_password["Location"].startswith(reverse("accounts:otp-verify"))
        verify_page = client.get(after_password["Location"])
        assert verify_page.status_code == 200
        done = client.post(after_password["Location"], {"code": app_code(device), "next": verify_page.context["next"]})
        assert done["Location"] == reverse("core:staff-home")
        assert client.get(done["Location"]).status_code == 200
