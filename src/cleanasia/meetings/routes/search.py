"""Routes of the search page (collected by routes/__init__.py)."""

from django.urls import path

from ..views import search

staff_urlpatterns = [
    path("search/", search.StaffSearchView.as_view(), name="search"),
]

public_urlpatterns = [
    path("search/", search.SearchView.as_view(), name="search"),
]
