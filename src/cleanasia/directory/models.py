"""Countries and their groups over time; organisations; people and their affiliations."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanasia.core.history import historied
from cleanasia.core.json import UnicodeJSONEncoder
from cleanasia.core.models import DomainModel, VisibilityControlled


class Country(models.Model):
    """A country or area of ISO 3166-1, loaded from pycountry (names in ja and en)."""

    code = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166-1 numeric"), max_length=3)
    name = models.CharField(_("name"), max_length=120)  # translated: name_ja, name_en
    official_name = models.CharField(_("official name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name or self.code


class CountryGroup(DomainModel):
    """A named group of countries whose membership changes over time (ASEAN, EAS, ASEAN+3)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    source = models.TextField(_("source"), blank=True)

    # history: registered in translation.py (see core.history.register_history)

    class Meta:
        verbose_name = _("country group")
        verbose_name_plural = _("country groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code

    def members_on(self, day: dt.date) -> models.QuerySet[Country]:
        """Countries that were members on `day`."""
        return Country.objects.filter(
            pk__in=GroupMembership.objects.active_on(day).filter(group=self).values("country_id")
        )


class GroupMembershipQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> GroupMembershipQuerySet:
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gte=day))


class GroupMembership(DomainModel):
    """A country's membership of a group from one date to another (open-ended if still a member)."""

    group = models.ForeignKey(
        CountryGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("country")
    )
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.TextField(_("source"), blank=True)

    objects = GroupMembershipQuerySet.as_manager()
    history = historied()

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group", "joined_on", "country"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="directory_membership_period_ordered",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.UniqueConstraint(fields=["group", "country", "joined_on"], name="directory_membership_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} in {self.group.code} from {self.joined_on}"


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry or government agency")
    RESEARCH = "research", _("Research institute")
    UNIVERSITY = "university", _("University")
    INTERNATIONAL = "international", _("International organisation")
    INTERGOVERNMENTAL_NETWORK = "network", _("Intergovernmental network or programme")
    NGO = "ngo", _("Non-governmental organisation")
    PRIVATE = "private", _("Private company")
    OTHER = "other", _("Other")


class Organisation(DomainModel):
    """A ministry, institute or international body, one record per organisation.

    `alternative_names` keeps other spellings and former names so that one
    ministry is not entered five times.
    """

    name = models.CharField(_("name"), max_length=300)  # translated
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("country"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("parent")
    )
    website = models.URLField(_("website"), blank=True)
    alternative_names = models.JSONField(_("alternative names"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    source = models.TextField(_("source"), blank=True)

    # history: registered in translation.py (see core.history.register_history)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name or self.acronym


class Person(DomainModel, VisibilityControlled):
    """A person the platform knows: delegate, expert, official, trainee.

    Contact details are personal data: only the secretariat and the person see
    them, whatever the record's visibility.
    """

    name = models.CharField(_("name"), max_length=200)  # translated: as written in ja and in en
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    honorific = models.CharField(_("honorific"), max_length=40, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("country")
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("account"),
    )
    source = models.TextField(_("source"), blank=True)

    # history: registered in translation.py (see core.history.register_history)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_en", "id"]
        indexes = [models.Index(fields=["email"], name="directory_person_email")]

    def __str__(self) -> str:
        return self.name


class Affiliation(DomainModel):
    """A person's position in an organisation over a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="affiliations", verbose_name=_("organisation")
    )
    position = models.CharField(_("position"), max_length=300, blank=True)  # translated
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)

    # history: registered in translation.py (see core.history.register_history)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["person", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="directory_affiliation_period_ordered",
                violation_error_message=_("An affiliation cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"
