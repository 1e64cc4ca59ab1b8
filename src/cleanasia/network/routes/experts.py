"""Routes of the expert directory: staff pages (namespace "network") and the public directory
("network_public"); collected by routes/__init__.py."""

from django.urls import path

from ..views import experts as views

staff_urlpatterns = [
    path("experts/", views.ExpertListView.as_view(), name="expert-list"),
    path("experts/new/", views.ExpertNominateView.as_view(), name="expert-nominate"),
    path("experts/nominations/", views.NominationListView.as_view(), name="expert-nominations"),
    path("experts/merge/", views.MergeView.as_view(), name="expert-merge"),
    path("experts/<int:pk>/", views.ExpertDetailView.as_view(), name="expert-detail"),
    path("experts/<int:pk>/edit/", views.ExpertEditView.as_view(), name="expert-edit"),
    path("experts/<int:pk>/affiliations/new/", views.AffiliationAddView.as_view(), name="expert-affiliation-add"),
    path("experts/<int:pk>/consent/", views.ConsentView.as_view(), name="expert-consent"),
    path("experts/<int:pk>/decision/", views.DecisionView.as_view(), name="expert-decision"),
    path("experts/<int:pk>/publications/new/", views.PublicationAddView.as_view(), name="publication-add"),
    path("experts/publications/<int:pk>/edit/", views.PublicationEditView.as_view(), name="publication-edit"),
]

public_urlpatterns = [
    path("experts/", views.PublicExpertListView.as_view(), name="expert-list"),
    path("experts/<int:pk>/", views.PublicExpertDetailView.as_view(), name="expert-detail"),
]
