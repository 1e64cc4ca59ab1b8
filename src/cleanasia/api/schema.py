"""The OpenAPI description of the API: problem-details components and responses, authentication notes.

`SCHEMA_SETTINGS` is applied by the schema view (api/urls.py) on top of
SPECTACULAR_SETTINGS; moving it into settings/base.py would make the
`spectacular` management command produce the same document.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiResponse

from .renderers import PROBLEM_MEDIA_TYPE

AUTHENTICATION_NOTES = """

## Authentication

Reading reference data needs no account. Signed-in users see more (people whose
records are visible to members or to their groups), and the secretariat may edit.

* **Session**: the browser session of the web interface. Accounts that require a
  second factor must have verified it in the web interface first; unsafe methods
  need the CSRF token (header `X-CSRFToken`).
* **Token**: send `Authorization: Token <key>`. Each user has at most one token.
  Users without a second factor obtain theirs from `POST /api/v1/auth/token/` with
  their e-mail address and password. That endpoint refuses accounts that require a
  second factor (secretariat, administrators, anyone with a confirmed device):
  an administrator issues their tokens in the administration site (Auth Token),
  and revokes a token there by deleting it. A token carries the full rights of its
  user; keep it secret.

## Errors

Every error is an RFC 9457 problem document (`application/problem+json`) with
`type`, `title`, `status`, `detail` and `instance`. Validation errors list each
problem under `errors` as `{field, detail, code}` (nested fields dotted, `null` for
the body as a whole). An edit based on an old `version` is refused with 409 and
lists the fields changed meanwhile under `changed_fields`.
"""

PROBLEM_SCHEMAS: dict[str, dict[str, Any]] = {
    "Problem": {
        "type": "object",
        "description": "Problem details (RFC 9457).",
        "properties": {
            "type": {"type": "string", "format": "uri", "description": "Stable URI of the kind of problem."},
            "title": {"type": "string", "description": "Short summary of the kind of problem."},
            "status": {"type": "integer", "description": "The HTTP status code."},
            "detail": {"type": "string", "description": "What went wrong this time."},
            "instance": {"type": "string", "description": "The path of the request."},
        },
        "required": ["type", "title", "status", "detail"],
    },
    "ValidationProblem": {
        "allOf": [
            {"$ref": "#/components/schemas/Problem"},
            {
                "type": "object",
                "properties": {
                    "errors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "field": {
                                    "type": "string",
                                    "nullable": True,
                                    "description": "Dotted field name; null for the body as a whole.",
                                },
                                "detail": {"type": "string"},
                                "code": {"type": "string", "nullable": True},
                            },
                            "required": ["field", "detail"],
                        },
                    }
                },
                "required": ["errors"],
            },
        ]
    },
    "StaleEditProblem": {
        "allOf": [
            {"$ref": "#/components/schemas/Problem"},
            {
                "type": "object",
                "properties": {
                    "current_version": {"type": "integer", "description": "The version to read and edit again."},
                    "changed_by": {"type": "string", "description": "Who made the intervening change."},
                    "changed_fields": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "field": {"type": "string"},
                                "label": {"type": "string"},
                                "old": {"description": "Value in the version the client edited."},
                                "new": {"description": "Value now."},
                            },
                            "required": ["field", "label"],
                        },
                    },
                },
                "required": ["current_version", "changed_fields"],
            },
        ]
    },
}

_DESCRIPTIONS = {
    400: "The request is not valid; see `errors`.",
    401: "No valid credentials were sent.",
    403: "The signed-in user may not do this.",
    404: "No such record, or not one the user may see.",
    409: "The record changed since the version sent; see `changed_fields`.",
}
_COMPONENT_FOR_STATUS = {400: "ValidationProblem", 409: "StaleEditProblem"}


def _ref(component: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{component}"}


def problem_responses(*statuses: int) -> dict[tuple[int, str], OpenApiResponse]:
    """Entries for `extend_schema(responses=...)` documenting problem answers of an operation."""
    return {
        (status, PROBLEM_MEDIA_TYPE): OpenApiResponse(
            response=_ref(_COMPONENT_FOR_STATUS.get(status, "Problem")), description=_DESCRIPTIONS[status]
        )
        for status in statuses
    }


def _problem_content(component: str) -> dict[str, Any]:
    return {PROBLEM_MEDIA_TYPE: {"schema": _ref(component)}}


def add_problem_responses(result: dict[str, Any], generator: Any = None, request: Any = None, **kwargs: Any):
    """Post-processing hook: every operation documents its errors as problem documents.

    Adds the problem components, a `default` problem response to every
    operation, 404 to operations on one record and 400 to operations with a body,
    unless the view documented them itself.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in PROBLEM_SCHEMAS.items():
        schemas.setdefault(name, schema)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "{" in path and "404" not in responses:
                responses["404"] = {"description": _DESCRIPTIONS[404], "content": _problem_content("Problem")}
            if "requestBody" in operation and "400" not in responses:
                responses["400"] = {"description": _DESCRIPTIONS[400], "content": _problem_content("ValidationProblem")}
            responses.setdefault(
                "default",
                {"description": "Any other error, as problem details.", "content": _problem_content("Problem")},
            )
    return result


def schema_settings() -> dict[str, Any]:
    """Settings the schema view applies on top of SPECTACULAR_SETTINGS."""
    base = getattr(settings, "SPECTACULAR_SETTINGS", {})
    hooks = list(base.get("POSTPROCESSING_HOOKS", ["drf_spectacular.hooks.postprocess_schema_enums"]))
    hook = "cleanasia.api.schema.add_problem_responses"
    if hook not in hooks:
        hooks.append(hook)
    description = base.get("DESCRIPTION", "")
    if "## Authentication" not in description:
        description += AUTHENTICATION_NOTES
    enum_names = {
        # Two models have a "kind" field with different choices; name both enums.
        "OrganisationKindEnum": "cleanasia.directory.models.OrganisationKind",
        "FrameworkNodeKindEnum": "cleanasia.framework.models.NodeKind",
        **base.get("ENUM_NAME_OVERRIDES", {}),
    }
    return {"DESCRIPTION": description, "POSTPROCESSING_HOOKS": hooks, "ENUM_NAME_OVERRIDES": enum_names}


# Swagger UI must not call swagger.io's online validator: the platform runs offline.
DOCS_UI_SETTINGS = {"SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None}}


class ApiSchemaGenerator(SchemaGenerator):
    """Generates the schema from the API's URLs only.

    The root URLconf also holds the language-prefixed pages (`/ja/`, `/en/`), which
    drf-spectacular cannot simplify and warns about in `check --deploy`.
    """

    def __init__(self, *args: Any, urlconf: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, urlconf=urlconf or "cleanasia.api.schema_urls", **kwargs)
