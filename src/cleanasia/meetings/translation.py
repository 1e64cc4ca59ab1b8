"""Bilingual content fields of the meetings module; history registered after translation."""

from modeltranslation.translator import TranslationOptions, register

from cleanasia.core.history import register_history

from .models import AgendaItem, Document, Element, Meeting, MeetingSeries, Outcome


@register(MeetingSeries)
class MeetingSeriesTranslation(TranslationOptions):
    fields = ("title", "short_title", "description")


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "venue", "city", "chairs")


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description", "presenters")


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title",)


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("title", "text")


@register(Element)
class ElementTranslation(TranslationOptions):
    fields = ("text", "status_note")


for _model in (MeetingSeries, Meeting, AgendaItem, Document, Outcome, Element):
    register_history(_model)
