"""Abstract bases every domain record of the platform builds on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    """Creation and last-change times, kept by the database layer."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A counter that every edit increments, for optimistic concurrency.

    Edit forms and API writes carry the version they started from; the
    service refuses the write when the row has moved on (core.concurrency).
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class DemoMarked(models.Model):
    """Marks records made by the demonstration-data generator, shown with a badge."""

    is_demo = models.BooleanField(_("demonstration data"), default=False, db_index=True, editable=False)

    class Meta:
        abstract = True


class DomainModel(TimeStamped, Versioned, DemoMarked):
    """The usual base of a domain record: timestamps, version, demo mark."""

    class Meta:
        abstract = True
