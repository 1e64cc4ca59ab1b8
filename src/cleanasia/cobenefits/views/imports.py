"""The Excel import of co-benefit projects: the template download, the upload with its problems or its preview,
and the confirmation that writes everything at once.

Thin: reading, checking and writing are cobenefits.imports; who may import is asked of the policies (the
secretariat any country, a focal point their own countries, checked row by row). Between the preview and the
confirmation the checked plan waits in the user's session (never a file on disk); confirming writes it in one
transaction, after the services check every row again.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from cleanasia.core.permissions import ADD, require

from .. import imports
from ..models import CobenefitProject

SESSION_KEY = "cobenefits_import"
TEMPLATE = "cobenefits/imports/import.html"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_(
            "Fill in the import template. The whole file is checked; if anything is wrong, nothing is saved. "
            "At most 5 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an Excel workbook (.xlsx)."))
        return upload


class ImportTemplateView(LoginRequiredMixin, View):
    """The import workbook: instructions (ja/en), Projects, Scenarios, Methods and one example per method."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, ADD, CobenefitProject)
        response = HttpResponse(imports.build_template(), content_type=imports.XLSX)
        response["Content-Disposition"] = 'attachment; filename="cobenefits-import-template.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response


class ImportView(LoginRequiredMixin, View):
    """Upload: the problems by sheet, row and column, or a preview to confirm; confirm: everything written."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require(request.user, ADD, CobenefitProject)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, TEMPLATE, {"form": ImportForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        if "confirm" in request.POST:
            return self._confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, TEMPLATE, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        check = imports.check_workbook(upload.read(), actor=request.user)
        if not check.ok:
            request.session.pop(SESSION_KEY, None)
            return render(request, TEMPLATE, {"form": ImportForm(), "issues": check.issues}, status=400)
        token = secrets.token_urlsafe(16)
        request.session[SESSION_KEY] = {"token": token, "name": upload.name, "plan": check.plan.to_dict()}
        context = {"form": ImportForm(), "plan": check.plan, "token": token, "file_name": upload.name}
        return render(request, TEMPLATE, context)

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        pending = request.session.get(SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("token"):
            messages.error(request, gettext("There is no checked file to import; upload the file again."))
            return redirect("cobenefits_staff:import")
        outcome = imports.apply_plan(imports.Plan.from_dict(pending["plan"]), actor=request.user)
        request.session.pop(SESSION_KEY, None)
        if not outcome.ok:
            return render(request, TEMPLATE, {"form": ImportForm(), "issues": outcome.issues}, status=409)
        messages.success(
            request,
            gettext("Import complete: %(created)s, %(updated)s, %(evaluations)s.")
            % {
                "created": ngettext("%(n)d project created", "%(n)d projects created", len(outcome.created))
                % {"n": len(outcome.created)},
                "updated": ngettext("%(n)d project updated", "%(n)d projects updated", len(outcome.updated))
                % {"n": len(outcome.updated)},
                "evaluations": ngettext("%(n)d evaluation stored", "%(n)d evaluations stored", outcome.evaluations)
                % {"n": outcome.evaluations},
            },
        )
        return redirect("cobenefits_staff:import")
