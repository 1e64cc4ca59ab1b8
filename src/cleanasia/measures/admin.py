"""The progress module in Django's admin site (the administrators' fallback; the secretariat works on the platform).

Saves raise the version (so an edit started on the platform from the old
version is refused) and leave a history row with who made them and the
`measures.record.changed_in_admin` action. Computed progress is read-only;
an approved report cannot be changed here either.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from cleanasia.core import permissions
from cleanasia.core.history import mark_action

from . import audit
from .models import (
    Actual,
    Baseline,
    Indicator,
    Measure,
    MeasureBudget,
    MeasureLink,
    Milestone,
    ProgressReport,
    ReminderSent,
    ReportAttachment,
    ReportingPeriod,
    ReportState,
    Result,
    Target,
)


class SecretariatAdminMixin:
    """Admin access follows the module's policies: the secretariat (and administrators) change."""

    def has_module_permission(self, request: Any) -> bool:
        return permissions.can(request.user, permissions.CHANGE, Measure)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return permissions.can(request.user, permissions.CHANGE, Measure)

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return permissions.can(request.user, permissions.CHANGE, Measure)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return permissions.can(request.user, permissions.CHANGE, Measure)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return permissions.can(request.user, permissions.CHANGE, Measure)


class HistoriedAdmin(SecretariatAdminMixin, SimpleHistoryAdmin):
    readonly_fields: tuple[str, ...] = ("version", "is_demo")

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.version += 1
        mark_action(obj, audit.CHANGED_IN_ADMIN, actor=request.user)
        super().save_model(request, obj, form, change)

    def delete_model(self, request: Any, obj: Any) -> None:
        mark_action(obj, audit.CHANGED_IN_ADMIN, actor=request.user)
        super().delete_model(request, obj)


class TranslatedHistoriedAdmin(HistoriedAdmin, TranslationAdmin):
    pass


class BudgetInline(admin.TabularInline):
    model = MeasureBudget
    fields = ("fiscal_year", "amount_jpy")
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ("title_ja", "title_en", "due_on", "owner", "completed_on")
    extra = 0
    show_change_link = True


@admin.register(Measure)
class MeasureAdmin(TranslatedHistoriedAdmin):
    list_display = ("code", "title", "kind", "framework_node", "status", "visibility", "owner", "is_demo")
    list_filter = ("kind", "status", "visibility", "is_demo")
    search_fields = ("code", "title_ja", "title_en")
    autocomplete_fields = ("parent",)
    filter_horizontal = ("partner_countries", "partner_organisations", "audience_groups")
    inlines = [BudgetInline, MilestoneInline]


@admin.register(Result)
class ResultAdmin(TranslatedHistoriedAdmin):
    list_display = ("measure", "level", "title", "position")
    list_filter = ("level",)
    search_fields = ("title_ja", "title_en", "measure__code")


@admin.register(Indicator)
class IndicatorAdmin(TranslatedHistoriedAdmin):
    list_display = ("code", "title", "unit", "direction", "computed_status", "status_override", "public_approved")
    list_filter = ("indicator_type", "direction", "computed_status", "public_approved")
    search_fields = ("code", "title_ja", "title_en")
    readonly_fields = (
        "version",
        "is_demo",
        "computed_status",
        "computed_score",
        "latest_value",
        "latest_period",
        "computed_at",
    )

    def save_model(self, request: Any, obj: Indicator, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        from .services import indicator_recompute

        indicator_recompute(indicator=obj)


class IndicatorValueAdmin(HistoriedAdmin):
    list_display = ("indicator", "value", "text_value", "dimension_key")
    search_fields = ("indicator__code",)
    readonly_fields = ("version", "is_demo", "dimension_key")

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        from .models.results import dimension_key
        from .services import indicator_recompute

        obj.dimension_key = dimension_key(obj.dimensions)
        super().save_model(request, obj, form, change)
        indicator_recompute(indicator=obj.indicator)


@admin.register(Baseline)
class BaselineAdmin(IndicatorValueAdmin):
    list_display = ("indicator", "year", "value", "text_value", "dimension_key")


@admin.register(Target)
class TargetAdmin(IndicatorValueAdmin):
    list_display = ("indicator", "year", "value", "text_value", "dimension_key")


@admin.register(Actual)
class ActualAdmin(IndicatorValueAdmin):
    list_display = ("indicator", "period", "value", "text_value", "dimension_key", "report")
    list_filter = ("period",)


@admin.register(MeasureBudget)
class MeasureBudgetAdmin(HistoriedAdmin):
    list_display = ("measure", "fiscal_year", "amount_jpy")
    list_filter = ("fiscal_year",)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(HistoriedAdmin):
    list_display = ("__str__", "kind", "fiscal_year", "number", "starts_on", "ends_on", "due_on", "state")
    list_filter = ("kind", "state", "fiscal_year")


@admin.register(Milestone)
class MilestoneAdmin(TranslatedHistoriedAdmin):
    list_display = ("title", "measure", "due_on", "owner", "completed_on")
    list_filter = ("completed_on",)
    search_fields = ("title_ja", "title_en", "measure__code")


class AttachmentInline(admin.TabularInline):
    model = ReportAttachment
    fields = ("title", "file", "uploaded_by")
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(TranslatedHistoriedAdmin):
    list_display = ("measure", "period", "report_version", "state", "rating", "submitted_at", "decided_at")
    list_filter = ("state", "rating", "period")
    search_fields = ("measure__code",)
    inlines = [AttachmentInline]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        # An approved report is immutable; a correction is a new version (services.report_correct).
        if obj is not None and obj.state == ReportState.APPROVED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        if obj is not None and obj.state == ReportState.APPROVED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(MeasureLink)
class MeasureLinkAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    list_display = ("measure", "relation", "target_type", "target_id", "note")
    list_filter = ("relation", "target_type")


@admin.register(ReminderSent)
class ReminderSentAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "object_key", "recipient", "due_on", "sent_at")
    list_filter = ("kind",)
    readonly_fields = ("kind", "object_key", "recipient", "period", "due_on", "sent_at")

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False
