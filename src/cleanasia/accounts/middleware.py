"""Second factor: accounts whose roles require it must verify a TOTP code before anything else."""

from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in but unverified user may still reach.
_OPEN_PREFIXES = ("/static/", "/media/", "/i18n/", "/favicon")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            needs = user.requires_second_factor or _has_confirmed_device(user)
            if needs and not self._is_open(request.path):
                from django_otp import devices_for_user

                has_device = any(True for _ in devices_for_user(user, confirmed=True))
                target = "accounts:otp-verify" if has_device else "accounts:otp-setup"
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse(
                        {
                            "type": "about:blank",
                            "title": "Second factor required",
                            "status": 403,
                            "detail": "Verify your one-time password in the web interface first.",
                        },
                        status=403,
                        content_type="application/problem+json",
                    )
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        if path.startswith(_OPEN_PREFIXES):
            return True
        # The sign-in, sign-out and second-factor pages themselves, in any language.
        return any(
            path.startswith(reverse(name))
            for name in ("accounts:otp-verify", "accounts:otp-setup", "accounts:logout")
        )


def _has_confirmed_device(user) -> bool:
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))
