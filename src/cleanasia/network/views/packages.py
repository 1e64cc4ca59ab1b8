"""Pages of the know-how catalogue (packages and their case studies), of the register of country needs and of
the matching of packages to a need (the ranking with every reason of each score); the public catalogue.

Thin: every write calls network.services.packages; every read goes through network.selectors.packages; who
may do what is asked of the policies. Conditions are typed one per line ("name = value") and shown the same
way; the service checks them with the matching engine's own reader.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
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
from cleanasia.core.permissions import ADD, CHANGE, can, get_visible_or_404, is_secretariat, require
from cleanasia.core.views.forms import add_service_errors, changed_fields, paginate
from cleanasia.directory.models import Country, Organisation

from ..models import CountryNeed, Field, KnowHowPackage, NeedStatus, PackageCase, PackageKind
from ..policies import packages as policy
from ..selectors import packages as selectors
from ..services import packages as services

# Met, not met and unknown each have a word and a symbol; colour never carries the meaning alone (WCAG 1.4.1).
PAGE_SIZE = 50

REASON_STATES = {
    True: {"value": "met", "icon": "✓", "label": _("Met")},
    False: {"value": "not-met", "icon": "✗", "label": _("Not met")},
    None: {"value": "unknown", "icon": "?", "label": _("Unknown")},
}
NEED_ICONS = {
    NeedStatus.SUBMITTED: "○",
    NeedStatus.ACKNOWLEDGED: "◐",
    NeedStatus.MATCHED: "✓",
    NeedStatus.CLOSED: "■",
}


def need_badge(status: str) -> dict[str, str]:
    value = NeedStatus(status)
    return {"value": value.value, "label": str(value.label), "icon": NEED_ICONS[value]}


# --- conditions as lines of text ----------------------------------------------------------------------------------


def _value(text: str, *, lists: bool) -> Any:
    """One typed value: yes/no, a number, a comma-separated list (packages only) or a word."""
    text = text.strip()
    if text.lower() in ("yes", "true", "はい"):
        return True
    if text.lower() in ("no", "false", "いいえ"):
        return False
    if lists and "," in text:
        return [_value(part, lists=False) for part in text.split(",") if part.strip()]
    try:
        number = Decimal(text.replace("_", ""))
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    return int(number) if number == number.to_integral_value() else float(number)


def parse_conditions(text: str, *, lists: bool) -> dict[str, Any]:
    """The conditions typed one per line as `name = value` (or as a JSON object); ValidationError otherwise."""
    text = (text or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            found = json.loads(text)
        except ValueError as exc:
            raise ValidationError(_("This is not a readable JSON object; check the braces and quotes.")) from exc
        if not isinstance(found, dict):
            raise ValidationError(_("Give the conditions as named values."))
        return found
    conditions: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValidationError(
                _("Line %(number)d: write one condition per line as name = value.") % {"number": number}
            )
        conditions[name.strip()] = _value(value, lists=lists)
    return conditions


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return str(value)


def conditions_text(conditions: dict[str, Any] | None) -> str:
    """The conditions as the form shows them, one `name = value` per line, by name: PostgreSQL's JSON keeps
    no key order, so the order they were typed in cannot be shown back on every database."""
    return "\n".join(f"{name} = {_shown(value)}" for name, value in sorted((conditions or {}).items()))


class ConditionsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *args: Any, lists: bool, **kwargs: Any):
        self.lists = lists
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return conditions_text(value) if isinstance(value, dict) else value

    def to_python(self, value: Any) -> dict[str, Any]:
        return parse_conditions(super().to_python(value), lists=self.lists)

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (initial or {})
        except ValidationError:
            return True


def _country_label(country: Country) -> str:
    return f"{country.name or country.code} ({country.code})"


# --- forms ------------------------------------------------------------------------------------------------------


class PackageFilterForm(forms.Form):
    field = forms.ChoiceField(label=_("Field"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *PackageKind.choices])
    case_country = forms.ChoiceField(label=_("Case study in"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields"))] + [
            (f.code, str(f)) for f in Field.objects.order_by("position", "code")
        ]
        self.fields["case_country"].choices = [("", _("Any country"))] + [
            (c.code, _country_label(c)) for c in Country.objects.order_by("name_en")
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class PackageForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("Small letters, digits and hyphens."))
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=PackageKind.choices)
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields"),
        queryset=Field.objects.order_by("position", "code"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    problem_ja = forms.CharField(
        label=_("Problem it solves (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problem_en = forms.CharField(
        label=_("Problem it solves (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fits_where_ja = forms.CharField(
        label=_("Conditions where it fits (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fits_where_en = forms.CharField(
        label=_("Conditions where it fits (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conditions = ConditionsField(
        label=_("Conditions for the matching"),
        lists=True,
        help_text=_(
            "One per line: a range (urban_population_min = 500000), accepted values "
            "(income = lower_middle, upper_middle) or yes/no (coastal = yes)."
        ),
    )
    cost_min = forms.DecimalField(label=_("Cost from"), required=False, decimal_places=0, max_digits=14)
    cost_max = forms.DecimalField(label=_("Cost up to"), required=False, decimal_places=0, max_digits=14)
    cost_currency = forms.CharField(label=_("Currency"), max_length=3, initial="JPY")
    cobenefit_evidence_ja = forms.CharField(
        label=_("Co-benefit evidence (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cobenefit_evidence_en = forms.CharField(
        label=_("Co-benefit evidence (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    providers = forms.ModelMultipleChoiceField(
        label=_("Japanese providers"),
        queryset=Organisation.objects.filter(country_id=services.PROVIDER_COUNTRY).order_by("name_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see the package"), choices=Visibility.choices, initial=Visibility.SECRETARIAT
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["version"]

    @staticmethod
    def initial_for(package: KnowHowPackage) -> dict[str, Any]:
        names = services.PACKAGE_EDITABLE - set(services.PACKAGE_M2M)
        initial: dict[str, Any] = {name: getattr(package, name) for name in names}
        initial["fields"] = list(package.fields.all())
        initial["providers"] = list(package.providers.all())
        initial["version"] = package.version
        return initial


class CaseForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.order_by("name_en"))
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    summary_ja = forms.CharField(
        label=_("What it achieved (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_en = forms.CharField(
        label=_("What it achieved (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    year = forms.IntegerField(label=_("Year"), required=False)
    source = forms.CharField(label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].label_from_instance = _country_label


class NeedFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    field = forms.ChoiceField(label=_("Field"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *NeedStatus.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c.code, _country_label(c)) for c in Country.objects.order_by("name_en")
        ]
        self.fields["field"].choices = [("", _("All fields"))] + [
            (f.code, str(f)) for f in Field.objects.order_by("position", "code")
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class NeedForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.none())
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.order_by("position", "code"))
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_ja = forms.CharField(
        label=_("Description (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    conditions = ConditionsField(
        label=_("The country's conditions"),
        lists=False,
        help_text=_(
            "One per line as name = value, e.g. urban_population = 1200000, income = lower_middle, coastal = yes."
        ),
    )
    budget_max = forms.DecimalField(label=_("Budget up to"), required=False, decimal_places=0, max_digits=14)
    budget_currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    visibility = forms.ChoiceField(
        label=_("Who else may see the need"),
        choices=Visibility.choices,
        initial=Visibility.SECRETARIAT,
        help_text=_("The secretariat and the country's focal points always see it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["country"]
        else:
            del self.fields["version"]
            countries = Country.objects.order_by("name_en")
            if not is_secretariat(user):
                countries = countries.filter(code__in=policy.focal_countries(user))
            self.fields["country"].queryset = countries
            self.fields["country"].label_from_instance = _country_label

    @staticmethod
    def initial_for(need: CountryNeed) -> dict[str, Any]:
        names = services.NEED_EDITABLE - {"audience_groups"}
        initial: dict[str, Any] = {name: getattr(need, name) for name in names}
        initial["version"] = need.version
        return initial


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=NeedStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- helpers -----------------------------------------------------------------------------------------------------


def _package(request: HttpRequest, pk: int) -> KnowHowPackage:
    return get_visible_or_404(KnowHowPackage.objects.all(), request.user, pk=pk)


def _need(request: HttpRequest, pk: int) -> CountryNeed:
    return get_visible_or_404(CountryNeed.objects.select_related("country", "field"), request.user, pk=pk)


def _package_context(user: Any, pk: int) -> dict[str, Any]:
    detail = selectors.package_detail_for(user=user, pk=pk)
    detail["conditions"] = conditions_text(detail["package"].conditions).splitlines()
    return detail


# --- the catalogue --------------------------------------------------------------------------------------------------


class PackageListView(LoginRequiredMixin, TemplateView):
    template_name = "network/packages/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = PackageFilterForm(self.request.GET or None)
        page, query = paginate(
            self.request, selectors.packages_for(user=self.request.user, **form.filters()), PAGE_SIZE
        )
        context.update(
            form=form,
            filtered=bool(form.filters()),
            page_obj=page,
            query_without_page=query,
            may_create=can(self.request.user, ADD, KnowHowPackage),
        )
        return context


class PackageDetailView(LoginRequiredMixin, TemplateView):
    template_name = "network/packages/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_package_context(self.request.user, kwargs["pk"]))
        return context


class PackageFormView(LoginRequiredMixin, View):
    """A new package, or (with `pk`) the edit of one; stale edits refused."""

    template_name = "network/packages/form.html"

    def _render(self, request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(request, self.template_name, context, status=status)

    def _package(self, request: HttpRequest, pk: int | None) -> KnowHowPackage | None:
        if pk is None:
            require(request.user, ADD, KnowHowPackage)
            return None
        package = _package(request, pk)
        require(request.user, CHANGE, package)
        return package

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        package = self._package(request, pk)
        form = PackageForm(initial=PackageForm.initial_for(package), editing=True) if package else PackageForm()
        return self._render(request, {"form": form, "package": package})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        package = self._package(request, pk)
        if package is None:
            form = PackageForm(request.POST)
        else:
            form = PackageForm(request.POST, initial=PackageForm.initial_for(package), editing=True)
        context: dict[str, Any] = {"form": form, "package": package}
        if form.is_valid():
            try:
                if package is None:
                    package = services.package_create(actor=request.user, **form.cleaned_data)
                else:
                    services.package_update(
                        actor=request.user,
                        package=package,
                        expected_version=form.cleaned_data["version"] or package.version,
                        changes=changed_fields(form),
                    )
            except StaleEditError as exc:
                return self._render(request, {**context, "stale": exc}, status=409)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("The package %(code)s was saved.") % {"code": package.code})
                return redirect("network:package-detail", pk=package.pk)
        return self._render(request, context, status=400)


class CaseFormView(LoginRequiredMixin, View):
    """Add a case study to a package (`package_pk`) or edit one (`pk`)."""

    template_name = "network/packages/case_form.html"

    def _objects(self, request: HttpRequest, kwargs: dict) -> tuple[KnowHowPackage, PackageCase | None]:
        if "pk" in kwargs:
            case = get_visible_or_404(PackageCase.objects.select_related("package"), request.user, pk=kwargs["pk"])
            require(request.user, CHANGE, case)
            return case.package, case
        package = _package(request, kwargs["package_pk"])
        require(request.user, CHANGE, package)
        return package, None

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        package, case = self._objects(request, kwargs)
        initial = {}
        if case is not None:
            initial = {name: getattr(case, name) for name in services.CASE_EDITABLE}
            initial["version"] = case.version
        context = {"form": CaseForm(initial=initial), "package": package, "case": case}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        package, case = self._objects(request, kwargs)
        form = CaseForm(request.POST)
        context = {"form": form, "package": package, "case": case}
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                if case is None:
                    services.case_add(actor=request.user, package=package, **data)
                else:
                    services.case_update(
                        actor=request.user, case=case, expected_version=version or case.version, changes=data
                    )
            except StaleEditError as exc:
                return render(request, self.template_name, {**context, "stale": exc}, status=409)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("The case study was saved."))
                return redirect("network:package-detail", pk=package.pk)
        return render(request, self.template_name, context, status=400)


class PublicPackageListView(TemplateView):
    """The public catalogue, as the public sees it (whoever is signed in)."""

    template_name = "network/packages/public_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = PackageFilterForm(self.request.GET or None)
        page, query = paginate(self.request, selectors.packages_for(user=AnonymousUser(), **form.filters()), PAGE_SIZE)
        context.update(form=form, filtered=bool(form.filters()), page_obj=page, query_without_page=query)
        return context


class PublicPackageDetailView(TemplateView):
    template_name = "network/packages/public_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_package_context(AnonymousUser(), kwargs["pk"]))
        return context


# --- country needs and the matching ---------------------------------------------------------------------------------


class NeedListView(LoginRequiredMixin, TemplateView):
    """The needs the user sees: a focal point their own country's (and others' shared with them), the
    secretariat all."""

    template_name = "network/packages/need_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = NeedFilterForm(self.request.GET or None)
        page, query = paginate(self.request, selectors.needs_for(user=self.request.user, **form.filters()), PAGE_SIZE)
        for need in page.object_list:
            need.badge = need_badge(need.status)
        context.update(
            form=form,
            filtered=bool(form.filters()),
            page_obj=page,
            query_without_page=query,
            may_submit=can(self.request.user, ADD, CountryNeed),
        )
        return context


class NeedFormView(LoginRequiredMixin, View):
    """A focal point (or the secretariat) registers a need, or (with `pk`) edits one; stale edits refused."""

    template_name = "network/packages/need_form.html"

    def _render(self, request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(request, self.template_name, context, status=status)

    def _need(self, request: HttpRequest, pk: int | None) -> CountryNeed | None:
        if pk is None:
            require(request.user, ADD, CountryNeed)
            return None
        need = _need(request, pk)
        require(request.user, CHANGE, need)
        return need

    def _form(self, request: HttpRequest, need: CountryNeed | None, data: Any = None) -> NeedForm:
        if need is None:
            return NeedForm(data, user=request.user)
        return NeedForm(data, initial=NeedForm.initial_for(need), user=request.user, editing=True)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        need = self._need(request, pk)
        return self._render(request, {"form": self._form(request, need), "need": need})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        need = self._need(request, pk)
        form = self._form(request, need, request.POST)
        context: dict[str, Any] = {"form": form, "need": need}
        if form.is_valid():
            try:
                if need is None:
                    need = services.need_submit(actor=request.user, **form.cleaned_data)
                else:
                    services.need_update(
                        actor=request.user,
                        need=need,
                        expected_version=form.cleaned_data["version"] or need.version,
                        changes=changed_fields(form),
                    )
            except StaleEditError as exc:
                return self._render(request, {**context, "stale": exc}, status=409)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("The need was saved."))
                return redirect("network:need-matches", pk=need.pk)
        return self._render(request, context, status=400)


class NeedStatusView(LoginRequiredMixin, View):
    """POST: the secretariat acknowledges, matches, closes or reopens a need."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        need = _need(request, pk)
        require(request.user, policy.SET_STATUS, need)
        form = NeedStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Choose a status."))
            return redirect("network:need-matches", pk=need.pk)
        try:
            services.need_set_status(
                actor=request.user,
                need=need,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        except StaleEditError:
            messages.error(request, gettext("Someone else changed the need meanwhile; check it and try again."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, gettext("The status of the need was changed."))
        return redirect("network:need-matches", pk=need.pk)


def explained_matches(user: Any, need: CountryNeed) -> list[dict[str, Any]]:
    """The ranking for the page and the API: each package with its score and each reason in words."""
    return [
        {
            "package": match.package,
            "score": match.score,
            "reasons": [
                {
                    "code": reason.code,
                    "text": text,
                    "met": reason.met,
                    "state": REASON_STATES[reason.met],
                    "points": reason.points,
                    "weight": reason.weight,
                }
                for reason, text in match.explained()
            ],
        }
        for match in selectors.matches_for(user=user, need=need)
    ]


class NeedMatchesView(LoginRequiredMixin, TemplateView):
    """A need and the packages ranked for it, with the score and every reason behind it."""

    template_name = "network/packages/need_matches.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        detail = selectors.need_detail_for(user=self.request.user, pk=kwargs["pk"])
        need = detail["need"]
        context.update(detail)
        context["badge"] = need_badge(need.status)
        context["conditions"] = conditions_text(need.conditions).splitlines()
        context["matches"] = explained_matches(self.request.user, need)
        if detail["next_statuses"]:
            form = NeedStatusForm(initial={"version": need.version})
            form.fields["status"].choices = [(s, NeedStatus(s).label) for s in detail["next_statuses"]]
            context["status_form"] = form
        return context
