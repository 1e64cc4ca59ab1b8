"""The calculation methods, each named and versioned; `METHODS` maps a request's `method` to one."""

from __future__ import annotations

from .base import Context, Method, Parameter, Prepared
from .combustion import METHOD as STATIONARY_COMBUSTION
from .grid import METHOD as GRID_ELECTRICITY
from .landfill import CONVENTIONS as FOD_CONVENTIONS
from .landfill import METHOD as LANDFILL_FOD
from .waste_treatment import METHOD as WASTE_TREATMENT
from .wastewater import DOMESTIC as WASTEWATER_DOMESTIC
from .wastewater import INDUSTRIAL as WASTEWATER_INDUSTRIAL

METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        STATIONARY_COMBUSTION,
        GRID_ELECTRICITY,
        LANDFILL_FOD,
        WASTE_TREATMENT,
        WASTEWATER_DOMESTIC,
        WASTEWATER_INDUSTRIAL,
    )
}

__all__ = ["FOD_CONVENTIONS", "METHODS", "Context", "Method", "Parameter", "Prepared"]
