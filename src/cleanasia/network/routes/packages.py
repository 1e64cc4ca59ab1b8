"""Routes of the know-how catalogue, the country needs and the matching (see routes/__init__.py for the mounts)."""

from django.urls import path, reverse

from cleanasia.core.navigation import register_record_page

from ..views import packages as views

staff_urlpatterns = [
    path("packages/", views.PackageListView.as_view(), name="package-list"),
    path("packages/new/", views.PackageFormView.as_view(), name="package-create"),
    path("packages/<int:pk>/", views.PackageDetailView.as_view(), name="package-detail"),
    path("packages/<int:pk>/edit/", views.PackageFormView.as_view(), name="package-edit"),
    path("packages/<int:package_pk>/cases/new/", views.CaseFormView.as_view(), name="case-create"),
    path("packages/cases/<int:pk>/edit/", views.CaseFormView.as_view(), name="case-edit"),
    path("needs/", views.NeedListView.as_view(), name="need-list"),
    path("needs/new/", views.NeedFormView.as_view(), name="need-create"),
    path("needs/<int:pk>/", views.NeedMatchesView.as_view(), name="need-matches"),
    path("needs/<int:pk>/edit/", views.NeedFormView.as_view(), name="need-edit"),
    path("needs/<int:pk>/status/", views.NeedStatusView.as_view(), name="need-status"),
]

public_urlpatterns = [
    path("packages/", views.PublicPackageListView.as_view(), name="package-list"),
    path("packages/<int:pk>/", views.PublicPackageDetailView.as_view(), name="package-detail"),
]

# The change-history pages of packages and needs link back to their pages.
register_record_page("network.KnowHowPackage", lambda package: reverse("network:package-detail", args=[package.pk]))
register_record_page("network.CountryNeed", lambda need: reverse("network:need-matches", args=[need.pk]))
