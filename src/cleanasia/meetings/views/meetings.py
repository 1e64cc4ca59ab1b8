"""Pages of series and meetings: lists with filters in the URL, the meeting page (the hub of every
area of the module), the create/edit form (stale edits refused), the status form, and the public pages.

Dates are entered and shown in the meeting's own time zone; they are stored in UTC.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cleanasia.core import cache, permissions
from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.models import Visibility
from cleanasia.core.views.forms import add_service_errors, paginate, stale_context
from cleanasia.directory.models import Country, Organisation

from ..apps import CACHE_NAMESPACE
from ..models import Meeting, MeetingFormat, MeetingSeries, MeetingStatus
from ..selectors import meetings as selectors
from ..services import meetings as services
from ..services.meetings import is_time_zone

# Each status has a symbol and a word; colour never carries the meaning alone (WCAG 1.4.1).
STATUS_ICONS = {
    MeetingStatus.PLANNED: "○",
    MeetingStatus.CONFIRMED: "✓",
    MeetingStatus.HELD: "●",
    MeetingStatus.POSTPONED: "⏸",
    MeetingStatus.CANCELLED: "✕",
}


def status_badge(meeting: Meeting) -> dict[str, str]:
    status = MeetingStatus(meeting.status)
    return {"value": status.value, "label": str(status.label), "icon": STATUS_ICONS[status]}


def decorate(meetings) -> list[Meeting]:
    """Local times and status badges for a page of meetings."""
    rows = list(meetings)
    for meeting in rows:
        selectors.with_local_times(meeting)
        meeting.badge = status_badge(meeting)
    return rows


# --- forms --------------------------------------------------------------------------------------------


class MeetingFilterForm(forms.Form):
    """Series, year and status; GET parameters, so a filtered list can be shared."""

    series = forms.ChoiceField(label=gettext_lazy("Series"), required=False)
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=1990, max_value=2100)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All statuses")), *MeetingStatus.choices],
    )

    def __init__(self, *args: Any, series_codes: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = [("", _("All series")), *series_codes]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def series_choices(series) -> list[tuple[str, str]]:
    return [(s.code, f"{s.code} — {s.short_title or s.title}") for s in series]


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed as seen at the venue; the form makes it aware in the meeting's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> dt.datetime | None:
        # Parsed as UTC (no daylight-saving gaps), then kept as a wall-clock time; the form adds the real zone.
        with timezone.override(dt.UTC):
            moment = super().to_python(value)
        return moment.replace(tzinfo=None) if moment is not None else None


def naive_local(moment: dt.datetime | None, time_zone: str) -> dt.datetime | None:
    if moment is None:
        return None
    zone = zoneinfo.ZoneInfo(time_zone) if is_time_zone(time_zone) else dt.UTC
    return moment.astimezone(zone).replace(tzinfo=None)


class CountryChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Country) -> str:
        return f"{obj.name or obj.code} ({obj.code})"


class MeetingForm(forms.Form):
    """Creates or edits a meeting; `version` makes a concurrent edit detectable."""

    TEXT_FIELDS = (
        "title_ja",
        "title_en",
        "venue_ja",
        "venue_en",
        "city_ja",
        "city_en",
        "chairs_ja",
        "chairs_en",
        "online_url",
    )
    TIME_FIELDS = ("starts_at", "ends_at", "registration_deadline")
    OTHER_FIELDS = ("ordinal", "time_zone", "host_country", "format", "visibility")
    M2M_FIELDS = ("invited_countries", "observer_organisations")

    series = forms.ModelChoiceField(label=gettext_lazy("Series"), queryset=MeetingSeries.objects.none())
    ordinal = forms.IntegerField(
        label=gettext_lazy("Number in the series"), min_value=1, help_text=gettext_lazy("3 for the 3rd meeting")
    )
    title_ja = forms.CharField(label=gettext_lazy("Title (Japanese)"), max_length=300, required=False)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=300, required=False)
    time_zone = forms.CharField(
        label=gettext_lazy("Time zone of the venue"),
        max_length=64,
        initial="Asia/Tokyo",
        help_text=gettext_lazy("IANA name, e.g. Asia/Ho_Chi_Minh. Dates below are in this zone."),
    )
    starts_at = LocalDateTimeField(label=gettext_lazy("Starts"))
    ends_at = LocalDateTimeField(label=gettext_lazy("Ends"))
    registration_deadline = LocalDateTimeField(label=gettext_lazy("Registration deadline"), required=False)
    venue_ja = forms.CharField(label=gettext_lazy("Venue (Japanese)"), max_length=300, required=False)
    venue_en = forms.CharField(label=gettext_lazy("Venue (English)"), max_length=300, required=False)
    city_ja = forms.CharField(label=gettext_lazy("City (Japanese)"), max_length=120, required=False)
    city_en = forms.CharField(label=gettext_lazy("City (English)"), max_length=120, required=False)
    host_country = forms.ModelChoiceField(
        label=gettext_lazy("Host country"), queryset=Country.objects.order_by("name_en"), required=False
    )
    chairs_ja = forms.CharField(label=gettext_lazy("Chairs (Japanese)"), max_length=500, required=False)
    chairs_en = forms.CharField(label=gettext_lazy("Chairs (English)"), max_length=500, required=False)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=MeetingFormat.choices)
    online_url = forms.URLField(label=gettext_lazy("Online meeting link"), required=False, assume_scheme="https")
    visibility = forms.ChoiceField(label=gettext_lazy("Who may see the meeting"), choices=Visibility.choices)
    invited_countries = CountryChoices(
        label=gettext_lazy("Invited countries"),
        queryset=Country.objects.order_by("name_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    observer_organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Invited observers"),
        queryset=Organisation.objects.order_by("name_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, meeting: Meeting | None = None, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if meeting is None:
            self.fields["series"].queryset = permissions.visible(MeetingSeries.objects.order_by("code"), user)
            self.fields["invited_countries"].help_text = _(
                "Leave empty to invite the members of the series' group on the meeting's date "
                "and the series' other invited countries."
            )
            self.fields["observer_organisations"].help_text = _("Leave empty to invite the series' observers.")
        else:
            del self.fields["series"]
            self.fields["version"].required = True

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(meeting, name) or "" for name in cls.TEXT_FIELDS}
        initial.update({name: getattr(meeting, name) for name in cls.OTHER_FIELDS})
        for name in cls.TIME_FIELDS:
            initial[name] = naive_local(getattr(meeting, name), meeting.time_zone)
        initial["invited_countries"] = list(meeting.invited_countries.all())
        initial["observer_organisations"] = list(meeting.observer_organisations.all())
        initial["version"] = meeting.version
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name = data.get("time_zone") or ""
        if not is_time_zone(name):
            self.add_error("time_zone", _("Give the IANA name of the venue's time zone, for example Asia/Ho_Chi_Minh."))
            return data
        zone = zoneinfo.ZoneInfo(name)
        for field in self.TIME_FIELDS:
            if data.get(field) is not None:
                data[field] = timezone.make_aware(data[field], zone)
        return data

    def values(self) -> dict[str, Any]:
        names = self.TEXT_FIELDS + self.TIME_FIELDS + self.OTHER_FIELDS
        return {name: self.cleaned_data[name] for name in names}

    def changes_for(self, meeting: Meeting) -> dict[str, Any]:
        """The fields that differ from the meeting as loaded (m2m compared as sets)."""
        text = set(self.TEXT_FIELDS)
        changes = {
            name: value
            for name, value in self.values().items()
            if value != (getattr(meeting, name) or "" if name in text else getattr(meeting, name))
        }
        for name in self.M2M_FIELDS:
            wanted = list(self.cleaned_data[name])
            if {obj.pk for obj in wanted} != {obj.pk for obj in getattr(meeting, name).all()}:
                changes[name] = wanted
        return changes


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=MeetingStatus.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Needed when the meeting is postponed or cancelled: say why, and what comes next."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- staff pages --------------------------------------------------------------------------------------


class MeetingListView(LoginRequiredMixin, TemplateView):
    """Meetings the user may see, upcoming first, filtered by series, year and status."""

    template_name = "meetings/meetings/meeting_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        series = list(selectors.series_list_for(user=user))
        form = MeetingFilterForm(self.request.GET or None, series_codes=series_choices(series))
        filters = form.filters()
        page, query = paginate(self.request, selectors.meeting_list_for(user=user, filters=filters))
        page.object_list = decorate(page.object_list)
        context.update(
            form=form,
            filtered=bool(filters),
            page_obj=page,
            query_without_page=query,
            may_create=permissions.can(user, permissions.ADD, Meeting),
        )
        return context


# The page changes with the meetings data (any save raises the generation at once) and with time (an embargo
# ends, a deadline passes, an item falls overdue): hence the date in the key and a short lifetime.
PAGE_TIMEOUT = 60


def meeting_page(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The meeting page's title, breadcrumb and body, rendered once per data generation and reader's access.

    The body reads across the agenda, delegations, documents and outcomes
    through the reader's permission filters: building those queries is most of
    the page's cost. What a reader may see, the meeting included, is decided by
    the meetings data and their roles and groups in force, so the key holds the
    data generation and the reader's access fingerprint (their id among it: a
    focal point's own delegation is theirs alone); a cached body is therefore
    also a permission already checked. A meeting the reader may not see raises
    Http404 and nothing is cached. The body holds no per-session value (no CSRF token).
    """
    user = request.user
    key = ("meeting-page", pk, get_language(), timezone.localdate().isoformat(), permissions.access_fingerprint(user))

    def render_page() -> dict[str, Any]:
        meeting = selectors.meeting_get_for(user=user, pk=pk)
        meeting.badge = status_badge(meeting)
        context = {
            "meeting": meeting,
            "agenda": selectors.agenda_for(user=user, meeting=meeting),
            "sections": selectors.meeting_sections(meeting=meeting, user=user),
            "may_change": permissions.can(user, permissions.CHANGE, meeting),
        }
        language = (get_language() or "ja")[:2]
        name = getattr(meeting, f"title_{language}", "") or meeting.title_en or meeting.title_ja
        title = f"{meeting.series.code}/{meeting.ordinal} {name}"
        return {
            "title": title,
            "here": f"{meeting.series.code}/{meeting.ordinal}",
            "body": render_to_string("meetings/meetings/includes/meeting_body.html", context, request=request),
        }

    return cache.cached_aggregate(CACHE_NAMESPACE, key, render_page, timeout=PAGE_TIMEOUT)


class MeetingDetailView(LoginRequiredMixin, View):
    """The meeting page: its facts, invited countries and agenda, then each area's section."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "meetings/meetings/meeting_detail.html", {"page": meeting_page(request, pk)})


class MeetingCreateView(LoginRequiredMixin, View):
    """The secretariat creates a meeting; invited countries default to the group's members on its date."""

    template_name = "meetings/meetings/meeting_form.html"

    def _check(self, request: HttpRequest) -> None:
        if not permissions.can(request.user, permissions.ADD, Meeting):
            raise PermissionDenied

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        initial: dict[str, Any] = {"format": MeetingFormat.IN_PERSON, "visibility": Visibility.SECRETARIAT}
        series = request.GET.get("series")
        if series and series.isdigit():
            chosen = permissions.visible(MeetingSeries.objects.filter(pk=series), request.user).first()
            if chosen is not None:
                last = chosen.meetings.order_by("-ordinal").values_list("ordinal", flat=True).first() or 0
                initial.update(series=chosen, ordinal=last + 1, visibility=chosen.visibility)
        form = MeetingForm(initial=initial, user=request.user)
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        form = MeetingForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_create(
                    actor=request.user,
                    series=data["series"],
                    invited_countries=list(data["invited_countries"]) or None,
                    observer_organisations=list(data["observer_organisations"]) or None,
                    **form.values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The meeting was created."))
                return redirect("meetings:meeting-detail", pk=meeting.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class MeetingEditView(LoginRequiredMixin, View):
    """Edit a meeting. A stale edit is refused, with what the other person changed."""

    template_name = "meetings/meetings/meeting_form.html"

    def _meeting(self, request: HttpRequest, pk: int) -> Meeting:
        meeting = selectors.meeting_get_for(user=request.user, pk=pk)
        if not permissions.can(request.user, permissions.CHANGE, meeting):
            raise PermissionDenied
        return meeting

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self._meeting(request, pk)
        form = MeetingForm(initial=MeetingForm.initial_for(meeting), meeting=meeting)
        return render(request, self.template_name, {"form": form, "meeting": meeting})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self._meeting(request, pk)
        form = MeetingForm(request.POST, meeting=meeting)
        context: dict[str, Any] = {"form": form, "meeting": meeting}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        changes = form.changes_for(meeting)
        if not changes and form.cleaned_data["version"] == meeting.version:
            messages.info(request, _("Nothing was changed."))
            return redirect("meetings:meeting-detail", pk=meeting.pk)
        try:
            services.meeting_update(
                actor=request.user, meeting=meeting, expected_version=form.cleaned_data["version"], changes=changes
            )
        except StaleEditError as exc:
            data = request.POST.copy()
            data["version"] = str(exc.instance.version)
            rebound = MeetingForm(data, meeting=exc.instance)
            rebound.is_valid()
            fields = MeetingForm.TEXT_FIELDS + MeetingForm.OTHER_FIELDS
            context.update(form=rebound, stale=stale_context(rebound, exc, fields))
            return render(request, self.template_name, context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("The meeting was saved."))
        return redirect("meetings:meeting-detail", pk=meeting.pk)


class MeetingStatusView(LoginRequiredMixin, View):
    """Confirm, mark held, postpone or cancel a meeting (with a note); the record always stays."""

    template_name = "meetings/meetings/meeting_status.html"

    def _meeting(self, request: HttpRequest, pk: int) -> Meeting:
        meeting = selectors.meeting_get_for(user=request.user, pk=pk)
        if not permissions.can(request.user, permissions.CHANGE, meeting):
            raise PermissionDenied
        meeting.badge = status_badge(meeting)
        return meeting

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self._meeting(request, pk)
        form = MeetingStatusForm(
            initial={"status": meeting.status, "note": meeting.status_note, "version": meeting.version}
        )
        return render(request, self.template_name, {"form": form, "meeting": meeting})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self._meeting(request, pk)
        form = MeetingStatusForm(request.POST)
        context: dict[str, Any] = {"form": form, "meeting": meeting}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            services.meeting_set_status(
                actor=request.user,
                meeting=meeting,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except StaleEditError as exc:
            data = request.POST.copy()
            data["version"] = str(exc.instance.version)
            rebound = MeetingStatusForm(data)
            rebound.is_valid()
            context.update(form=rebound, stale=stale_context(rebound, exc, ("status", "status_note")))
            return render(request, self.template_name, context, status=409)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "status_note" in exc.error_dict:
                form.add_error("note", exc.error_dict["status_note"])
            else:
                add_service_errors(form, exc)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("The status of the meeting was changed."))
        return redirect("meetings:meeting-detail", pk=meeting.pk)


class SeriesListView(LoginRequiredMixin, TemplateView):
    template_name = "meetings/meetings/series_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["series_list"] = list(selectors.series_list_for(user=self.request.user))
        return context


class SeriesDetailView(LoginRequiredMixin, TemplateView):
    template_name = "meetings/meetings/series_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        series = selectors.series_get_for(user=user, pk=kwargs["pk"])
        for meeting in series.visible_meetings:
            meeting.badge = status_badge(meeting)
        context.update(
            series=series,
            may_create=permissions.can(user, permissions.ADD, Meeting),
        )
        return context


# --- public pages -------------------------------------------------------------------------------------


class PublicMeetingListView(TemplateView):
    """Public meetings, upcoming first; no personal data."""

    template_name = "meetings/meetings/public_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = MeetingFilterForm(self.request.GET or None, series_codes=series_choices(selectors.public_series()))
        filters = form.filters()
        page, query = paginate(self.request, selectors.public_meeting_list(filters=filters))
        page.object_list = decorate(page.object_list)
        context.update(form=form, filtered=bool(filters), page_obj=page, query_without_page=query)
        return context


class PublicMeetingDetailView(TemplateView):
    """A public meeting: facts, invited countries and the agenda with its public documents."""

    template_name = "meetings/meetings/public_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = selectors.public_meeting_get(pk=kwargs["pk"])
        meeting.badge = status_badge(meeting)
        context.update(
            meeting=meeting,
            agenda=selectors.agenda_for(user=AnonymousUser(), meeting=meeting, public=True),
        )
        return context
