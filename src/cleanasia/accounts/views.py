"""Sign-in and sign-out, password reset and change, the second factor, and one's own account page."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

import django_otp
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from cleanasia.core.history import mark_action
from cleanasia.core.permissions import get_visible_or_404, visible

from . import audit, otp, services
from .forms import (
    EmailAuthenticationForm,
    NewPasswordForm,
    OwnPasswordChangeForm,
    PasswordResetRequestForm,
    ProfileForm,
    SecondFactorForm,
    TOTPCodeForm,
)
from .models import RoleAssignment, User


def safe_next(request: HttpRequest) -> str:
    """Where to go after a step: the `next` parameter if it stays on this site, else the workspace."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _wait_message(retry_after: Any) -> str:
    seconds = max(1, math.ceil((retry_after - timezone.now()).total_seconds())) if retry_after else 1
    return _("Too many incorrect codes. For your security, wait %(seconds)s seconds before trying again.") % {
        "seconds": seconds
    }


# --- Signing in and out -----------------------------------------------------


class SignInView(auth_views.LoginView):
    """E-mail and password. Repeated failures lock the address/account pair for a while (django-axes)."""

    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:
        user = form.get_user()
        # Signing in saves last_login, which the change history leaves out; without this
        # flag every sign-in would add an empty row to the account's history.
        user.skip_history_when_saving = True
        try:
            return super().form_valid(form)
        finally:
            del user.skip_history_when_saving


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, so that a link or an image on another site cannot sign anyone out)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


# --- Password reset and change ----------------------------------------------


def _link_valid_hours() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


class LinkLifetimeMixin:
    """Pages and the e-mail that say how long a reset link works."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["valid_hours"] = _link_valid_hours()
        return context


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Ask for a reset link; the same answer whether or not the address has an account."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset_body.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        return {"valid_hours": _link_valid_hours()}


class PasswordResetSentView(LinkLifetimeMixin, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(LinkLifetimeMixin, auth_views.PasswordResetConfirmView):
    """Set a new password from an e-mailed link; an expired or used link says so and offers a new one."""

    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        mark_action(form.user, audit.USER_PASSWORD_RESET, actor=form.user)
        response = super().form_valid(form)
        # Whoever proved they own the mailbox may try again at once, even if locked out.
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class OwnPasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; other sessions of the account are signed out."""

    form_class = OwnPasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: OwnPasswordChangeForm) -> HttpResponse:
        mark_action(form.user, audit.USER_PASSWORD_CHANGED, actor=form.user)
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


# --- Second factor ------------------------------------------------------------


class SecondFactorSetupView(LoginRequiredMixin, View):
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with a code.

    Someone who already has a second factor must use it before setting up a new
    one; otherwise a stolen password alone would let an intruder add their own app.
    """

    template_name = "accounts/otp_setup.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified() and otp.has_confirmed_device(user):
            return redirect(_with_next("accounts:otp-verify", safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request: HttpRequest, device: Any, form: TOTPCodeForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "qr_svg": otp.qr_svg(device),
            "secret": otp.base32_secret(device),
            "next": safe_next(request),
            "replacing": otp.has_confirmed_device(request.user),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        device = services.totp_device_begin(user=request.user)
        return self._render(request, device, TOTPCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        device = services.totp_device_begin(user=request.user)
        form = TOTPCodeForm(request.POST)
        if form.is_valid():
            result = otp.check_code(device, form.cleaned_data["code"])
            if result.accepted:
                codes = services.totp_device_confirm(actor=request.user, device=result.device)
                django_otp.login(request, result.device)
                context = {"codes": codes, "next": safe_next(request)}
                # The codes appear in this response only; no page shows them again.
                response = render(request, "accounts/otp_backup_codes.html", context)
                response["Cache-Control"] = "no-store"
                return response
            if result.throttled:
                form.add_error("code", _wait_message(result.retry_after))
            else:
                form.add_error(
                    "code",
                    _("That code is not correct. Check that your phone's clock is right and type the newest code."),
                )
        return self._render(request, device, form, status=400)


class SecondFactorVerifyView(LoginRequiredMixin, View):
    """Type the code from the authenticator app, or a backup code, to finish signing in."""

    template_name = "accounts/otp_verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if user.is_verified():
                return redirect(safe_next(request))
            if not otp.has_confirmed_device(user):
                return redirect(_with_next("accounts:otp-setup", safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request: HttpRequest, form: SecondFactorForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "next": safe_next(request)}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, SecondFactorForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SecondFactorForm(request.POST)
        if form.is_valid():
            field = "backup_code" if form.uses_backup_code else "code"
            result = otp.check_second_factor(
                request.user, code=form.cleaned_data["code"], backup_code=form.cleaned_data["backup_code"]
            )
            if result.accepted:
                django_otp.login(request, result.device)
                if form.uses_backup_code:
                    left = otp.backup_codes_left(request.user)
                    messages.warning(
                        request,
                        _(
                            "You signed in with a backup code; it cannot be used again. "
                            "%(left)s backup codes are left. If you lost your phone, set up the app again."
                        )
                        % {"left": left},
                    )
                return redirect(safe_next(request))
            if result.throttled:
                form.add_error(field, _wait_message(result.retry_after))
            elif form.uses_backup_code:
                form.add_error(field, _("That backup code is not correct or was already used."))
            else:
                form.add_error(
                    field,
                    _("That code is not correct. Check that your phone's clock is right and type the newest code."),
                )
        return self._render(request, form, status=400)


# --- One's own account ----------------------------------------------------------


class ProfileView(LoginRequiredMixin, View):
    """The signed-in person's account: name, language, roles held and second-factor status."""

    template_name = "accounts/profile.html"

    def _account(self, request: HttpRequest) -> User:
        return get_visible_or_404(User.objects.all(), request.user, pk=request.user.pk)  # type: ignore[return-value]

    def _render(self, request: HttpRequest, account: User, form: ProfileForm, status: int = 200) -> HttpResponse:
        assignments = visible(
            RoleAssignment.objects.filter(user=account).select_related("country"), request.user
        ).order_by(F("ends_on").desc(nulls_first=True), "role")
        today = timezone.localdate()
        context = {
            "account": account,
            "form": form,
            "assignments": [
                {
                    "assignment": a,
                    "in_force": (a.starts_on is None or a.starts_on <= today)
                    and (a.ends_on is None or a.ends_on >= today),
                    "ended": a.ends_on is not None and a.ends_on < today,
                }
                for a in assignments
            ],
            "has_second_factor": otp.has_confirmed_device(account),
            "second_factor_required": account.requires_second_factor,
            "backup_codes_left": otp.backup_codes_left(account),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        account = self._account(request)
        form = ProfileForm(initial={"full_name": account.full_name, "preferred_language": account.preferred_language})
        return self._render(request, account, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        account = self._account(request)
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.user_profile_update(actor=request.user, user=account, **form.cleaned_data)
            messages.success(request, _("Your account details have been saved."))
            return redirect("accounts:profile")
        return self._render(request, account, form, status=400)
