"""Routes of the Excel import of co-benefit projects (mounted at /<lang>/staff/cobenefits/, namespace
"cobenefits_staff")."""

from django.urls import path

from ..views import imports as views

staff_urlpatterns = [
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/template.xlsx", views.ImportTemplateView.as_view(), name="import-template"),
]
