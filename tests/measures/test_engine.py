"""The progress engine: CAGR method, figures computed by hand (rates rounded to 4 significant digits)."""

import math
import random

import numpy as np
import pytest

from cleanasia.engines.progress import Status, assess, assess_many, rollup, score, status_for_score


def run(base, latest, target=None, *, direction="increase", years=(2015, 2020, 2030)):
    by, ly, ty = years
    return assess(
        base_year=by,
        base_value=base,
        latest_year=ly,
        latest_value=latest,
        target_year=ty if target is not None else None,
        target_value=target,
        direction=direction,
    )


# Required rate toward 150 from 100 over 2015-2030: 1.5 ** (1/15) - 1 = 2.740 %.
@pytest.mark.parametrize(
    ("latest", "status", "ratio"),
    [
        (150, Status.ACHIEVED, None),  # reached exactly
        (160, Status.ACHIEVED, None),  # beyond
        (120, Status.SUBSTANTIAL, 1.355),  # 1.2 ** 0.2 - 1 = 3.714 %; 3.714 / 2.740
        (110, Status.MODERATE, 0.7024),  # 1.1 ** 0.2 - 1 = 1.924 %
        (103, Status.LIMITED, 0.2164),  # 1.03 ** 0.2 - 1 = 0.5930 %
        (100, Status.LIMITED, 0.0),  # no change: R = 0 is still limited
        (95, Status.DETERIORATION, -0.3728),  # 0.95 ** 0.2 - 1 = -1.021 %
    ],
)
def test_increase_with_target(latest, status, ratio):
    result = run(100, latest, 150)
    assert result.status is status
    if ratio is None:
        assert result.ratio is None
    else:
        assert result.ratio == pytest.approx(ratio, abs=5e-4)
        assert result.required_cagr == pytest.approx(0.02740, abs=1e-5)
        assert result.method == "cagr"


# Emissions must go down: required 0.5 ** (1/15) - 1 = -4.516 % a year.
@pytest.mark.parametrize(
    ("latest", "status", "ratio"),
    [
        (50, Status.ACHIEVED, None),
        (45, Status.ACHIEVED, None),
        (80, Status.SUBSTANTIAL, 0.9666),  # 0.8 ** 0.2 - 1 = -4.365 %
        (87, Status.MODERATE, 0.6083),  # 0.87 ** 0.2 - 1 = -2.747 %
        (90, Status.LIMITED, 0.4618),  # 0.9 ** 0.2 - 1 = -2.085 %
        (110, Status.DETERIORATION, -0.4262),  # 1.1 ** 0.2 - 1 = +1.924 %
    ],
)
def test_decrease_with_target(latest, status, ratio):
    result = run(100, latest, 50, direction="decrease")
    assert result.status is status
    if ratio is not None:
        assert result.ratio == pytest.approx(ratio, abs=5e-4)
        assert result.observed_cagr < 0 if latest < 100 else result.observed_cagr > 0


@pytest.mark.parametrize(
    ("latest", "direction", "status"),
    [
        (110, "increase", Status.SUBSTANTIAL),  # +1.924 % a year >= 1.5 %
        (104, "increase", Status.MODERATE),  # +0.7875 %
        (101, "increase", Status.LIMITED),  # +0.1992 %
        (99, "increase", Status.DETERIORATION),  # -0.2008 %
        (90, "decrease", Status.SUBSTANTIAL),  # -2.085 %, signed by direction: +2.085 %
        (98, "decrease", Status.LIMITED),  # -0.4032 % -> +0.4032 %
        (97, "decrease", Status.MODERATE),  # -0.6074 % -> +0.6074 %
        (105, "decrease", Status.DETERIORATION),
    ],
)
def test_without_target(latest, direction, status):
    assert run(100, latest, direction=direction).status is status


def test_without_target_rate_is_reported():
    result = run(100, 110)
    assert result.observed_cagr == pytest.approx(0.019245, abs=1e-6)
    assert result.ratio is None
    assert result.required_cagr is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_year": 2020, "latest_year": 2020},  # base year == latest year
        {"base_year": 2021, "latest_year": 2020},
        {"base_value": None},
        {"latest_value": None},
        {"base_year": None},
        {"latest_value": float("nan")},
    ],
)
def test_not_available(kwargs):
    values = {"base_year": 2015, "base_value": 100, "latest_year": 2020, "latest_value": 120}
    values.update(kwargs)
    result = assess(**values, target_year=2030, target_value=150, direction="increase")
    assert result.status is Status.NOT_AVAILABLE
    assert result.ratio is None


def test_target_year_not_after_base_year_is_not_available():
    assert run(100, 120, 150, years=(2015, 2020, 2015)).status is Status.NOT_AVAILABLE
    # …unless the target is reached anyway.
    assert run(100, 160, 150, years=(2015, 2020, 2015)).status is Status.ACHIEVED


def test_zero_baseline_falls_back_to_linear_rates():
    # 0 -> 10 in 5 years (2 a year); 0 -> 20 in 10 years needs 2 a year: R = 1.0.
    result = run(0, 10, 20, years=(2020, 2025, 2030))
    assert result.method == "linear"
    assert result.status is Status.SUBSTANTIAL
    assert result.ratio == pytest.approx(1.0)
    # 0 -> 5: 1 a year against 2: R = 0.5, limited.
    assert run(0, 5, 20, years=(2020, 2025, 2030)).status is Status.LIMITED
    # Without a target no relative growth from zero exists.
    assert run(0, 10).status is Status.NOT_AVAILABLE


def test_negative_values_fall_back_to_linear_rates():
    # Net balance -10 -> -5 in 5 years, target 0 by 2030: slopes 1 and 1 a year: R = 1.
    result = run(-10, -5, 0, years=(2020, 2025, 2030))
    assert (result.status, result.method) == (Status.SUBSTANTIAL, "linear")
    assert result.observed_cagr == pytest.approx(0.1)  # 1 a year / |-10|
    # Without a target: -10 -> -8 in 2 years: +10 % a year of |base|.
    assert run(-10, -8, years=(2020, 2022, 2030)).status is Status.SUBSTANTIAL
    # Decrease with a latest value of zero (CAGR undefined): 100 -> 0 reaches a target of 20.
    assert run(100, 0, 20, direction="decrease").status is Status.ACHIEVED
    # 100 -> 60 in 5 years (-8/yr) against 100 -> 0 in 15 (-6.67/yr): R = 1.2.
    assert run(100, 60, 0, direction="decrease").ratio == pytest.approx(1.2)


def test_target_already_met_at_baseline():
    # Lower is better; the baseline 40 is already under the target 50.
    assert run(40, 45, 50, direction="decrease").status is Status.ACHIEVED
    slipped = run(40, 55, 50, direction="decrease")
    assert slipped.status is Status.DETERIORATION
    assert slipped.ratio is None
    # Higher is better; target equal to the baseline and still met.
    assert run(100, 100, 100).status is Status.ACHIEVED


def test_scores_and_rollup():
    assert [score(s) for s in Status] == [1.0, 0.85, 0.6, 0.3, 0.0, None]
    # (1.0*2 + 0.3*1) / 3 = 0.7667; NA ignored.
    assert rollup([(1.0, 2), (0.3, 1), (None, 5)]) == pytest.approx(0.76667, abs=1e-5)
    assert rollup([(None, 1)]) is None
    assert rollup([]) is None
    assert rollup([(0.6, 0), (0.3, 1)]) == pytest.approx(0.3)  # zero weight counts for nothing
    assert status_for_score(rollup([(1.0, 2), (0.3, 1)])) is Status.SUBSTANTIAL
    assert status_for_score(1.0) is Status.ACHIEVED
    assert status_for_score(0.6) is Status.MODERATE
    assert status_for_score(0.3) is Status.LIMITED
    assert status_for_score(0.0) is Status.DETERIORATION
    assert status_for_score(None) is Status.NOT_AVAILABLE


def _random_rows(n, seed):
    rng = random.Random(seed)
    values = [None, 0, -10, -1.5, 1, 40, 50, 100, 120, 150, 200]

    def value():
        return rng.choice(values) if rng.random() < 0.3 else round(rng.uniform(-50, 300), 2)

    rows = []
    for _ in range(n):
        by = rng.choice([None, 2010, 2015, 2020])
        ly = rng.choice([None, 2015, 2020, 2024, 2025])
        has_target = rng.random() < 0.7
        rows.append(
            {
                "base_year": by,
                "base_value": value(),
                "latest_year": ly,
                "latest_value": value(),
                "target_year": rng.choice([2015, 2025, 2030]) if has_target else None,
                "target_value": value() if has_target else None,
                "direction": rng.choice(["increase", "decrease"]),
            }
        )
    return rows


@pytest.mark.parametrize("seed", range(5))
def test_assess_many_equals_assess_row_by_row(seed):
    rows = _random_rows(2000, seed)
    many = assess_many(**{key: [r[key] for r in rows] for key in rows[0]})
    assert len(many) == len(rows)
    for i, row in enumerate(rows):
        one = assess(**row)
        assert many.status[i] == one.status.value, (row, one)
        for name in ("ratio", "observed_cagr", "required_cagr"):
            expected = getattr(one, name)
            got = getattr(many, name)[i]
            if expected is None:
                assert math.isnan(got), (name, row)
            else:
                assert got == pytest.approx(expected, rel=1e-12, abs=1e-15), (name, row)
    # Every category occurs, so the comparison covers all branches.
    assert set(many.status) == {s.value for s in Status}


def test_assess_many_handles_empty_and_numpy_input():
    empty = assess_many(
        base_year=[], base_value=[], latest_year=[], latest_value=[], target_year=[], target_value=[], direction=[]
    )
    assert len(empty) == 0
    result = assess_many(
        base_year=np.array([2015.0]),
        base_value=np.array([100.0]),
        latest_year=np.array([2020.0]),
        latest_value=np.array([120.0]),
        target_year=np.array([np.nan]),
        target_value=np.array([np.nan]),
        direction=np.array(["increase"]),
    )
    assert list(result.status) == ["substantial"]
