"""Global warming potentials (100-year) by IPCC assessment report; the set is a choice of each evaluation.

The values are data (`data/gwp.json`, ids `gwp.<set>.<gas>`), so a user override of a GWP is recorded like
any other factor override. CO2 is 1 by definition.
"""

from __future__ import annotations

from .factors import FactorSet

GWP_SETS = ("SAR", "AR4", "AR5", "AR6")
DEFAULT_GWP_SET = "AR5"  # UNFCCC reporting under the Paris Agreement
GWP_GASES = ("ch4", "n2o")


def gwp_values(factors: FactorSet, gwp_set: str) -> dict[str, float]:
    """{"co2": 1, "ch4": …, "n2o": …} for the set (KeyError if unknown)."""
    if gwp_set not in GWP_SETS:
        raise KeyError(gwp_set)
    return {"co2": 1.0} | {gas: factors.value(f"gwp.{gwp_set}.{gas}", "1") for gas in GWP_GASES}
