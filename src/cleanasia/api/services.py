"""Writes of the API layer itself: issuing tokens."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token


def api_token_obtain(*, actor: Any) -> Token:
    """The API token of `actor`, created on first request (one token per user).

    The caller has checked the credentials and that the account needs no second
    factor; tokens of such accounts are issued by administrators.
    """
    with transaction.atomic():
        token, _created = Token.objects.get_or_create(user=actor)
    return token
