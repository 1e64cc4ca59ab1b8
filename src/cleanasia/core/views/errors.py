"""Error pages and the health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

from cleanasia.core.context import current_request_id


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request context: the database or the session may be what failed."""
    template = loader.get_template("core/errors/500.html")
    return HttpResponseServerError(template.render({"request_id": current_request_id()}))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or expired CSRF token: explain, in the user's language, and keep nothing."""
    return render(request, "core/errors/csrf.html", status=403)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
