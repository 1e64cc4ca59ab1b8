"""Calendar feeds (public, and personal behind a secret link) and the page where a user manages their link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from ..calendar import meetings_calendar
from ..models import CalendarFeedToken, Meeting
from ..selectors import meetings as selectors
from ..services import meetings as services

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
LANGUAGES = ("ja", "en")


def _page_url(request: HttpRequest, view_name: str, meeting: Meeting, language: str) -> str:
    with translation.override(language):
        return request.build_absolute_uri(reverse(view_name, args=[meeting.pk]))


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class PublicCalendarFeedView(View):
    """Every public meeting as iCalendar; `?lang=ja` for Japanese titles (English by default)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        language = request.GET.get("lang") if request.GET.get("lang") in LANGUAGES else "en"
        with translation.override(language):
            name = _("Clean Asia Initiative — intergovernmental meetings")
        body = meetings_calendar(
            selectors.calendar_meetings_public(),
            name=name,
            language=language,
            url_for=lambda m: _page_url(request, "meetings_public:meeting-detail", m, language),
        )
        return _ics_response(body, "cleanasia-meetings.ics")


class PersonalCalendarFeedView(View):
    """The meetings one user takes part in, found by the secret token in the URL (no sign-in: calendar
    applications cannot sign in). An unknown or reset token is a 404 like any missing page."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        found = CalendarFeedToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
        if found is None:
            raise Http404
        user = found.user
        language = user.preferred_language if user.preferred_language in LANGUAGES else "en"
        with translation.override(language):
            name = _("My meetings — Clean Asia Initiative")
        body = meetings_calendar(
            selectors.calendar_meetings_for(user),
            name=name,
            language=language,
            url_for=lambda m: _page_url(request, "meetings:meeting-detail", m, language),
        )
        return _ics_response(body, "my-meetings.ics")


class CalendarLinkView(LoginRequiredMixin, View):
    """Shows the user's private feed link and the public one; POST gives a new private link."""

    template_name = "meetings/meetings/calendar_link.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        token = services.calendar_feed_token_get_or_create(actor=request.user)
        return render(request, self.template_name, self._context(request, token))

    def post(self, request: HttpRequest) -> HttpResponse:
        services.calendar_feed_token_reset(actor=request.user)
        messages.success(request, _("You have a new private calendar link. The old link no longer works."))
        return redirect("meetings:calendar-link")

    @staticmethod
    def _context(request: HttpRequest, token: CalendarFeedToken) -> dict[str, Any]:
        private_url = request.build_absolute_uri(reverse("meetings_feeds:personal-ics", args=[token.token]))
        public_url = request.build_absolute_uri(reverse("meetings_feeds:public-ics"))
        return {
            "private_url": private_url,
            "private_webcal": "webcal://" + private_url.split("://", 1)[1],
            "public_url": public_url,
            "created_at": token.created_at,
            "meeting_count": selectors.calendar_meetings_for(request.user).count(),
        }
