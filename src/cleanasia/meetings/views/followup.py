"""Pages of the follow-up: the status of action items before a meeting (HTML and PDF), what changed between
two meetings, and the focal point's "action items for my country" with an update form per item.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from cleanasia.core.permissions import CHANGE, can, get_visible_or_404, is_secretariat, visible
from cleanasia.core.views.forms import add_service_errors
from cleanasia.directory.models import Country

from ..models import ActionStatus, Element, Meeting, MeetingSeries
from ..policies.outcomes import REPORT_UPDATE, user_countries
from ..selectors import followup as selectors
from ..services import followup as services


class UpdateForm(forms.Form):
    """A country's update on an item: its status, what was done, and perhaps a new due date."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(
        label=_("Update"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What has been done since the last update; when closing, what was achieved or why it is dropped."),
    )
    new_due_on = forms.DateField(
        label=_("New due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only if the due date changes."),
    )
    country = forms.ChoiceField(label=_("For the country"), required=False)
    language = forms.ChoiceField(label=_("Language of the update"), choices=[("en", "English"), ("ja", "日本語")])

    def __init__(self, *args: Any, user: Any, element: Element, **kwargs: Any):
        kwargs.setdefault("prefix", f"item-{element.pk}")
        super().__init__(*args, **kwargs)
        self.element = element
        codes = sorted(user_countries(user))
        choices = list(Country.objects.filter(pk__in=codes).order_by("name_en").values_list("code", "name_en"))
        if is_secretariat(user):
            choices = [
                ("", gettext("(The secretariat)")),
                *Country.objects.order_by("name_en").values_list("code", "name_en"),
            ]
        self.fields["country"].choices = choices
        if len(codes) == 1 and not is_secretariat(user):
            self.fields["country"].initial = codes[0]
            self.fields["country"].widget = forms.HiddenInput()
        self.fields["status"].initial = element.status or ActionStatus.NOT_STARTED
        self.fields["language"].initial = "ja" if (get_language() or "").startswith("ja") else "en"


class ElementUpdateAddView(LoginRequiredMixin, View):
    """POST: record an update on an item (the focal point for their country, or the secretariat)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = get_visible_or_404(Element.objects.select_related("outcome__meeting"), request.user, pk=pk)
        if not can(request.user, REPORT_UPDATE, element):
            raise PermissionDenied
        form = UpdateForm(request.POST, user=request.user, element=element)
        back = request.POST.get("next") or ""
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.element_update_record(
                    actor=request.user,
                    element=element,
                    status=data["status"],
                    note=data["note"],
                    country=data["country"] or None,
                    new_due_on=data["new_due_on"],
                    language=data["language"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("Your update on %(code)s was recorded.") % {"code": element.code})
                if back == "mine":
                    return redirect(reverse("meetings:my-action-items") + f"#item-{element.pk}")
                return redirect("meetings:element-detail", pk=element.pk)
        if back == "mine":
            return my_action_items_page(request, failed_form=form, status=400)
        from .outcomes import ElementDetailView

        view = ElementDetailView()
        view.setup(request, pk=pk)
        context = view.get_context_data(pk=pk, update_form=form)
        return render(request, view.template_name, context, status=400)


def my_action_items_page(
    request: HttpRequest, failed_form: UpdateForm | None = None, status: int = 200
) -> HttpResponse:
    """The focal point's items with a form each; `failed_form` is shown with its errors on its item."""
    if not (user_countries(request.user) or is_secretariat(request.user)):
        raise PermissionDenied
    include_closed = request.GET.get("closed") == "1"
    data = selectors.my_action_items_for(
        user=request.user, country=request.GET.get("country") or None, include_closed=include_closed
    )
    elements = {
        e.pk: e
        for e in Element.objects.filter(pk__in=[row["id"] for row in data["rows"]]).only("pk", "status", "outcome_id")
    }
    for row in data["rows"]:
        if failed_form is not None and failed_form.element.pk == row["id"]:
            row["form"] = failed_form
        elif not row["closed_on"] or is_secretariat(request.user):
            row["form"] = UpdateForm(user=request.user, element=elements[row["id"]])
    context = {**data, "include_closed": include_closed}
    return render(request, "meetings/outcomes/my_action_items.html", context, status=status)


class MyActionItemsView(LoginRequiredMixin, View):
    """The focal point's action items (addressed to their country), each with its update form."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return my_action_items_page(request)


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_visible_or_404(Meeting.objects.select_related("series"), request.user, pk=pk)


class StatusFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Addressed to"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All open")),
            (ActionStatus.NOT_STARTED, ActionStatus.NOT_STARTED.label),
            (ActionStatus.IN_PROGRESS, ActionStatus.IN_PROGRESS.label),
        ],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", _("Anyone")),
            *meeting.invited_countries.order_by("name_en").values_list("code", "name_en"),
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False) and k != "page"}


class ActionStatusView(LoginRequiredMixin, TemplateView):
    """The status of action items before a meeting (paged; the PDF holds every item)."""

    template_name = "meetings/outcomes/action_status.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = _meeting(self.request, kwargs["pk"])
        form = StatusFilterForm(self.request.GET or None, meeting=meeting)
        page = form.cleaned_data.get("page") if form.is_bound and form.is_valid() else None
        status = selectors.action_status_for(
            user=self.request.user, meeting=meeting, filters=form.filters(), page=page or 1
        )
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            status=status,
            meeting=meeting,
            form=form,
            query_without_page=params.urlencode(),
            may_issue=can(self.request.user, CHANGE, meeting),
        )
        return context


class ActionStatusPdfView(LoginRequiredMixin, View):
    """The status of action items as a PDF (?lang=ja|en; default the page's language)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = _meeting(request, pk)
        language = request.GET.get("lang") or ("ja" if (get_language() or "").startswith("ja") else "en")
        if language not in services.LANGUAGES:
            raise Http404
        content = services.action_status_pdf(user=request.user, meeting=meeting, language=language)
        response = HttpResponse(content, content_type="application/pdf")
        name = f"{meeting.series.code}-{meeting.ordinal}-action-status-{language}.pdf".replace("/", "_")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


class ActionStatusIssueView(LoginRequiredMixin, View):
    """POST: save the status of action items as the meeting's document (secretariat)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = _meeting(request, pk)
        if not can(request.user, CHANGE, meeting):
            raise PermissionDenied
        document = services.action_status_issue(actor=request.user, meeting=meeting)
        messages.success(
            request, gettext("The status of action items was issued as %(symbol)s.") % {"symbol": document.symbol}
        )
        return redirect("meetings:action-status", pk=meeting.pk)


class SeriesChangesView(LoginRequiredMixin, TemplateView):
    """What changed between two meetings of a series (?from=<meeting>&to=<meeting>)."""

    template_name = "meetings/outcomes/series_changes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        series = get_visible_or_404(MeetingSeries.objects.all(), self.request.user, pk=kwargs["pk"])
        meetings = list(visible(Meeting.objects.filter(series=series), self.request.user).order_by("starts_at"))
        by_pk = {str(m.pk): m for m in meetings}
        chosen_from = by_pk.get(self.request.GET.get("from", ""))
        chosen_to = by_pk.get(self.request.GET.get("to", ""))
        if chosen_from is None and chosen_to is None and len(meetings) >= 2:
            chosen_from, chosen_to = meetings[-2], meetings[-1]
        changes = None
        if chosen_from is not None and chosen_to is not None and chosen_from.pk != chosen_to.pk:
            changes = selectors.series_changes_for(
                user=self.request.user, series=series, from_meeting=chosen_from, to_meeting=chosen_to
            )
        context.update(series=series, meetings=meetings, changes=changes, chosen_from=chosen_from, chosen_to=chosen_to)
        return context
