"""Matching end to end on a small catalogue: facts built from the database, ranked by the engine, with the
reasons in words; only packages the user may see, for a need the user may see, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cleanasia.accounts.models import Role
from cleanasia.network.selectors.packages import matches_for, reason_text

from ..factories import CountryFactory, CountryGroupFactory, GroupMembershipFactory
from .test_packages_builders import make_case, make_need, make_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def asean():
    group = CountryGroupFactory(code="asean")
    for code in ("VN", "TH"):
        GroupMembershipFactory(group=group, country=CountryFactory(code=code), joined_on=dt.date(1995, 7, 28))
    return group


@pytest.fixture
def catalogue(asean):
    eco_town = make_package(
        code="eco-town",
        conditions={"urban_population_min": 500_000, "income": ["lower_middle", "upper_middle"]},
        cost_min=1_000_000,
        cost_max=1_500_000,
        cost_currency="USD",
        cobenefit_evidence_en="Kitakyushu: CO2 −20 % with the recycling industry.",
    )
    make_case(eco_town, "VN", year=2018)
    incinerator = make_package(
        code="incinerator",
        conditions={"urban_population_min": 10_000_000, "coastal": True},
        cost_min=1_000_000,
        cost_max=5_000_000,
        cost_currency="USD",
    )
    make_case(incinerator, "TH", year=2020)
    make_package(code="composting", cost_min=5_000_000, cost_currency="JPY", cobenefit_evidence_ja="メタン削減")
    make_package(code="air-monitor", fields=("air",))
    make_package(code="restricted", visibility="secretariat")
    return make_need(
        country="VN",
        conditions={"urban_population": 8_000_000, "income": "lower_middle", "coastal": True},
        budget_max=Decimal("2000000"),
        budget_currency="USD",
    )


def test_packages_are_ranked_for_the_need_with_their_reasons(make_user, catalogue):
    focal = make_user(Role.FOCAL_POINT, country="VN")
    ranked = matches_for(user=focal, need=catalogue)
    # eco-town: 30 field + 35 conditions + 15 cost + 10 case in VN + 5 region + 5 co-benefits.
    # incinerator: 30 + 17.5 (one of two conditions) + 10 (only cheaper variants) + 5 (case in TH, ASEAN) = 62.5.
    # composting: 30 + 17.5 (no conditions: unknown) + 7.5 (yen against dollars: unknown) + 5 co-benefits.
    assert [(m.package.code, m.score) for m in ranked] == [("eco-town", 100), ("incinerator", 63), ("composting", 60)]
    assert "air-monitor" not in {m.package.code for m in ranked}, "a package of another field does not answer"
    assert "restricted" not in {m.package.code for m in ranked}, "a package the user may not see is not shown"

    texts = {r.code: text for r, text in ranked[0].explained()}
    assert texts["field"] == "Serves the need's field."
    assert texts["condition:urban_population"] == (
        "urban_population: the need's 8,000,000 fits (the package asks for at least 500,000)."
    )
    assert texts["condition:income"] == (
        "income: the need's lower_middle fits (the package asks for one of lower_middle, upper_middle)."
    )
    assert texts["cost"] == "Cost: within the budget of 2,000,000 USD."
    assert texts["case_same_country"] == "A case study in the need's country."
    assert texts["case_same_region"] == "A case study in the same region."
    assert texts["cobenefit_evidence"] == "Co-benefit evidence is documented."

    incinerator = {r.code: text for r, text in ranked[1].explained()}
    assert incinerator["condition:urban_population"].startswith("urban_population: the need's 8,000,000 does not fit")
    assert incinerator["condition:coastal"] == "coastal: the need's yes fits (the package asks for yes)."
    assert incinerator["cost"] == "Cost: only the cheaper variants fit the budget of 2,000,000 USD."
    assert incinerator["case_same_country"] == "No case study in the need's country."
    assert incinerator["case_same_region"] == "A case study in the same region."

    composting = {r.code: text for r, text in ranked[2].explained()}
    assert composting["conditions_unstated"] == "The package states no conditions where it fits."
    assert composting["cost"] == "Cost: the package is costed in JPY and the budget is in USD; not compared."
    assert composting["case_same_region"] == "No case study in the same region."


def test_the_secretariat_sees_every_package_and_unknowns_are_explained(make_user, catalogue):
    staff = make_user(Role.SECRETARIAT)
    ranked = matches_for(user=staff, need=catalogue)
    assert "restricted" in {m.package.code for m in ranked}
    restricted = next(m for m in ranked if m.package.code == "restricted")
    texts = {r.code: text for r, text in restricted.explained()}
    assert texts["cost"] == "Cost: the package gives no cost."


def test_a_need_without_budget_or_region_is_still_matched(make_user, catalogue):
    need = make_need(country="KH", conditions={}, visibility="public")  # Cambodia: in no group here
    ranked = matches_for(user=AnonymousUser(), need=need)
    eco_town = next(m for m in ranked if m.package.code == "eco-town")
    texts = {r.code: text for r, text in eco_town.explained()}
    assert texts["cost"] == "Cost: the need gives no budget."
    assert texts["case_same_region"] == "The need's country belongs to no region the catalogue knows."
    assert texts["condition:income"] == (
        "income: the package asks for one of lower_middle, upper_middle; the need does not say."
    )


def test_a_need_the_user_may_not_see_has_no_matches(make_user, catalogue):
    with pytest.raises(Http404):
        matches_for(user=make_user(Role.FOCAL_POINT, country="TH"), need=catalogue)
    with pytest.raises(Http404):
        matches_for(user=AnonymousUser(), need=catalogue)


def test_matching_runs_a_fixed_number_of_queries(make_user, catalogue, django_assert_max_num_queries):
    focal = make_user(Role.FOCAL_POINT, country="VN")
    focal.active_roles  # noqa: B018 (the roles are read once per request, before the page)
    with django_assert_max_num_queries(6):
        small = matches_for(user=focal, need=catalogue)
    for n in range(20):
        package = make_package(code=f"more-{n}", conditions={"coastal": True}, cost_max=n * 1000, cost_currency="USD")
        make_case(package, ("VN", "TH", "KH")[n % 3])
    with django_assert_max_num_queries(6):
        large = matches_for(user=focal, need=catalogue)
    assert len(large) == len(small) + 20
    assert [m.score for m in large] == sorted((m.score for m in large), reverse=True)


def test_reason_text_falls_back_to_the_code_for_an_unknown_reason():
    from cleanasia.engines.matching import Reason

    assert reason_text(Reason(code="something_new", met=None, weight=0, points=0)) == "something_new"
