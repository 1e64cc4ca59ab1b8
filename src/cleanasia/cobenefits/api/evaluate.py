"""API of the co-benefits calculator: evaluate a request, list the methods, publish the request's JSON Schema.

Stateless and public: anyone may call these, nothing is stored, and the default throttles apply (per address
for the public, per user when signed in). CSRF: DRF's session authentication checks the CSRF token only for a
request that is signed in by its session cookie, so anonymous clients and `Authorization: Token` clients need
nothing; a browser script running in a signed-in session sends `X-CSRFToken`, as everywhere else in the API.

An invalid request is a 400 validation problem whose `errors` carry the engine's `{path, code, message}` (the
path as the request spells it: `baseline.activities[0].sulphur_content`) beside the API's usual
`{field, detail}` (dotted: `baseline.activities.0.sulphur_content`). A body that is not JSON is the usual 400
`malformed-request` problem.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cleanasia.api.problems import VALIDATION_ERROR, ProblemResponse, problem_body
from cleanasia.api.renderers import PROBLEM_MEDIA_TYPE

from .. import services

# --- examples ----------------------------------------------------------------------------------------------------

EXAMPLE_REQUEST: dict[str, Any] = {
    "label": "Boiler fuel switch, coal to natural gas",
    "years": {"start": 2025, "end": 2027},
    "gwp": "AR5",
    "baseline": {
        "activities": [
            {
                "method": "stationary_combustion",
                "fuel": "other_bituminous_coal",
                "fuel_quantity": {"value": 1000, "unit": "t"},
                "sulphur_content": {"value": 0.8, "unit": "%", "grade": "measured"},
            }
        ]
    },
    "project": {
        "activities": [
            {"method": "stationary_combustion", "fuel": "natural_gas", "fuel_quantity": {"value": 20, "unit": "TJ"}}
        ]
    },
}

EXAMPLE_INVALID_REQUEST: dict[str, Any] = {
    "years": {"start": 2025, "end": 2025},
    "baseline": {
        "activities": [
            {
                "method": "stationary_combustion",
                "fuel": "lignite",
                "fuel_quantity": {"value": 10, "unit": "t"},
                "sulphur_content": {"value": 120, "unit": "%"},
            }
        ]
    },
    "project": {"activities": []},
}

EXAMPLE_PROBLEM: dict[str, Any] = {
    "type": VALIDATION_ERROR.uri,
    "title": "Invalid request data",
    "status": 400,
    "detail": "Some of the data sent is not valid; each problem is listed under errors.",
    "instance": "/api/v1/cobenefits/evaluate/",
    "errors": [
        {
            "path": "baseline.activities[0].sulphur_content",
            "code": "out_of_range",
            "message": "must be at most 1.0 (100 %) (rows 0)",
            "field": "baseline.activities.0.sulphur_content",
            "detail": "must be at most 1.0 (100 %) (rows 0)",
        }
    ],
}

# --- the OpenAPI description ---------------------------------------------------------------------------------------

QUANTITY_COMPONENT = "CobenefitsQuantity"


def openapi_schema(node: Any) -> Any:
    """The engine's JSON Schema (2020-12) as an OpenAPI 3.0 schema object: `$defs` become components,
    `const` a one-value enum, a list of types a oneOf; `$schema` goes."""
    if isinstance(node, list):
        return [openapi_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$schema", "$defs"):
            continue
        if key == "$ref" and value == "#/$defs/quantity":
            converted["$ref"] = f"#/components/schemas/{QUANTITY_COMPONENT}"
        elif key == "const":
            converted["enum"] = [value]
        elif key == "type" and isinstance(value, list):
            converted["oneOf"] = [{"type": kind} for kind in value]
        elif key in ("properties", "patternProperties"):
            converted[key] = {name: openapi_schema(schema) for name, schema in value.items()}
        else:
            converted[key] = openapi_schema(value)
    return converted


def _numbers(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "number"}, "description": description}


SIDES = ("baseline", "project", "reduction")
_TOTALS = {
    "type": "object",
    "description": "Sums over the years.",
    "properties": {side: {"type": "number"} for side in SIDES},
    "required": list(SIDES),
}
_PER_YEAR = {side: _numbers(f"{side.capitalize()}, one value per year.") for side in SIDES}


def uncertainty_schema() -> dict[str, Any]:
    interval = {
        "type": "object",
        "properties": {
            "central": {"type": "number", "description": "The evaluation's total (the factors' published values)."},
            "median": {"type": "number"},
            "p2_5": {"type": "number", "description": "2.5th percentile: the lower end of the 95 % interval."},
            "p97_5": {"type": "number", "description": "97.5th percentile: the upper end of the 95 % interval."},
        },
        "required": ["central", "median", "p2_5", "p97_5"],
    }
    return {
        "type": "object",
        "description": (
            "Only when `uncertainty_draws` > 0: a Monte Carlo over the factors' ranges. Each default factor with a "
            "range is drawn from a triangular distribution (low, the published value, high), one draw shared by "
            "every activity using it; user inputs and overrides without low/high are fixed, GWPs are not drawn. "
            "Reproducible: the same request, draws and seed give the same numbers."
        ),
        "properties": {
            "draws": {"type": "integer"},
            "seed": {"type": "integer"},
            "distribution": {"type": "string", "example": "triangular(low, mode=value, high)"},
            "factors_varied": {"type": "array", "items": {"type": "string"}, "description": "The factors drawn."},
            "totals": {
                "type": "object",
                "description": "Keyed by species and `co2e`, then by side (baseline, project, reduction); t or t CO2e.",
                "additionalProperties": {
                    "type": "object",
                    "properties": dict.fromkeys(SIDES, interval),
                    "required": list(SIDES),
                },
            },
        },
        "required": ["draws", "seed", "distribution", "factors_varied", "totals"],
    }


def result_schema() -> dict[str, Any]:
    gwp_sets = services.schema()["properties"]["gwp"]["enum"]
    parameter = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "value": {"oneOf": [{"type": "number"}, _numbers("Per year.")]},
            "unit": {"type": "string"},
            "factor_id": {"type": "string", "description": "The library factor used; empty for an input."},
            "source": {"type": "object", "nullable": True, "additionalProperties": {"type": "string"}},
            "grade": {"type": "string"},
            "check": {"type": "boolean", "description": "The factor is marked (check) in the library."},
            "factor_value": {"type": "number", "nullable": True, "description": "As published, in its own unit."},
            "factor_unit": {"type": "string"},
        },
    }
    line = {
        "type": "object",
        "description": "The working of one activity, enough to recompute it by hand.",
        "properties": {
            "scenario": {"type": "string", "enum": ["baseline", "project"]},
            "index": {"type": "integer"},
            "path": {"type": "string", "example": "baseline.activities[0]"},
            "method": {"type": "string"},
            "method_version": {"type": "string"},
            "equations": {"type": "array", "items": {"type": "string"}},
            "parameters": {"type": "array", "items": parameter},
            "results": {
                "type": "object",
                "additionalProperties": _numbers("t per year."),
                "description": "By species.",
            },
        },
    }
    species = {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": ["ghg", "memo", "pollutant"]}, **_PER_YEAR, "total": _TOTALS},
        "required": ["kind", *SIDES, "total"],
    }
    return {
        "type": "object",
        "description": (
            "Per year and in total, per gas and pollutant: baseline, project and reduction (baseline − project), "
            "in tonnes; CO2e with the GWP set used (biogenic CO2 is a memo item, not in CO2e); the factor library "
            "versions, the overrides applied and the working of every activity."
        ),
        "properties": {
            "years": {"type": "array", "items": {"type": "integer"}},
            "gwp": {
                "type": "object",
                "properties": {
                    "set": {"type": "string", "enum": gwp_sets},
                    "values": {"type": "object", "additionalProperties": {"type": "number"}},
                },
            },
            "fod_convention": {"type": "string"},
            "biogenic_co2": {"type": "string"},
            "unit": {"type": "string", "enum": ["t"]},
            "species": {
                "type": "object",
                "description": "Keyed by species (co2, co2_biogenic, ch4, n2o, so2, nox, pm10, pm25, bod, cod).",
                "additionalProperties": species,
            },
            "co2e": {
                "type": "object",
                "properties": {"unit": {"type": "string", "enum": ["t CO2e"]}, **_PER_YEAR, "total": _TOTALS},
            },
            "factor_versions": {"type": "object", "additionalProperties": {"type": "string"}},
            "overrides": {"type": "array", "items": {"type": "object", "additionalProperties": {}}},
            "lines": {"type": "array", "items": line},
            "uncertainty": uncertainty_schema(),
        },
        "required": ["years", "gwp", "fod_convention", "unit", "species", "co2e", "factor_versions", "lines"],
        # Computed when the schema is generated, so it is the engine's own answer to the request example.
        "example": services.evaluate_document(EXAMPLE_REQUEST),
    }


def validation_problem_schema() -> dict[str, Any]:
    error = {
        "type": "object",
        "properties": {
            "path": {
                "type": "string",
                "description": "The field as the request spells it; empty for the request as a whole.",
            },
            "code": {"type": "string", "description": "Stable code (out_of_range, required, unknown_unit, …)."},
            "message": {"type": "string", "description": "What is wrong, in English."},
            "field": {"type": "string", "nullable": True, "description": "The path dotted; null for the request."},
            "detail": {"type": "string", "description": "The message (the API's usual name)."},
        },
        "required": ["path", "code", "message", "field", "detail"],
    }
    return {
        "allOf": [
            {"$ref": "#/components/schemas/Problem"},
            {"type": "object", "properties": {"errors": {"type": "array", "items": error}}, "required": ["errors"]},
        ]
    }


class _FixedSchema(serializers.Serializer):
    """Documentation only: a body the OpenAPI document describes by a fixed schema (a component): each
    subclass names its `component` and gives `openapi`, the function that builds the schema."""

    component: str
    openapi: Callable[[], dict[str, Any]]


class EvaluationRequestBody(_FixedSchema):
    component = "CobenefitsEvaluation"  # "…Request" is added for a request body

    @staticmethod
    def openapi() -> dict[str, Any]:
        schema = openapi_schema(services.schema())
        schema["description"] = (
            "One evaluation request: the years, the GWP set, the landfill convention, the baseline and project "
            "activities (each names a method; see GET /api/v1/cobenefits/methods/) and factor overrides. The same "
            "as a JSON Schema (2020-12): GET /api/v1/cobenefits/request-schema/."
        )
        return schema


class EvaluationResultBody(_FixedSchema):
    component = "CobenefitsResult"
    openapi = staticmethod(result_schema)


class ValidationProblemBody(_FixedSchema):
    component = "CobenefitsValidationProblem"
    openapi = staticmethod(validation_problem_schema)


class FixedSchemaExtension(OpenApiSerializerExtension):
    target_class = _FixedSchema
    match_subclasses = True

    def get_name(self, auto_schema, direction):
        return self.target.component

    def map_serializer(self, auto_schema, direction):
        quantity = openapi_schema(services.schema()["$defs"]["quantity"])
        quantity["description"] = "An amount with its unit: value (every year) or values (one per year)."
        auto_schema.registry.register_on_missing(
            ResolvedComponent(QUANTITY_COMPONENT, ResolvedComponent.SCHEMA, schema=quantity, object=QUANTITY_COMPONENT)
        )
        return self.target.openapi()


# --- views -------------------------------------------------------------------------------------------------------


class CobenefitsEvaluateView(APIView):
    """Evaluate one request; nothing is stored."""

    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="cobenefits_evaluate",
        tags=["cobenefits"],
        summary="Evaluate the co-benefits of a project",
        description=(
            "GHG and local pollutants of a baseline and a project, year by year, with the working of every "
            "activity (method, equations, parameter values and their sources). Public: no account is needed, and "
            "nothing is stored. The same document as `cleanasia cobenefits evaluate FILE.json`. At most "
            f"{services.API_MAX_ACTIVITY_YEARS} activity-years (activities × years) per request."
        ),
        request=EvaluationRequestBody,
        parameters=[
            OpenApiParameter(
                "uncertainty_draws",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=False,
                default=0,
                description=(
                    "Monte Carlo draws over the factors' ranges: 0 (the default) for none, at most "
                    f"{services.MAX_UNCERTAINTY_DRAWS}. When > 0 the result has `uncertainty`: the median and 95 % "
                    "interval of each total beside its central value. Out of range or not a whole number: 400."
                ),
            ),
            OpenApiParameter(
                "seed",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=False,
                default=0,
                description=(
                    f"Seed of the Monte Carlo (0 to {services.MAX_SEED}, default 0): the same request, draws and "
                    "seed give the same numbers. Ignored without `uncertainty_draws`."
                ),
            ),
        ],
        responses={
            200: OpenApiResponse(EvaluationResultBody, description="The result."),
            (400, PROBLEM_MEDIA_TYPE): OpenApiResponse(
                ValidationProblemBody,
                description=(
                    "The request is not valid: every problem is listed under `errors` with the path of its field "
                    "(a bad `uncertainty_draws` or `seed` is named by the parameter's name). "
                    "A body that is not JSON is a `malformed-request` problem (without `errors`)."
                ),
                examples=[
                    OpenApiExample(
                        "Sulphur over 100 percent",
                        summary="Sulphur content over 100 %",
                        value=EXAMPLE_PROBLEM,
                        status_codes=["400"],
                    )
                ],
            ),
            (413, PROBLEM_MEDIA_TYPE): OpenApiResponse(
                response={"$ref": "#/components/schemas/Problem"}, description="The body is too large."
            ),
        },
        examples=[
            OpenApiExample(
                "Fuel switch", summary="Fuel switch, coal to natural gas", value=EXAMPLE_REQUEST, request_only=True
            ),
            OpenApiExample(
                "Sulphur over 100 percent",
                summary="Sulphur content over 100 % (answered with 400)",
                value=EXAMPLE_INVALID_REQUEST,
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length.isdigit() and int(length) > limit:
            body = problem_body(
                status=413,
                problem_type=None,
                detail=_("The request is larger than %(limit)s bytes.") % {"limit": limit},
                instance=request.path,
            )
            return ProblemResponse(body, status=413)
        document = request.data  # not JSON: ParseError, the 400 malformed-request problem
        try:
            draws, seed = services.uncertainty_options(
                request.query_params.get("uncertainty_draws", "0"), request.query_params.get("seed", "0")
            )
            result = services.evaluate_document(document, max_activity_years=services.API_MAX_ACTIVITY_YEARS)
            if draws:
                result["uncertainty"] = services.uncertainty_document(
                    document, draws=draws, seed=seed, max_draw_activity_years=services.API_MAX_DRAW_ACTIVITY_YEARS
                )
        except services.EvaluationError as exc:
            body = problem_body(
                status=400,
                problem_type=VALIDATION_ERROR,
                detail=_("Some of the data sent is not valid; each problem is listed under errors."),
                instance=request.path,
                errors=services.problem_errors(exc.errors),
            )
            return ProblemResponse(body, status=400)
        return Response(result)


class CobenefitsMethodsView(APIView):
    """The calculation methods with their parameters."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="cobenefits_methods",
        tags=["cobenefits"],
        summary="List the co-benefits methods and their parameters",
        description=(
            "Every method with its version, titles (ja/en), description, equations, the gases and pollutants it "
            "reports and its parameters: name, kind, unit, whether required, bounds (minimum, maximum), choices, "
            "the default factor used when the parameter is not given, and whether a per-year list is accepted."
        ),
        responses={
            200: OpenApiResponse(
                response={
                    "type": "array",
                    "items": {"type": "object", "additionalProperties": {}},
                    "description": "The method catalogue.",
                },
                description="The methods.",
            )
        },
    )
    def get(self, request: Request) -> Response:
        return Response(services.catalogue())


class CobenefitsRequestSchemaView(APIView):
    """The JSON Schema of an evaluation request."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="cobenefits_request_schema",
        tags=["cobenefits"],
        summary="The JSON Schema of a co-benefits evaluation request",
        description=(
            "A JSON Schema (draft 2020-12) document describing the body of POST /api/v1/cobenefits/evaluate/, "
            "generated from the methods' parameters (`x-unit`: the unit of a parameter, `x-default-factor`: the "
            "factor used when it is not given). The same as `cleanasia cobenefits schema`."
        ),
        responses={
            200: OpenApiResponse(
                response={"type": "object", "additionalProperties": {}, "description": "A JSON Schema (2020-12)."},
                description="The schema.",
            )
        },
    )
    def get(self, request: Request) -> Response:
        return Response(services.schema())


urlpatterns = [
    path("cobenefits/evaluate/", CobenefitsEvaluateView.as_view(), name="cobenefits-evaluate"),
    path("cobenefits/methods/", CobenefitsMethodsView.as_view(), name="cobenefits-methods"),
    path("cobenefits/request-schema/", CobenefitsRequestSchemaView.as_view(), name="cobenefits-request-schema"),
]
