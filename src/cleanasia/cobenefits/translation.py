"""Bilingual content fields of the co-benefits module; history registered after translation."""

from modeltranslation.translator import TranslationOptions, register

from cleanasia.core.history import register_history

from .models import CobenefitProject


@register(CobenefitProject)
class CobenefitProjectTranslation(TranslationOptions):
    fields = ("title",)


# A project keeps its change history (who changed what, when); evaluations are never changed.
register_history(CobenefitProject)
