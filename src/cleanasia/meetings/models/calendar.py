"""The secret that makes a user's personal calendar feed readable by a calendar application.

Calendar applications fetch a feed without signing in, so the feed URL itself
carries a random token. The user sees it on their feed page and can reset it
(the old link stops working at once); it grants reading that user's meeting
dates and nothing else.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_BYTES = 32


def new_feed_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class CalendarFeedToken(models.Model):
    """One personal calendar-feed token per user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meetings_feed_token",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed link")
        verbose_name_plural = _("calendar feed links")

    def __str__(self) -> str:
        # Never the token itself: it is a secret.
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
