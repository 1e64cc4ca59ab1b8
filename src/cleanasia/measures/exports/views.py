"""Downloads (Excel, PDF, CSV, the import template) and the Excel import page.

Exports are for signed-in users and hold only rows they may see; the import
is for whoever may change measures (the secretariat), others get 403.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from cleanasia.core import permissions
from cleanasia.measures.models import Measure, PeriodState, ReportingPeriod

from .csv import TABLES, csv_rows
from .data import period_progress
from .imports import build_template, import_workbook
from .pdf import build_pdf
from .xlsx import build_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 10 * 1024 * 1024


def _language(request: HttpRequest) -> str:
    """The document's language: ?lang=ja|en, else the page's language."""
    lang = request.GET.get("lang", "")
    return lang if lang in ("ja", "en") else (get_language() or "ja")[:2]


def _period(request: HttpRequest) -> ReportingPeriod:
    """?period=<pk>; without it, the open period (or the latest one)."""
    periods = permissions.visible(ReportingPeriod.objects.all(), request.user)
    pk = request.GET.get("period", "")
    if pk:
        return permissions.get_visible_or_404(ReportingPeriod.objects.all(), request.user, pk=pk)
    period = periods.filter(state=PeriodState.OPEN).order_by("-starts_on").first() or periods.first()
    if period is None:
        raise Http404
    return period


def _progress(request: HttpRequest):
    return period_progress(
        user=request.user,
        period=_period(request),
        goal=request.GET.get("goal", ""),
        country=request.GET.get("country", "").upper(),
        status=request.GET.get("status", ""),
    )


def _slug(period: ReportingPeriod) -> str:
    return period.label("en").replace(" ", "-")


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # personal data; each user's rows differ
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The period's progress workbook (summary + a sheet per goal), filtered by ?goal, ?country, ?status."""
    progress = _progress(request)
    body = build_workbook(progress, language=_language(request))
    return _attachment(HttpResponse(body, content_type=XLSX), f"progress-{_slug(progress.period)}.xlsx")


@login_required
@require_GET
def export_pdf(request: HttpRequest) -> HttpResponse:
    """The period's progress report as a PDF (A4, Japanese fonts embedded)."""
    progress = _progress(request)
    body = build_pdf(progress, language=_language(request))
    return _attachment(HttpResponse(body, content_type="application/pdf"), f"progress-{_slug(progress.period)}.pdf")


@login_required
@require_GET
def export_csv(request: HttpRequest, table: str) -> StreamingHttpResponse:
    """One table as CSV (UTF-8 with BOM), streamed."""
    if table not in TABLES:
        raise Http404
    response = StreamingHttpResponse(csv_rows(table, request.user), content_type="text/csv; charset=utf-8")
    return _attachment(response, f"{table}.csv")


def _require_import(request: HttpRequest) -> None:
    if not permissions.can(request.user, permissions.CHANGE, Measure):
        raise PermissionDenied


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The Excel template for the import (Measures, Indicators, Targets, Instructions, hidden Lists)."""
    _require_import(request)
    return _attachment(HttpResponse(build_template(), content_type=XLSX), "measures-import-template.xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("Fill in the import template. The whole file is checked; if anything is wrong, nothing is saved."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an Excel workbook (.xlsx)."))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload the filled template: issues listed by sheet, row and column, or everything created at once."""
    _require_import(request)
    context: dict = {"form": ImportForm()}
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            outcome = import_workbook(form.cleaned_data["file"].read(), actor=request.user)
            context["outcome"] = outcome
            status = 200 if outcome.ok else 400
        else:
            status = 400
    return render(request, "measures/exports/import.html", context, status=status)
