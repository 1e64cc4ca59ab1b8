"""The matching engine: scores computed by hand from the weights in the module docstring.

Weights: field 30 (gate), conditions 35 (split equally), cost 15 (partly: 10), case in the same country 10,
case in the same region 5, co-benefit evidence 5; unknown counts half.
"""

import dataclasses
import random
from decimal import Decimal

import pytest

from cleanasia.engines import matching
from cleanasia.engines.matching import (
    ConditionProblem,
    CostFit,
    Match,
    NeedFacts,
    PackageFacts,
    Unknown,
    condition_problems,
    match,
    rank,
)


def package(code="pkg", **kwargs):
    kwargs.setdefault("fields", frozenset({"air"}))
    return PackageFacts(code=code, **kwargs)


def need(**kwargs):
    kwargs.setdefault("country", "VN")
    kwargs.setdefault("field", "air")
    return NeedFacts(**kwargs)


def reason(result: Match, code: str):
    found = [r for r in result.reasons if r.code == code]
    assert len(found) == 1, [r.code for r in result.reasons]
    return found[0]


# A package in the need's field with nothing else known: field 30 + no conditions stated 17.5 + no budget 7.5
# + no case 0 + no case in the region 0 + no co-benefit evidence 0.
BASELINE = 55


def test_weights_add_up_to_100():
    assert (
        matching.FIELD_WEIGHT
        + matching.CONDITIONS_WEIGHT
        + matching.COST_WEIGHT
        + matching.CASE_SAME_COUNTRY_WEIGHT
        + matching.CASE_SAME_REGION_WEIGHT
        + matching.COBENEFIT_WEIGHT
        == 100
    )


def test_baseline_reasons_in_a_fixed_order():
    result = match(need(), package())
    assert result.score == BASELINE
    assert [(r.code, r.met, r.points) for r in result.reasons] == [
        ("field", True, 30),
        ("conditions_unstated", None, 17.5),
        ("cost", None, 7.5),
        ("case_same_country", False, 0),
        ("case_same_region", False, 0),
        ("cobenefit_evidence", False, 0),
    ]
    assert reason(result, "conditions_unstated").params["unknown"] == Unknown.NONE_STATED
    assert sum(r.weight for r in result.reasons) == 100


def test_a_package_fitting_in_every_respect_scores_100():
    result = match(
        need(
            conditions={"urban_population": 800_000, "income": "lower_middle"}, budget_max=Decimal(50), currency="USD"
        ),
        package(
            conditions={"urban_population_min": 500_000, "income": ["lower_middle", "upper_middle"]},
            cost_min=Decimal(10),
            cost_max=Decimal(40),
            currency="USD",
            case_countries=frozenset({"VN"}),
            case_regions=frozenset({"south_eastern_asia"}),
            has_cobenefit_evidence=True,
        ),
    )
    assert result.score == 100
    assert all(r.met is True and r.points == r.weight for r in result.reasons)
    assert [r.code for r in result.reasons] == [
        "field",
        "condition:income",
        "condition:urban_population",
        "cost",
        "case_same_country",
        "case_same_region",
        "cobenefit_evidence",
    ]


# --- field ---


def test_a_package_outside_the_needs_field_scores_0_and_says_why():
    result = match(
        need(field="water"),
        package(fields=frozenset({"air", "climate"}), has_cobenefit_evidence=True, case_countries=frozenset({"VN"})),
    )
    assert result.score == 0
    (only,) = result.reasons
    assert only.code == "field"
    assert only.met is False
    assert only.points == 0
    assert only.weight == 30
    assert only.params == {"need_field": "water", "package_fields": ("air", "climate")}


def test_one_shared_field_among_several_is_enough():
    result = match(need(field="climate"), package(fields=frozenset({"air", "climate"})))
    assert reason(result, "field").met is True
    assert result.score == BASELINE


def test_a_package_with_no_field_scores_0():
    assert match(need(), package(fields=frozenset())).score == 0


# --- conditions ---


@pytest.mark.parametrize(
    ("conditions", "value", "met"),
    [
        ({"urban_population_min": 500_000}, 500_000, True),  # bounds are inclusive
        ({"urban_population_min": 500_000}, 499_999, False),
        ({"urban_population_max": 2_000_000}, 2_000_000, True),
        ({"urban_population_max": 2_000_000}, 2_000_001, False),
        ({"urban_population_min": 500_000, "urban_population_max": 2_000_000}, 1_000_000, True),
        ({"urban_population_min": 500_000, "urban_population_max": 2_000_000}, 3_000_000, False),
        ({"urban_population_min": 500_000, "urban_population_max": 2_000_000}, 100, False),
        ({"urban_population_min": 0.1}, 0.1, True),  # floats compared as written, not in binary
        ({"urban_population_min": 500_000}, Decimal("500000.5"), True),
    ],
)
def test_numeric_range_condition(conditions, value, met):
    result = match(need(conditions={"urban_population": value}), package(conditions=conditions))
    (condition,) = [r for r in result.reasons if r.code.startswith("condition:")]
    assert condition.code == "condition:urban_population"
    assert condition.met is met
    assert condition.params["kind"] == "range"
    assert "unknown" not in condition.params
    # One condition carries all 35 points: 30 + 35 + 7.5 (no budget) = 72.5 or 30 + 0 + 7.5 = 37.5, rounded half up.
    assert result.score == (73 if met else 38)


def test_range_reason_carries_the_bounds_and_the_value():
    result = match(
        need(conditions={"urban_population": 800_000}),
        package(conditions={"urban_population_min": 500_000, "urban_population_max": 2_000_000}),
    )
    params = reason(result, "condition:urban_population").params
    assert params == {
        "name": "urban_population",
        "kind": "range",
        "min": Decimal(500_000),
        "max": Decimal(2_000_000),
        "value": Decimal(800_000),
    }


@pytest.mark.parametrize(
    ("accepted", "value", "met"),
    [
        (["lower_middle", "upper_middle"], "lower_middle", True),
        (["lower_middle", "upper_middle"], "high", False),
        (["lower_middle"], "Lower_middle", False),  # codes compare exactly
        ([1, 2], 1.0, True),  # numbers compare as numbers
        ([1, 2], "1", False),  # a string is not the number
    ],
)
def test_set_condition(accepted, value, met):
    result = match(need(conditions={"income": value}), package(conditions={"income": accepted}))
    condition = reason(result, "condition:income")
    assert condition.met is met
    assert condition.params["kind"] == "set"
    assert condition.points == (35 if met else 0)


@pytest.mark.parametrize(("expected", "value", "met"), [(True, True, True), (True, False, False), (False, False, True)])
def test_boolean_condition(expected, value, met):
    result = match(need(conditions={"coastal": value}), package(conditions={"coastal": expected}))
    condition = reason(result, "condition:coastal")
    assert condition.met is met
    assert condition.params == {"name": "coastal", "kind": "boolean", "expected": expected, "value": value}


@pytest.mark.parametrize("need_conditions", [{}, {"income": None}, {"other": "x"}])
def test_a_condition_the_need_does_not_state_is_unknown_and_counts_half(need_conditions):
    result = match(need(conditions=need_conditions), package(conditions={"income": ["low"]}))
    condition = reason(result, "condition:income")
    assert condition.met is None
    assert condition.points == 17.5
    assert condition.params["unknown"] == Unknown.NOT_STATED
    assert "value" not in condition.params
    assert result.score == BASELINE


@pytest.mark.parametrize(
    ("package_conditions", "value"),
    [
        ({"urban_population_min": 1}, "many"),  # range: the need gives a string
        ({"urban_population_min": 1}, True),  # a boolean is not a number
        ({"urban_population_min": 1}, float("nan")),
        ({"income": ["low"]}, ["low", "high"]),  # set: the need gives one value, not a list
        ({"income": ["low"]}, False),
        ({"coastal": True}, 1),  # boolean: 1 is not True here
        ({"coastal": True}, "yes"),
    ],
)
def test_a_need_value_of_another_kind_is_unknown_not_failed(package_conditions, value):
    (name,) = {key.removesuffix("_min") for key in package_conditions}
    result = match(need(conditions={name: value}), package(conditions=package_conditions))
    condition = reason(result, f"condition:{name}")
    assert condition.met is None
    assert condition.params["unknown"] == Unknown.INCOMPARABLE
    assert condition.points == 17.5


def test_conditions_share_35_points_equally_and_are_sorted_by_name():
    result = match(
        need(conditions={"a": 1, "b": "x", "c": False, "d": 5}),
        package(conditions={"d_min": 10, "c": True, "b": ["x"], "a_max": 3}),
    )
    conditions = [r for r in result.reasons if r.code.startswith("condition:")]
    assert [(r.code, r.met) for r in conditions] == [
        ("condition:a", True),
        ("condition:b", True),
        ("condition:c", False),
        ("condition:d", False),
    ]
    assert all(r.weight == 8.75 for r in conditions)
    # 30 + 2 × 8.75 + cost unknown 7.5 = 55
    assert result.score == 55


def test_a_third_of_35_rounds_only_in_the_final_score():
    # met, met, failed: 70/3 = 23.33…; 30 + 23.33 + 7.5 = 60.83 → 61
    result = match(
        need(conditions={"a": 1, "b": 1, "c": 1}),
        package(conditions={"a_min": 0, "b_min": 0, "c_min": 5}),
    )
    assert result.score == 61
    assert reason(result, "condition:a").weight == pytest.approx(35 / 3)


def test_need_conditions_no_package_names_are_ignored():
    result = match(need(conditions={"income": "low", "coastal": True}), package())
    assert not [r for r in result.reasons if r.code.startswith("condition:")]
    assert result.score == BASELINE


# --- invalid package conditions: kept as an unknown reason, reported by condition_problems ---


@pytest.mark.parametrize(
    ("conditions", "name", "problem"),
    [
        ({"urban_population_min": "many"}, "urban_population", ConditionProblem.NOT_A_NUMBER),
        ({"urban_population_max": True}, "urban_population", ConditionProblem.NOT_A_NUMBER),
        ({"urban_population_min": float("inf")}, "urban_population", ConditionProblem.NOT_A_NUMBER),
        ({"urban_population_min": 10, "urban_population_max": 5}, "urban_population", ConditionProblem.MIN_ABOVE_MAX),
        ({"income": []}, "income", ConditionProblem.EMPTY_LIST),
        ({"income": ["low", None]}, "income", ConditionProblem.BAD_LIST_VALUE),
        ({"income": ["low", True]}, "income", ConditionProblem.BAD_LIST_VALUE),
        ({"income": "low"}, "income", ConditionProblem.UNSUPPORTED_VALUE),
        ({"population": 5}, "population", ConditionProblem.UNSUPPORTED_VALUE),
        ({"rules": {"a": 1}}, "rules", ConditionProblem.UNSUPPORTED_VALUE),
        ({"area": ["x"], "area_min": 3}, "area", ConditionProblem.NAME_CONFLICT),
        ({"": True}, "", ConditionProblem.BAD_NAME),
    ],
)
def test_invalid_package_conditions(conditions, name, problem):
    assert condition_problems(conditions, side="package") == [(name, problem)]
    result = match(need(conditions={name: 7}), package(conditions=conditions))
    condition = reason(result, f"condition:{name}")
    assert condition.met is None
    assert condition.params["unknown"] == Unknown.INVALID_CONDITION
    assert condition.params["problem"] == problem
    assert condition.points == 17.5


def test_valid_package_conditions_have_no_problems():
    conditions = {"urban_population_min": 1, "urban_population_max": 1, "income": ["low", 3], "coastal": False}
    assert condition_problems(conditions, side="package") == []
    assert condition_problems({}, side="package") == []


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        ({"income": "low", "urban_population": 5, "share": 0.5, "coastal": True, "unknown": None}, []),
        ({"income": ["low"]}, [("income", ConditionProblem.UNSUPPORTED_VALUE)]),
        ({"rules": {"a": 1}}, [("rules", ConditionProblem.UNSUPPORTED_VALUE)]),
        ({"share": float("nan")}, [("share", ConditionProblem.NOT_A_NUMBER)]),
        ({"share": Decimal("Infinity")}, [("share", ConditionProblem.NOT_A_NUMBER)]),
        ({"": 1}, [("", ConditionProblem.BAD_NAME)]),
        (
            {"b": [1], "a": {}},
            [("a", ConditionProblem.UNSUPPORTED_VALUE), ("b", ConditionProblem.UNSUPPORTED_VALUE)],
        ),
    ],
)
def test_need_condition_problems(conditions, expected):
    assert condition_problems(conditions, side="need") == expected


# --- cost ---


@pytest.mark.parametrize(
    ("cost_min", "cost_max", "fit", "met", "points"),
    [
        (10, 40, CostFit.WITHIN, True, 15),
        (10, 50, CostFit.WITHIN, True, 15),  # the budget is inclusive
        (None, 40, CostFit.WITHIN, True, 15),
        (10, 80, CostFit.PARTLY, True, 10),  # the cheaper end fits
        (50, 80, CostFit.PARTLY, True, 10),
        (10, None, CostFit.PARTLY, True, 10),  # open-ended: may cost more
        (None, 80, CostFit.PARTLY, True, 10),  # unknown lower end: may cost less
        (60, 80, CostFit.ABOVE, False, 0),
        (60, None, CostFit.ABOVE, False, 0),
    ],
)
def test_cost_against_budget(cost_min, cost_max, fit, met, points):
    result = match(
        need(budget_max=Decimal(50), currency="USD"),
        package(
            cost_min=None if cost_min is None else Decimal(cost_min),
            cost_max=None if cost_max is None else Decimal(cost_max),
            currency="USD",
        ),
    )
    cost = reason(result, "cost")
    assert (cost.met, cost.params["fit"], cost.points, cost.weight) == (met, fit, points, 15)
    assert "unknown" not in cost.params
    assert result.score == 48 + points  # 30 + 17.5 (no conditions stated) = 47.5, rounded half up


def test_currencies_compare_without_case_or_spaces():
    result = match(need(budget_max=Decimal(50), currency="usd"), package(cost_max=Decimal(40), currency=" USD"))
    assert reason(result, "cost").met is True


@pytest.mark.parametrize(
    ("need_kwargs", "package_kwargs", "unknown"),
    [
        ({"currency": "USD"}, {"cost_max": Decimal(1), "currency": "USD"}, Unknown.NO_BUDGET),
        ({"budget_max": Decimal(50), "currency": "USD"}, {"currency": "USD"}, Unknown.NO_COST),
        (
            {"budget_max": Decimal(50), "currency": "USD"},
            {"cost_max": Decimal(1), "currency": "JPY"},
            Unknown.CURRENCY_MISMATCH,
        ),
        ({"budget_max": Decimal(50), "currency": "USD"}, {"cost_max": Decimal(1)}, Unknown.CURRENCY_MISMATCH),
        ({"budget_max": Decimal(50)}, {"cost_max": Decimal(1)}, Unknown.CURRENCY_MISMATCH),  # both blank
    ],
)
def test_cost_unknown(need_kwargs, package_kwargs, unknown):
    result = match(need(**need_kwargs), package(**package_kwargs))
    cost = reason(result, "cost")
    assert cost.met is None
    assert cost.points == 7.5
    assert cost.params["unknown"] == unknown
    assert "fit" not in cost.params


def test_another_currency_is_never_converted():
    # 1 JPY would be far within a budget of 50 USD at any rate: still unknown, and both currencies are shown.
    result = match(
        need(budget_max=Decimal(50), currency="USD"),
        package(cost_min=Decimal(1), cost_max=Decimal(1), currency="JPY"),
    )
    cost = reason(result, "cost")
    assert cost.met is None
    assert cost.params["package_currency"] == "JPY"
    assert cost.params["need_currency"] == "USD"
    assert cost.params["cost_max"] == Decimal(1)
    assert cost.params["budget_max"] == Decimal(50)


def test_a_cost_range_upside_down_is_refused():
    with pytest.raises(ValueError, match="cost_min"):
        package(cost_min=Decimal(5), cost_max=Decimal(4))


# --- evidence ---


def test_a_case_in_the_same_country_counts_for_the_region_too():
    result = match(need(country="vn"), package(case_countries=frozenset({"VN", "TH"})))
    assert reason(result, "case_same_country").met is True
    region = reason(result, "case_same_region")
    assert region.met is True
    assert region.params["via_country"] is True
    assert result.score == BASELINE + 10 + 5


def test_a_case_in_the_same_region():
    result = match(
        need(regions=frozenset({"south_eastern_asia", "asean"})),
        package(case_countries=frozenset({"TH"}), case_regions=frozenset({"asean", "south_eastern_asia"})),
    )
    assert reason(result, "case_same_country").met is False
    region = reason(result, "case_same_region")
    assert region.met is True
    assert region.params == {"regions": ("asean", "south_eastern_asia")}
    assert result.score == BASELINE + 5


def test_cases_only_in_other_regions():
    result = match(
        need(regions=frozenset({"south_eastern_asia"})),
        package(case_countries=frozenset({"MN"}), case_regions=frozenset({"eastern_asia"})),
    )
    assert reason(result, "case_same_region").met is False
    assert result.score == BASELINE


def test_the_region_is_unknown_when_the_needs_country_has_none():
    # 30 + 17.5 + 7.5 + 0 + 2.5 + 0 = 57.5, rounded half up
    result = match(need(), package(case_countries=frozenset({"TH"}), case_regions=frozenset({"asean"})))
    region = reason(result, "case_same_region")
    assert region.met is None
    assert region.params["unknown"] == Unknown.NO_REGION
    assert region.points == 2.5
    assert result.score == 58


def test_no_case_at_all_fails_the_region_even_without_regions():
    result = match(need(), package())
    assert reason(result, "case_same_region").met is False


def test_cobenefit_evidence():
    assert reason(match(need(), package(has_cobenefit_evidence=True)), "cobenefit_evidence").met is True
    assert match(need(), package(has_cobenefit_evidence=True)).score == BASELINE + 5


# --- ranking ---


def test_rank_orders_by_score_then_code():
    packages = [
        package("zeta"),  # 55
        package("water-only", fields=frozenset({"water"})),  # 0
        package("alpha", has_cobenefit_evidence=True),  # 60
        package("beta"),  # 55
        package("gamma", case_countries=frozenset({"VN"})),  # 70
    ]
    ranked = rank(need(), packages)
    assert [(m.package, m.score) for m in ranked] == [
        ("gamma", 70),
        ("alpha", 60),
        ("beta", 55),
        ("zeta", 55),
        ("water-only", 0),
    ]


def test_ties_are_broken_by_code_whatever_the_input_order():
    codes = [f"p{i:02d}" for i in range(30)]
    packages = [package(code, has_cobenefit_evidence=i % 3 == 0) for i, code in enumerate(codes)]
    expected = rank(need(), packages)
    generator = random.Random(5)
    for _ in range(20):
        shuffled = packages[:]
        generator.shuffle(shuffled)
        assert rank(need(), shuffled) == expected
    assert [m.package for m in expected] == [c for i, c in enumerate(codes) if i % 3 == 0] + [
        c for i, c in enumerate(codes) if i % 3
    ]


def test_rank_is_deterministic_with_rich_inputs():
    def build():
        return [
            package(
                f"pkg-{i}",
                fields=frozenset({"air", "water"} if i % 2 else {"air"}),
                conditions={"income": ["low", "lower_middle"], "urban_population_min": 1000 * i, "coastal": i % 3 == 0},
                cost_min=Decimal(i),
                cost_max=Decimal(3 * i),
                currency="USD" if i % 4 else "JPY",
                case_countries=frozenset({"VN"} if i % 5 == 0 else {"TH"}),
                case_regions=frozenset({"asean"}),
                has_cobenefit_evidence=i % 2 == 0,
            )
            for i in range(1, 25)
        ]

    the_need = need(
        conditions={"income": "low", "urban_population": 12_000, "coastal": True},
        budget_max=Decimal(20),
        currency="USD",
        regions=frozenset({"asean"}),
    )
    first = rank(the_need, build())
    assert rank(the_need, reversed(build())) == first
    assert [m.score for m in first] == sorted((m.score for m in first), reverse=True)
    for result in first:
        # The score is the sum of the reasons' points, rounded half up.
        assert abs(sum(r.points for r in result.reasons) - result.score) <= 0.5
        assert sum(r.weight for r in result.reasons) == pytest.approx(100)


def test_rank_accepts_any_iterable_and_empty_inputs():
    assert rank(need(), []) == []
    assert rank(need(), iter([])) == []
    only = rank(need(field="", country=""), (p for p in [package()]))
    assert [(m.package, m.score) for m in only] == [("pkg", 0)]


def test_a_package_given_twice_is_refused():
    with pytest.raises(ValueError, match="pkg"):
        rank(need(), [package("pkg"), package("pkg", has_cobenefit_evidence=True)])


def test_facts_and_results_are_frozen_and_hashable():
    facts = package(conditions={"income": ["low"]})
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.code = "other"  # type: ignore[misc]
    result = match(need(conditions={"income": "low"}), facts)
    assert len({facts, package(conditions={"income": ["low"]})}) == 1
    assert hash(result) == hash(match(need(conditions={"income": "low"}), facts))
