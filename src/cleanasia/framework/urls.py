from django.urls import path

from cleanasia.core.views.history import RecordHistoryView

from . import views

app_name = "framework"
urlpatterns = [
    path("", views.FrameworkTreeView.as_view(), name="tree"),
    path("<int:pk>/edit/", views.FrameworkNodeEditView.as_view(), name="node-edit"),
    path(
        "<int:pk>/history/",
        RecordHistoryView.as_view(),
        {"app_label": "framework", "model_name": "frameworknode"},
        name="node-history",
    ),
]
