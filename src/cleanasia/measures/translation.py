"""Bilingual content fields of the progress module; history registered after translation."""

from modeltranslation.translator import TranslationOptions, register

from cleanasia.core.history import register_history

from .models import Indicator, Measure, Milestone, ProgressReport, Result


@register(Measure)
class MeasureTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Result)
class ResultTranslation(TranslationOptions):
    fields = ("title",)


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("title",)


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title",)


@register(ProgressReport)
class ProgressReportTranslation(TranslationOptions):
    fields = ("narrative",)


for _model in (Measure, Result, Indicator, Milestone, ProgressReport):
    register_history(_model)
