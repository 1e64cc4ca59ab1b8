"""Bilingual content fields (ja, en) via django-modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from cleanasia.core.history import register_history

from .models import Affiliation, Country, CountryGroup, Organisation, Person


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name",)


@register(CountryGroup)
class CountryGroupTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("name",)


@register(Affiliation)
class AffiliationTranslation(TranslationOptions):
    fields = ("position",)


# After the translation registrations, so that the history tables carry the _ja/_en fields.
for _model in (CountryGroup, Organisation, Person, Affiliation):
    register_history(_model)
