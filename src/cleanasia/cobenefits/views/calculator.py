"""The public co-benefits calculator: a request in, its result and calculation sheet out (HTML or PDF).

Stateless: the request is read from the form (JSON text or an uploaded .json file), evaluated by the engine and
rendered; nothing is stored. The result page carries the request in a hidden field, so the PDF of its sheet and
"edit the request" post it back rather than keep it anywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from cleanasia.core.pdf import render_pdf
from cleanasia.engines.cobenefits import Evaluation, EvaluationError, evaluate

from .. import sheet
from .examples import examples

MAX_REQUEST_CHARS = 1_000_000
MAX_FILE_BYTES = 1_000_000
REQUEST_FIELD = "request"  # the error summary links every engine error to the request's textarea

# The engine's stable error codes in the reader's language; its English message follows as the detail.
ERROR_CODES = {
    "required": gettext_lazy("Required"),
    "wrong_type": gettext_lazy("Wrong type"),
    "unknown_field": gettext_lazy("Unknown field"),
    "unknown_choice": gettext_lazy("Not one of the allowed values"),
    "unknown_method": gettext_lazy("Unknown method"),
    "unknown_fuel": gettext_lazy("Unknown fuel"),
    "unknown_factor": gettext_lazy("Unknown factor"),
    "unknown_unit": gettext_lazy("Unknown unit"),
    "wrong_dimension": gettext_lazy("Unit of the wrong kind"),
    "out_of_range": gettext_lazy("Out of range"),
    "negative": gettext_lazy("Must not be negative"),
    "not_a_number": gettext_lazy("Not a finite number"),
    "wrong_length": gettext_lazy("Wrong number of values"),
    "year_range": gettext_lazy("Invalid year range"),
    "duplicate": gettext_lazy("Listed twice"),
    "conflict": gettext_lazy("Conflicting inputs"),
    "not_applicable": gettext_lazy("Does not apply here"),
    "factor_missing": gettext_lazy("No default factor"),
    "control_already_in_factor": gettext_lazy("Control already included in the factor"),
}


@dataclass(frozen=True)
class Problem:
    """One line of the error summary: the field's path in the request and what is wrong with it."""

    path: str
    message: str
    target: str = "id_request"


class CalculatorForm(forms.Form):
    request = forms.CharField(
        label=gettext_lazy("Evaluation request (JSON)"),
        required=False,
        max_length=MAX_REQUEST_CHARS,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
        help_text=gettext_lazy(
            "Years, GWP set, the baseline and project activities, each naming a method, and any factor overrides, "
            "as in the examples."
        ),
    )
    request_file = forms.FileField(
        label=gettext_lazy("Or upload a .json file"),
        required=False,
        help_text=gettext_lazy("A file replaces the text above. At most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )


def _example_choice(key: str | None) -> str:
    available = examples()
    return key if key in available else next(iter(available))


def _problems_of(error: EvaluationError) -> list[Problem]:
    problems = []
    for e in error.errors:
        label = ERROR_CODES.get(e.code)
        problems.append(Problem(e.path or _("(the whole request)"), f"{label}: {e.message}" if label else e.message))
    return problems


def read_request(form: CalculatorForm, files: Any = None) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    """The request dict, its text and any problems reading it (size, encoding, JSON syntax)."""
    if not form.is_valid():
        problems = [
            Problem(str(form[name].label), " ".join(errors), f"id_{name}") for name, errors in form.errors.items()
        ]
        return None, form.data.get(REQUEST_FIELD, ""), problems
    text = form.cleaned_data["request"] or ""
    upload = form.cleaned_data.get("request_file")
    if upload is not None:
        target = "id_request_file"
        if upload.size > MAX_FILE_BYTES:
            return None, text, [Problem(str(form["request_file"].label), _("The file is larger than 1 MB."), target)]
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, text, [Problem(str(form["request_file"].label), _("The file is not UTF-8 text."), target)]
    if not text.strip():
        return None, text, [Problem(str(form["request"].label), _("Paste a request or upload a .json file."))]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = _("Not valid JSON: %(error)s (line %(line)s, column %(column)s).") % {
            "error": exc.msg,
            "line": exc.lineno,
            "column": exc.colno,
        }
        return None, text, [Problem(str(form["request"].label), message)]
    return data, text, []


def evaluate_request(data: Any) -> tuple[Evaluation | None, list[Problem]]:
    try:
        return evaluate(data), []
    except EvaluationError as error:
        return None, _problems_of(error)


def _form_page(
    request: HttpRequest, *, text: str, example_key: str, problems: list[Problem] | None = None, status: int = 200
) -> HttpResponse:
    form = CalculatorForm(initial={"request": text})
    context = {
        "form": form,
        "problems": problems or [],
        "examples": list(examples().values()),
        "example_key": example_key,
        "methods": sheet.methods_view(),
    }
    return render(request, "cobenefits/calculator.html", context, status=status)


def _read_and_evaluate(request: HttpRequest) -> tuple[Evaluation | None, dict[str, Any] | None, str, list[Problem]]:
    form = CalculatorForm(request.POST, request.FILES)
    data, text, problems = read_request(form)
    if problems:
        return None, None, text, problems
    evaluation, problems = evaluate_request(data)
    return evaluation, data, text, problems


class CalculatorView(View):
    """GET: what the calculator does, its methods and the request form (pre-filled with an example);
    POST: the evaluation's result and calculation sheet, or the form again with every problem (400)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        key = _example_choice(request.GET.get("example"))
        return _form_page(request, text=examples()[key].request_text(), example_key=key)

    def post(self, request: HttpRequest) -> HttpResponse:
        key = _example_choice(request.POST.get("example"))
        if request.POST.get("action") == "edit":
            return _form_page(request, text=request.POST.get(REQUEST_FIELD, ""), example_key=key)
        evaluation, data, text, problems = _read_and_evaluate(request)
        if evaluation is None or data is None:
            return _form_page(request, text=text, example_key=key, problems=problems, status=400)
        context = {
            **sheet.sheet_context(evaluation),
            "charts": sheet.charts(evaluation),
            "uncertainty": sheet.uncertainty(data, gwp_set=evaluation.gwp_set),
            "label": data.get("label", "") if isinstance(data, dict) else "",
            "request_json": json.dumps(data, ensure_ascii=False),
        }
        return render(request, "cobenefits/result.html", context)


class SheetPdfView(View):
    """The calculation sheet of the posted request as a PDF in the page's language (Noto Sans JP embedded)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        evaluation, data, text, problems = _read_and_evaluate(request)
        if evaluation is None or data is None:
            return _form_page(request, text=text, example_key=_example_choice(None), problems=problems, status=400)
        language = get_language() or "ja"
        context = {
            **sheet.sheet_context(evaluation),
            "uncertainty": sheet.uncertainty(data, gwp_set=evaluation.gwp_set),
            "label": data.get("label", "") if isinstance(data, dict) else "",
            "language": language,
        }
        pdf = render_pdf("cobenefits/sheet_pdf.html", context, language=language)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="cobenefits-calculation-sheet-{language}.pdf"'
        return response
