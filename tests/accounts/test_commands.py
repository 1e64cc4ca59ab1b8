"""The account commands: opening accounts and the demonstration account's codes."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from cleanasia.accounts import services
from cleanasia.accounts.models import Role, User
from tests.factories import CountryFactory, user_with_role

from .conftest import app_code

pytestmark = pytest.mark.django_db

KEY = "3132333435363738393031323334353637383930"


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


class TestOtpCode:
    def test_prints_the_current_code_of_a_demonstration_account(self):
        user = services.user_create(actor=None, email="demo-sec@example.org", full_name="Demo", is_demo=True)
        services.role_assign(actor=None, user=user, role=Role.SECRETARIAT)
        device = services.totp_device_create_for_demo(user=user, key_hex=KEY)
        code = run("otp_code", "Demo-Sec@example.org").strip()
        assert code == app_code(device)
        # And it signs the newcomer in.
        client = Client()
        client.force_login(user)
        client.post(reverse("accounts:otp-verify"), {"code": code})
        assert "otp_device_id" in client.session

    def test_refuses_a_real_account(self):
        user = user_with_role(Role.SECRETARIAT, email="real@example.org")
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        with pytest.raises(CommandError, match="not a demonstration account"):
            run("otp_code", "real@example.org")

    def test_unknown_account_and_missing_device_are_explained(self):
        with pytest.raises(CommandError, match="No account"):
            run("otp_code", "nobody@example.org")
        services.user_create(actor=None, email="demo@example.org", full_name="Demo", is_demo=True)
        with pytest.raises(CommandError, match="no authenticator"):
            run("otp_code", "demo@example.org")


class TestCreateAccount:
    def test_creates_account_and_role_with_password_from_the_environment(self, monkeypatch):
        CountryFactory(code="VN")
        monkeypatch.setenv("CLEANASIA_NEW_PASSWORD", "a long enough passphrase 42")
        out = run("create_account", "Focal@Example.VN", role="focal_point", country="VN", name="Tran Thi B")
        assert "Created focal@example.vn" in out
        user = User.objects.get(email="focal@example.vn")
        assert user.full_name == "Tran Thi B"
        assert user.check_password("a long enough passphrase 42")
        assert user.has_role(Role.FOCAL_POINT, country="VN")

    def test_without_a_password_the_account_waits_for_a_reset(self, monkeypatch):
        monkeypatch.delenv("CLEANASIA_NEW_PASSWORD", raising=False)
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        out = run("create_account", "admin@example.org", role="admin")
        assert "no password yet" in out
        user = User.objects.get(email="admin@example.org")
        assert not user.has_usable_password()
        assert user.is_staff

    def test_country_bound_role_without_country_creates_nothing(self, monkeypatch):
        monkeypatch.setenv("CLEANASIA_NEW_PASSWORD", "a long enough passphrase 42")
        with pytest.raises(CommandError, match="country"):
            run("create_account", "fp@example.org", role="focal_point")
        assert not User.objects.filter(email="fp@example.org").exists()

    def test_existing_address_is_refused(self, monkeypatch):
        monkeypatch.setenv("CLEANASIA_NEW_PASSWORD", "a long enough passphrase 42")
        run("create_account", "one@example.org", role="expert")
        with pytest.raises(CommandError, match="already exists"):
            run("create_account", "ONE@example.org", role="expert")
