"""Pages of the training statistics, the alumni records and the anonymous satisfaction survey.

Staff pages: the statistics with charts and their CSV (the secretariat; a
focal point their own countries), the alumni list and a person's records
(the secretariat; a focal point their countries'), the survey's links for a
session and its results (the secretariat). Public page: the survey itself,
reached by a one-time link, with no sign-in and nothing kept of who answered.
Every write goes through the services; who sees what through the policies.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from cleanasia.core import permissions
from cleanasia.core.charts import bar_chart, line_chart
from cleanasia.core.views.forms import add_service_errors
from cleanasia.directory.models import Country, Person

from ..models import Field, TrainingSession
from ..policies.training import SURVEY
from ..selectors import training as training_selectors
from ..selectors import training_statistics as selectors
from ..services import training as training_services
from ..services import training_survey as survey

PAGE_SIZE = 50
NO_STORE = "private, no-store"


# --- forms -------------------------------------------------------------------------------------------


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Country) -> str:
        return obj.name or obj.code


class FieldChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Field) -> str:
        return obj.name or obj.code


class StatisticsFilterForm(forms.Form):
    """Year, field and country: GET parameters, so a filtered view can be shared and downloaded."""

    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None)
    field = FieldChoiceField(
        label=gettext_lazy("Field"),
        queryset=Field.objects.order_by("position", "code"),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All fields"),
    )
    country = CountryChoiceField(
        label=gettext_lazy("Country"), queryset=Country.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args: Any, user: Any, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]
        self.fields["country"].queryset = selectors.statistics_countries(user=user)
        self.fields["country"].empty_label = (
            _("All countries") if permissions.is_secretariat(user) else _("All my countries")
        )

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is dropped and shown with its error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class AlumniFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Name of the person, or title or code of the programme"),
    )
    country = CountryChoiceField(
        label=gettext_lazy("Country"), queryset=Country.objects.none(), required=False, empty_label=None
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = selectors.statistics_countries(user=user)
        self.fields["country"].empty_label = _("All countries")

    def filters(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class SurveyForm(forms.Form):
    """The survey: one 1–5 score per question (the first required) and a free comment."""

    comment = forms.CharField(
        label=gettext_lazy("Anything else you would like to tell us? (optional)"),
        required=False,
        max_length=survey.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Do not write your name: the survey is anonymous."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [(value, str(value)) for value in survey.SCALE]
        for position, (code, label) in enumerate(survey.QUESTIONS):
            self.fields[code] = forms.TypedChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                required=position == 0,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": gettext_lazy("Choose a score from 1 (very dissatisfied) to 5 (very satisfied)."),
                    "required": gettext_lazy("Give at least the overall score before sending the survey."),
                },
            )
        self.order_fields([*survey.QUESTION_CODES, "comment"])

    def score_fields(self) -> list[forms.BoundField]:
        return [self[code] for code in survey.QUESTION_CODES]


# --- helpers -----------------------------------------------------------------------------------------


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _require_statistics(request: HttpRequest) -> None:
    if not selectors.sees_statistics(request.user):
        raise PermissionDenied


def _csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _csv_response(rows: list[list[Any]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that spreadsheets read the Japanese names as UTF-8
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = NO_STORE
    return response


def _session(request: HttpRequest, pk: int) -> TrainingSession:
    """A session the user may see (else 404) and whose survey they run (else 403)."""
    session = permissions.get_visible_or_404(
        TrainingSession.objects.select_related("programme__field", "host_country"), request.user, pk=pk
    )
    if not permissions.can(request.user, SURVEY, session):
        raise PermissionDenied
    return session


# --- statistics ----------------------------------------------------------------------------------------


def _statistics(request: HttpRequest) -> tuple[StatisticsFilterForm, dict[str, Any], dict[str, Any]]:
    user = request.user
    form = StatisticsFilterForm(request.GET or None, user=user, years=selectors.statistics_years(user=user))
    filters = form.filters()
    data = selectors.statistics_for(
        user=user, year=filters.get("year"), field=filters.get("field"), country=filters.get("country")
    )
    return form, filters, data


SECTIONS = [
    ("by_country", gettext_lazy("People trained by country"), gettext_lazy("Country")),
    ("by_field", gettext_lazy("People trained by field"), gettext_lazy("Field")),
    ("by_year", gettext_lazy("People trained by year"), gettext_lazy("Year")),
    ("by_gender", gettext_lazy("People trained by gender"), gettext_lazy("Gender")),
]


class StatisticsView(LoginRequiredMixin, View):
    """People trained by country, field, year and gender, and the learning gain by session, with charts."""

    template_name = "network/training/statistics.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_statistics(request)
        form, filters, data = _statistics(request)
        trainings, people = _("Trainings"), _("People")
        sections = []
        for key, title, heading in SECTIONS:
            rows = [{**row, "gain_percent": _percent(row["gain"])} for row in data[key]]
            labels = [row["label"] for row in rows]
            series = [(trainings, [row["trainees"] for row in rows]), (people, [row["people"] for row in rows])]
            chart = (line_chart if key == "by_year" else bar_chart)(str(title), labels, series)
            sections.append(
                {"id": key.replace("_", "-"), "title": title, "heading": heading, "chart": chart, "rows": rows}
            )
        gain_rows = [{**row, "gain_percent": _percent(row["gain"])} for row in data["by_session"]]
        gain_chart = bar_chart(
            _("Mean learning gain by programme and session (points out of 100)"),
            [row["label"] for row in gain_rows],
            [(_("Mean gain"), [row["gain_percent"] for row in gain_rows])],
        )
        context = {
            "form": form,
            "filters": filters,
            "query": request.GET.urlencode(),
            "total": {**data["total"], "gain_percent": _percent(data["total"]["gain"])},
            "sections": sections,
            "gain_rows": gain_rows,
            "gain_chart": gain_chart,
            "secretariat": permissions.is_secretariat(request.user),
            "min_group": training_selectors.MIN_GROUP_FOR_GAIN,
        }
        return render(request, self.template_name, context)


class StatisticsCsvView(LoginRequiredMixin, View):
    """The figures of the statistics page, with the same filters, as CSV (one row per group)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_statistics(request)
        _form, _filters, data = _statistics(request)
        rows: list[list[Any]] = [
            ["grouping", "key", "label", "trainings", "people", "with_both_tests", "mean_gain_percent"]
        ]
        total = data["total"]
        rows.append(
            ["total", "", _("All"), total["trainees"], total["people"], total["scored"], _percent(total["gain"])]
        )
        for grouping in selectors.GROUPINGS:
            for row in data[grouping]:
                rows.append(
                    [
                        grouping.removeprefix("by_"),
                        row["key"],
                        row["label"],
                        row["trainees"],
                        row["people"],
                        row["scored"],
                        "" if row["gain"] is None else _percent(row["gain"]),
                    ]
                )
        return _csv_response(rows, "training-statistics.csv")


# --- alumni --------------------------------------------------------------------------------------------


class AlumniListView(LoginRequiredMixin, View):
    """People who completed a training, with programme, year and certificate; searched and paged."""

    template_name = "network/training/alumni_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_statistics(request)
        form = AlumniFilterForm(request.GET or None, user=request.user)
        filters = form.filters()
        qs = selectors.alumni_for(
            user=request.user, query=filters.get("q", ""), country=filters.get("country"), year=filters.get("year")
        )
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        context = {
            "form": form,
            "filtered": bool(filters),
            "page_obj": page,
            "query_without_page": params.urlencode(),
        }
        return render(request, self.template_name, context)


class AlumniDetailView(LoginRequiredMixin, View):
    """A person's completed trainings the user may see (404 when there is none)."""

    template_name = "network/training/alumni_detail.html"

    def get(self, request: HttpRequest, person_pk: int) -> HttpResponse:
        _require_statistics(request)
        person = get_object_or_404(Person.objects.select_related("country"), pk=person_pk)
        records = training_selectors.alumni_records_for(user=request.user, person=person)
        if not records:
            raise Http404
        return render(request, self.template_name, {"person": person, "records": records})


# --- survey: the secretariat's pages --------------------------------------------------------------------


class SurveyIssueForm(forms.Form):
    output = forms.ChoiceField(
        label=gettext_lazy("Give me the links as"),
        choices=[("page", gettext_lazy("A page to print and cut into slips")), ("csv", gettext_lazy("A CSV file"))],
        widget=forms.RadioSelect,
        initial="page",
    )


class SurveyTokensView(LoginRequiredMixin, View):
    """How many survey links a session handed out and how many were answered; hand them out once.

    The links exist only in the answer to the POST (the database keeps their
    hashes), carry no name and are listed in random order: whoever holds the
    list cannot tell which answer came from whom.
    """

    template_name = "network/training/survey_tokens.html"
    links_template = "network/training/survey_links.html"

    def _render(self, request: HttpRequest, session: TrainingSession, form: SurveyIssueForm, status: int = 200):
        context = {"session": session, "counts": survey.survey_token_counts(session), "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = _session(request, pk)
        return self._render(request, session, SurveyIssueForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = _session(request, pk)
        form = SurveyIssueForm(request.POST)
        if not form.is_valid():
            return self._render(request, session, form, status=400)
        try:
            pairs = training_services.survey_tokens_issue(actor=request.user, session=session)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(request, session, form, status=400)
        links = [
            request.build_absolute_uri(reverse("network_public:survey", kwargs={"token": token}))
            for _nomination, token in pairs
        ]
        if form.cleaned_data["output"] == "csv":
            return _csv_response(
                [["number", "survey_link"], *([i, link] for i, link in enumerate(links, 1))],
                f"survey-links-session-{session.pk}.csv",
            )
        response = render(request, self.links_template, {"session": session, "links": links})
        response["Cache-Control"] = NO_STORE
        return response


class SurveyResultsView(LoginRequiredMixin, View):
    """The anonymous answers of a session: mean and distribution per question, and the comments."""

    template_name = "network/training/survey_results.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = _session(request, pk)
        results = selectors.survey_results_for(user=request.user, session=session, questions=survey.QUESTION_CODES)
        labels = dict(survey.QUESTIONS)
        questions = [{**row, "label": labels[row["code"]]} for row in results["questions"]]
        means = bar_chart(
            _("Mean score by question (1 to 5)"),
            [str(row["label"]) for row in questions],
            [(_("Mean score"), [None if row["mean"] is None else round(row["mean"], 2) for row in questions])],
        )
        distribution = bar_chart(
            _("Number of answers by score"),
            [str(value) for value in survey.SCALE],
            [(str(row["label"]), row["distribution"]) for row in questions],
        )
        context = {
            "session": session,
            "counts": survey.survey_token_counts(session),
            "results": results,
            "questions": questions,
            "scale": survey.SCALE,
            "charts": {"means": means, "distribution": distribution},
        }
        return render(request, self.template_name, context)


# --- survey: the public page --------------------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    """The link is the key: never cached, never sent on to another site as a referrer."""
    response["Cache-Control"] = NO_STORE
    response["Referrer-Policy"] = "no-referrer"
    return response


class SurveyView(View):
    """The anonymous survey of one session, answered once per link, without signing in."""

    template_name = "network/training/survey_form.html"
    closed_template = "network/training/survey_closed.html"

    def _closed(self, request: HttpRequest, state: str, session: TrainingSession | None) -> HttpResponse:
        status = 410 if state == survey.USED else 404
        response = render(request, self.closed_template, {"state": state, "session": session}, status=status)
        return _private(response)

    def _form(self, request: HttpRequest, session: TrainingSession, form: SurveyForm, status: int = 200):
        response = render(request, self.template_name, {"session": session, "form": form}, status=status)
        return _private(response)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        state, session = survey.survey_token_state(token)
        if state != survey.OPEN:
            return self._closed(request, state, session)
        return self._form(request, session, SurveyForm())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        state, session = survey.survey_token_state(token)
        if state != survey.OPEN:
            return self._closed(request, state, session)
        form = SurveyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                survey.survey_answer(
                    token=token,
                    scores={code: data.get(code) for code in survey.QUESTION_CODES},
                    comment=data.get("comment", ""),
                )
            except ValidationError as exc:
                if "token" in getattr(exc, "error_dict", {}):
                    # Answered from another tab in the meantime.
                    return self._closed(request, survey.USED, session)
                add_service_errors(form, exc)
            else:
                return _private(redirect("network_public:survey-thanks"))
        return self._form(request, session, form, status=400)


class SurveyThanksView(View):
    template_name = "network/training/survey_thanks.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name)
