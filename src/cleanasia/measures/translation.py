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


for _model in (Measure, Result, Milestone, ProgressReport):
    register_history(_model)

# The computed progress is derived (recomputed in bulk with queryset updates), not an edit: keep it out of history.
register_history(
    Indicator,
    excluded_fields=[
        "updated_at",
        "title",
        "computed_status",
        "computed_score",
        "latest_value",
        "latest_period",
        "computed_at",
    ],
)
