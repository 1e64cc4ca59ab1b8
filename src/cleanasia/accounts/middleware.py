"""Second factor: accounts that need one must verify a one-time code before reaching any other page.

An account needs it when one of its roles is listed in CLEANASIA_REQUIRE_2FA_ROLES
(secretariat, administrator), when it is a superuser, or when its holder has set
up an authenticator of their own accord. Until verified, such a user reaches
only the second-factor pages, sign-out, static files and the language switch;
other pages redirect to set-up (no device yet) or verification, and API calls
get a 403 problem response. Verified sessions cost no query here.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .otp import has_confirmed_device

# Pages a signed-in but unverified user may still reach.
_OPEN_NAMES = ("accounts:otp-verify", "accounts:otp-setup", "accounts:logout")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified() or self._is_open(request.path):
            return self.get_response(request)
        has_device = has_confirmed_device(user)
        if not (has_device or user.requires_second_factor):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from cleanasia.api.problems import SECOND_FACTOR_REQUIRED, problem_response

            return problem_response(
                request,
                status=403,
                problem_type=SECOND_FACTOR_REQUIRED,
                detail=_("Verify your one-time password in the web interface first."),
            )
        target = "accounts:otp-verify" if has_device else "accounts:otp-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def _is_open(path: str) -> bool:
        open_prefixes = (settings.STATIC_URL, settings.MEDIA_URL, "/i18n/", "/favicon")
        if path.startswith(open_prefixes):
            return True
        # reverse() gives the path in the language of this request, which LocaleMiddleware has set from it.
        return any(path.startswith(reverse(name)) for name in _OPEN_NAMES)
