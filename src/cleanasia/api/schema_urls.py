"""The API's URLs alone, for schema generation (the pages' language prefixes are not API paths)."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include(("cleanasia.api.urls", "api"), namespace="v1"))]
