"""Every write to accounts, role assignments and second-factor devices.

Views, the Django admin, management commands and the demonstration seeder all
call these functions. `actor` is the person acting; `None` means the system
itself (a command run by an operator, the seeder), which is not
permission-checked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, key_validator

from cleanasia.core import permissions
from cleanasia.core.history import mark_action

from . import audit
from .models import COUNTRY_BOUND_ROLES, SECRETARIAT_ROLES, Role, RoleAssignment, User

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
DEMO_DEVICE_NAME = "Demonstration authenticator"


def _require(actor: Any, action: str, obj: Any) -> None:
    if actor is not None and not permissions.can(actor, action, obj):
        raise PermissionDenied


def _languages() -> set[str]:
    return {code for code, _label in User._meta.get_field("preferred_language").choices}


# --- Accounts -------------------------------------------------------------


def user_create(
    *,
    actor: Any,
    email: str,
    full_name: str,
    password: str | None = None,
    preferred_language: str = "ja",
    is_demo: bool = False,
) -> User:
    """Open an account. Without a password, the person sets one through "Forgot your password?".

    The address is stored in lower case and must not belong to another account
    in any letter case. A password must pass the platform's password rules.
    """
    _require(actor, permissions.ADD, User)
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc
    if preferred_language not in _languages():
        raise ValidationError({"preferred_language": _("Choose Japanese or English.")})
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": _("An account with this e-mail address already exists.")})
        user = User(email=email, full_name=(full_name or "").strip(), preferred_language=preferred_language)
        user.is_demo = is_demo
        if password:
            validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean()
        mark_action(user, audit.USER_CREATED, actor=actor)
        user.save()
    return user


def user_profile_update(*, actor: Any, user: User, full_name: str, preferred_language: str) -> User:
    """Change the name and preferred language of an account (a person may change their own)."""
    _require(actor, permissions.CHANGE, user)
    if preferred_language not in _languages():
        raise ValidationError({"preferred_language": _("Choose Japanese or English.")})
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=user.pk)
        current.full_name = (full_name or "").strip()
        current.preferred_language = preferred_language
        current.full_clean(exclude=["password"])
        mark_action(current, audit.USER_PROFILE_UPDATED, actor=actor)
        current.save(update_fields=["full_name", "preferred_language"])
    user.full_name, user.preferred_language = current.full_name, current.preferred_language
    return current


def user_admin_access_sync(*, actor: Any, user: User) -> User:
    """Grant Django admin access (`is_staff`) exactly to administrators in office today and superusers.

    Role assignments are the source of truth; `is_staff` only mirrors them for
    Django's admin site. Called whenever an administrator role is assigned or ended.
    """
    wanted = user.is_superuser or (
        RoleAssignment.objects.active_on(timezone.localdate()).filter(user=user, role=Role.ADMIN).exists()
    )
    user.__dict__.pop("active_roles", None)  # the role cache of this object is stale now
    if user.is_staff != wanted:
        user.is_staff = wanted
        mark_action(user, audit.USER_ADMIN_ACCESS_CHANGED, actor=actor)
        user.save(update_fields=["is_staff"])
    return user


# --- Roles ----------------------------------------------------------------


def _country_or_none(country: Any):
    from cleanasia.directory.models import Country

    if country is None or country == "":
        return None
    if isinstance(country, Country):
        return country
    try:
        return Country.objects.get(code=str(country).strip().upper())
    except Country.DoesNotExist as exc:
        raise ValidationError({"country": _("Unknown country code: %(code)s.") % {"code": country}}) from exc


def _periods_overlap(starts_on: dt.date | None, ends_on: dt.date | None) -> Q:
    """Assignments whose period shares at least one day with [starts_on, ends_on] (open ends allowed)."""
    condition = Q()
    if ends_on is not None:
        condition &= Q(starts_on__isnull=True) | Q(starts_on__lte=ends_on)
    if starts_on is not None:
        condition &= Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    return condition


def role_assign(
    *,
    actor: Any,
    user: User,
    role: str,
    country: Any = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> RoleAssignment:
    """Give `user` a role, for a country where the role needs one, over an optional period.

    Country focal points and competent authorities act for one country, so they
    must name it; the secretariat and administrator roles are platform-wide and
    must not. The same role (and country) cannot be held twice over overlapping
    periods. Assigning the administrator role grants Django admin access.
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    country_obj = _country_or_none(country)
    if role in COUNTRY_BOUND_ROLES and country_obj is None:
        raise ValidationError({"country": _("This role must be bound to a country.")})
    if role in SECRETARIAT_ROLES and country_obj is not None:
        raise ValidationError({"country": _("This role applies to the whole platform; do not name a country.")})
    assignment = RoleAssignment(
        user=user,
        role=role,
        country=country_obj,
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _require(actor, permissions.ADD, assignment)
    with transaction.atomic():
        assignment.full_clean()
        clash = RoleAssignment.objects.filter(user=user, role=role, country=country_obj).filter(
            _periods_overlap(starts_on, ends_on)
        )
        if clash.exists():
            raise ValidationError(_("This person already holds this role over an overlapping period."))
        mark_action(assignment, audit.ROLE_ASSIGNED, actor=actor)
        assignment.save()
        user.__dict__.pop("active_roles", None)
        if role == Role.ADMIN:
            user_admin_access_sync(actor=actor, user=user)
    return assignment


def role_revoke(*, actor: Any, assignment: RoleAssignment, ends_on: dt.date) -> RoleAssignment:
    """End a role assignment: `ends_on` is the last day the role is held (yesterday ends it at once).

    An end date can only bring the end forward; it must not precede the start.
    """
    _require(actor, permissions.CHANGE, assignment)
    with transaction.atomic():
        current = RoleAssignment.objects.select_for_update().select_related("user").get(pk=assignment.pk)
        if current.starts_on is not None and ends_on < current.starts_on:
            raise ValidationError({"ends_on": _("The end date must not precede the start date.")})
        if current.ends_on is not None and current.ends_on <= ends_on:
            raise ValidationError({"ends_on": _("This role already ends on or before that date.")})
        current.ends_on = ends_on
        current.full_clean()
        mark_action(current, audit.ROLE_REVOKED, actor=actor)
        current.save(update_fields=["ends_on"])
        if current.role == Role.ADMIN:
            user_admin_access_sync(actor=actor, user=current.user)
    assignment.ends_on = current.ends_on
    return current


# --- Second factor ----------------------------------------------------------


def totp_device_begin(*, user: User) -> TOTPDevice:
    """The authenticator the user is setting up: unconfirmed until they type a code from it.

    The same unconfirmed device is returned until it is confirmed, so that
    reloading the set-up page does not invalidate a QR code already scanned.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, actor: Any, device: TOTPDevice) -> list[str]:
    """Make a set-up authenticator the account's one device, and issue fresh backup codes.

    The caller has checked a code from the device. Any earlier authenticator of
    the account stops working. Returns the new backup codes, to be shown once.
    """
    with transaction.atomic():
        current = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        current.confirmed = True
        mark_action(current, audit.SECOND_FACTOR_CONFIRMED, actor=actor)
        current.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=current.user_id).exclude(pk=current.pk).delete()
        codes = backup_codes_issue(actor=actor, user=current.user)
    device.confirmed = True
    return codes


def _new_backup_code(taken: set[str]) -> str:
    # Never all digits: the sign-in page tells an app code from a backup code by that.
    while True:
        code = StaticToken.random_token()
        if not code.isdigit() and code not in taken:
            return code


def backup_codes_issue(*, actor: Any, user: User, count: int = BACKUP_CODE_COUNT) -> list[str]:
    """Replace the account's backup codes with `count` new single-use codes; returns them (shown once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        mark_action(device, audit.BACKUP_CODES_ISSUED, actor=actor)
        device.save()
        codes: list[str] = []
        for _i in range(count):
            codes.append(_new_backup_code(set(codes)))
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_device_create_for_demo(*, user: User, key_hex: str) -> TOTPDevice:
    """A confirmed authenticator with a fixed, published key, for a demonstration account only.

    Lets newcomers sign in to the demonstration secretariat account with
    `cleanasia otp_code EMAIL` instead of an authenticator app. Refused for
    real accounts: a known key would make their second factor worthless.
    """
    if not user.is_demo:
        raise ValidationError(_("A fixed authenticator key is only allowed for demonstration accounts."))
    try:
        key_validator(key_hex)
    except ValidationError as exc:
        raise ValidationError(_("The key must be hexadecimal (up to 40 bytes).")) from exc
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice(user=user, name=DEMO_DEVICE_NAME, key=key_hex.lower(), confirmed=True)
        device.full_clean()
        mark_action(device, audit.DEMO_DEVICE_CREATED, actor=None)
        device.save()
    return device
