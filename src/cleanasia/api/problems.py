"""Errors of the API as RFC 9457 problem details (`application/problem+json`).

Every error answer has the same members: `type` (a stable URI naming the kind
of problem; `about:blank` for a plain HTTP status), `title` (the same for every
occurrence of a type, in the request's language), `status`, `detail` (this
occurrence) and `instance` (the request path). Validation errors add
`errors: [{field, detail, code}]`: nested fields are dotted (`affiliations.0.position`),
errors about the body as a whole have `field: null`. A stale edit (409) adds
`current_version`, `changed_by` and `changed_fields`.

`problem_exception_handler` is DRF's EXCEPTION_HANDLER (settings/base.py);
`problem_response` serves plain Django views (the API's catch-all 404).
"""

from __future__ import annotations

import http
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.log import log_response
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.context import current_request_id

from .renderers import PROBLEM_MEDIA_TYPE, ProblemJSONRenderer

PROBLEM_BASE_URI = "https://cleanasia.invalid/problems/"


@dataclass(frozen=True)
class ProblemType:
    """A kind of problem: its URI is stable (clients branch on it), its title is translated."""

    slug: str
    title: Any

    @property
    def uri(self) -> str:
        return PROBLEM_BASE_URI + self.slug


VALIDATION_ERROR = ProblemType("validation-error", _("Invalid request data"))
MALFORMED_REQUEST = ProblemType("malformed-request", _("Malformed request"))
NOT_AUTHENTICATED = ProblemType("not-authenticated", _("Authentication required"))
AUTHENTICATION_FAILED = ProblemType("authentication-failed", _("Authentication failed"))
PERMISSION_DENIED = ProblemType("permission-denied", _("Permission denied"))
NOT_FOUND = ProblemType("not-found", _("Not found"))
METHOD_NOT_ALLOWED = ProblemType("method-not-allowed", _("Method not allowed"))
NOT_ACCEPTABLE = ProblemType("not-acceptable", _("Not acceptable"))
UNSUPPORTED_MEDIA_TYPE = ProblemType("unsupported-media-type", _("Unsupported media type"))
TOO_MANY_REQUESTS = ProblemType("too-many-requests", _("Too many requests"))
STALE_EDIT = ProblemType("stale-edit", _("Edit conflict"))
SECOND_FACTOR_REQUIRED = ProblemType("second-factor-required", _("Second factor required"))

# Checked in order, so a subclass must come before its base.
_TYPE_FOR_EXCEPTION: list[tuple[type[exceptions.APIException], ProblemType]] = [
    (exceptions.ValidationError, VALIDATION_ERROR),
    (exceptions.ParseError, MALFORMED_REQUEST),
    (exceptions.NotAuthenticated, NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, AUTHENTICATION_FAILED),
    (exceptions.PermissionDenied, PERMISSION_DENIED),
    (exceptions.NotFound, NOT_FOUND),
    (exceptions.MethodNotAllowed, METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, UNSUPPORTED_MEDIA_TYPE),
    (exceptions.Throttled, TOO_MANY_REQUESTS),
]


class ProblemException(exceptions.APIException):
    """Base for the platform's own API errors: set `problem_type`, `status_code`, `default_detail`."""

    problem_type: ProblemType | None = None


class SecondFactorRequired(ProblemException):
    status_code = 403
    problem_type = SECOND_FACTOR_REQUIRED
    default_detail = _("This account requires a second factor.")
    default_code = "second_factor_required"


def problem_type_for(exc: exceptions.APIException) -> ProblemType | None:
    """The problem type of an API exception; None means `about:blank`."""
    own = getattr(exc, "problem_type", None)
    if own is not None:
        return own
    for exc_class, problem_type in _TYPE_FOR_EXCEPTION:
        if isinstance(exc, exc_class):
            return problem_type
    return None


def problem_body(
    *, status: int, problem_type: ProblemType | None, detail: Any, instance: str | None, **extra: Any
) -> dict[str, Any]:
    """The members of one problem, in the order RFC 9457 lists them, then the extensions."""
    if problem_type is None:
        # RFC 9457 4.2.1: with about:blank the title is the status phrase.
        body: dict[str, Any] = {"type": "about:blank", "title": http.HTTPStatus(status).phrase}
    else:
        body = {"type": problem_type.uri, "title": problem_type.title}
    body.update(status=status, detail=str(detail))
    if instance is not None:
        body["instance"] = instance
    body.update(extra)
    return body


def flatten_errors(detail: Any, field: str | None = None) -> Iterator[dict[str, Any]]:
    """DRF's nested error structure as a flat list of {field, detail, code}.

    `{"title_en": ["..."]}` gives field "title_en"; errors of nested serializers
    and list items are dotted ("affiliations.0.position"); `non_field_errors`
    belong to the enclosing object (null at the top).
    """
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS):
                name = field
            else:
                name = f"{field}.{key}" if field else str(key)
            yield from flatten_errors(value, name)
    elif isinstance(detail, list | tuple):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list | tuple):
                # Errors of the items of a list: one entry per item ({} for a valid item).
                yield from flatten_errors(item, f"{field}.{index}" if field else str(index))
            else:
                yield from flatten_errors(item, field)
    else:
        yield {"field": field, "detail": str(detail), "code": getattr(detail, "code", None)}


class ProblemResponse(Response):
    """A DRF response rendered as problem+json whatever the client negotiated.

    Content negotiation chose a renderer for a successful answer; an error is
    always a problem document. The browsable API keeps its HTML page so that
    people exploring the API in a browser see the problem in context.
    """

    @property
    def rendered_content(self):
        if not isinstance(getattr(self, "accepted_renderer", None), BrowsableAPIRenderer):
            self.accepted_renderer = ProblemJSONRenderer()
            self.accepted_media_type = PROBLEM_MEDIA_TYPE
        return super().rendered_content


def problem_response(
    request: HttpRequest, *, status: int, problem_type: ProblemType | None, detail: Any, **extra: Any
) -> JsonResponse:
    """A problem answer from a plain Django view (outside DRF's content negotiation)."""
    body = problem_body(status=status, problem_type=problem_type, detail=detail, instance=request.path, **extra)
    return JsonResponse(
        body,
        status=status,
        encoder=DjangoJSONEncoder,
        content_type=PROBLEM_MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def _challenge(request: Any) -> str | None:
    """The WWW-Authenticate challenge of the first authentication scheme that has one."""
    for authenticator in getattr(request, "authenticators", None) or ():
        header = authenticator.authenticate_header(request)
        if header:
            return header
    return None


def _stale_edit(exc: StaleEditError, request: Any) -> ProblemResponse:
    set_rollback()
    changed = [{"field": c.field, "label": str(c.label), "old": c.old, "new": c.new} for c in exc.changes]
    body = problem_body(
        status=409,
        problem_type=STALE_EDIT,
        detail=exc.args[0] if exc.args else STALE_EDIT.title,
        instance=getattr(request, "path", None),
        current_version=getattr(exc.instance, "version", None),
        changed_by=exc.by,
        changed_fields=changed,
    )
    return ProblemResponse(body, status=409)


def _server_error(exc: Exception, request: Any) -> ProblemResponse | None:
    """A 500 problem for an unexpected exception, logged and signalled as Django would."""
    if settings.DEBUG or request is None:
        return None  # Django's technical 500 page is more use to a developer.
    django_request = getattr(request, "_request", request)
    set_rollback()
    # The signal is what Django sends for an uncaught exception: the test client
    # re-raises on it, error reporters listen to it.
    got_request_exception.send(sender=None, request=django_request)
    response = ProblemResponse(
        problem_body(
            status=500,
            problem_type=None,
            detail=_("The server could not answer. The error has been logged under the request id."),
            instance=django_request.path,
            request_id=current_request_id(),
        ),
        status=500,
    )
    log_response(
        "%s: %s",
        "Internal Server Error",
        django_request.path,
        response=response,
        request=django_request,
        exception=exc,
    )
    return response


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler: every error as a problem document."""
    request = context.get("request")
    if isinstance(exc, StaleEditError):
        return _stale_edit(exc, request)
    if isinstance(exc, Http404):
        # Not Django's message ("No Person matches the given query."): missing and
        # invisible must read the same, and the model name is nobody's business.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, DjangoValidationError):
        # Raised by model validation inside a service (full_clean).
        exc = exceptions.ValidationError(as_serializer_error(exc))

    if not isinstance(exc, exceptions.APIException):
        return _server_error(exc, request)

    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed) and not getattr(
        exc, "auth_header", None
    ):
        # DRF takes the challenge from the first authentication class only and
        # answers 403 when that one (the session) has none; RFC 9110 wants 401
        # with a challenge, and the token scheme has one.
        challenge = _challenge(request)
        if challenge:
            exc.status_code = 401
            exc.auth_header = challenge

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{exc.wait:.0f}"

    extra: dict[str, Any] = {}
    detail: Any = exc.detail
    if isinstance(exc.detail, dict | list):
        extra["errors"] = list(flatten_errors(exc.detail))
        detail = _("Some of the data sent is not valid; each problem is listed under errors.")
        if not isinstance(exc, exceptions.ValidationError):
            detail = exc.default_detail

    set_rollback()
    body = problem_body(
        status=exc.status_code,
        problem_type=problem_type_for(exc),
        detail=detail,
        instance=getattr(request, "path", None),
        **extra,
    )
    return ProblemResponse(body, status=exc.status_code, headers=headers)
