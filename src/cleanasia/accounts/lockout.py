"""The name django-axes counts failed sign-ins under.

Addresses are matched whatever their letter case, so failures must be counted
the same way: otherwise "Ann@x.org" and "ann@x.org" would each get their own
five attempts. The platform's sign-in form already lower-cases the address;
this callable (setting AXES_USERNAME_CALLABLE) does the same for every other
form that authenticates, such as Django admin's login and the API token endpoint.
"""

from typing import Any

from django.conf import settings


def lockout_username(request: Any, credentials: dict | None) -> str:
    """The submitted address, stripped and lower-cased ("" when none was given)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get(field)
    return str(value or "").strip().lower()
