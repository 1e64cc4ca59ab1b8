"""Representations of the progress module in the API, and the bodies of its writes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cleanasia.api.serializers import VERSION_HELP, RejectUnknownFieldsMixin
from cleanasia.core.models import Visibility
from cleanasia.directory.models import Country, Organisation
from cleanasia.framework.models import FrameworkNode
from cleanasia.measures.models import (
    Actual,
    Baseline,
    Indicator,
    Measure,
    MeasureBudget,
    MeasureKind,
    MeasureStatus,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportRating,
    ResultLevel,
    Target,
)

# --- measures --------------------------------------------------------------------------


class MeasureBudgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureBudget
        fields = ["fiscal_year", "amount_jpy"]


class MeasureSerializer(serializers.ModelSerializer):
    framework_code = serializers.CharField(source="framework_node.code", read_only=True)
    partner_countries = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text=_("ISO 3166-1 alpha-2 codes.")
    )
    partner_organisations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    budgets = MeasureBudgetSerializer(many=True, read_only=True, help_text=_("By Japanese fiscal year (April–March)."))
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Measure
        fields = [
            "id",
            "code",
            "kind",
            "parent",
            "framework_node",
            "framework_code",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "responsible_unit",
            "owner",
            "partner_countries",
            "partner_organisations",
            "starts_on",
            "ends_on",
            "status",
            "weight",
            "visibility",
            "budgets",
            "version",
            "is_demo",
        ]


class MeasureCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The body of POST /measures/ (secretariat)."""

    framework_node = serializers.PrimaryKeyRelatedField(queryset=FrameworkNode.objects.all())
    code = serializers.CharField(max_length=40)
    title_ja = serializers.CharField(max_length=300, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=MeasureKind.choices, default=MeasureKind.MEASURE)
    parent = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all(), allow_null=True, default=None)
    description_ja = serializers.CharField(allow_blank=True, default="")
    description_en = serializers.CharField(allow_blank=True, default="")
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), allow_null=True, default=None
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Measure._meta.get_field("owner").related_model.objects.all(), allow_null=True, default=None
    )
    partner_countries = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), many=True, default=list
    )
    partner_organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, default=list
    )
    starts_on = serializers.DateField(allow_null=True, default=None)
    ends_on = serializers.DateField(allow_null=True, default=None)
    status = serializers.ChoiceField(choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, default=1)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.SECRETARIAT)


class MeasureUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The body of PATCH /measures/{id}/: the version read and the fields to change."""

    version = serializers.IntegerField(min_value=1, help_text=_("The version the edit starts from."))
    title_ja = serializers.CharField(max_length=300, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    description_ja = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), allow_null=True, required=False
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Measure._meta.get_field("owner").related_model.objects.all(), allow_null=True, required=False
    )
    partner_countries = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), many=True, required=False
    )
    partner_organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, required=False
    )
    starts_on = serializers.DateField(allow_null=True, required=False)
    ends_on = serializers.DateField(allow_null=True, required=False)
    status = serializers.ChoiceField(choices=MeasureStatus.choices, required=False)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if len(attrs) == 1:
            raise serializers.ValidationError(_("Nothing to change: send at least one field besides the version."))
        return attrs


# --- results framework ------------------------------------------------------------------


class BaselineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Baseline
        fields = ["year", "value", "text_value", "dimensions", "comment"]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["year", "value", "text_value", "dimensions", "comment"]


class ActualSerializer(serializers.ModelSerializer):
    period_label = serializers.CharField(source="period.__str__", read_only=True)

    class Meta:
        model = Actual
        fields = ["id", "indicator", "period", "period_label", "value", "text_value", "dimensions", "comment", "report"]


class IndicatorSerializer(serializers.ModelSerializer):
    measure = serializers.IntegerField(source="result.measure_id", read_only=True)
    result_level = serializers.ChoiceField(source="result.level", choices=ResultLevel.choices, read_only=True)
    effective_status = serializers.ChoiceField(
        choices=ProgressStatus.choices,
        read_only=True,
        help_text=_("The manual override where one is set (with its justification), else the computed status."),
    )
    baselines = BaselineSerializer(many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)
    actuals = ActualSerializer(
        source="shown_actuals",
        many=True,
        read_only=True,
        help_text=_("Newest first: the latest four in a list, all of them in the detail."),
    )
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "measure",
            "result",
            "result_level",
            "title_ja",
            "title_en",
            "indicator_type",
            "unit",
            "direction",
            "disaggregations",
            "weight",
            "public_approved",
            "effective_status",
            "computed_status",
            "computed_score",
            "latest_value",
            "latest_period",
            "status_override",
            "override_justification",
            "baselines",
            "targets",
            "actuals",
            "version",
            "is_demo",
        ]


class ValueBodySerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The body of POST /indicators/{id}/baselines/ or …/targets/ (secretariat)."""

    year = serializers.IntegerField(min_value=1900, max_value=2200)
    value = serializers.FloatField(allow_null=True, default=None)
    text_value = serializers.CharField(allow_blank=True, default="")
    unit = serializers.CharField(
        allow_null=True, default=None, help_text=_("Must be the indicator's unit; a value in another unit is refused.")
    )
    dimensions = serializers.DictField(child=serializers.CharField(), allow_null=True, default=None)
    comment = serializers.CharField(allow_blank=True, default="")


class ActualCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The body of POST /actuals/: the measure's owner or the secretariat, for an OPEN period only."""

    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())
    period = serializers.PrimaryKeyRelatedField(queryset=ReportingPeriod.objects.all())
    value = serializers.FloatField(allow_null=True, default=None)
    text_value = serializers.CharField(allow_blank=True, default="")
    dimensions = serializers.DictField(child=serializers.CharField(), allow_null=True, default=None)
    comment = serializers.CharField(allow_blank=True, default="")
    report = serializers.PrimaryKeyRelatedField(queryset=ProgressReport.objects.all(), allow_null=True, default=None)


# --- reporting cycle ----------------------------------------------------------------------


class ReportingPeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__", read_only=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "label", "kind", "fiscal_year", "number", "starts_on", "ends_on", "due_on", "state", "version"]


class ReportingPeriodCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportingPeriod._meta.get_field("kind").choices)
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2200)
    number = serializers.IntegerField(min_value=1, max_value=4, default=1)
    due_on = serializers.DateField(allow_null=True, default=None)


class ProgressReportSerializer(serializers.ModelSerializer):
    measure_code = serializers.CharField(source="measure.code", read_only=True)
    period_label = serializers.CharField(source="period.__str__", read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "measure",
            "measure_code",
            "period",
            "period_label",
            "report_version",
            "supersedes",
            "state",
            "narrative_ja",
            "narrative_en",
            "rating",
            "rating_reason",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "secretariat_comment",
            "version",
        ]


class ProgressReportCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The body of POST /progress-reports/: the draft of a measure for a period (the existing one if any)."""

    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    period = serializers.PrimaryKeyRelatedField(queryset=ReportingPeriod.objects.all())


class ProgressReportUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The body of PATCH /progress-reports/{id}/ (draft or returned reports only)."""

    version = serializers.IntegerField(min_value=1)
    narrative_ja = serializers.CharField(required=False, allow_blank=True)
    narrative_en = serializers.CharField(required=False, allow_blank=True)
    rating = serializers.ChoiceField(choices=ReportRating.choices, required=False, allow_blank=True)
    rating_reason = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if len(attrs) == 1:
            raise serializers.ValidationError(_("Nothing to change: send at least one field besides the version."))
        return attrs


class ReportReturnSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(help_text=_("What the owner should change."))


class EmptySerializer(serializers.Serializer):
    """No body."""
