"""Routes of joint research (see routes/__init__.py for the mounts)."""

from django.urls import path, reverse

from cleanasia.core.navigation import register_record_page

from ..views import research as views

staff_urlpatterns = [
    path("research/", views.ProjectListView.as_view(), name="project-list"),
    path("research/new/", views.ProjectCreateView.as_view(), name="project-create"),
    path("research/<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("research/<int:pk>/edit/", views.ProjectEditView.as_view(), name="project-edit"),
    path("research/<int:pk>/status/", views.ProjectStatusView.as_view(), name="project-status"),
    path("research/<int:pk>/measures/", views.ProjectMeasureLinkView.as_view(), name="project-measures"),
    path("research/<int:project_pk>/outputs/new/", views.OutputFormView.as_view(), name="output-create"),
    path("research/outputs/<int:pk>/edit/", views.OutputFormView.as_view(), name="output-edit"),
    path("research/<int:project_pk>/milestones/new/", views.MilestoneFormView.as_view(), name="milestone-create"),
    path("research/milestones/<int:pk>/edit/", views.MilestoneFormView.as_view(), name="milestone-edit"),
    path("research/milestones/<int:pk>/done/", views.MilestoneDoneView.as_view(), name="milestone-done"),
]

public_urlpatterns = [
    path("research/", views.PublicProjectListView.as_view(), name="project-list"),
    path("research/<int:pk>/", views.PublicProjectDetailView.as_view(), name="project-detail"),
]

# The change-history pages of projects link back to their pages.
register_record_page("network.ResearchProject", lambda project: reverse("network:project-detail", args=[project.pk]))
