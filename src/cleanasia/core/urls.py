from django.urls import path

from .views.history import RecordHistoryView, RecordRestoreView
from .views.staff import StaffHomeView

app_name = "core"
urlpatterns = [
    path("", StaffHomeView.as_view(), name="staff-home"),
    path("history/<str:app_label>/<str:model_name>/<str:pk>/", RecordHistoryView.as_view(), name="record-history"),
    path(
        "history/<str:app_label>/<str:model_name>/<str:pk>/restore/",
        RecordRestoreView.as_view(),
        name="record-restore",
    ),
]
