"""Export and import URLs, included by measures/urls.py under "exports/" (names join the "measures" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("progress.xlsx", views.export_xlsx, name="export-xlsx"),
    path("progress.pdf", views.export_pdf, name="export-pdf"),
    path("csv/<slug:table>.csv", views.export_csv, name="export-csv"),
    path("import/template.xlsx", views.import_template, name="import-template"),
    path("import/", views.import_view, name="import"),
]
