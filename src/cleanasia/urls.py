"""Root URLs: language-prefixed pages (/ja/, /en/), the versioned API, and admin."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from cleanasia.core.views import errors

admin.site.site_header = "Clean Asia Platform — administration"
# Django admin is for administrators holding the role today (dated roles included), not for every is_staff.
admin.site.has_permission = lambda request: bool(  # type: ignore[method-assign]
    request.user.is_active and request.user.is_authenticated and request.user.is_administrator
)

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(("cleanasia.api.urls", "api"), namespace="v1")),
    path("healthz", errors.healthz, name="healthz"),
    path("feeds/", include("cleanasia.meetings.feed_urls")),
]
urlpatterns += i18n_patterns(
    path("", include("cleanasia.portal.urls")),
    path("accounts/", include("cleanasia.accounts.urls")),
    path("staff/", include("cleanasia.core.urls")),
    path("staff/directory/", include("cleanasia.directory.urls")),
    path("staff/framework/", include("cleanasia.framework.urls")),
    path("staff/measures/", include("cleanasia.measures.urls")),
    path("staff/meetings/", include("cleanasia.meetings.urls")),
    path("meetings/", include("cleanasia.meetings.public_urls")),
    path("staff/network/", include("cleanasia.network.urls")),
    path("network/", include("cleanasia.network.public_urls")),
    path("verify/", include("cleanasia.network.verify_urls")),
    path("cobenefits/", include("cleanasia.cobenefits.urls")),
    path("staff/cobenefits/", include("cleanasia.cobenefits.staff_urls")),
    # Django admin is for administrators only (is_staff is granted with the admin role).
    path("admin/", admin.site.urls),
)

handler404 = "cleanasia.core.views.errors.not_found"
handler500 = "cleanasia.core.views.errors.server_error"
