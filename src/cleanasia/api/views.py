"""Views of the API layer itself: token sign-in, documentation pages, the catch-all 404."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from drf_spectacular.settings import patched_settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .problems import NOT_FOUND, SecondFactorRequired, problem_response
from .renderers import PROBLEM_MEDIA_TYPE
from .schema import DOCS_UI_SETTINGS, problem_responses
from .serializers import TokenObtainSerializer
from .services import api_token_obtain


def _needs_second_factor(user) -> bool:
    """The same rule as the second-factor middleware: by role, or because the user set up a device."""
    return user.requires_second_factor or any(True for _ in devices_for_user(user, confirmed=True))


class TokenObtainView(APIView):
    """Exchange an e-mail address and password for the user's API token."""

    # Credentials travel in the body: no session (and so no CSRF) is involved.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = TokenObtainSerializer

    @extend_schema(
        operation_id="auth_token_obtain",
        tags=["auth"],
        summary="Obtain an API token",
        description=(
            "Returns the user's token (created on first request; the same token afterwards). "
            "Accounts that require a second factor (secretariat, administrators, anyone with a "
            "confirmed device) are refused with 403 `second-factor-required`: an administrator "
            "issues their tokens. Repeated failures lock the account and address out for a while (429)."
        ),
        request=TokenObtainSerializer,
        responses={
            200: TokenObtainSerializer,
            **problem_responses(400),
            (403, PROBLEM_MEDIA_TYPE): OpenApiResponse(
                response={"$ref": "#/components/schemas/Problem"},
                description="The account requires a second factor; ask an administrator for a token.",
            ),
            (429, PROBLEM_MEDIA_TYPE): OpenApiResponse(
                response={"$ref": "#/components/schemas/Problem"},
                description="Too many failed attempts; see Retry-After.",
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The DRF request, as DRF's own token view passes it: django-axes records the
        # attempt and flags a lock-out on it (not on the Django request, whose flag
        # would make the axes middleware answer with its HTML page).
        user = authenticate(
            request=request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            if getattr(request, "axes_locked_out", False):
                from axes.helpers import get_cool_off

                cool_off = get_cool_off(request)
                raise exceptions.Throttled(
                    wait=cool_off.total_seconds() if cool_off else None,
                    detail=_("Too many failed attempts. Try again later."),
                )
            raise serializers.ValidationError(
                {"non_field_errors": [_("The e-mail address or the password is not correct.")]}, code="authorization"
            )
        if _needs_second_factor(user):
            raise SecondFactorRequired(
                _(
                    "This account requires a second factor, so it cannot obtain a token with a password. "
                    "Ask an administrator to issue a token."
                )
            )
        token = api_token_obtain(actor=user)
        return Response({"token": token.key})


class ApiDocsView(SpectacularSwaggerView):
    """Swagger UI from the sidecar package's static files; no request leaves the site."""

    url_name = "v1:schema"
    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        with patched_settings(DOCS_UI_SETTINGS):
            return super().get(request, *args, **kwargs)


class ApiRedocView(SpectacularRedocView):
    """ReDoc, with a template that loads no web fonts from outside."""

    url_name = "v1:schema"
    template_name = "api/redoc.html"


def api_not_found(request: HttpRequest, unmatched: str = "") -> JsonResponse:
    """Any /api/v1/ path no endpoint answers: a 404 problem, not the HTML error page."""
    detail = _("There is no API endpoint at this address.")
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            detail = _("There is no API endpoint at this address. Did you mean %(path)s/?") % {"path": request.path}
    return problem_response(request, status=404, problem_type=NOT_FOUND, detail=detail)
