"""The versioned API, mounted at /api/v1/ with the instance namespace "v1" (names: "v1:country-list")."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from cleanasia.cobenefits.api import collected_urlpatterns as cobenefits_api_urlpatterns
from cleanasia.cobenefits.api import register_all as register_cobenefits_api
from cleanasia.directory.api.views import CountryGroupViewSet, CountryViewSet, OrganisationViewSet, PersonViewSet
from cleanasia.framework.api.views import FrameworkNodeViewSet
from cleanasia.measures.api.views import (
    ActualViewSet,
    IndicatorViewSet,
    MeasureViewSet,
    ProgressReportViewSet,
    ReportingPeriodViewSet,
)
from cleanasia.meetings.api import register_all as register_meetings_api
from cleanasia.network.api import register_all as register_network_api

from .schema import schema_settings
from .views import ApiDocsView, ApiRedocView, TokenObtainView, api_not_found

app_name = "api"

router = DefaultRouter()
router.register("countries", CountryViewSet, basename="country")
router.register("country-groups", CountryGroupViewSet, basename="country-group")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("framework-nodes", FrameworkNodeViewSet, basename="framework-node")
router.register("measures", MeasureViewSet, basename="measure")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("actuals", ActualViewSet, basename="actual")
router.register("reporting-periods", ReportingPeriodViewSet, basename="reporting-period")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
register_meetings_api(router)
register_network_api(router)
register_cobenefits_api(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(custom_settings=schema_settings()), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    path("redoc/", ApiRedocView.as_view(), name="redoc"),
    path("auth/token/", TokenObtainView.as_view(), name="auth-token"),
    *cobenefits_api_urlpatterns(),
    *router.urls,
    # Last: any other path under /api/v1/ answers a 404 problem, not the HTML error page.
    re_path(r"^(?P<unmatched>.*)$", api_not_found, name="not-found"),
]
