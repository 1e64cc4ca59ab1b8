"""Routes of series, meetings, agendas and calendar feeds (collected by routes/__init__.py)."""

from django.urls import path

from ..views import agenda, calendar, meetings

staff_urlpatterns = [
    path("", meetings.MeetingListView.as_view(), name="meeting-list"),
    path("new/", meetings.MeetingCreateView.as_view(), name="meeting-create"),
    path("<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting-detail"),
    path("<int:pk>/edit/", meetings.MeetingEditView.as_view(), name="meeting-edit"),
    path("<int:pk>/status/", meetings.MeetingStatusView.as_view(), name="meeting-status"),
    path("<int:pk>/agenda/", agenda.MeetingAgendaView.as_view(), name="meeting-agenda"),
    path("<int:pk>/agenda.pdf", agenda.MeetingAgendaPdfView.as_view(), name="meeting-agenda-pdf"),
    path("<int:pk>/agenda/edit/", agenda.AgendaEditView.as_view(), name="agenda-edit"),
    path("agenda-items/<int:pk>/edit/", agenda.AgendaItemEditView.as_view(), name="agenda-item-edit"),
    path("series/", meetings.SeriesListView.as_view(), name="series-list"),
    path("series/<int:pk>/", meetings.SeriesDetailView.as_view(), name="series-detail"),
    path("calendar/", calendar.CalendarLinkView.as_view(), name="calendar-link"),
]

public_urlpatterns = [
    path("", meetings.PublicMeetingListView.as_view(), name="meeting-list"),
    path("<int:pk>/", meetings.PublicMeetingDetailView.as_view(), name="meeting-detail"),
]

feed_urlpatterns = [
    path("meetings.ics", calendar.PublicCalendarFeedView.as_view(), name="public-ics"),
    path("meetings/<str:token>.ics", calendar.PersonalCalendarFeedView.as_view(), name="personal-ics"),
]
