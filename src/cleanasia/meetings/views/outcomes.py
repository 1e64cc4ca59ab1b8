"""Pages of outcomes and their elements: record, edit while draft, split, adopt, classify, link to measures.

Thin: every write calls meetings.services.outcomes; every read goes through
the selectors (what the user may see); who may do what is asked of the policies.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import ADD, CHANGE, can, get_visible_or_404, visible
from cleanasia.core.views.forms import add_service_errors
from cleanasia.directory.models import Country, Organisation
from cleanasia.measures.models import Measure, MeasureLinkRelation

from ..models import Addressee, Document, Element, Meeting, Outcome, OutcomeKind, OutcomeStatus
from ..policies.outcomes import ADOPT
from ..selectors import outcomes as selectors
from ..services import outcomes as services

# --- forms -----------------------------------------------------------------------------------------------------


class OutcomeForm(forms.Form):
    """A new outcome (draft) of a meeting, or the edit of a draft."""

    kind = forms.ChoiceField(label=_("Kind"), choices=OutcomeKind.choices)
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=500, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=500, required=False)
    text_ja = forms.CharField(
        label=_("Text (Japanese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_('Each numbered paragraph ("1."), item ("(a)") and sub-item ("(i)") starts on its own line.'),
    )
    text_en = forms.CharField(
        label=_("Text (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("The same numbering as the Japanese text."),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices, initial=Visibility.SECRETARIAT)
    amends = forms.ModelChoiceField(
        label=_("Amends the adopted outcome"),
        queryset=Outcome.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("An adopted text never changes: its amendment is a new outcome."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, meeting: Meeting, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
            del self.fields["amends"]
        else:
            del self.fields["version"]
            self.fields["amends"].queryset = (
                Outcome.objects.filter(meeting__series=meeting.series_id, meeting__starts_at__lte=meeting.starts_at)
                .exclude(status=OutcomeStatus.DRAFT)
                .order_by("-meeting__starts_at", "code")
            )
            self.fields["amends"].label_from_instance = lambda o: o.code


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for the meeting's first day."),
    )


class OutcomeStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), choices=[(s.value, s.label) for s in map(OutcomeStatus, services.SETTABLE_STATUSES)]
    )


class ElementClassifyForm(forms.Form):
    """What an element asks of whom; linked elements and evidence named by code and symbol."""

    is_operational = forms.BooleanField(label=_("Operational (asks someone to act)"), required=False)
    is_action_item = forms.BooleanField(label=_("Action item (followed up from meeting to meeting)"), required=False)
    addressee = forms.ChoiceField(
        label=_("Addressed to"), choices=[("", _("Nobody in particular")), *Addressee.choices], required=False
    )
    addressed_countries = forms.ModelMultipleChoiceField(
        label=_("Countries addressed"),
        queryset=Country.objects.order_by("name_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    addressed_organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations addressed"),
        queryset=Organisation.objects.order_by("name_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    addressed_group = forms.CharField(label=_("Working group addressed"), max_length=200, required=False)
    lead_country = forms.ModelChoiceField(
        label=_("Lead country"), queryset=Country.objects.order_by("name_en"), required=False
    )
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.order_by("name_en"), required=False
    )
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    superseded_by = forms.CharField(
        label=_("Superseded by (element code)"), max_length=100, required=False, help_text=_("e.g. EAS-EMM/3/JS.04.a")
    )
    implements = forms.CharField(
        label=_("Implements (element code)"), max_length=100, required=False, help_text=_("e.g. EAS-EMM/2/JS.05.b")
    )
    evidence_documents = forms.CharField(
        label=_("Evidence (document symbols)"),
        required=False,
        help_text=_("Separated by commas, e.g. EAS-EMM/3/INF.2"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("addressed_countries", "lead_country"):
            self.fields[name].label_from_instance = lambda c: f"{c.name} ({c.code})"
        for name in ("addressed_organisations", "lead_organisation"):
            self.fields[name].label_from_instance = lambda o: str(o.name)

    def _element(self, name: str) -> Element | None:
        code = (self.cleaned_data.get(name) or "").strip()
        if not code:
            return None
        found = visible(Element.objects.select_related("outcome__meeting"), self.user).filter(code=code).first()
        if found is None:
            self.add_error(name, _("No element has this code."))
        return found

    def changes(self) -> dict[str, Any]:
        """The service's `changes` from the cleaned form (codes and symbols resolved)."""
        data = self.cleaned_data
        symbols = [s.strip() for s in (data.get("evidence_documents") or "").split(",") if s.strip()]
        documents = list(visible(Document.objects.filter(symbol__in=symbols), self.user))
        missing = sorted(set(symbols) - {d.symbol for d in documents})
        if missing:
            self.add_error(
                "evidence_documents", _("No document has the symbol %(symbols)s.") % {"symbols": ", ".join(missing)}
            )
        changes = {
            "is_operational": data["is_operational"],
            "is_action_item": data["is_action_item"],
            "addressee": data["addressee"],
            "addressed_countries": list(data["addressed_countries"]),
            "addressed_organisations": list(data["addressed_organisations"]),
            "addressed_group": data["addressed_group"],
            "lead_country": data["lead_country"],
            "lead_organisation": data["lead_organisation"],
            "due_on": data["due_on"],
            "superseded_by": self._element("superseded_by"),
            "implements": self._element("implements"),
            "evidence_documents": documents,
        }
        if self.errors:
            raise ValidationError({})
        return changes

    @classmethod
    def initial_for(cls, element: Element) -> dict[str, Any]:
        return {
            "is_operational": element.is_operational,
            "is_action_item": element.is_action_item,
            "addressee": element.addressee,
            "addressed_countries": list(element.addressed_countries.all()),
            "addressed_organisations": list(element.addressed_organisations.all()),
            "addressed_group": element.addressed_group,
            "lead_country": element.lead_country,
            "lead_organisation": element.lead_organisation,
            "due_on": element.due_on,
            "superseded_by": element.superseded_by.code if element.superseded_by else "",
            "implements": element.implements.code if element.implements else "",
            "evidence_documents": ", ".join(d.symbol for d in element.evidence_documents.all()),
            "version": element.version,
        }


class MeasureLinkForm(forms.Form):
    measure = forms.CharField(label=_("Measure code"), max_length=40)
    relation = forms.ChoiceField(
        label=_("Relation"),
        choices=[(r.value, r.label) for r in (MeasureLinkRelation.ADVANCES, MeasureLinkRelation.IMPLEMENTS)],
    )


# --- pages --------------------------------------------------------------------------------------------------------


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_visible_or_404(Meeting.objects.select_related("series"), request.user, pk=pk)


def _outcome(request: HttpRequest, pk: int) -> Outcome:
    return get_visible_or_404(Outcome.objects.select_related("meeting__series"), request.user, pk=pk)


def _element(request: HttpRequest, pk: int) -> Element:
    return get_visible_or_404(Element.objects.select_related("outcome__meeting__series"), request.user, pk=pk)


class OutcomeCreateView(LoginRequiredMixin, View):
    """Record a meeting's outcome as a draft (secretariat); the text is split into elements after."""

    template_name = "meetings/outcomes/outcome_form.html"

    def _render(self, request: HttpRequest, meeting: Meeting, form: OutcomeForm, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {"meeting": meeting, "form": form, "outcome": None}, status=status)

    def get(self, request: HttpRequest, meeting_pk: int) -> HttpResponse:
        meeting = _meeting(request, meeting_pk)
        if not can(request.user, ADD, Outcome):
            raise PermissionDenied
        return self._render(request, meeting, OutcomeForm(meeting=meeting))

    def post(self, request: HttpRequest, meeting_pk: int) -> HttpResponse:
        meeting = _meeting(request, meeting_pk)
        if not can(request.user, ADD, Outcome):
            raise PermissionDenied
        form = OutcomeForm(request.POST, meeting=meeting)
        if form.is_valid():
            try:
                outcome = services.outcome_create(actor=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, gettext("The outcome %(code)s was recorded as a draft.") % {"code": outcome.code}
                )
                return redirect("meetings:outcome-detail", pk=outcome.pk)
        return self._render(request, meeting, form, status=400)


class OutcomeEditView(LoginRequiredMixin, View):
    """Edit a draft outcome's title, text and visibility (an adopted one: its visibility only)."""

    template_name = "meetings/outcomes/outcome_form.html"

    def _render(self, request, outcome, form, status=200, stale=None) -> HttpResponse:
        context = {"meeting": outcome.meeting, "form": form, "outcome": outcome, "stale": stale}
        return render(request, self.template_name, context, status=status)

    def _form(self, outcome: Outcome, data: Any = None) -> OutcomeForm:
        initial = {
            name: getattr(outcome, name) or "" for name in ("title_ja", "title_en", "text_ja", "text_en", "visibility")
        }
        initial["version"] = outcome.version
        form = OutcomeForm(data, initial=initial, meeting=outcome.meeting, editing=True)
        if outcome.status != OutcomeStatus.DRAFT:
            for name in ("title_ja", "title_en", "text_ja", "text_en"):
                form.fields[name].disabled = True
        return form

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        outcome = _outcome(request, pk)
        if not can(request.user, CHANGE, outcome):
            raise PermissionDenied
        return self._render(request, outcome, self._form(outcome))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        outcome = _outcome(request, pk)
        if not can(request.user, CHANGE, outcome):
            raise PermissionDenied
        form = self._form(outcome, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or outcome.version
            changes = {k: v for k, v in data.items() if k in form.changed_data and not form.fields[k].disabled}
            try:
                services.outcome_update(actor=request.user, outcome=outcome, expected_version=version, changes=changes)
            except StaleEditError as exc:
                return self._render(request, outcome, form, status=409, stale=exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("The outcome was saved."))
                return redirect("meetings:outcome-detail", pk=outcome.pk)
        return self._render(request, outcome, form, status=400)


class OutcomeDetailView(LoginRequiredMixin, TemplateView):
    """The decision page: the text by element, the action items, the measures they advance and their indicators."""

    template_name = "meetings/outcomes/outcome_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        detail = selectors.outcome_detail_for(user=self.request.user, pk=kwargs["pk"])
        context.update(detail)
        outcome = detail["outcome"]
        context["may_adopt"] = outcome.status == OutcomeStatus.DRAFT and can(self.request.user, ADOPT, outcome)
        context["adopt_form"] = AdoptForm()
        context["status_form"] = OutcomeStatusForm() if detail["can_change"] and outcome.status != "draft" else None
        return context


class OutcomeSplitView(LoginRequiredMixin, View):
    """POST: (re)make the elements of a draft from its text."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        outcome = _outcome(request, pk)
        if not can(request.user, CHANGE, outcome):
            raise PermissionDenied
        try:
            elements = services.outcome_split(actor=request.user, outcome=outcome)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, gettext("The text was split into %(n)d elements.") % {"n": len(elements)})
        return redirect("meetings:outcome-detail", pk=outcome.pk)


class OutcomeAdoptView(LoginRequiredMixin, View):
    """POST: adopt a draft; its text and element codes are fixed from then on."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        outcome = _outcome(request, pk)
        if not can(request.user, ADOPT, outcome):
            raise PermissionDenied
        form = AdoptForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("meetings:outcome-detail", pk=outcome.pk)
        try:
            services.outcome_adopt(actor=request.user, outcome=outcome, adopted_on=form.cleaned_data["adopted_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, gettext("The outcome was adopted; its text can no longer change."))
        return redirect("meetings:outcome-detail", pk=outcome.pk)


class OutcomeStatusView(LoginRequiredMixin, View):
    """POST: move an adopted outcome to active, superseded, implemented or elapsed."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        outcome = _outcome(request, pk)
        if not can(request.user, CHANGE, outcome):
            raise PermissionDenied
        form = OutcomeStatusForm(request.POST)
        if form.is_valid():
            try:
                services.outcome_set_status(actor=request.user, outcome=outcome, status=form.cleaned_data["status"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, gettext("The status of the outcome was changed."))
        else:
            messages.error(request, gettext("Choose a status."))
        return redirect("meetings:outcome-detail", pk=outcome.pk)


class ElementDetailView(LoginRequiredMixin, TemplateView):
    """An element's page: its text, what it asks of whom, and its whole history from the decision to now."""

    template_name = "meetings/outcomes/element_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from .followup import UpdateForm

        context = super().get_context_data(**kwargs)
        detail = selectors.element_detail_for(user=self.request.user, pk=kwargs["pk"])
        context.update(detail)
        if detail["may_update"]:
            context["update_form"] = kwargs.get("update_form") or UpdateForm(
                user=self.request.user, element=detail["element"]
            )
        context["link_form"] = MeasureLinkForm() if detail["may_change"] else None
        return context


class ElementClassifyView(LoginRequiredMixin, View):
    """The secretariat says what an element asks of whom (addressees, lead, due date, links, evidence)."""

    template_name = "meetings/outcomes/element_classify.html"

    def _render(self, request, element, form, status=200, stale=None) -> HttpResponse:
        return render(request, self.template_name, {"element": element, "form": form, "stale": stale}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = _element(request, pk)
        if not can(request.user, CHANGE, element):
            raise PermissionDenied
        form = ElementClassifyForm(initial=ElementClassifyForm.initial_for(element), user=request.user)
        return self._render(request, element, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = _element(request, pk)
        if not can(request.user, CHANGE, element):
            raise PermissionDenied
        form = ElementClassifyForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                changes = form.changes()
                services.element_classify(
                    actor=request.user,
                    element=element,
                    expected_version=form.cleaned_data["version"],
                    changes=changes,
                )
            except StaleEditError as exc:
                return self._render(request, element, form, status=409, stale=exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("The element %(code)s was saved.") % {"code": element.code})
                return redirect("meetings:element-detail", pk=element.pk)
        return self._render(request, element, form, status=400)


class ElementMeasureLinkView(LoginRequiredMixin, View):
    """POST: link the element to a measure it advances, or (with `remove`) remove the link."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = _element(request, pk)
        if not can(request.user, CHANGE, element):
            raise PermissionDenied
        form = MeasureLinkForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Give the code of the measure."))
            return redirect("meetings:element-detail", pk=element.pk)
        measure = visible(Measure.objects.all(), request.user).filter(code=form.cleaned_data["measure"].strip()).first()
        if measure is None:
            messages.error(request, gettext("No measure has this code."))
        elif "remove" in request.POST:
            services.element_unlink_measure(actor=request.user, element=element, measure=measure)
            messages.success(request, gettext("The link to %(code)s was removed.") % {"code": measure.code})
        else:
            try:
                services.element_link_measure(
                    actor=request.user, element=element, measure=measure, relation=form.cleaned_data["relation"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, gettext("The element now advances %(code)s.") % {"code": measure.code})
        return redirect("meetings:element-detail", pk=element.pk)


class OutcomePublicView(TemplateView):
    """The public page of an adopted, public outcome: its elements and their current status."""

    template_name = "meetings/outcomes/outcome_public.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(selectors.outcome_detail_for(user=self.request.user, pk=kwargs["pk"]))
        return context
