"""Accounts (signed in by e-mail) and the roles they hold."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.history import historied


class Role(models.TextChoices):
    """Roles of the platform. The public is anonymous and holds no role.

    Listed for the whole roadmap so that later modules extend the same list:
    competent authority (shipments), station data owner (monitoring), editor and
    approver (public site), trainee (training).
    """

    EXPERT = "expert", _("Registered expert")
    WG_MEMBER = "wg_member", _("Working-group member")
    FOCAL_POINT = "focal_point", _("Country focal point")
    SECRETARIAT = "secretariat", _("Secretariat staff")
    ADMIN = "admin", _("Administrator")
    COMPETENT_AUTHORITY = "competent_authority", _("Competent authority")
    STATION_DATA_OWNER = "station_data_owner", _("Station data owner")
    EDITOR = "editor", _("Public-site editor")
    APPROVER = "approver", _("Public-site approver")
    TRAINEE = "trainee", _("Trainee")


# Roles that only make sense for one country.
COUNTRY_BOUND_ROLES = {Role.FOCAL_POINT, Role.COMPETENT_AUTHORITY}
SECRETARIAT_ROLES = {Role.SECRETARIAT, Role.ADMIN}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        user = self._create(email, password, **extra)
        RoleAssignment.objects.create(user=user, role=Role.ADMIN)
        return user

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Identity is the e-mail address.

    `is_staff` (Django admin access) is kept for administrators only; the staff
    area of the platform is governed by roles.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=[("ja", "日本語"), ("en", "English")], default="ja"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    is_demo = models.BooleanField(_("demonstration account"), default=False, editable=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    history = historied(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name or self.email

    @cached_property
    def active_roles(self) -> list[RoleAssignment]:
        """Role assignments in force today (cached for the request)."""
        return list(RoleAssignment.objects.active_on(timezone.localdate()).filter(user=self).select_related("country"))

    def has_role(self, role: str, *, country: str | None = None) -> bool:
        return any(a.role == role and (country is None or a.country_id == country) for a in self.active_roles)

    @property
    def role_codes(self) -> set[str]:
        return {a.role for a in self.active_roles}

    @property
    def is_secretariat(self) -> bool:
        return bool(self.role_codes & SECRETARIAT_ROLES) or self.is_superuser

    @property
    def is_administrator(self) -> bool:
        return Role.ADMIN in self.role_codes or self.is_superuser

    def has_perm(self, perm, obj=None) -> bool:
        # Administrators (by role, dated) hold every Django model permission, as superusers do.
        if self.is_active and self.is_administrator:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and self.is_administrator:
            return True
        return super().has_module_perms(app_label)

    @property
    def focal_point_countries(self) -> set[str]:
        return {a.country_id for a in self.active_roles if a.role == Role.FOCAL_POINT and a.country_id}

    @property
    def requires_second_factor(self) -> bool:
        from django.conf import settings

        return bool(self.role_codes & set(settings.CLEANASIA_REQUIRE_2FA_ROLES)) or self.is_superuser


class RoleAssignmentQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> RoleAssignmentQuerySet:
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class RoleAssignment(models.Model):
    """A role held by a user, optionally for a country or another scope, over a period.

    `scope_type`/`scope_id` name the object a scoped role applies to (a working
    group, a monitoring station) for modules that need it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    country = models.ForeignKey(
        "directory.Country", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("country")
    )
    scope_type = models.CharField(_("scope type"), max_length=64, blank=True, default="")
    scope_id = models.PositiveBigIntegerField(_("scope id"), null=True, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )

    objects = RoleAssignmentQuerySet.as_manager()
    history = historied()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=[Role.FOCAL_POINT.value, Role.COMPETENT_AUTHORITY.value])
                | Q(country__isnull=False),
                name="accounts_role_country_required",
                violation_error_message=_("This role must be bound to a country."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="accounts_role_period_ordered",
                violation_error_message=_("The end date must not precede the start date."),
            ),
        ]

    def __str__(self) -> str:
        suffix = f" ({self.country_id})" if self.country_id else ""
        return f"{self.user} — {self.get_role_display()}{suffix}"
