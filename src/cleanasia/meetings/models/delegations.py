"""Delegations registered by country focal points and approved by the secretariat.

Participants' personal data (contact, dietary and access needs) is seen by
the secretariat and the person only; the public list shows a name and an
organisation only when the meeting is public and the person consented.
After the series' retention period the purge command blanks the personal
fields and keeps the row (role, country) for anonymous counts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanasia.core.history import historied
from cleanasia.core.models import DomainModel


class DelegationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ParticipantRole(models.TextChoices):
    # In protocol order: the head of delegation first.
    HEAD = "head", _("Head of delegation")
    ALTERNATE = "alternate", _("Alternate head of delegation")
    DELEGATE = "delegate", _("Delegate")
    ADVISER = "adviser", _("Adviser")
    OBSERVER = "observer", _("Observer")


PROTOCOL_ORDER = {role.value: index for index, role in enumerate(ParticipantRole)}


class Delegation(DomainModel):
    """A country's (or an observer organisation's) delegation to a meeting."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="delegations", verbose_name=_("meeting")
    )
    country = models.ForeignKey(
        "directory.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        verbose_name=_("country"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        verbose_name=_("observer organisation"),
    )
    state = models.CharField(_("state"), max_length=16, choices=DelegationState.choices, default=DelegationState.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    secretariat_comment = models.TextField(_("secretariat's comment"), blank=True)

    history = historied()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["meeting", "country__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "country"],
                condition=Q(country__isnull=False),
                name="meetings_one_delegation_per_country",
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(organisation__isnull=False),
                name="meetings_one_delegation_per_observer",
            ),
            models.CheckConstraint(
                condition=Q(country__isnull=False) | Q(organisation__isnull=False),
                name="meetings_delegation_of_someone",
                violation_error_message=_("A delegation is of a country or of an observer organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.country_id or self.organisation}"


class Participant(DomainModel):
    """A member of a delegation. `person` links the directory (and the next meeting's registration)."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="participants", verbose_name=_("delegation")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("person in the directory"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("platform account"),
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices, default=ParticipantRole.DELEGATE)
    position = models.PositiveSmallIntegerField(_("order within the role"), default=0)
    honorific = models.CharField(_("honorific"), max_length=40, blank=True, help_text=_("H.E., Dr, Mr, Ms…"))
    given_name = models.CharField(_("given name"), max_length=120, blank=True)
    family_name = models.CharField(_("family name"), max_length=120, blank=True)
    name_local = models.CharField(_("name in the local script"), max_length=200, blank=True)
    job_title = models.CharField(_("title"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation (as written)"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=60, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    access_needs = models.CharField(_("access needs"), max_length=300, blank=True)
    consent_public_listing = models.BooleanField(_("agrees to be listed publicly"), default=False)
    consent_keep_for_next = models.BooleanField(_("agrees that details are kept for the next meeting"), default=False)
    consent_recorded_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    purged_at = models.DateTimeField(_("personal data purged"), null=True, blank=True)

    # Contact details and needs stay out of the history; the purge also removes the history rows.
    history = historied(excluded_fields=["updated_at", "email", "phone", "dietary_needs", "access_needs"])

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["delegation", "role", "position", "family_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation"], condition=Q(role="head"), name="meetings_one_head_per_delegation"
            ),
        ]

    def __str__(self) -> str:
        if self.purged_at:
            return str(_("(personal data removed)"))
        return " ".join(part for part in (self.honorific, self.given_name, self.family_name) if part)
