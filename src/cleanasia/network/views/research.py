"""Pages of joint research: the project list (filters in the URL, paged), the project page, the project form
(stale edits refused), outputs and milestones, the status and the links to measures; the public list and page
of public projects.

Thin: every write calls network.services.research; every read goes through network.selectors.research;
who may do what is asked of the policies.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import ADD, CHANGE, can, get_visible_or_404, require, visible
from cleanasia.core.views.forms import add_service_errors, changed_fields, paginate
from cleanasia.directory.models import Country, Organisation
from cleanasia.measures.models import Measure

from ..models import (
    Field,
    OutputKind,
    ProjectStatus,
    ResearchMilestone,
    ResearchOutput,
    ResearchProject,
    WorkingGroup,
)
from ..selectors import research as selectors
from ..services import research as services

# Each status has a symbol and a word; colour never carries the meaning alone (WCAG 1.4.1).
PAGE_SIZE = 50

STATUS_ICONS = {
    ProjectStatus.PROPOSED: "○",
    ProjectStatus.ONGOING: "▶",
    ProjectStatus.COMPLETED: "✓",
    ProjectStatus.SUSPENDED: "⏸",
}


def status_badge(status: str) -> dict[str, str]:
    value = ProjectStatus(status)
    return {"value": value.value, "label": str(value.label), "icon": STATUS_ICONS[value]}


def _country_label(country: Country) -> str:
    return f"{country.name or country.code} ({country.code})"


def _organisation_label(organisation: Organisation) -> str:
    return f"{organisation.name} ({organisation.country_id})" if organisation.country_id else str(organisation.name)


# --- forms ------------------------------------------------------------------------------------------------------


class ProjectFilterForm(forms.Form):
    """Field, country, status and working group; GET parameters, so a filtered list can be shared."""

    field = forms.ChoiceField(label=_("Field"), required=False)
    country = forms.ChoiceField(label=_("Country taking part"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ProjectStatus.choices]
    )
    group = forms.ChoiceField(label=_("Working group"), required=False)

    def __init__(self, *args: Any, with_group: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields"))] + [
            (f.code, str(f)) for f in Field.objects.order_by("position", "code")
        ]
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c.code, _country_label(c)) for c in Country.objects.order_by("name_en")
        ]
        if with_group:
            self.fields["group"].choices = [("", _("All groups"))] + [
                (g.code, f"{g.code} — {g.name}") for g in WorkingGroup.objects.order_by("code")
            ]
        else:
            del self.fields["group"]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        data = {k: v for k, v in self.cleaned_data.items() if v}
        if "group" in data:
            data["working_group"] = data.pop("group")
        return data


class ProjectForm(forms.Form):
    """Creates or edits a project; `version` makes a concurrent edit detectable."""

    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("Small letters, digits and hyphens."))
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=400, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=400, required=False)
    summary_ja = forms.CharField(
        label=_("Summary (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    summary_en = forms.CharField(label=_("Summary (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.order_by("position", "code"))
    working_group = forms.ModelChoiceField(
        label=_("Working group"), queryset=WorkingGroup.objects.order_by("code"), required=False
    )
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead institution"), queryset=Organisation.objects.select_related("country").order_by("name_en")
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        label=_("Partner institutions"),
        queryset=Organisation.objects.select_related("country").order_by("name_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries taking part"),
        queryset=Country.objects.order_by("name_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Leave empty for the countries of the lead and partner institutions."),
    )
    starts_on = forms.DateField(label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    funder = forms.CharField(label=_("Funder"), max_length=300, required=False)
    funding_amount = forms.DecimalField(label=_("Funding"), required=False, decimal_places=0, max_digits=14)
    funding_currency = forms.CharField(label=_("Currency"), max_length=3, initial="JPY")
    visibility = forms.ChoiceField(
        label=_("Who may see the project"), choices=Visibility.choices, initial=Visibility.SECRETARIAT
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["version"]
        self.fields["lead_organisation"].label_from_instance = _organisation_label
        self.fields["partner_organisations"].label_from_instance = _organisation_label
        self.fields["countries"].label_from_instance = _country_label
        self.fields["working_group"].label_from_instance = lambda g: f"{g.code} — {g.name}"

    @staticmethod
    def initial_for(project: ResearchProject) -> dict[str, Any]:
        names = [n for n in services.PROJECT_EDITABLE if n not in services.PROJECT_M2M]
        initial = {name: getattr(project, name) for name in names}
        initial["partner_organisations"] = list(project.partner_organisations.all())
        initial["countries"] = list(project.countries.all())
        initial["version"] = project.version
        return initial


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutputKind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    doi = forms.CharField(
        label=_("DOI"), max_length=200, required=False, help_text=_("e.g. 10.1234/abc-5678 or https://doi.org/…")
    )
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https")
    published_on = forms.DateField(
        label=_("Published on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MilestoneForm(forms.Form):
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(
        label=_("Reached on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ProjectStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeasureLinkForm(forms.Form):
    measure = forms.CharField(label=_("Measure code"), max_length=40)
    relation = forms.ChoiceField(label=_("Relation"), choices=[(r.value, r.label) for r in services.LINK_RELATIONS])


# --- helpers ------------------------------------------------------------------------------------------------------


def _project(request: HttpRequest, pk: int) -> ResearchProject:
    return get_visible_or_404(ResearchProject.objects.all(), request.user, pk=pk)


class _FormPage(LoginRequiredMixin, View):
    """A form page of the secretariat: the stale edit and the service's refusals shown on the form."""

    template_name = ""

    def render_form(self, request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(request, self.template_name, context, status=status)


# --- staff pages ------------------------------------------------------------------------------------------------


class ProjectListView(LoginRequiredMixin, TemplateView):
    """Projects the user may see, filtered by field, country, status and working group; paged."""

    template_name = "network/research/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = ProjectFilterForm(self.request.GET or None)
        page, query = paginate(
            self.request, selectors.projects_for(user=self.request.user, **form.filters()), PAGE_SIZE
        )
        for project in page.object_list:
            project.badge = status_badge(project.status)
        context.update(
            form=form,
            filtered=bool(form.filters()),
            page_obj=page,
            query_without_page=query,
            may_create=can(self.request.user, ADD, ResearchProject),
        )
        return context


def _detail_context(user: Any, pk: int) -> dict[str, Any]:
    detail = selectors.project_detail_for(user=user, pk=pk)
    detail["badge"] = status_badge(detail["project"].status)
    for milestone in detail["milestones"]:
        milestone.state = (
            {"icon": "✓", "label": gettext("Done")}
            if milestone.done_on
            else {"icon": "!", "label": gettext("Overdue")}
            if milestone.overdue
            else {"icon": "○", "label": gettext("Open")}
        )
    return detail


class ProjectDetailView(LoginRequiredMixin, TemplateView):
    """A project: partners and countries, timeline, funding, group, outputs, milestones, measures, status."""

    template_name = "network/research/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        detail = _detail_context(self.request.user, kwargs["pk"])
        context.update(detail)
        if detail["may_change"]:
            project = detail["project"]
            status_form = StatusForm(initial={"version": project.version})
            status_form.fields["status"].choices = [(s, ProjectStatus(s).label) for s in detail["next_statuses"]]
            context["status_form"] = status_form if detail["next_statuses"] else None
            context["link_form"] = MeasureLinkForm()
        return context


class ProjectCreateView(_FormPage):
    template_name = "network/research/form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, ADD, ResearchProject)
        return self.render_form(request, {"form": ProjectForm(), "project": None})

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, ADD, ResearchProject)
        form = ProjectForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["countries"] = list(data["countries"]) or None
            try:
                project = services.project_create(actor=request.user, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("The project %(code)s was recorded.") % {"code": project.code})
                return redirect("network:project-detail", pk=project.pk)
        return self.render_form(request, {"form": form, "project": None}, status=400)


class ProjectEditView(_FormPage):
    template_name = "network/research/form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = _project(request, pk)
        require(request.user, CHANGE, project)
        form = ProjectForm(initial=ProjectForm.initial_for(project), editing=True)
        return self.render_form(request, {"form": form, "project": project})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = _project(request, pk)
        require(request.user, CHANGE, project)
        form = ProjectForm(request.POST, initial=ProjectForm.initial_for(project), editing=True)
        if form.is_valid():
            try:
                services.project_update(
                    actor=request.user,
                    project=project,
                    expected_version=form.cleaned_data["version"] or project.version,
                    changes=changed_fields(form),
                )
            except StaleEditError as exc:
                return self.render_form(request, {"form": form, "project": project, "stale": exc}, status=409)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("The project was saved."))
                return redirect("network:project-detail", pk=project.pk)
        return self.render_form(request, {"form": form, "project": project}, status=400)


class ProjectStatusView(LoginRequiredMixin, View):
    """POST: move the project on (proposed → ongoing → completed or suspended)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = _project(request, pk)
        require(request.user, CHANGE, project)
        form = StatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Choose a status."))
            return redirect("network:project-detail", pk=project.pk)
        try:
            services.project_set_status(
                actor=request.user,
                project=project,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        except StaleEditError:
            messages.error(request, gettext("Someone else changed the project meanwhile; check it and try again."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, gettext("The status of the project was changed."))
        return redirect("network:project-detail", pk=project.pk)


class ProjectMeasureLinkView(LoginRequiredMixin, View):
    """POST: link the project to a measure it advances (or is evidence of), or with `remove` unlink it."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = _project(request, pk)
        require(request.user, CHANGE, project)
        form = MeasureLinkForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Give the code of the measure."))
            return redirect("network:project-detail", pk=project.pk)
        code = form.cleaned_data["measure"].strip()
        measure = visible(Measure.objects.all(), request.user).filter(code=code).first()
        if measure is None:
            messages.error(request, gettext("No measure has this code."))
        elif "remove" in request.POST:
            services.project_unlink_measure(actor=request.user, project=project, measure=measure)
            messages.success(request, gettext("The link to %(code)s was removed.") % {"code": measure.code})
        else:
            try:
                services.project_link_measure(
                    actor=request.user, project=project, measure=measure, relation=form.cleaned_data["relation"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, gettext("The project is now linked to %(code)s.") % {"code": measure.code})
        return redirect("network:project-detail", pk=project.pk)


class OutputFormView(_FormPage):
    """Add an output to a project (`project_pk`) or edit one (`pk`)."""

    template_name = "network/research/output_form.html"

    def _objects(self, request: HttpRequest, kwargs: dict) -> tuple[ResearchProject, ResearchOutput | None]:
        if "pk" in kwargs:
            output = get_visible_or_404(ResearchOutput.objects.select_related("project"), request.user, pk=kwargs["pk"])
            require(request.user, CHANGE, output)
            return output.project, output
        project = _project(request, kwargs["project_pk"])
        require(request.user, CHANGE, project)
        return project, None

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        project, output = self._objects(request, kwargs)
        initial = {}
        if output is not None:
            initial = {name: getattr(output, name) for name in services.OUTPUT_EDITABLE}
            initial["version"] = output.version
        return self.render_form(request, {"form": OutputForm(initial=initial), "project": project, "output": output})

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        project, output = self._objects(request, kwargs)
        form = OutputForm(request.POST)
        context = {"form": form, "project": project, "output": output}
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                if output is None:
                    services.output_add(actor=request.user, project=project, **data)
                else:
                    services.output_update(
                        actor=request.user, output=output, expected_version=version or output.version, changes=data
                    )
            except StaleEditError as exc:
                return self.render_form(request, {**context, "stale": exc}, status=409)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("The output was saved."))
                return redirect("network:project-detail", pk=project.pk)
        return self.render_form(request, context, status=400)


class MilestoneFormView(_FormPage):
    """Add a milestone to a project (`project_pk`) or edit one (`pk`)."""

    template_name = "network/research/milestone_form.html"

    def _objects(self, request: HttpRequest, kwargs: dict) -> tuple[ResearchProject, ResearchMilestone | None]:
        if "pk" in kwargs:
            milestone = get_visible_or_404(
                ResearchMilestone.objects.select_related("project"), request.user, pk=kwargs["pk"]
            )
            require(request.user, CHANGE, milestone)
            return milestone.project, milestone
        project = _project(request, kwargs["project_pk"])
        require(request.user, CHANGE, project)
        return project, None

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        project, milestone = self._objects(request, kwargs)
        initial = {}
        if milestone is not None:
            initial = {name: getattr(milestone, name) for name in services.MILESTONE_EDITABLE}
            initial["version"] = milestone.version
        context = {"form": MilestoneForm(initial=initial), "project": project, "milestone": milestone}
        return self.render_form(request, context)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        project, milestone = self._objects(request, kwargs)
        form = MilestoneForm(request.POST)
        context = {"form": form, "project": project, "milestone": milestone}
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                if milestone is None:
                    services.milestone_add(actor=request.user, project=project, **data)
                else:
                    services.milestone_update(
                        actor=request.user,
                        milestone=milestone,
                        expected_version=version or milestone.version,
                        changes=data,
                    )
            except StaleEditError as exc:
                return self.render_form(request, {**context, "stale": exc}, status=409)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("The milestone was saved."))
                return redirect("network:project-detail", pk=project.pk)
        return self.render_form(request, context, status=400)


class MilestoneDoneView(LoginRequiredMixin, View):
    """POST: record the day a milestone was reached."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        milestone = get_visible_or_404(ResearchMilestone.objects.select_related("project"), request.user, pk=pk)
        require(request.user, CHANGE, milestone)
        form = MilestoneDoneForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Give the day the milestone was reached as a date."))
        else:
            try:
                services.milestone_mark_done(
                    actor=request.user,
                    milestone=milestone,
                    expected_version=form.cleaned_data["version"],
                    done_on=form.cleaned_data["done_on"],
                )
            except StaleEditError:
                messages.error(
                    request, gettext("Someone else changed the milestone meanwhile; check it and try again.")
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, gettext("The milestone was marked as done."))
        return redirect("network:project-detail", pk=milestone.project_id)


# --- public pages -----------------------------------------------------------------------------------------------


class PublicProjectListView(TemplateView):
    """Public projects, as the public sees them (whoever is signed in)."""

    template_name = "network/research/public_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = ProjectFilterForm(self.request.GET or None, with_group=False)
        page, query = paginate(self.request, selectors.projects_for(user=AnonymousUser(), **form.filters()), PAGE_SIZE)
        for project in page.object_list:
            project.badge = status_badge(project.status)
        context.update(form=form, filtered=bool(form.filters()), page_obj=page, query_without_page=query)
        return context


class PublicProjectDetailView(TemplateView):
    """A public project: institutions, countries, timeline, outputs, milestones and public measures."""

    template_name = "network/research/public_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_detail_context(AnonymousUser(), kwargs["pk"]))
        return context
