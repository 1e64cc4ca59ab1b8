from modeltranslation.translator import TranslationOptions, register

from .models import FrameworkNode


@register(FrameworkNode)
class FrameworkNodeTranslation(TranslationOptions):
    fields = ("title", "description")
