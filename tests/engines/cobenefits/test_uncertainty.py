"""Monte Carlo: reproducible with a seed; the central value sits inside the interval."""

import pytest

from cleanasia.engines.cobenefits import evaluate, monte_carlo

from .helpers import combustion, landfill, q, request


def project_request():
    return request(
        [
            combustion("other_bituminous_coal", 50, "kt", sulphur_content=q(1.0, "%")),
            landfill([8000.0] * 10, {"food": 0.5, "paper": 0.2}),
        ],
        [
            combustion("natural_gas", 1.0, "PJ"),
            {"method": "waste_treatment", "treatment": "composting", "waste_treated": q([8000.0] * 10, "t")},
        ],
        end=2034,
        factor_overrides={"combustion.ncv.natural_gas": {"value": 48.5, "unit": "TJ/Gg", "source": "supplier sheet"}},
    )


def test_same_seed_same_result_and_central_value_inside_interval():
    first = monte_carlo(project_request(), draws=2000, seed=42)
    again = monte_carlo(project_request(), draws=2000, seed=42)
    other = monte_carlo(project_request(), draws=2000, seed=43)
    assert first == again
    assert first.totals["co2e"]["reduction"] != other.totals["co2e"]["reduction"]
    central = evaluate(project_request())
    for name in ("co2e", "ch4", "co2", "so2"):
        interval = first.totals[name]["baseline"]
        assert interval.central == pytest.approx(central.total(name, "baseline"))
        assert interval.low <= interval.median <= interval.high
        if name != "so2":  # the SO2 central value sits at its factors' range edges (ash retention 0)
            assert interval.low <= interval.central <= interval.high
    # the override has no range, so its factor is held fixed; factors with ranges are drawn
    assert "combustion.ncv.natural_gas" not in first.factors_varied
    assert "landfill.k.food_sludge.tropical_wet" in first.factors_varied
    assert first.to_dict()["totals"]["co2e"]["reduction"]["p97_5"] >= first.totals["co2e"]["reduction"].median


def test_shared_factor_moves_baseline_and_project_together():
    # The same coal in both scenarios, less of it in the project: the reduction's relative spread equals
    # the baseline's, because one draw of each factor is used for both.
    req = request([combustion("lignite", 100, "kt")], [combustion("lignite", 60, "kt")], end=2025)
    result = monte_carlo(req, draws=3000, seed=1)
    base, reduction = result.totals["co2"]["baseline"], result.totals["co2"]["reduction"]
    assert reduction.high / reduction.median == pytest.approx(base.high / base.median, rel=1e-9)
