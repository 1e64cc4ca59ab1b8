"""Bilingual content fields of the network module; history registered after translation."""

from modeltranslation.translator import TranslationOptions, register

from cleanasia.core.history import register_history

from .models import (
    CountryNeed,
    ExpertProfile,
    Field,
    KnowHowPackage,
    PackageCase,
    ResearchMilestone,
    ResearchProject,
    TrainingProgramme,
    TrainingSession,
    WorkingGroup,
    WorkPlanItem,
)


@register(Field)
class FieldTranslation(TranslationOptions):
    fields = ("name", "description")


@register(WorkingGroup)
class WorkingGroupTranslation(TranslationOptions):
    fields = ("name", "terms_of_reference", "public_summary")


@register(WorkPlanItem)
class WorkPlanItemTranslation(TranslationOptions):
    fields = ("title", "description")


@register(ExpertProfile)
class ExpertProfileTranslation(TranslationOptions):
    fields = ("biography",)


@register(ResearchProject)
class ResearchProjectTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(ResearchMilestone)
class ResearchMilestoneTranslation(TranslationOptions):
    fields = ("title",)


@register(TrainingProgramme)
class TrainingProgrammeTranslation(TranslationOptions):
    fields = ("title", "description")


@register(TrainingSession)
class TrainingSessionTranslation(TranslationOptions):
    fields = ("title", "venue")


@register(KnowHowPackage)
class KnowHowPackageTranslation(TranslationOptions):
    fields = ("title", "problem", "fits_where", "cobenefit_evidence")


@register(PackageCase)
class PackageCaseTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(CountryNeed)
class CountryNeedTranslation(TranslationOptions):
    fields = ("title", "description")


# Every record of the network keeps its change history (who changed what, when; restorable).
for _model in (
    Field,
    WorkingGroup,
    WorkPlanItem,
    ExpertProfile,
    ResearchProject,
    ResearchMilestone,
    TrainingProgramme,
    TrainingSession,
    KnowHowPackage,
    PackageCase,
    CountryNeed,
):
    register_history(_model)
