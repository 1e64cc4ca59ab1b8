"""The account services: validation, history and who may do what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cleanasia.accounts import audit, services
from cleanasia.accounts.models import Role, RoleAssignment, User
from tests.factories import CountryFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def admin():
    return user_with_role(Role.ADMIN, email="admin@example.org")


@pytest.fixture
def secretariat():
    return user_with_role(Role.SECRETARIAT, email="sec@example.org")


class TestUserCreate:
    def test_stores_address_in_lower_case_and_records_who_created_it(self, secretariat):
        user = services.user_create(
            actor=secretariat, email=" Nguyen@Example.VN ", full_name="Nguyen Van A", preferred_language="en"
        )
        assert user.email == "nguyen@example.vn"
        assert not user.has_usable_password()
        row = user.history.get()
        assert row.action_code == audit.USER_CREATED
        assert row.history_user == secretariat

    def test_refuses_an_address_already_used_in_another_letter_case(self, secretariat):
        UserFactory(email="taken@example.org")
        with pytest.raises(ValidationError) as exc:
            services.user_create(actor=secretariat, email="TAKEN@example.org", full_name="X")
        assert "email" in exc.value.message_dict

    def test_refuses_a_weak_password(self, secretariat):
        with pytest.raises(ValidationError):
            services.user_create(actor=secretariat, email="weak@example.org", full_name="W", password="12345678")
        assert not User.objects.filter(email="weak@example.org").exists()

    def test_refuses_an_invalid_address_and_an_unknown_language(self, secretariat):
        with pytest.raises(ValidationError):
            services.user_create(actor=secretariat, email="not-an-address", full_name="X")
        with pytest.raises(ValidationError):
            services.user_create(actor=secretariat, email="x@example.org", full_name="X", preferred_language="fr")

    def test_an_expert_may_not_open_accounts(self):
        expert = user_with_role(Role.EXPERT)
        with pytest.raises(PermissionDenied):
            services.user_create(actor=expert, email="x@example.org", full_name="X")

    def test_demo_flag_is_kept(self):
        user = services.user_create(actor=None, email="demo@example.org", full_name="Demo", is_demo=True)
        assert User.objects.get(pk=user.pk).is_demo


class TestRoleAssign:
    def test_focal_point_needs_a_country(self, secretariat):
        user = UserFactory()
        with pytest.raises(ValidationError) as exc:
            services.role_assign(actor=secretariat, user=user, role=Role.FOCAL_POINT)
        assert "country" in exc.value.message_dict
        assert not RoleAssignment.objects.filter(user=user).exists()

    def test_focal_point_with_a_country_code(self, secretariat):
        CountryFactory(code="VN")
        user = UserFactory()
        assignment = services.role_assign(actor=secretariat, user=user, role=Role.FOCAL_POINT, country="vn")
        assert assignment.country_id == "VN"
        assert assignment.granted_by == secretariat
        assert user.focal_point_countries == {"VN"}
        assert assignment.history.get().action_code == audit.ROLE_ASSIGNED

    def test_unknown_country_and_unknown_role_are_refused(self, secretariat):
        user = UserFactory()
        with pytest.raises(ValidationError):
            services.role_assign(actor=secretariat, user=user, role=Role.FOCAL_POINT, country="ZZ")
        with pytest.raises(ValidationError):
            services.role_assign(actor=secretariat, user=user, role="emperor")

    def test_platform_wide_roles_take_no_country(self, admin):
        CountryFactory(code="JP")
        with pytest.raises(ValidationError):
            services.role_assign(actor=admin, user=UserFactory(), role=Role.SECRETARIAT, country="JP")

    def test_end_before_start_is_refused(self, secretariat):
        with pytest.raises(ValidationError):
            services.role_assign(
                actor=secretariat,
                user=UserFactory(),
                role=Role.EXPERT,
                starts_on=TODAY,
                ends_on=TODAY - dt.timedelta(1),
            )

    def test_the_same_role_twice_over_overlapping_periods_is_refused(self, secretariat):
        user = UserFactory()
        services.role_assign(actor=secretariat, user=user, role=Role.EXPERT, starts_on=TODAY)
        with pytest.raises(ValidationError):
            services.role_assign(actor=secretariat, user=user, role=Role.EXPERT, starts_on=TODAY + dt.timedelta(30))
        # A later period after the first ended is fine.
        first = RoleAssignment.objects.get(user=user)
        services.role_revoke(actor=secretariat, assignment=first, ends_on=TODAY + dt.timedelta(10))
        services.role_assign(actor=secretariat, user=user, role=Role.EXPERT, starts_on=TODAY + dt.timedelta(30))
        assert RoleAssignment.objects.filter(user=user).count() == 2

    def test_administrator_role_grants_django_admin_access(self, admin):
        user = UserFactory()
        assert not user.is_staff
        services.role_assign(actor=admin, user=user, role=Role.ADMIN)
        user.refresh_from_db()
        assert user.is_staff
        assert user.is_administrator

    def test_secretariat_cannot_hand_out_platform_wide_roles(self, secretariat):
        for role in (Role.ADMIN, Role.SECRETARIAT):
            with pytest.raises(PermissionDenied):
                services.role_assign(actor=secretariat, user=UserFactory(), role=role)

    def test_administrator_can_make_someone_secretariat(self, admin):
        user = UserFactory()
        services.role_assign(actor=admin, user=user, role=Role.SECRETARIAT)
        assert User.objects.get(pk=user.pk).is_secretariat


class TestRoleRevoke:
    def test_ending_the_administrator_role_removes_admin_access(self, admin):
        user = UserFactory()
        assignment = services.role_assign(actor=admin, user=user, role=Role.ADMIN)
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        services.role_revoke(actor=admin, assignment=assignment, ends_on=yesterday)
        user = User.objects.get(pk=user.pk)
        assert not user.is_staff
        assert not user.is_administrator
        assert assignment.history.latest("history_date").action_code == audit.ROLE_REVOKED

    def test_end_date_before_the_start_is_refused(self, secretariat):
        assignment = services.role_assign(actor=secretariat, user=UserFactory(), role=Role.EXPERT, starts_on=TODAY)
        with pytest.raises(ValidationError):
            services.role_revoke(actor=secretariat, assignment=assignment, ends_on=TODAY - dt.timedelta(days=1))

    def test_cannot_push_an_end_date_later(self, secretariat):
        assignment = services.role_assign(
            actor=secretariat, user=UserFactory(), role=Role.EXPERT, starts_on=TODAY, ends_on=TODAY + dt.timedelta(5)
        )
        with pytest.raises(ValidationError):
            services.role_revoke(actor=secretariat, assignment=assignment, ends_on=TODAY + dt.timedelta(10))

    def test_an_expert_cannot_end_roles(self, secretariat):
        assignment = services.role_assign(actor=secretariat, user=UserFactory(), role=Role.EXPERT)
        expert = user_with_role(Role.EXPERT)
        with pytest.raises(PermissionDenied):
            services.role_revoke(actor=expert, assignment=assignment, ends_on=TODAY)


class TestProfileUpdate:
    def test_a_person_may_change_their_own_name_and_language(self):
        user = user_with_role(Role.EXPERT)
        services.user_profile_update(actor=user, user=user, full_name="Tanaka Hanako", preferred_language="en")
        user = User.objects.get(pk=user.pk)
        assert (user.full_name, user.preferred_language) == ("Tanaka Hanako", "en")
        assert user.history.latest("history_date").action_code == audit.USER_PROFILE_UPDATED

    def test_but_not_someone_elses(self):
        user, other = user_with_role(Role.EXPERT), UserFactory()
        with pytest.raises(PermissionDenied):
            services.user_profile_update(actor=user, user=other, full_name="X", preferred_language="en")


class TestDemoDevice:
    KEY = "3132333435363738393031323334353637383930"

    def test_demo_account_gets_a_confirmed_device_with_the_fixed_key(self):
        user = services.user_create(actor=None, email="demo-sec@example.org", full_name="Demo", is_demo=True)
        device = services.totp_device_create_for_demo(user=user, key_hex=self.KEY)
        assert device.confirmed
        assert device.key == self.KEY
        # Running the seeder again leaves one device.
        services.totp_device_create_for_demo(user=user, key_hex=self.KEY)
        assert TOTPDevice.objects.filter(user=user).count() == 1

    def test_refused_for_a_real_account(self):
        with pytest.raises(ValidationError):
            services.totp_device_create_for_demo(user=UserFactory(), key_hex=self.KEY)
        assert not TOTPDevice.objects.exists()

    def test_key_must_be_hexadecimal(self):
        user = services.user_create(actor=None, email="demo2@example.org", full_name="Demo", is_demo=True)
        with pytest.raises(ValidationError):
            services.totp_device_create_for_demo(user=user, key_hex="not hex")


@override_settings(CLEANASIA_REQUIRE_2FA_ROLES=["secretariat", "admin", "focal_point"])
def test_the_roles_that_need_a_second_factor_come_from_settings():
    CountryFactory(code="TH")
    focal = user_with_role(Role.FOCAL_POINT, country="TH")
    assert focal.requires_second_factor
