"""Meeting series (the EAS environment ministers' meeting, its preparatory and follow-up meetings, the
Japan–ASEAN dialogue and ministers' meeting, working-group meetings…) and their meetings."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanasia.core.models import DomainModel, VisibilityControlled


class MeetingLevel(models.TextChoices):
    MINISTERIAL = "ministerial", _("Ministerial")
    SENIOR = "senior", _("Senior officials / director-general")
    WORKING = "working", _("Working level")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")
    ONLINE = "online", _("Online")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# The default symbol scheme: EAS-EMM/3/INF.2 — series code, ordinal, document-type prefix and number.
DEFAULT_SYMBOL_SCHEME = "{series}/{ordinal}/{prefix}.{number}"


class MeetingSeries(DomainModel, VisibilityControlled):
    """A recurring meeting: its level, the country group whose members are invited, its observers.

    `follows_up` names the series whose agreements and action plans this
    series follows up (the working-level follow-up meetings follow up the
    ministers' meeting); the status-of-action-items document of a meeting
    covers the items of its own series and of the series it follows up.
    """

    code = models.CharField(
        _("code"), max_length=30, unique=True, help_text=_("Used in document symbols, e.g. EAS-EMM")
    )
    title = models.CharField(_("title"), max_length=300)  # translated
    short_title = models.CharField(_("short title"), max_length=80, blank=True)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    level = models.CharField(_("level"), max_length=16, choices=MeetingLevel.choices)
    membership_group = models.ForeignKey(
        "directory.CountryGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_series",
        verbose_name=_("membership group"),
        help_text=_("Its members on a meeting's date are invited by default."),
    )
    extra_countries = models.ManyToManyField(
        "directory.Country",
        blank=True,
        related_name="meeting_series_invited",
        verbose_name=_("other invited countries"),
        help_text=_("Invited besides the group's members (e.g. Japan to an ASEAN meeting)."),
    )
    observer_organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="meeting_series_observed",
        verbose_name=_("invited observers"),
    )
    follows_up = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="followed_up_by",
        verbose_name=_("follows up the series"),
    )
    symbol_scheme = models.CharField(
        _("document symbol scheme"),
        max_length=80,
        default=DEFAULT_SYMBOL_SCHEME,
        help_text=_("Placeholders: {series}, {ordinal}, {prefix}, {number}."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention of participants' personal data (days)"),
        default=3 * 365,
        help_text=_("Counted from a meeting's end; after it the purge command keeps only anonymous counts."),
    )
    source = models.CharField(_("source"), max_length=500, blank=True)

    # History: registered in translation.py, after the translated columns exist.

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Meeting(DomainModel, VisibilityControlled):
    """One meeting of a series ("the 3rd"), with its dates in the venue's time zone.

    Invited countries default to the series group's members on the meeting's
    date (services.meeting_create); a postponed or cancelled meeting keeps
    its record, nothing is deleted.
    """

    series = models.ForeignKey(
        MeetingSeries, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("series")
    )
    ordinal = models.PositiveSmallIntegerField(_("ordinal"), help_text=_("3 for the 3rd meeting of the series"))
    title = models.CharField(_("title"), max_length=300)  # translated
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Tokyo", help_text=_("IANA name, e.g. Asia/Ho_Chi_Minh")
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)  # translated
    city = models.CharField(_("city"), max_length=120, blank=True)  # translated
    host_country = models.ForeignKey(
        "directory.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host country"),
    )
    chairs = models.CharField(_("chairs"), max_length=500, blank=True)  # translated
    chair_people = models.ManyToManyField(
        "directory.Person", blank=True, related_name="chaired_meetings", verbose_name=_("chairs (people)")
    )
    format = models.CharField(
        _("format"), max_length=16, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    status = models.CharField(_("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    status_note = models.CharField(_("status note"), max_length=500, blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    invited_countries = models.ManyToManyField(
        "directory.Country", blank=True, related_name="meetings_invited", verbose_name=_("invited countries")
    )
    observer_organisations = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="meetings_observed", verbose_name=_("invited observers")
    )
    online_url = models.URLField(_("online meeting link"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["series", "ordinal"], name="meetings_meeting_ordinal_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="meetings_meeting_ordered",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["series", "starts_at"], name="meetings_series_start")]

    def __str__(self) -> str:
        return f"{self.series.code}/{self.ordinal} {self.title}"
