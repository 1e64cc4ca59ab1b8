"""Forms of the account pages: sign-in by e-mail, password reset, second factor, own profile."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import User

# What a code from an authenticator app looks like once spaces are removed.
_TOTP_CODE = re.compile(r"^\d{6,8}$")


def normalise_code(value: str) -> str:
    """Codes are often typed or pasted with spaces or hyphens ("123 456", "abcd-efgh")."""
    return re.sub(r"[\s-]", "", value or "").lower()


class EmailAuthenticationForm(auth_forms.AuthenticationForm):
    """Sign in with an e-mail address (any letter case) and a password.

    The address is lower-cased before `authenticate()` so that the failed-attempt
    counter (django-axes, keyed on this value) cannot be dodged by changing case.
    One message for every failure, so the form never tells whether an address
    has an account.
    """

    username = forms.CharField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _("The e-mail address or the password is not correct."),
        "inactive": _("The e-mail address or the password is not correct."),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["password"].label = _("Password")

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """Ask for a reset link. The answer is the same whether or not the address has an account.

    Accounts created without a password (by the secretariat or `create_account`)
    get their first password through this form, so, unlike Django's default,
    an unusable password does not exclude an active account.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email: str):
        return User.objects.filter(email__iexact=email.strip(), is_active=True)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from cleanasia.core.tasks import send_email

        # Written in the language the person chose for their account, not the page's.
        user = context.get("user")
        with translation.override(getattr(user, "preferred_language", None) or translation.get_language()):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        # Queued (a background worker sends it in production), so that the page answers as quickly
        # whether or not the address has an account.
        send_email.enqueue(subject=subject, body=body, to=[to_email])


class NewPasswordForm(auth_forms.SetPasswordForm):
    """Choose a new password after following a reset link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")


class OwnPasswordChangeForm(auth_forms.PasswordChangeForm):
    """Change one's own password, confirming the current one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")


def _code_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "pattern": r"[0-9 ]*",
            "maxlength": 10,
            "size": 10,
            "spellcheck": "false",
        }
    )


class TOTPCodeForm(forms.Form):
    """The six-digit code shown by an authenticator app (used when setting one up)."""

    code = forms.CharField(
        label=_("Six-digit code"),
        help_text=_("The code your authenticator app shows now for the Clean Asia Platform."),
        widget=_code_widget(),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not _TOTP_CODE.match(code):
            raise forms.ValidationError(_("Enter the six digits shown by your authenticator app."), code="format")
        return code


class SecondFactorForm(forms.Form):
    """Either a code from the authenticator app or one of the backup codes.

    Two fields rather than one so that the app code gets a numeric keypad on
    phones while a backup code (letters and digits) does not.
    """

    code = forms.CharField(
        label=_("Six-digit code"),
        help_text=_("The code your authenticator app shows now for the Clean Asia Platform."),
        required=False,
        widget=_code_widget(),
    )
    backup_code = forms.CharField(
        label=_("Backup code"),
        help_text=_("One of the backup codes you saved when you set up the app. Each works once."),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": 20, "size": 12}),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data.get("code", ""))
        if code and not _TOTP_CODE.match(code):
            raise forms.ValidationError(_("Enter the six digits shown by your authenticator app."), code="format")
        return code

    def clean_backup_code(self) -> str:
        return normalise_code(self.cleaned_data.get("backup_code", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not data.get("code") and not data.get("backup_code"):
            self.add_error("code", forms.ValidationError(_("Enter the code."), code="required"))
        return data

    @property
    def uses_backup_code(self) -> bool:
        return bool(self.cleaned_data.get("backup_code")) and not self.cleaned_data.get("code")


class ProfileForm(forms.Form):
    """The parts of one's own account a person may change (saved by `user_profile_update`)."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=User._meta.get_field("preferred_language").choices,
        help_text=_("The language of the e-mails the platform sends you."),
    )
