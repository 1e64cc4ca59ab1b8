"""Routes of meeting documents: staff pages (namespace "meetings") and public pages ("meetings_public")."""

from django.urls import path

from ..models.documents import MinutesState
from ..views import documents as views

staff_urlpatterns = [
    path("<int:meeting_pk>/documents/", views.DocumentListView.as_view(), name="doc-list"),
    path("<int:meeting_pk>/documents/new/", views.DocumentCreateView.as_view(), name="doc-create"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="doc-detail"),
    path("documents/<int:pk>/edit/", views.DocumentEditView.as_view(), name="doc-edit"),
    path("documents/<int:pk>/upload/", views.DocumentUploadView.as_view(), name="doc-upload"),
    path("documents/<int:pk>/download/<slug:language>/", views.DocumentDownloadView.as_view(), name="doc-download"),
    path(
        "documents/<int:pk>/minutes/circulate/",
        views.MinutesTransitionView.as_view(to=MinutesState.CIRCULATED),
        name="minutes-circulate",
    ),
    path(
        "documents/<int:pk>/minutes/adopt/",
        views.MinutesTransitionView.as_view(to=MinutesState.ADOPTED),
        name="minutes-adopt",
    ),
    path("series/<int:series_pk>/minutes/", views.MinutesCompilationView.as_view(), name="minutes-compilation"),
    path(
        "series/<int:series_pk>/minutes.pdf", views.MinutesCompilationPdfView.as_view(), name="minutes-compilation-pdf"
    ),
]

public_urlpatterns = [
    path("<int:meeting_pk>/documents/", views.PublicDocumentListView.as_view(), name="doc-list"),
    path(
        "documents/<int:pk>/download/<slug:language>/",
        views.PublicDocumentDownloadView.as_view(),
        name="doc-download",
    ),
]
