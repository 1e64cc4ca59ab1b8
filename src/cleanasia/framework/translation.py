from modeltranslation.translator import TranslationOptions, register

from cleanasia.core.history import register_history

from .models import FrameworkNode


@register(FrameworkNode)
class FrameworkNodeTranslation(TranslationOptions):
    fields = ("title", "description")


register_history(FrameworkNode)
