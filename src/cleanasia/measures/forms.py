"""Forms of the progress pages: list and dashboard filters (GET, kept in the URL), periods, reports, review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.directory.models import Country
from cleanasia.framework.models import FrameworkNode, NodeKind

from .models import MeasureStatus, PeriodKind, ReportRating

GOAL_KINDS = (NodeKind.GOAL, NodeKind.CROSS_CUTTING, NodeKind.FOUNDATION)


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FrameworkNode) -> str:
        return f"{obj.code} {obj.title}"


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Country) -> str:
        return obj.name or obj.code


class DashboardFilterForm(forms.Form):
    """Goal, country and fiscal year: the filters shared by the dashboard and the measure list."""

    goal = GoalChoiceField(
        label=_("Goal"),
        queryset=FrameworkNode.objects.filter(kind__in=GOAL_KINDS).order_by("position", "code"),
        to_field_name="code",
        required=False,
        empty_label=_("All goals"),
    )
    country = CountryChoiceField(
        label=_("Partner country"),
        queryset=Country.objects.filter(measures__isnull=False).distinct().order_by("name_en"),
        required=False,
        empty_label=_("All countries"),
    )
    fy = forms.IntegerField(
        label=_("Fiscal year"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("Japanese fiscal year (April–March), e.g. 2026"),
    )

    def filters(self) -> dict[str, Any]:
        """The valid filters, or none (an invalid URL shows everything with the errors)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class MeasureFilterForm(DashboardFilterForm):
    """The measure list's filters; every value is a GET parameter so a filtered list can be shared."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *MeasureStatus.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Code or title"))

    field_order = ["q", "goal", "country", "status", "fy"]


class CompareForm(forms.Form):
    as_of = forms.DateField(
        label=_("Compare with the portfolio as it stood on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example the date of the last follow-up meeting."),
    )

    def day(self) -> dt.date:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["as_of"]
        return timezone.localdate() - dt.timedelta(days=90)


class PeriodCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices)
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=1990, max_value=2100)
    number = forms.IntegerField(
        label=_("Number"), min_value=1, max_value=4, initial=1, help_text=_("1–4 for quarters, 1–2 for halves")
    )
    due_on = forms.DateField(label=_("Reports due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ReportForm(forms.Form):
    """The owner's report: narrative, rating with reason, an actual per indicator, milestone completion.

    `version` is the report's version when the form was loaded (optimistic concurrency).
    """

    REPORT_FIELDS = ("narrative_ja", "narrative_en", "rating", "rating_reason")

    narrative_ja = forms.CharField(
        label=_("Narrative (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    narrative_en = forms.CharField(
        label=_("Narrative (English)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    rating = forms.ChoiceField(label=_("Status rating"), required=False, choices=[("", "—"), *ReportRating.choices])
    rating_reason = forms.CharField(
        label=_("Reason for the rating"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the measure is at risk or off track."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, indicators=(), milestones=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator_rows = []
        for indicator in indicators:
            value_name, comment_name = f"actual_{indicator.pk}", f"actual_comment_{indicator.pk}"
            label = f"{indicator.code} {indicator.title}"
            if indicator.indicator_type == "qualitative":
                self.fields[value_name] = forms.CharField(
                    label=_("%(indicator)s: description") % {"indicator": label},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            else:
                unit = f" ({indicator.unit})" if indicator.unit else ""
                self.fields[value_name] = forms.FloatField(
                    label=_("%(indicator)s: value") % {"indicator": label} + unit, required=False
                )
            self.fields[comment_name] = forms.CharField(
                label=_("%(indicator)s: comment") % {"indicator": indicator.code}, required=False, max_length=2000
            )
            self.indicator_rows.append((indicator, self[value_name], self[comment_name]))
        self.milestone_rows = []
        for milestone in milestones:
            name = f"milestone_{milestone.pk}"
            self.fields[name] = forms.DateField(
                label=_("%(milestone)s: completed on") % {"milestone": milestone.title},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.milestone_rows.append((milestone, self[name]))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("rating") in (ReportRating.AT_RISK, ReportRating.OFF_TRACK) and not data.get("rating_reason"):
            self.add_error("rating_reason", _("Say why the measure is at risk or off track."))
        return data

    def report_changes(self, report) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.REPORT_FIELDS
            if self.cleaned_data[name] != (getattr(report, name) or "")
        }


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments to the owner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you return the report."),
    )
    decision = forms.ChoiceField(choices=[("return", _("Return")), ("approve", _("Approve"))], widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment"):
            self.add_error("comment", _("Say what the owner should change."))
        return data
