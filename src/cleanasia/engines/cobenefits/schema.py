"""The JSON Schema of a request, generated from the methods' parameters (published later with the API)."""

from __future__ import annotations

from typing import Any

from .gwp import DEFAULT_GWP_SET, GWP_SETS
from .methods import FOD_CONVENTIONS, METHODS, Method, Parameter

QUANTITY = {
    "type": "object",
    "properties": {
        "value": {"type": "number"},
        "values": {"type": "array", "items": {"type": "number"}},
        "unit": {"type": "string"},
        "grade": {"enum": ["measured", "design", "default", "user"]},
        "source": {"type": "string"},
    },
    "additionalProperties": False,
    "oneOf": [{"required": ["value"]}, {"required": ["values"]}],
}


def _parameter_schema(method: Method, parameter: Parameter) -> dict[str, Any]:
    described: dict[str, Any] = {"description": parameter.description}
    if parameter.unit:
        described["x-unit"] = parameter.unit
    if parameter.default_factor:
        described["x-default-factor"] = parameter.default_factor
    if parameter.kind == "choice":
        return described | ({"enum": list(parameter.choices)} if parameter.choices else {"type": ["string", "integer"]})
    if parameter.kind == "flag":
        return described | {"type": "boolean"}
    if parameter.kind == "family":
        entry = {"anyOf": [{"type": "number"}, {"$ref": "#/$defs/quantity"}]}
        if parameter.name in method.keyed_lists:
            key = method.keyed_lists[parameter.name]
            item = {
                "type": "object",
                "required": [key],
                "properties": {key: {"type": "string"}},
                "additionalProperties": entry,
            }
            return described | {"type": "array", "items": item}
        return described | {"type": "object", "additionalProperties": entry}
    return described | {"anyOf": [{"type": "number"}, {"$ref": "#/$defs/quantity"}]}


def request_schema() -> dict[str, Any]:
    """A JSON Schema (2020-12) dict for `evaluate`'s request."""
    activities = []
    for method in METHODS.values():
        properties: dict[str, Any] = {"method": {"const": method.name}}
        properties |= {p.name: _parameter_schema(method, p) for p in method.parameters}
        activities.append(
            {
                "title": method.title_en,
                "type": "object",
                "required": ["method"],
                "properties": properties,
                "additionalProperties": False,
            }
        )
    scenario = {
        "type": "object",
        "required": ["activities"],
        "properties": {"label": {"type": "string"}, "activities": {"type": "array", "items": {"oneOf": activities}}},
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Co-benefits evaluation request",
        "type": "object",
        "required": ["years", "baseline", "project"],
        "properties": {
            "label": {"type": "string"},
            "years": {
                "type": "object",
                "required": ["start", "end"],
                "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}},
                "additionalProperties": False,
            },
            "gwp": {"enum": list(GWP_SETS), "default": DEFAULT_GWP_SET},
            "fod_convention": {"enum": list(FOD_CONVENTIONS), "default": "ipcc2006"},
            "baseline": scenario,
            "project": scenario,
            "factor_overrides": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "required": ["value", "unit"],
                    "properties": {
                        "value": {"type": "number"},
                        "unit": {"type": "string"},
                        "source": {"type": "string"},
                        "low": {"type": "number"},
                        "high": {"type": "number"},
                        "grade": {"enum": ["measured", "design", "default", "user"]},
                    },
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
        "$defs": {"quantity": QUANTITY},
    }


def method_catalogue() -> list[dict[str, Any]]:
    """Every method with its version, titles (ja/en), parameters, equations and the species it reports."""
    return [method.to_dict() for method in METHODS.values()]
