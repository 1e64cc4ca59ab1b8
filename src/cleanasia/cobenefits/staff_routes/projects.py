"""Staff pages of co-benefit projects and their stored evaluations (mounted at /<lang>/staff/cobenefits/,
namespace "cobenefits_staff")."""

from django.urls import path, reverse

from cleanasia.core.navigation import register_record_page

from ..views import projects as views

staff_urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/new/", views.ProjectFormView.as_view(), name="project-create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<int:pk>/edit/", views.ProjectFormView.as_view(), name="project-edit"),
    path("projects/<int:pk>/delete/", views.ProjectDeleteView.as_view(), name="project-delete"),
    path("projects/<int:pk>/evaluations/new/", views.EvaluationCreateView.as_view(), name="evaluation-create"),
    path("projects/<int:pk>/evaluations/new/json/", views.EvaluationJsonView.as_view(), name="evaluation-create-json"),
    path("evaluations/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation-detail"),
    path("evaluations/<int:pk>/sheet.pdf", views.EvaluationPdfView.as_view(), name="evaluation-pdf"),
    path("evaluations/<int:pk>/recompute/", views.EvaluationRecomputeView.as_view(), name="evaluation-recompute"),
    path("evaluations/<int:pk>/difference/", views.EvaluationDifferenceView.as_view(), name="evaluation-difference"),
]

# The change-history pages of projects link back to their pages.
register_record_page(
    "cobenefits.CobenefitProject", lambda project: reverse("cobenefits_staff:project-detail", args=[project.pk])
)
