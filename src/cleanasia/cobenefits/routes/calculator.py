"""Routes of the public calculator (mounted at /<lang>/cobenefits/, namespace "cobenefits")."""

from django.urls import path

from ..views import calculator as views

public_urlpatterns = [
    path("", views.CalculatorView.as_view(), name="calculator"),
    path("sheet.pdf", views.SheetPdfView.as_view(), name="sheet-pdf"),
]
