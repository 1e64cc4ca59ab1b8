"""Portfolio aggregation never counts a project twice in a total."""

import pytest

from cleanasia.engines.cobenefits import aggregate, evaluate

from .helpers import combustion, request

ROWS = [
    {"project": "P1", "year": 2025, "country": "VN", "sector": "energy", "values": {"co2e_reduction": 100.0}},
    {"project": "P1", "year": 2026, "country": "VN", "sector": "energy", "values": {"co2e_reduction": 110.0}},
    {"project": "P2", "year": 2025, "country": "TH", "sector": "waste", "values": {"co2e_reduction": 50.0}},
    {"project": "P3", "year": 2025, "country": "VN", "sector": "waste", "values": {"co2e_reduction": 7.0}},
]
LINKS = [
    {"project": "P1", "measure": "M1", "goal": "G1"},
    {"project": "P1", "measure": "M2", "goal": "G1"},
    {"project": "P2", "measure": "M2", "goal": "G2"},
]


def by_key(aggregation):
    return {tuple(g.key.values()): g.values["co2e_reduction"] for g in aggregation.groups}


def test_project_linked_to_two_measures_counts_once_in_the_total():
    result = aggregate(ROWS, LINKS, by=["measure"])
    assert by_key(result) == {("M1",): 210.0, ("M2",): 260.0, (None,): 7.0}
    assert result.total["co2e_reduction"] == 267.0
    assert result.overlap["co2e_reduction"] == pytest.approx(210.0)
    shared = {g.key["measure"]: g.shared_projects for g in result.groups}
    assert shared["M1"] == ("P1",)
    assert shared[None] == ()


def test_a_group_spanning_both_measures_counts_the_project_once():
    result = aggregate(ROWS, LINKS, by=["goal"])
    assert by_key(result) == {("G1",): 210.0, ("G2",): 50.0, (None,): 7.0}
    assert result.overlap["co2e_reduction"] == 0.0


def test_grouping_by_attributes_and_year():
    result = aggregate(ROWS, LINKS, by=["country", "year"])
    assert by_key(result) == {("TH", 2025): 50.0, ("VN", 2025): 107.0, ("VN", 2026): 110.0}
    assert result.projects == 3


def test_the_same_project_year_twice_is_an_error():
    with pytest.raises(ValueError, match="given twice"):
        aggregate([ROWS[0], ROWS[0]], by=["country"])


def test_summary_rows_of_an_evaluation_feed_the_aggregation():
    evaluation = evaluate(request([combustion("lignite", 10, "kt")], [combustion("lignite", 6, "kt")], end=2026))
    rows = evaluation.summary_rows("P9", country="ID")
    result = aggregate(rows, by=["country"])
    assert result.total["co2e_reduction"] == pytest.approx(evaluation.total("co2e"))
