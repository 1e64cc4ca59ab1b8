"""Pages of joint training: programmes and their sessions, the call for applications, nominations by
focal points within their country's quota, the secretariat's selection, attendance per day as a grid,
pre- and post-test scores, certificates (issue, revoke with a reason, PDF), and the public check of a
certificate's code.

Every write goes through services.training; what a user sees through the policies (selectors). A
service's refusal is shown at the field it names; a stale edit with what the other person changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from cleanasia.core import permissions
from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import require
from cleanasia.core.views.forms import add_service_errors, stale_context
from cleanasia.directory.models import Country

from ..models import (
    AssessmentKind,
    AttendanceStatus,
    Certificate,
    Field,
    Gender,
    TraineeNomination,
    TraineeState,
    TrainingLevel,
    TrainingMode,
    TrainingProgramme,
    TrainingSession,
)
from ..policies import training as policy
from ..selectors import training as selectors
from ..selectors.training_statistics import sees_statistics
from ..services import training as services

PAGE_SIZE = 50

# A word and a symbol for every state and status: colour never carries the meaning alone (WCAG 1.4.1).
STATE_ICONS = {
    TraineeState.NOMINATED: "○",
    TraineeState.SELECTED: "✓",
    TraineeState.WAITLISTED: "⏸",
    TraineeState.NOT_SELECTED: "✕",
    TraineeState.WITHDRAWN: "—",
}
ATTENDANCE_ICONS = {
    AttendanceStatus.PRESENT: "✓",
    AttendanceStatus.LATE: "◔",
    AttendanceStatus.EXCUSED: "E",
    AttendanceStatus.ABSENT: "✕",
}
DECISIONS = {
    "select": services.trainee_select,
    "waitlist": services.trainee_waitlist,
    "reject": services.trainee_decline,
    "withdraw": services.trainee_withdraw,
}
DECISION_MESSAGES = {
    "select": gettext_lazy("%(name)s was selected."),
    "waitlist": gettext_lazy("%(name)s was put on the waiting list."),
    "reject": gettext_lazy("%(name)s was not selected."),
    "withdraw": gettext_lazy("The nomination of %(name)s was withdrawn."),
}
LANGUAGE_CHOICES = [("en", gettext_lazy("English")), ("ja", gettext_lazy("Japanese"))]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang") or (get_language() or "en")[:2]
    return language if language in ("ja", "en") else "en"


def _programme(request: HttpRequest, pk: int) -> TrainingProgramme:
    return permissions.get_visible_or_404(
        TrainingProgramme.objects.select_related("field", "working_group"), request.user, pk=pk
    )


def _session(request: HttpRequest, pk: int) -> TrainingSession:
    return permissions.get_visible_or_404(
        TrainingSession.objects.select_related("programme__field", "host_country"), request.user, pk=pk
    )


def _nomination(request: HttpRequest, pk: int) -> TraineeNomination:
    return permissions.get_visible_or_404(
        TraineeNomination.objects.select_related("session__programme", "person", "country"), request.user, pk=pk
    )


def _certificate(request: HttpRequest, pk: int) -> Certificate:
    return permissions.get_visible_or_404(
        Certificate.objects.select_related("nomination__session__programme", "nomination__person"),
        request.user,
        pk=pk,
    )


def session_days(session: TrainingSession) -> list[dt.date]:
    return [session.starts_on + dt.timedelta(days=n) for n in range(services.session_days(session))]


def badge(nomination: TraineeNomination) -> dict[str, str]:
    state = TraineeState(nomination.state)
    return {"value": state.value, "label": str(state.label), "icon": STATE_ICONS[state]}


# --- forms ------------------------------------------------------------------------------------------


class FieldChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Field) -> str:
        return str(obj.name or obj.code)


class ProgrammeForm(forms.Form):
    """Creates or edits a programme; `version` makes a concurrent edit detectable."""

    EDITABLE = (
        "code",
        "title_ja",
        "title_en",
        "description_ja",
        "description_en",
        "field",
        "level",
        "language",
        "mode",
        "visibility",
    )

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy("Lower-case letters, digits and hyphens, for example aq-monitoring."),
    )
    title_ja = forms.CharField(label=gettext_lazy("Title (Japanese)"), max_length=300, required=False)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=300, required=False)
    description_ja = forms.CharField(
        label=gettext_lazy("Description (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=gettext_lazy("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field = FieldChoice(label=gettext_lazy("Field"), queryset=Field.objects.none())
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=TrainingLevel.choices)
    language = forms.CharField(
        label=gettext_lazy("Language of instruction"),
        max_length=8,
        initial="en",
        help_text=gettext_lazy("Its ISO code, for example en, ja or th."),
    )
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=TrainingMode.choices)
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may see the programme"), choices=Visibility.choices, initial=Visibility.SECRETARIAT
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, programme: TrainingProgramme | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields = Field.objects.filter(is_active=True)
        if programme is not None:
            fields = Field.objects.filter(pk__in=[*fields.values_list("pk", flat=True), programme.field_id])
        self.fields["field"].queryset = fields.order_by("position", "code")

    @classmethod
    def initial_for(cls, programme: TrainingProgramme) -> dict[str, Any]:
        initial = {name: getattr(programme, name) for name in cls.EDITABLE}
        initial["version"] = programme.version
        return initial

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.EDITABLE}


class SessionForm(forms.Form):
    EDITABLE = (
        "title_ja",
        "title_en",
        "starts_on",
        "ends_on",
        "venue_ja",
        "venue_en",
        "host_country",
        "mode",
        "call_opens_on",
        "call_closes_on",
        "quota_per_country",
        "visibility",
    )

    title_ja = forms.CharField(label=gettext_lazy("Title (Japanese)"), max_length=300, required=False)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=300, required=False)
    starts_on = forms.DateField(label=gettext_lazy("First day"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=gettext_lazy("Last day"), widget=DATE_INPUT)
    venue_ja = forms.CharField(label=gettext_lazy("Venue (Japanese)"), max_length=300, required=False)
    venue_en = forms.CharField(label=gettext_lazy("Venue (English)"), max_length=300, required=False)
    host_country = forms.ModelChoiceField(
        label=gettext_lazy("Host country"), queryset=Country.objects.order_by("name_en"), required=False
    )
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=TrainingMode.choices)
    call_opens_on = forms.DateField(
        label=gettext_lazy("Call for applications opens"), widget=DATE_INPUT, required=False
    )
    call_closes_on = forms.DateField(
        label=gettext_lazy("Call for applications closes"),
        widget=DATE_INPUT,
        required=False,
        help_text=gettext_lazy("By the first day of the session at the latest."),
    )
    quota_per_country = forms.IntegerField(
        label=gettext_lazy("Places per country"), min_value=1, max_value=500, initial=2
    )
    visibility = forms.ChoiceField(label=gettext_lazy("Who may see the session"), choices=Visibility.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    @classmethod
    def initial_for(cls, session: TrainingSession) -> dict[str, Any]:
        initial = {name: getattr(session, name) for name in cls.EDITABLE}
        initial["version"] = session.version
        return initial

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.EDITABLE}


class NominationForm(forms.Form):
    """A trainee given by name (they need no account); a known e-mail address finds their earlier record."""

    country = forms.ChoiceField(label=gettext_lazy("Nominating country"))
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200, required=False)
    name_ja = forms.CharField(label=gettext_lazy("Name (Japanese)"), max_length=200, required=False)
    family_name = forms.CharField(label=gettext_lazy("Family name"), max_length=120, required=False)
    given_name = forms.CharField(label=gettext_lazy("Given name"), max_length=120, required=False)
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        required=False,
        help_text=gettext_lazy("A returning trainee with this address keeps their one record."),
    )
    phone = forms.CharField(label=gettext_lazy("Telephone"), max_length=40, required=False)
    gender = forms.ChoiceField(label=gettext_lazy("Gender"), choices=Gender.choices, initial=Gender.UNDISCLOSED)
    motivation = forms.CharField(
        label=gettext_lazy("Why this trainee"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    PERSON_FIELDS = ("name_en", "name_ja", "family_name", "given_name", "email", "phone")

    def __init__(self, *args: Any, countries: list[Country], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [(c.code, f"{c.name or c.code} ({c.code})") for c in countries]
        if len(countries) == 1:
            self.fields["country"].initial = countries[0].code

    def person_data(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.PERSON_FIELDS if self.cleaned_data.get(name)}


class AttendanceDayForm(forms.Form):
    """One trainee's status on one day (also a correction); the grid is the usual way."""

    nomination = forms.TypedChoiceField(label=gettext_lazy("Trainee"), coerce=int)
    day = forms.DateField(label=gettext_lazy("Day"), widget=DATE_INPUT)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=AttendanceStatus.choices)

    def __init__(self, *args: Any, trainees: list[TraineeNomination], **kwargs: Any):
        super().__init__(*args, prefix="one", **kwargs)
        self.fields["nomination"].choices = [(n.pk, n.person.name) for n in trainees]


def attendance_key(nomination: TraineeNomination, day: dt.date) -> str:
    return f"a-{nomination.pk}-{day:%Y%m%d}"


class AttendanceGridForm(forms.Form):
    """A select per selected trainee and day of the session; empty means not recorded yet."""

    def __init__(self, *args: Any, trainees: list[TraineeNomination], days: list[dt.date], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.cells: dict[str, tuple[TraineeNomination, dt.date]] = {}
        choices = [("", "—"), *AttendanceStatus.choices]
        for nomination in trainees:
            recorded = {record.day: record.status for record in nomination.attendance.all()}
            for day in days:
                key = attendance_key(nomination, day)
                label = _("%(name)s, %(day)s") % {"name": nomination.person.name, "day": day.isoformat()}
                self.fields[key] = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    required=False,
                    initial=recorded.get(day, ""),
                    widget=forms.Select(attrs={"aria-label": label}),
                )
                self.cells[key] = (nomination, day)

    def entries(self) -> list[tuple[TraineeNomination, dt.date, str]]:
        return [
            (nomination, day, self.cleaned_data[key])
            for key, (nomination, day) in self.cells.items()
            if self.cleaned_data.get(key) and self.cleaned_data[key] != self.fields[key].initial
        ]


class ScoresForm(forms.Form):
    """Pre- and post-test scores of each selected trainee, out of one maximum."""

    max_score = forms.DecimalField(
        label=gettext_lazy("Out of"), max_digits=6, decimal_places=2, min_value=1, initial=100
    )

    def __init__(self, *args: Any, trainees: list[TraineeNomination], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.cells: dict[str, tuple[TraineeNomination, str]] = {}
        for nomination in trainees:
            recorded = {score.kind: score for score in nomination.scores.all()}
            for kind in AssessmentKind:
                key = f"{kind.value}-{nomination.pk}"
                label = f"{nomination.person.name}: {kind.label}"
                earlier = recorded.get(kind.value)
                self.fields[key] = forms.DecimalField(
                    label=label,
                    max_digits=6,
                    decimal_places=2,
                    required=False,
                    initial=earlier.score if earlier else None,
                    widget=forms.NumberInput(attrs={"aria-label": label, "step": "0.01", "inputmode": "decimal"}),
                )
                if earlier:
                    self.fields["max_score"].initial = earlier.max_score
                self.cells[key] = (nomination, kind.value)

    def entries(self) -> list[tuple[TraineeNomination, str, Any]]:
        return [
            (nomination, kind, self.cleaned_data[key])
            for key, (nomination, kind) in self.cells.items()
            if self.cleaned_data.get(key) is not None
        ]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the certificate's history; the public check shows only the date."),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=40,
        help_text=gettext_lazy("As printed on the certificate, for example ABCD-EFGH-JKLM."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


# --- programmes -------------------------------------------------------------------------------------


class ProgrammeListView(LoginRequiredMixin, View):
    """The programmes the user may see, filtered by field (GET), paged."""

    template_name = "network/training/programme_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        fields = list(Field.objects.order_by("position", "code"))
        chosen = next((f for f in fields if f.code == request.GET.get("field")), None)
        programmes = selectors.programmes_for(user=request.user, field=chosen)
        page = Paginator(programmes, PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        context = {
            "page_obj": page,
            "query_without_page": params.urlencode(),
            "fields": fields,
            "chosen_field": chosen,
            "may_create": permissions.can(request.user, permissions.ADD, TrainingProgramme),
            "sees_statistics": sees_statistics(request.user),
        }
        return render(request, self.template_name, context)


class ProgrammeDetailView(LoginRequiredMixin, View):
    template_name = "network/training/programme_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = _programme(request, pk)
        context = {
            "programme": programme,
            "sessions": selectors.sessions_for(user=request.user, programme=programme),
            "may_change": permissions.can(request.user, permissions.CHANGE, programme),
            "may_add_session": permissions.can(request.user, permissions.ADD, TrainingSession),
        }
        return render(request, self.template_name, context)


class ProgrammeCreateView(LoginRequiredMixin, View):
    template_name = "network/training/programme_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require(request.user, permissions.ADD, TrainingProgramme)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ProgrammeForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProgrammeForm(request.POST)
        if form.is_valid():
            try:
                programme = services.programme_create(actor=request.user, **form.values())
            except ValidationError as exc:
                add_service_errors(form, exc, strip_prefix="person_data.")
            else:
                messages.success(request, _("The programme was created."))
                return redirect("network:programme-detail", pk=programme.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class ProgrammeEditView(LoginRequiredMixin, View):
    template_name = "network/training/programme_form.html"

    def _programme(self, request: HttpRequest, pk: int) -> TrainingProgramme:
        programme = _programme(request, pk)
        require(request.user, permissions.CHANGE, programme)
        return programme

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self._programme(request, pk)
        form = ProgrammeForm(initial=ProgrammeForm.initial_for(programme), programme=programme)
        return render(request, self.template_name, {"form": form, "programme": programme})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self._programme(request, pk)
        form = ProgrammeForm(request.POST, programme=programme)
        context: dict[str, Any] = {"form": form, "programme": programme}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        changes = {k: v for k, v in form.values().items() if getattr(programme, k) != v}
        version = form.cleaned_data["version"] or programme.version
        if not changes and version == programme.version:
            messages.info(request, _("Nothing was changed."))
            return redirect("network:programme-detail", pk=programme.pk)
        try:
            services.programme_update(
                actor=request.user, programme=programme, expected_version=version, changes=changes
            )
        except StaleEditError as exc:
            data = request.POST.copy()
            data["version"] = str(exc.instance.version)
            rebound = ProgrammeForm(data, programme=exc.instance)
            rebound.is_valid()
            context.update(form=rebound, stale=stale_context(rebound, exc, ProgrammeForm.EDITABLE))
            return render(request, self.template_name, context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc, strip_prefix="person_data.")
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("The programme was saved."))
        return redirect("network:programme-detail", pk=programme.pk)


# --- sessions ---------------------------------------------------------------------------------------


class SessionCreateView(LoginRequiredMixin, View):
    template_name = "network/training/session_form.html"

    def _programme(self, request: HttpRequest, pk: int) -> TrainingProgramme:
        programme = _programme(request, pk)
        require(request.user, permissions.ADD, TrainingSession)
        return programme

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self._programme(request, pk)
        form = SessionForm(initial={"mode": programme.mode, "visibility": programme.visibility})
        return render(request, self.template_name, {"form": form, "programme": programme})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self._programme(request, pk)
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                session = services.session_create(actor=request.user, programme=programme, **form.values())
            except ValidationError as exc:
                add_service_errors(form, exc, strip_prefix="person_data.")
            else:
                messages.success(request, _("The session was scheduled."))
                return redirect("network:session-detail", pk=session.pk)
        return render(request, self.template_name, {"form": form, "programme": programme}, status=400)


class SessionEditView(LoginRequiredMixin, View):
    template_name = "network/training/session_form.html"

    def _session(self, request: HttpRequest, pk: int) -> TrainingSession:
        session = _session(request, pk)
        require(request.user, permissions.CHANGE, session)
        return session

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self._session(request, pk)
        form = SessionForm(initial=SessionForm.initial_for(session))
        return render(request, self.template_name, {"form": form, "session": session, "programme": session.programme})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self._session(request, pk)
        form = SessionForm(request.POST)
        context: dict[str, Any] = {"form": form, "session": session, "programme": session.programme}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        changes = {k: v for k, v in form.values().items() if getattr(session, k) != v}
        version = form.cleaned_data["version"] or session.version
        if not changes and version == session.version:
            messages.info(request, _("Nothing was changed."))
            return redirect("network:session-detail", pk=session.pk)
        try:
            services.session_update(actor=request.user, session=session, expected_version=version, changes=changes)
        except StaleEditError as exc:
            data = request.POST.copy()
            data["version"] = str(exc.instance.version)
            rebound = SessionForm(data)
            rebound.is_valid()
            context.update(form=rebound, stale=stale_context(rebound, exc, SessionForm.EDITABLE))
            return render(request, self.template_name, context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc, strip_prefix="person_data.")
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("The session was saved."))
        return redirect("network:session-detail", pk=session.pk)


class SessionDetailView(LoginRequiredMixin, View):
    """A session with its call, the places used per country and the nominations the user may see, with the
    secretariat's decisions and certificates, a focal point's withdrawals."""

    template_name = "network/training/session_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = _session(request, pk)
        user = request.user
        nominations = selectors.nominations_for(user=user, session=session)
        secretariat = permissions.is_secretariat(user)
        needed = services.days_required(session)
        rows = []
        for nomination in nominations:
            attended = sum(1 for r in nomination.attendance.all() if r.status in services.ATTENDED)
            scores = {s.kind: s for s in nomination.scores.all()}
            certificate = getattr(nomination, "certificate", None)
            rows.append(
                {
                    "nomination": nomination,
                    "badge": badge(nomination),
                    "attended": attended,
                    "pre": scores.get(AssessmentKind.PRE),
                    "post": scores.get(AssessmentKind.POST),
                    "certificate": certificate,
                    "may_issue": secretariat
                    and certificate is None
                    and nomination.state == TraineeState.SELECTED
                    and attended >= needed,
                    "may_withdraw": nomination.state != TraineeState.WITHDRAWN
                    and permissions.can(user, policy.WITHDRAW, nomination),
                }
            )
        may_nominate = permissions.can(user, policy.NOMINATE, session) and (secretariat or services.call_open(session))
        context = {
            "session": session,
            "programme": session.programme,
            "rows": rows,
            "quota_usage": selectors.quota_usage_for(user=user, session=session),
            "call_open": services.call_open(session),
            "days": services.session_days(session),
            "days_required": needed,
            "secretariat": secretariat,
            "may_change": permissions.can(user, permissions.CHANGE, session),
            "may_nominate": may_nominate,
        }
        return render(request, self.template_name, context)


# --- nominations and selection -----------------------------------------------------------------------


class NominationCreateView(LoginRequiredMixin, View):
    """A focal point nominates a trainee of their country (the secretariat of any country)."""

    template_name = "network/training/nomination_form.html"

    def _setup(self, request: HttpRequest, pk: int) -> tuple[TrainingSession, list[Country]]:
        session = _session(request, pk)
        require(request.user, policy.NOMINATE, session)
        countries = Country.objects.order_by("name_en")
        if not permissions.is_secretariat(request.user):
            countries = countries.filter(code__in=policy.focal_countries(request.user))
        return session, list(countries)

    def _render(self, request, session, form, status=200) -> HttpResponse:
        context = {
            "session": session,
            "programme": session.programme,
            "form": form,
            "quota_usage": selectors.quota_usage_for(user=request.user, session=session),
            "call_open": services.call_open(session),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session, countries = self._setup(request, pk)
        return self._render(request, session, NominationForm(countries=countries))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session, countries = self._setup(request, pk)
        form = NominationForm(request.POST, countries=countries)
        if form.is_valid():
            country = next(c for c in countries if c.code == form.cleaned_data["country"])
            try:
                nomination = services.trainee_nominate(
                    actor=request.user,
                    session=session,
                    person_data=form.person_data(),
                    country=country,
                    gender=form.cleaned_data["gender"],
                    motivation=form.cleaned_data["motivation"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, strip_prefix="person_data.")
            else:
                messages.success(request, _("%(name)s was nominated.") % {"name": nomination.person.name})
                return redirect("network:session-detail", pk=session.pk)
        return self._render(request, session, form, status=400)


class NominationDecideView(LoginRequiredMixin, View):
    """POST: select, waitlist or reject (the secretariat), withdraw (the country's focal point too)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = _nomination(request, pk)
        decision = request.POST.get("decision", "")
        move = DECISIONS.get(decision)
        if move is None:
            messages.error(request, _("Choose select, waiting list, not selected or withdraw."))
        else:
            try:
                move(actor=request.user, nomination=nomination)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, DECISION_MESSAGES[decision] % {"name": nomination.person.name})
        return redirect("network:session-detail", pk=nomination.session_id)


# --- attendance and tests ----------------------------------------------------------------------------


def _selected_trainees(request: HttpRequest, session: TrainingSession) -> list[TraineeNomination]:
    return [
        n for n in selectors.nominations_for(user=request.user, session=session) if n.state == TraineeState.SELECTED
    ]


class AttendanceView(LoginRequiredMixin, View):
    """The attendance grid: one row per selected trainee, one column per day of the session; and a form
    for one trainee's day (a day outside the session is refused, naming it)."""

    template_name = "network/training/attendance.html"

    def _setup(self, request: HttpRequest, pk: int) -> tuple[TrainingSession, list[TraineeNomination]]:
        session = _session(request, pk)
        require(request.user, policy.RECORD, TraineeNomination)
        return session, _selected_trainees(request, session)

    def _render(self, request, session, trainees, grid, one, status=200) -> HttpResponse:
        days = session_days(session)
        rows = [{"nomination": n, "cells": [grid[attendance_key(n, day)] for day in days]} for n in trainees]
        context = {
            "session": session,
            "programme": session.programme,
            "days": days,
            "rows": rows,
            "grid": grid,
            "form": one,
            "statuses": [(s.label, ATTENDANCE_ICONS[s]) for s in AttendanceStatus],
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session, trainees = self._setup(request, pk)
        grid = AttendanceGridForm(trainees=trainees, days=session_days(session))
        return self._render(request, session, trainees, grid, AttendanceDayForm(trainees=trainees))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session, trainees = self._setup(request, pk)
        days = session_days(session)
        grid = AttendanceGridForm(trainees=trainees, days=days)
        one = AttendanceDayForm(trainees=trainees)
        if "one" in request.POST:
            one = AttendanceDayForm(request.POST, trainees=trainees)
            if one.is_valid():
                nomination = next(n for n in trainees if n.pk == one.cleaned_data["nomination"])
                try:
                    services.attendance_record(
                        actor=request.user,
                        nomination=nomination,
                        day=one.cleaned_data["day"],
                        status=one.cleaned_data["status"],
                    )
                except ValidationError as exc:
                    add_service_errors(one, exc, strip_prefix="person_data.")
                else:
                    messages.success(request, _("The attendance was recorded."))
                    return redirect("network:session-attendance", pk=session.pk)
            return self._render(request, session, trainees, grid, one, status=400)
        grid = AttendanceGridForm(request.POST, trainees=trainees, days=days)
        if grid.is_valid():
            try:
                saved = services.attendance_grid_save(actor=request.user, session=session, entries=grid.entries())
            except ValidationError as exc:
                grid.add_error(None, exc.messages)
            else:
                messages.success(request, _("%(n)d attendance record(s) saved.") % {"n": saved})
                return redirect("network:session-attendance", pk=session.pk)
        return self._render(request, session, trainees, grid, one, status=400)


class ScoresView(LoginRequiredMixin, View):
    """Pre- and post-test scores of the selected trainees, out of one maximum."""

    template_name = "network/training/scores.html"

    def _setup(self, request: HttpRequest, pk: int) -> tuple[TrainingSession, list[TraineeNomination]]:
        session = _session(request, pk)
        require(request.user, policy.RECORD, TraineeNomination)
        return session, _selected_trainees(request, session)

    def _render(self, request, session, trainees, form, status=200) -> HttpResponse:
        rows = [{"nomination": n, "pre": form[f"pre-{n.pk}"], "post": form[f"post-{n.pk}"]} for n in trainees]
        context = {"session": session, "programme": session.programme, "rows": rows, "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session, trainees = self._setup(request, pk)
        return self._render(request, session, trainees, ScoresForm(trainees=trainees))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session, trainees = self._setup(request, pk)
        form = ScoresForm(request.POST, trainees=trainees)
        if form.is_valid():
            try:
                saved = services.assessment_scores_save(
                    actor=request.user,
                    session=session,
                    max_score=form.cleaned_data["max_score"],
                    entries=form.entries(),
                )
            except services.ScoreEntryError as exc:
                key = f"{exc.kind}-{exc.nomination.pk}"
                form.add_error(key if key in form.fields else None, exc.error.messages)
            except ValidationError as exc:
                add_service_errors(form, exc, strip_prefix="person_data.")
            else:
                messages.success(request, _("%(n)d test score(s) saved.") % {"n": saved})
                return redirect("network:session-scores", pk=session.pk)
        return self._render(request, session, trainees, form, status=400)


# --- certificates -----------------------------------------------------------------------------------


class CertificateIssueView(LoginRequiredMixin, View):
    """POST: the secretariat issues a selected trainee's certificate (enough days attended)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = _nomination(request, pk)
        try:
            certificate = services.certificate_issue(actor=request.user, nomination=nomination)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Certificate %(code)s was issued to %(name)s.")
                % {"code": certificate.code, "name": certificate.name_at_issue},
            )
        return redirect("network:session-detail", pk=nomination.session_id)


class CertificateRevokeView(LoginRequiredMixin, View):
    template_name = "network/training/certificate_revoke.html"

    def _certificate(self, request: HttpRequest, pk: int) -> Certificate:
        certificate = _certificate(request, pk)
        require(request.user, permissions.CHANGE, certificate)
        return certificate

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self._certificate(request, pk)
        return render(request, self.template_name, {"certificate": certificate, "form": RevokeForm()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self._certificate(request, pk)
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                services.certificate_revoke(
                    actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc, strip_prefix="person_data.")
            else:
                messages.success(request, _("Certificate %(code)s was revoked.") % {"code": certificate.code})
                return redirect("network:session-detail", pk=certificate.nomination.session_id)
        return render(request, self.template_name, {"certificate": certificate, "form": form}, status=400)


class CertificatePdfView(LoginRequiredMixin, View):
    """The certificate as PDF (?lang=ja|en): the secretariat, the trainee, their country's focal point."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = _certificate(request, pk)
        try:
            content = services.certificate_pdf(certificate, _language(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("network:session-detail", pk=certificate.nomination.session_id)
        response = HttpResponse(content, content_type="application/pdf")
        filename = slugify(f"certificate-{certificate.code}-{_language(request)}")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response


# --- the public check -------------------------------------------------------------------------------


class VerifyFormView(View):
    """Type a certificate's code; the answer is on the code's own page (the address printed on it)."""

    template_name = "network/training/verify_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if "code" not in request.GET:
            return render(request, self.template_name, {"form": VerifyForm()})
        form = VerifyForm(request.GET)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        typed = form.cleaned_data["code"].strip()
        return redirect("network_verify:verify", code=services.normalise_code(typed) or typed)


class VerifyView(View):
    """valid (name, programme, dates), revoked (the date only) or unknown; anyone may ask."""

    template_name = "network/training/verify.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        answer = services.certificate_verify(code)
        status = 404 if answer["status"] == services.UNKNOWN else 200
        context = {"answer": answer, "form": VerifyForm(initial={"code": answer["code"]})}
        return render(request, self.template_name, context, status=status)
