"""Pages of the expert directory: the staff list with search and filters, an expert's page, the nomination
and edit forms, publications, the consent to a public listing, the secretariat's decisions on nominations,
the merge of duplicate records, and the public directory.

Thin: reads through selectors.experts (rows carry only what the reader may see:
contact details only where the policy allows), writes through services.experts,
permissions through the expert policy. What a reader may not see is a 404; what
they see but may not change is a 403. The public pages read as the public
whoever is signed in, so they never show more than the public fields.
"""

from __future__ import annotations

from typing import Any

import pycountry
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import CHANGE, can, get_visible_or_404, is_secretariat
from cleanasia.core.views.forms import add_service_errors
from cleanasia.directory.models import Country

from ..models import ExpertProfile, NominationState, Publication
from ..policies import experts as policy
from ..selectors import experts as selectors
from ..services import experts as services

# Languages offered by the filter: those of the network's countries and the working languages.
FILTER_LANGUAGES = ("ja", "en", "zh", "ko", "mn", "vi", "th", "km", "lo", "my", "ms", "id", "tl", "hi", "bn", "ne")
STATE_ICONS = {NominationState.NOMINATED: "○", NominationState.ACCEPTED: "✓", NominationState.DECLINED: "✕"}


def language_choices() -> list[tuple[str, str]]:
    return [(code, f"{pycountry.languages.get(alpha_2=code).name} ({code})") for code in FILTER_LANGUAGES]


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def state_badge(row: dict[str, Any]) -> dict[str, str] | None:
    if "state" not in row:
        return None
    return {"value": row["state"], "label": row["state_label"], "icon": STATE_ICONS[NominationState(row["state"])]}


# --- forms --------------------------------------------------------------------------------------------


class ExpertFilterForm(forms.Form):
    """Keyword (Japanese or English), field, country and language; GET parameters, so a search can be shared."""

    q = forms.CharField(
        label=gettext_lazy("Keyword"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Japanese or English: part of a name, keyword, field or organisation."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    field = forms.ChoiceField(label=gettext_lazy("Field"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)

    def __init__(self, *args: Any, fields: list, countries: list[Country], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields")), *((f.code, str(f)) for f in fields)]
        self.fields["country"].choices = [("", _("All countries")), *((c.code, str(c)) for c in countries)]
        self.fields["language"].choices = [("", _("All languages")), *language_choices()]

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class FieldsChoice(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ProfileForm(forms.Form):
    """What the nomination and the edit of a profile share."""

    fields = FieldsChoice(label=gettext_lazy("Fields"), required=False)
    keywords = forms.CharField(
        label=gettext_lazy("Keywords"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Japanese or English, one per line."),
    )
    languages = forms.CharField(
        label=gettext_lazy("Languages"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Two-letter codes (ISO 639-1) separated by commas, e.g. ja, en, vi."),
    )
    orcid = forms.CharField(
        label=gettext_lazy("ORCID iD"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("e.g. 0000-0002-1825-0097"),
    )
    biography_en = forms.CharField(
        label=gettext_lazy("Biography (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    biography_ja = forms.CharField(
        label=gettext_lazy("Biography (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who among the signed-in members sees the expert"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        help_text=gettext_lazy(
            "The public sees an accepted expert only with their consent to a public listing; contact details never."
        ),
    )

    def __init__(self, *args: Any, field_records: list, may_set_visibility: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = [(f.code, str(f)) for f in field_records]
        if not may_set_visibility:
            del self.fields["visibility"]

    def profile(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {name: data[name] for name in services.EDITABLE if name in data}


class NominationForm(ProfileForm):
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200, required=False)
    name_ja = forms.CharField(label=gettext_lazy("Name (Japanese)"), max_length=200, required=False)
    family_name = forms.CharField(label=gettext_lazy("Family name"), max_length=100, required=False)
    given_name = forms.CharField(label=gettext_lazy("Given name"), max_length=100, required=False)
    honorific = forms.CharField(label=gettext_lazy("Honorific"), max_length=40, required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"))
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        required=False,
        help_text=gettext_lazy("Never shown to the public."),
    )
    phone = forms.CharField(
        label=gettext_lazy("Telephone"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("Never shown to the public."),
    )
    organisation_name = forms.CharField(
        label=gettext_lazy("Organisation"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Any of its names, its acronym or another spelling (MOE, 環境省): the organisation of the registry "
            "is found by them; a new one is added only when none is called so."
        ),
    )
    position_en = forms.CharField(label=gettext_lazy("Position (English)"), max_length=300, required=False)
    position_ja = forms.CharField(label=gettext_lazy("Position (Japanese)"), max_length=300, required=False)
    started_on = forms.DateField(
        label=gettext_lazy("In this position since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    listed_publicly = forms.BooleanField(
        label=gettext_lazy("The expert consents to a public listing (recorded with today's date)"), required=False
    )

    def __init__(self, *args: Any, countries: list[Country], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *((c.code, f"{c} ({c.code})") for c in countries)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("name_en") or data.get("name_ja")):
            self.add_error("name_en", _("Give the expert's name in English or in Japanese."))
        return data

    def person_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.PERSON_FIELDS}

    def affiliations(self) -> list[dict[str, Any]]:
        if not self.cleaned_data.get("organisation_name"):
            return []
        names = ("organisation_name", "position_en", "position_ja", "started_on")
        return [{name: self.cleaned_data[name] for name in names}]


class EditForm(ProfileForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AffiliationForm(forms.Form):
    organisation_name = NominationForm.base_fields["organisation_name"]
    organisation_country = forms.ChoiceField(
        label=gettext_lazy("Country of the organisation"),
        required=False,
        help_text=gettext_lazy("Empty: the expert's country (international bodies are found too)."),
    )
    position_en = NominationForm.base_fields["position_en"]
    position_ja = NominationForm.base_fields["position_ja"]
    started_on = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ended_on = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Empty: the expert holds the position today."),
    )

    def __init__(self, *args: Any, countries: list[Country], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation_name"].required = True
        self.fields["organisation_country"].choices = [("", "—"), *((c.code, str(c)) for c in countries)]


class PublicationForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=1900, max_value=2100)
    doi = forms.CharField(
        label=gettext_lazy("DOI"), required=False, max_length=200, help_text=gettext_lazy("e.g. 10.1000/xyz123")
    )
    url = forms.URLField(label=gettext_lazy("Address (URL)"), required=False, assume_scheme="https")
    citation = forms.CharField(label=gettext_lazy("Citation"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PublicationEditForm(PublicationForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


# --- the staff directory ------------------------------------------------------------------------------


def _search_context(request: HttpRequest, user: Any, **fixed: Any) -> dict[str, Any]:
    """The filter form and the page of rows for `user` (the page's reader, or the public)."""
    form = ExpertFilterForm(
        request.GET or None,
        fields=selectors.field_choices(),
        countries=selectors.countries_with_experts(user=user),
    )
    filters = form.filters()
    page = selectors.expert_search(
        user=user,
        query=filters.get("q", ""),
        field=filters.get("field"),
        country=filters.get("country"),
        language=filters.get("language"),
        page=request.GET.get("page"),
        **fixed,
    )
    for row in page.object_list:
        row["badge"] = state_badge(row)
    return {
        "form": form,
        "filtered": bool(filters),
        "page_obj": page,
        "query_without_page": query_without_page(request),
    }


class ExpertListView(LoginRequiredMixin, TemplateView):
    """The experts the user may see, found by keyword and filtered by field, country and language."""

    template_name = "network/experts/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(_search_context(self.request, user))
        context["may_nominate"] = can(user, policy.NOMINATE, ExpertProfile)
        return context


class NominationListView(LoginRequiredMixin, TemplateView):
    """Nominations awaiting the secretariat's decision (a focal point sees those of their countries)."""

    template_name = "network/experts/nominations.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not can(user, policy.NOMINATE, ExpertProfile):
            raise PermissionDenied
        context.update(_search_context(self.request, user, state=NominationState.NOMINATED))
        context["may_decide"] = is_secretariat(user)
        return context


def _expert(request: HttpRequest, pk: int) -> ExpertProfile:
    return get_visible_or_404(ExpertProfile.objects.select_related("person__country"), request.user, pk=pk)


class ExpertDetailView(LoginRequiredMixin, TemplateView):
    """An expert: affiliation history, fields, keywords, languages, ORCID, publications; the consent with its
    date, the state and the contact details for those the policy allows."""

    template_name = "network/experts/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        expert = selectors.expert_get_for(user=user, expert_id=kwargs["pk"])
        row = selectors.expert_detail_row(expert, user=user)
        row["badge"] = state_badge(row)
        context.update(
            expert=row,
            may_change=can(user, CHANGE, expert),
            may_consent=can(user, policy.SET_CONSENT, expert),
            may_decide=can(user, policy.DECIDE, expert) and expert.state == NominationState.NOMINATED,
            may_merge=can(user, policy.MERGE, expert),
        )
        return context


def _countries_for_nomination(user: Any) -> list[Country]:
    countries = Country.objects.order_by("name_en")
    if not is_secretariat(user):
        countries = countries.filter(pk__in=policy.focal_countries(user))
    return list(countries)


def _duplicates(data: Any) -> list[services.Duplicate]:
    """Records already in the directory with the e-mail address or ORCID iD just typed (for the merge offer)."""
    try:
        return services.expert_duplicates(email=str(data.get("email") or ""), orcid=str(data.get("orcid") or ""))
    except ValidationError:  # a malformed ORCID iD is already said at its field
        return services.expert_duplicates(email=str(data.get("email") or ""))


class ExpertNominateView(LoginRequiredMixin, View):
    """Nominate an expert (a focal point, for their country; the secretariat, any). The same e-mail address or
    ORCID iD already in the directory is refused at its field, and the record found is offered for a merge."""

    template_name = "network/experts/nominate.html"

    def _setup(self, request: HttpRequest) -> None:
        if not can(request.user, policy.NOMINATE, ExpertProfile):
            raise PermissionDenied

    def _form(self, request: HttpRequest, data: Any = None) -> NominationForm:
        return NominationForm(
            data,
            countries=_countries_for_nomination(request.user),
            field_records=selectors.field_choices(),
            may_set_visibility=is_secretariat(request.user),
        )

    def _render(self, request: HttpRequest, form: NominationForm, status: int = 200, duplicates=()) -> HttpResponse:
        context = {"form": form, "duplicates": duplicates, "may_merge": is_secretariat(request.user)}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        self._setup(request)
        form = self._form(request)
        countries = policy.focal_countries(request.user)
        if len(countries) == 1 and not is_secretariat(request.user):
            form.initial["country"] = next(iter(countries))
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        self._setup(request)
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        profile = form.profile()
        try:
            expert = services.expert_nominate(
                actor=request.user,
                person_data=form.person_data(),
                affiliations=form.affiliations(),
                listed_publicly=form.cleaned_data["listed_publicly"],
                **profile,
            )
        except ValidationError as exc:
            submitted = dict(form.cleaned_data)  # the form drops the values of the fields given errors
            add_service_errors(form, exc, aliases={f"affiliations.0.{n}": n for n in AffiliationForm.base_fields})
            duplicates = _duplicates(submitted) if {"email", "orcid"} & set(exc.message_dict) else []
            return self._render(request, form, status=400, duplicates=duplicates)
        messages.success(request, _("%(name)s was nominated to the expert directory.") % {"name": expert.person})
        return redirect("network:expert-detail", pk=expert.pk)


class ExpertEditView(LoginRequiredMixin, View):
    """Edit an expert's profile; the form carries the version it started from (stale edits refused)."""

    template_name = "network/experts/edit.html"

    def _setup(self, request: HttpRequest, pk: int) -> ExpertProfile:
        expert = _expert(request, pk)
        if not can(request.user, CHANGE, expert):
            raise PermissionDenied
        return expert

    def _form(self, request: HttpRequest, data: Any = None, initial: Any = None) -> EditForm:
        return EditForm(
            data,
            initial=initial,
            field_records=selectors.field_choices(),
            may_set_visibility=is_secretariat(request.user),
        )

    def _render(self, request, expert, form, status: int = 200, stale=None, duplicates=()) -> HttpResponse:
        context = {"expert": expert, "form": form, "stale": stale, "duplicates": duplicates}
        context["may_merge"] = is_secretariat(request.user)
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        expert = self._setup(request, pk)
        initial = {
            "fields": list(expert.fields.values_list("code", flat=True)),
            "keywords": expert.keywords,
            "languages": ", ".join(expert.languages),
            "orcid": expert.orcid or "",
            "biography_en": expert.biography_en,
            "biography_ja": expert.biography_ja,
            "visibility": expert.visibility,
            "version": expert.version,
        }
        return self._render(request, expert, self._form(request, initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        expert = self._setup(request, pk)
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(request, expert, form, status=400)
        try:
            services.expert_update(
                actor=request.user,
                expert=expert,
                expected_version=form.cleaned_data["version"],
                changes=form.profile(),
            )
        except StaleEditError as exc:
            data = request.POST.copy()
            data["version"] = str(exc.instance.version)
            rebound = self._form(request, data)
            rebound.is_valid()
            changes = [{"label": change.label, "value": change.new} for change in exc.changes]
            return self._render(request, expert, rebound, status=409, stale={"by": exc.by, "changes": changes})
        except ValidationError as exc:
            orcid = form.cleaned_data["orcid"]
            add_service_errors(form, exc)
            duplicates = []
            if "orcid" in exc.message_dict:
                duplicates = [d for d in _duplicates({"orcid": orcid}) if d.person != expert.person]
            return self._render(request, expert, form, status=400, duplicates=duplicates)
        messages.success(request, _("The profile of %(name)s was saved.") % {"name": expert.person})
        return redirect("network:expert-detail", pk=expert.pk)


class AffiliationAddView(LoginRequiredMixin, View):
    """Add a position to an expert's affiliation history (organisation found in the one registry)."""

    template_name = "network/experts/affiliation_form.html"

    def _setup(self, request: HttpRequest, pk: int) -> tuple[ExpertProfile, list[Country]]:
        expert = _expert(request, pk)
        if not can(request.user, CHANGE, expert):
            raise PermissionDenied
        return expert, list(Country.objects.order_by("name_en"))

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        expert, countries = self._setup(request, pk)
        return render(request, self.template_name, {"expert": expert, "form": AffiliationForm(countries=countries)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        expert, countries = self._setup(request, pk)
        form = AffiliationForm(request.POST, countries=countries)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["organisation_country"] = data["organisation_country"] or None
            try:
                affiliation = services.expert_affiliation_add(actor=request.user, expert=expert, **data)
            except ValidationError as exc:
                add_service_errors(form, exc, aliases={"country": "organisation_country"})
            else:
                messages.success(
                    request,
                    _("The position at %(organisation)s was added.") % {"organisation": affiliation.organisation},
                )
                return redirect("network:expert-detail", pk=expert.pk)
        return render(request, self.template_name, {"expert": expert, "form": form}, status=400)


class ConsentView(LoginRequiredMixin, View):
    """POST: record the expert's answer to a public listing, dated today (the expert, or the secretariat)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        expert = _expert(request, pk)
        listed = request.POST.get("listed") == "yes"
        services.expert_consent_set(actor=request.user, expert=expert, listed=listed)
        if listed:
            messages.success(request, _("The consent to a public listing was recorded with today's date."))
        else:
            messages.success(request, _("The public listing was withdrawn (recorded with today's date)."))
        return redirect("network:expert-detail", pk=expert.pk)


class DecisionView(LoginRequiredMixin, View):
    """POST: accept or decline a nomination (the secretariat)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        expert = _expert(request, pk)
        decision = request.POST.get("decision")
        try:
            if decision == "accept":
                services.expert_accept(actor=request.user, expert=expert)
                messages.success(request, _("%(name)s was accepted into the directory.") % {"name": expert.person})
            elif decision == "decline":
                services.expert_decline(actor=request.user, expert=expert)
                messages.success(request, _("The nomination of %(name)s was declined.") % {"name": expert.person})
            else:
                messages.error(request, _("Choose to accept or to decline the nomination."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        if request.POST.get("next") == "nominations":
            return redirect("network:expert-nominations")
        return redirect("network:expert-detail", pk=expert.pk)


class MergeView(LoginRequiredMixin, View):
    """The secretariat compares two records side by side and, on confirmation, folds the duplicate (`merge`)
    into the record kept (`keep`). Without `merge`, the page asks for the duplicate's record number."""

    template_name = "network/experts/merge.html"

    def _record(self, request: HttpRequest, value: Any) -> dict[str, Any] | None:
        if not str(value or "").isdigit():
            return None
        expert = selectors.expert_get_for(user=request.user, expert_id=int(value))
        row = selectors.expert_detail_row(expert, user=request.user)
        row["badge"] = state_badge(row)
        return row

    def _setup(self, request: HttpRequest, params: Any) -> tuple[dict | None, dict | None]:
        if not can(request.user, policy.MERGE, ExpertProfile):
            raise PermissionDenied
        return self._record(request, params.get("keep")), self._record(request, params.get("merge"))

    def get(self, request: HttpRequest) -> HttpResponse:
        keep, merge = self._setup(request, request.GET)
        return render(request, self.template_name, {"keep": keep, "merge": merge})

    def post(self, request: HttpRequest) -> HttpResponse:
        keep, merge = self._setup(request, request.POST)
        if keep is None or merge is None:
            messages.error(request, _("Choose the record to keep and the duplicate to merge into it."))
            return render(request, self.template_name, {"keep": keep, "merge": merge}, status=400)
        try:
            expert = services.expert_merge(
                actor=request.user,
                keep=ExpertProfile.objects.select_related("person").get(pk=keep["id"]),
                merge=ExpertProfile.objects.select_related("person").get(pk=merge["id"]),
            )
        except ValidationError as exc:
            errors = exc.messages
            return render(request, self.template_name, {"keep": keep, "merge": merge, "errors": errors}, status=400)
        messages.success(
            request, _("The duplicate record was merged into %(name)s; both histories are kept.") % {"name": expert}
        )
        return redirect("network:expert-detail", pk=expert.pk)


class PublicationAddView(LoginRequiredMixin, View):
    """Add a publication to an expert's list."""

    template_name = "network/experts/publication_form.html"

    def _setup(self, request: HttpRequest, pk: int) -> ExpertProfile:
        expert = _expert(request, pk)
        if not can(request.user, CHANGE, expert):
            raise PermissionDenied
        return expert

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        expert = self._setup(request, pk)
        return render(request, self.template_name, {"expert": expert, "form": PublicationForm(), "creating": True})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        expert = self._setup(request, pk)
        form = PublicationForm(request.POST)
        if form.is_valid():
            try:
                services.publication_add(actor=request.user, expert=expert, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The publication was added."))
                return redirect("network:expert-detail", pk=expert.pk)
        context = {"expert": expert, "form": form, "creating": True}
        return render(request, self.template_name, context, status=400)


class PublicationEditView(LoginRequiredMixin, View):
    """Edit a publication; stale edits refused."""

    template_name = "network/experts/publication_form.html"

    def _setup(self, request: HttpRequest, pk: int) -> Publication:
        publication = get_visible_or_404(
            Publication.objects.select_related("expert__person__country"), request.user, pk=pk
        )
        if not can(request.user, CHANGE, publication):
            raise PermissionDenied
        return publication

    def _render(self, request, publication, form, status: int = 200, stale=None) -> HttpResponse:
        context = {"expert": publication.expert, "publication": publication, "form": form, "stale": stale}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        publication = self._setup(request, pk)
        names = ("title", "year", "doi", "url", "citation", "version")
        form = PublicationEditForm(initial={name: getattr(publication, name) for name in names})
        return self._render(request, publication, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        publication = self._setup(request, pk)
        form = PublicationEditForm(request.POST)
        if not form.is_valid():
            return self._render(request, publication, form, status=400)
        try:
            services.publication_update(
                actor=request.user,
                publication=publication,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except StaleEditError as exc:
            data = request.POST.copy()
            data["version"] = str(exc.instance.version)
            rebound = PublicationEditForm(data)
            rebound.is_valid()
            changes = [{"label": change.label, "value": change.new} for change in exc.changes]
            return self._render(request, publication, rebound, status=409, stale={"by": exc.by, "changes": changes})
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(request, publication, form, status=400)
        messages.success(request, _("The publication was saved."))
        return redirect("network:expert-detail", pk=publication.expert_id)


# --- the public directory -----------------------------------------------------------------------------


class PublicExpertListView(TemplateView):
    """The accepted experts who consented to a public listing, public fields only, whoever reads."""

    template_name = "network/experts/public_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_search_context(self.request, AnonymousUser()))
        return context


class PublicExpertDetailView(TemplateView):
    """One publicly listed expert, public fields only (404 for every other record)."""

    template_name = "network/experts/public_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expert"] = selectors.expert_detail_for(user=AnonymousUser(), expert_id=kwargs["pk"])
        return context
