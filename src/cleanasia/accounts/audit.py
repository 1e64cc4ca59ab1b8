"""Action codes written by the accounts services, with their labels (translated when displayed)."""

from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action

USER_CREATED = "accounts.user.created"
USER_PROFILE_UPDATED = "accounts.user.profile_updated"
USER_ADMIN_ACCESS_CHANGED = "accounts.user.admin_access_changed"
USER_PASSWORD_CHANGED = "accounts.user.password_changed"  # noqa: S105 (an action code, not a password)
USER_PASSWORD_RESET = "accounts.user.password_reset"  # noqa: S105 (an action code, not a password)
USER_CHANGED_IN_ADMIN = "accounts.user.changed_in_admin"
ROLE_ASSIGNED = "accounts.role.assigned"
ROLE_REVOKED = "accounts.role.revoked"
ROLE_CHANGED_IN_ADMIN = "accounts.role.changed_in_admin"
SECOND_FACTOR_CONFIRMED = "accounts.second_factor.confirmed"
BACKUP_CODES_ISSUED = "accounts.second_factor.backup_codes_issued"
DEMO_DEVICE_CREATED = "accounts.second_factor.demo_device_created"

for _code, _label in (
    (USER_CREATED, _("Account created")),
    (USER_PROFILE_UPDATED, _("Profile updated")),
    (USER_ADMIN_ACCESS_CHANGED, _("Administration access changed")),
    (USER_PASSWORD_CHANGED, _("Password changed")),
    (USER_PASSWORD_RESET, _("Password reset by e-mail link")),
    (USER_CHANGED_IN_ADMIN, _("Account changed in the administration")),
    (ROLE_ASSIGNED, _("Role assigned")),
    (ROLE_REVOKED, _("Role ended")),
    (ROLE_CHANGED_IN_ADMIN, _("Role changed in the administration")),
    (SECOND_FACTOR_CONFIRMED, _("Authenticator app set up")),
    (BACKUP_CODES_ISSUED, _("Backup codes issued")),
    (DEMO_DEVICE_CREATED, _("Demonstration authenticator created")),
):
    register_action(_code, _label)
