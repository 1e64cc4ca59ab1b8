"""Visibility levels shared by every module (see core.permissions for the checks)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may see a record. Ordered from most to least open."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Signed-in members")
    GROUPS = "groups", _("Named groups")
    SECRETARIAT = "secretariat", _("Secretariat only")


class VisibilityControlled(models.Model):
    """A record whose readers are set by a visibility level and, for GROUPS, named groups."""

    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.SECRETARIAT, db_index=True
    )
    audience_groups = models.ManyToManyField(
        "auth.Group",
        verbose_name=_("named groups"),
        blank=True,
        related_name="+",
        help_text=_("With visibility 'named groups': the groups whose members may see the record."),
    )

    class Meta:
        abstract = True
