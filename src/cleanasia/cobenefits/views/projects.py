"""Staff pages of co-benefit projects and their stored evaluations.

Thin, as the network's pages are: every write calls project_services; every read goes through selectors (or
`get_visible_or_404`, which asks the policies); who may do what is asked of the policies. A stored evaluation
is shown with the calculator's own includes and sheet.py, from the result document it keeps (rebuilt into the
engine's `Evaluation` without running the engine again), and its PDF is the calculator's sheet.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.views import View
from django.views.generic import TemplateView

from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.pdf import render_pdf
from cleanasia.core.permissions import ADD, CHANGE, DELETE, can, get_visible_or_404, require
from cleanasia.core.views.forms import add_service_errors, changed_fields, paginate
from cleanasia.engines.cobenefits import Evaluation as EngineEvaluation
from cleanasia.engines.cobenefits import FieldError, ParameterValue, WorkingLine
from cleanasia.engines.cobenefits.factors import Factor, Override, Source

from .. import project_services as services
from .. import selectors, sheet
from ..forms import (
    EvaluationPlanForm,
    ProjectDeleteForm,
    ProjectFilterForm,
    ProjectForm,
    RecomputeForm,
    activity_forms,
    place_engine_errors,
    request_from_forms,
)
from ..models import CobenefitProject, Evaluation
from .calculator import ERROR_CODES, CalculatorForm, Problem, read_request

PAGE_SIZE = 50
SPECIES_ORDER = ("co2", "ch4", "n2o", "co2_biogenic", "so2", "nox", "pm10", "pm25", "bod", "cod", "co2e")


# --- helpers -------------------------------------------------------------------------------------


def _project(request: HttpRequest, pk: int) -> CobenefitProject:
    return get_visible_or_404(
        CobenefitProject.objects.select_related("country", "package", "working_group"), request.user, pk=pk
    )


def _evaluation(request: HttpRequest, pk: int) -> Evaluation:
    found = selectors.evaluations_for(user=request.user).select_related("project__country").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def describe(error: FieldError) -> str:
    """An engine error in the reader's language (its stable code) with the engine's English detail."""
    label = ERROR_CODES.get(error.code)
    return f"{label}: {error.message}" if label else error.message


def engine_evaluation(result: dict[str, Any]) -> EngineEvaluation:
    """The engine's Evaluation back from its stored `to_dict()` document, for sheet.py (no recomputation)."""
    species = tuple(result.get("species", {}))

    def side(name: str) -> dict[str, np.ndarray]:
        return {s: np.asarray(result["species"][s][name], dtype=float) for s in species}

    overrides = tuple(
        Override(
            factor_id=o["factor_id"],
            value=o["value"],
            unit=o["unit"],
            source=o.get("source", ""),
            default=Factor(
                id=o["factor_id"],
                value=o["default"]["value"],
                unit=o["default"]["unit"],
                low=o["default"]["value"],
                high=o["default"]["value"],
                source=Source(**(o["default"].get("source") or {"document": ""})),
            ),
        )
        for o in result.get("overrides", [])
    )
    lines = tuple(
        WorkingLine(
            scenario=line["scenario"],
            index=line["index"],
            path=line["path"],
            method=line["method"],
            method_version=line["method_version"],
            equations=tuple(line["equations"]),
            parameters=tuple(ParameterValue(**p) for p in line["parameters"]),
            results={k: list(v) for k, v in line["results"].items()},
        )
        for line in result.get("lines", [])
    )
    return EngineEvaluation(
        years=tuple(result["years"]),
        gwp_set=result["gwp"]["set"],
        gwp=dict(result["gwp"]["values"]),
        fod_convention=result["fod_convention"],
        species=species,
        baseline=side("baseline"),
        project=side("project"),
        reduction=side("reduction"),
        co2e={name: np.asarray(result["co2e"][name], dtype=float) for name in ("baseline", "project", "reduction")},
        factor_versions=dict(result.get("factor_versions", {})),
        overrides=overrides,
        lines=lines,
    )


def difference_rows(difference: dict[str, Any]) -> list[dict[str, Any]]:
    """The difference's totals as table rows (species in the usual order, CO2e last), numbers formatted."""
    order = [s for s in SPECIES_ORDER if s in difference["totals"]]
    order += [s for s in difference["totals"] if s not in order]
    rows = []
    for name in order:
        sides = difference["totals"][name]
        rows.append(
            {
                "label": gettext("CO2e") if name == "co2e" else sheet.species_label(name),
                "is_co2e": name == "co2e",
                "sides": [
                    {
                        "label": sheet.side_label(side),
                        "before": sheet.format_number(sides[side]["before"]),
                        "after": sheet.format_number(sides[side]["after"]),
                        "change": sheet.format_number(sides[side]["change"]),
                    }
                    for side in ("baseline", "project", "reduction")
                ],
            }
        )
    return rows


def _factor_text(value: dict[str, Any] | None) -> str:
    if not value:
        return "—"
    return f"{sheet.format_number(value.get('value'))} {sheet.format_unit(value.get('unit', ''))}".strip()


# --- projects ------------------------------------------------------------------------------------


class ProjectListView(LoginRequiredMixin, TemplateView):
    template_name = "cobenefits/projects/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = ProjectFilterForm(self.request.GET or None)
        page, query = paginate(self.request, selectors.projects_for(user=user, **form.filters()), PAGE_SIZE)
        ids = [project.pk for project in page.object_list]
        latest = {e.project_id: e for e in selectors.latest_evaluations(user=user).filter(project_id__in=ids)}
        for project in page.object_list:
            evaluation = latest.get(project.pk)
            project.latest = evaluation
            project.latest_reduction = sheet.format_number(evaluation.co2e_reduction) if evaluation else ""
        context.update(
            form=form,
            filtered=bool(form.filters()),
            page_obj=page,
            query_without_page=query,
            may_create=can(user, ADD, CobenefitProject),
        )
        return context


class ProjectDetailView(LoginRequiredMixin, TemplateView):
    template_name = "cobenefits/projects/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        project = _project(self.request, kwargs["pk"])
        evaluations = list(selectors.evaluations_for(user=user, project=project).order_by("-number"))
        for evaluation in evaluations:
            evaluation.reduction_text = sheet.format_number(evaluation.co2e_reduction)
        context.update(
            project=project,
            measures=selectors.measures_for_projects([project.pk], user).get(project.pk, []),
            evaluations=evaluations,
            may_change=can(user, CHANGE, project),
            may_delete=can(user, DELETE, project),
            may_evaluate=can(user, CHANGE, project),
        )
        return context


class ProjectFormView(LoginRequiredMixin, View):
    """A new project, or (with `pk`) the edit of one; stale edits refused (409)."""

    template_name = "cobenefits/projects/form.html"

    def _render(self, request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(request, self.template_name, context, status=status)

    def _project(self, request: HttpRequest, pk: int | None) -> CobenefitProject | None:
        if pk is None:
            require(request.user, ADD, CobenefitProject)
            return None
        project = _project(request, pk)
        require(request.user, CHANGE, project)
        return project

    def _form(self, request: HttpRequest, project: CobenefitProject | None, data: Any = None) -> ProjectForm:
        if project is None:
            return ProjectForm(data, user=request.user)
        measures = selectors.measures_for_projects([project.pk], request.user).get(project.pk, [])
        initial = ProjectForm.initial_for(project, [row["measure"].pk for row in measures])
        return ProjectForm(data, initial=initial, user=request.user, editing=True)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        project = self._project(request, pk)
        return self._render(request, {"form": self._form(request, project), "project": project})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        project = self._project(request, pk)
        form = self._form(request, project, request.POST)
        context: dict[str, Any] = {"form": form, "project": project}
        if form.is_valid():
            try:
                if project is None:
                    data = dict(form.cleaned_data)
                    project = services.project_create(actor=request.user, **data)
                else:
                    project = services.project_update(
                        actor=request.user,
                        project=project,
                        expected_version=form.cleaned_data["version"] or project.version,
                        changes=changed_fields(form),
                    )
            except StaleEditError as exc:
                return self._render(request, {**context, "stale": exc}, status=409)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("The project %(code)s was saved.") % {"code": project.code})
                return redirect("cobenefits_staff:project-detail", pk=project.pk)
        return self._render(request, context, status=400)


class ProjectDeleteView(LoginRequiredMixin, View):
    """GET: what deleting takes with it; POST (with the version): delete, refused when stale (409)."""

    template_name = "cobenefits/projects/delete.html"

    def _project(self, request: HttpRequest, pk: int) -> CobenefitProject:
        project = _project(request, pk)
        require(request.user, DELETE, project)
        return project

    def _context(self, request: HttpRequest, project: CobenefitProject) -> dict[str, Any]:
        return {
            "project": project,
            "form": ProjectDeleteForm(initial={"version": project.version}),
            "evaluation_count": selectors.evaluations_for(user=request.user, project=project).count(),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self._project(request, pk)
        return render(request, self.template_name, self._context(request, project))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self._project(request, pk)
        form = ProjectDeleteForm(request.POST)
        version = form.cleaned_data["version"] if form.is_valid() else project.version
        try:
            services.project_delete(actor=request.user, project=project, expected_version=version)
        except StaleEditError as exc:
            return render(request, self.template_name, {**self._context(request, project), "stale": exc}, status=409)
        messages.success(request, gettext("The project %(code)s was deleted.") % {"code": project.code})
        return redirect("cobenefits_staff:project-list")


# --- new evaluations -----------------------------------------------------------------------------


def _evaluating(request: HttpRequest, pk: int) -> CobenefitProject:
    project = _project(request, pk)
    require(request.user, CHANGE, project)
    return project


class EvaluationCreateView(LoginRequiredMixin, View):
    """The structured form. GET without `step`: the plan (years, GWP, convention, activities per method and
    side); GET with `step=parameters`: the parameters of each activity; POST: evaluate and store, or the form
    again with every error at its field (400, nothing stored). "Show the default factors" re-renders only."""

    plan_template = "cobenefits/projects/evaluation_plan.html"
    form_template = "cobenefits/projects/evaluation_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = _evaluating(request, pk)
        if request.GET.get("step") == "parameters":
            plan = EvaluationPlanForm(request.GET)
            if plan.is_valid():
                hidden = EvaluationPlanForm(request.GET, hide_counts=True)
                hidden.is_valid()
                return self._parameters(request, project, hidden, activity_forms(plan.plan()))
            return render(request, self.plan_template, {"project": project, "form": plan}, status=400)
        initial = {"gwp": "AR5", "fod_convention": "ipcc2006"}
        return render(request, self.plan_template, {"project": project, "form": EvaluationPlanForm(initial=initial)})

    def _parameters(
        self, request: HttpRequest, project: CobenefitProject, plan: EvaluationPlanForm, forms_: list, status: int = 200
    ) -> HttpResponse:
        sides = [
            {"side": side, "label": sheet.side_label(side), "forms": [f for f in forms_ if f.side == side]}
            for side in ("baseline", "project")
        ]
        has_errors = bool(plan.errors) or any(f.errors for f in forms_)
        context = {"project": project, "plan": plan, "sides": sides, "has_errors": has_errors}
        return render(request, self.form_template, context, status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = _evaluating(request, pk)
        plan = EvaluationPlanForm(request.POST, hide_counts=True)
        plan_ok = plan.is_valid()
        rows = plan.plan()
        if not rows:  # a hand-made post without any activity: back to step 1
            return render(request, self.plan_template, {"project": project, "form": plan}, status=400)
        forms_ = activity_forms(rows, request.POST)
        checked = [f.is_valid() for f in forms_]  # every form, so that every error shows
        valid = all(checked) and plan_ok
        if request.POST.get("action") == "refresh" or not valid:
            return self._parameters(request, project, plan, forms_, status=200 if valid else 400)
        body = request_from_forms(plan, forms_)
        try:
            evaluation = services.evaluation_create(
                actor=request.user, project=project, request=body, note=plan.cleaned_data.get("note", "")
            )
        except services.EvaluationRefused as exc:
            place_engine_errors(plan, forms_, exc.field_errors, describe)
            return self._parameters(request, project, plan, forms_, status=400)
        messages.success(request, gettext("Evaluation %(number)s was stored.") % {"number": evaluation.number})
        return redirect("cobenefits_staff:evaluation-detail", pk=evaluation.pk)


class EvaluationJsonView(LoginRequiredMixin, View):
    """Advanced: a whole request pasted (or uploaded) as JSON, as the calculator reads it; errors by path."""

    template_name = "cobenefits/projects/evaluation_json.html"

    def _render(self, request: HttpRequest, project: CobenefitProject, **context: Any) -> HttpResponse:
        status = context.pop("status", 200)
        form = CalculatorForm(initial={"request": context.pop("text", "")})
        return render(request, self.template_name, {"project": project, "form": form, **context}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = _evaluating(request, pk)
        text = ""
        source = request.GET.get("from")
        if source and source.isdigit():
            found = selectors.evaluations_for(user=request.user, project=project).filter(pk=int(source)).first()
            if found is not None:
                text = json.dumps(found.request, ensure_ascii=False, indent=2)
        return self._render(request, project, text=text)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = _evaluating(request, pk)
        form = CalculatorForm(request.POST, request.FILES)
        data, text, problems = read_request(form)
        note = (request.POST.get("note") or "")[:2000]
        if problems:
            return self._render(request, project, text=text, problems=problems, note=note, status=400)
        try:
            evaluation = services.evaluation_create(actor=request.user, project=project, request=data, note=note)
        except services.EvaluationRefused as exc:
            problems = [Problem(e.path or gettext("(the whole request)"), describe(e)) for e in exc.field_errors]
            return self._render(request, project, text=text, problems=problems, note=note, status=400)
        messages.success(request, gettext("Evaluation %(number)s was stored.") % {"number": evaluation.number})
        return redirect("cobenefits_staff:evaluation-detail", pk=evaluation.pk)


# --- stored evaluations --------------------------------------------------------------------------


def stored_uncertainty(evaluation: Evaluation, engine: EngineEvaluation) -> dict[str, Any]:
    """The Monte Carlo of a stored request with the current factor library, computed for the page (never
    stored): `uncertainty` for includes/uncertainty.html, `uncertainty_unavailable` when the current files
    refuse the request."""
    found = sheet.uncertainty(evaluation.request, gwp_set=engine.gwp_set, stored_versions=evaluation.factor_versions)
    return {"uncertainty": found, "uncertainty_unavailable": found is None}


class EvaluationDetailView(LoginRequiredMixin, TemplateView):
    """A stored evaluation: settings, totals, charts, CO2e by year and the calculation sheet."""

    template_name = "cobenefits/projects/evaluation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        evaluation = _evaluation(self.request, kwargs["pk"])
        engine = engine_evaluation(evaluation.result)
        others = (
            selectors.evaluations_for(user=self.request.user, project=evaluation.project_id)
            .exclude(pk=evaluation.pk)
            .order_by("-number")
        )
        context.update(
            sheet.sheet_context(engine),
            **stored_uncertainty(evaluation, engine),
            charts=sheet.charts(engine),
            evaluation=evaluation,
            project=evaluation.project,
            others=list(others),
            may_recompute=can(self.request.user, CHANGE, evaluation.project),
            recompute_form=RecomputeForm(),
            reduction_text=sheet.format_number(evaluation.co2e_reduction),
        )
        return context


class EvaluationPdfView(LoginRequiredMixin, View):
    """The stored evaluation's calculation sheet as the calculator's PDF, in the page's language."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        evaluation = _evaluation(request, pk)
        language = get_language() or "ja"
        label = f"{evaluation.project} — " + gettext("Evaluation %(number)s") % {"number": evaluation.number}
        engine = engine_evaluation(evaluation.result)
        context = {
            **sheet.sheet_context(engine),
            **stored_uncertainty(evaluation, engine),
            "label": label,
            "language": language,
            "stored_as": label,
        }
        pdf = render_pdf("cobenefits/sheet_pdf.html", context, language=language)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"cobenefits-{evaluation.project.code}-{evaluation.number}-{language}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class EvaluationRecomputeView(LoginRequiredMixin, View):
    """POST: a new evaluation of the same request with the current factor files; the stored one stays."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        evaluation = _evaluation(request, pk)
        require(request.user, CHANGE, evaluation.project)
        form = RecomputeForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            new = services.evaluation_recompute(actor=request.user, evaluation=evaluation, note=note)
        except services.EvaluationRefused as exc:
            messages.error(request, " ".join(describe(e) for e in exc.field_errors))
            return redirect("cobenefits_staff:evaluation-detail", pk=evaluation.pk)
        messages.success(
            request,
            gettext("Evaluation %(number)s recomputed with the current factors as evaluation %(new)s.")
            % {"number": evaluation.number, "new": new.number},
        )
        url = redirect("cobenefits_staff:evaluation-difference", pk=new.pk)
        url["Location"] += f"?other={evaluation.pk}"
        return url


class EvaluationDifferenceView(LoginRequiredMixin, TemplateView):
    """This evaluation against another of the same project (`?other=`): totals before, after and the change
    per gas and pollutant, and the factor files and factors that changed."""

    template_name = "cobenefits/projects/difference.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        evaluation = _evaluation(self.request, kwargs["pk"])
        siblings = selectors.evaluations_for(user=self.request.user, project=evaluation.project_id).exclude(
            pk=evaluation.pk
        )
        other_id = self.request.GET.get("other", "")
        other = siblings.filter(pk=int(other_id)).first() if other_id.isdigit() else None
        context.update(evaluation=evaluation, project=evaluation.project, others=list(siblings.order_by("-number")))
        if other is None:
            context["missing"] = bool(other_id)
            return context
        before, after = (other, evaluation) if other.number < evaluation.number else (evaluation, other)
        difference = services.evaluation_difference(before, after)
        context.update(
            other=other,
            before=before,
            after=after,
            rows=difference_rows(difference),
            factor_versions=difference["factor_versions"],
            factors=[
                {"factor_id": f["factor_id"], "before": _factor_text(f["before"]), "after": _factor_text(f["after"])}
                for f in difference["factors"]
            ],
            request_changed=difference["request_changed"],
            overrides_changed=difference["overrides_changed"],
        )
        return context
