"""Request builders shared by the co-benefits engine tests."""

from __future__ import annotations

from typing import Any


def q(value: float | list[float], unit: str) -> dict[str, Any]:
    return {"values": value, "unit": unit} if isinstance(value, list) else {"value": value, "unit": unit}


def request(
    baseline: list[dict[str, Any]],
    project: list[dict[str, Any]] | None = None,
    *,
    start: int = 2025,
    end: int = 2025,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "years": {"start": start, "end": end},
        "baseline": {"activities": baseline},
        "project": {"activities": project or []},
        **extra,
    }


def combustion(fuel: str, quantity: float | list[float], unit: str = "t", **inputs: Any) -> dict[str, Any]:
    return {"method": "stationary_combustion", "fuel": fuel, "fuel_quantity": q(quantity, unit), **inputs}


def landfill(waste: float | list[float], composition: dict[str, float], **inputs: Any) -> dict[str, Any]:
    activity = {
        "method": "landfill_fod",
        "waste_deposited": q(waste, "t"),
        "composition": composition,
        "climate": "tropical_wet",
        "site": "managed_anaerobic",
    }
    return activity | inputs


def wastewater(system: str, tow_kg: float, **inputs: Any) -> dict[str, Any]:
    return {
        "method": "wastewater_domestic",
        "tow": q(tow_kg, "kg"),
        "treatment": [{"system": system, "share": 1.0}],
        **inputs,
    }
