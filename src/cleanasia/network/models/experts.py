"""The expert directory: a profile on a directory.Person (one record per person, one registry of
organisations), fields, keywords, languages, ORCID, publications, the consent to be listed publicly.

Contact details stay on the Person and are never public. Focal points nominate
experts of their country; the secretariat accepts or declines.
"""

from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cleanasia.core.history import historied
from cleanasia.core.models import DomainModel, VisibilityControlled


class NominationState(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    ACCEPTED = "accepted", pgettext_lazy("nomination state", "Accepted")
    DECLINED = "declined", _("Declined")


class ExpertProfile(DomainModel, VisibilityControlled):
    person = models.OneToOneField(
        "directory.Person", on_delete=models.PROTECT, related_name="expert_profile", verbose_name=_("person")
    )
    fields = models.ManyToManyField("network.Field", blank=True, related_name="experts", verbose_name=_("fields"))
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("Japanese or English, one per line"))
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes"))
    orcid = models.CharField(_("ORCID iD"), max_length=19, null=True, blank=True, unique=True)
    biography = models.TextField(_("biography"), blank=True)  # translated
    listed_publicly = models.BooleanField(_("consents to a public listing"), default=False)
    listing_consent_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=NominationState.choices, default=NominationState.NOMINATED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["person__name_en", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(listed_publicly=False) | Q(listing_consent_on__isnull=False),
                name="network_expert_consent_dated",
                violation_error_message=_("A public listing needs the date the consent was given."),
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


def doi_address(doi: str) -> str:
    """The address a DOI resolves at (doi.org), or "" without one: an outbound link that needs the internet,
    shown as a link the reader may follow; the page itself loads nothing from outside."""
    return f"https://doi.org/{quote(doi, safe='/')}" if doi else ""


class Publication(DomainModel):
    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="publications", verbose_name=_("expert")
    )
    title = models.CharField(_("title"), max_length=500)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    url = models.URLField(_("address"), blank=True)
    citation = models.TextField(_("citation"), blank=True)

    history = historied()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["expert", "-year", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def doi_url(self) -> str:
        return doi_address(self.doi)
