"""Reads of the catalogue and the needs register: filters, counts, details and what the user may do, each in a
fixed number of queries."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cleanasia.accounts.models import Role
from cleanasia.network.selectors import packages as selectors
from cleanasia.network.services import packages as services

from ..factories import CountryFactory
from .test_packages_builders import make_case, make_field, make_need, make_package, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    waste = make_package(code="eco-town", fields=("waste", "climate"), kind="combination")
    make_case(waste, "VN", year=2018)
    make_case(waste, "TH", year=2021)
    make_package(code="sewage", fields=("water",), kind="institution")
    make_package(code="secret", fields=("waste",), visibility="secretariat")
    return waste


def codes(rows):
    return [row.code for row in rows]


@pytest.mark.parametrize(
    ("filters", "wanted"),
    [
        ({}, ["eco-town", "sewage"]),
        ({"field": "climate"}, ["eco-town"]),
        ({"kind": "institution"}, ["sewage"]),
        ({"case_country": "TH"}, ["eco-town"]),
        ({"case_country": "KH"}, []),
    ],
)
def test_the_catalogue_is_filtered_among_the_packages_the_user_sees(filters, wanted, catalogue):
    assert codes(selectors.packages_for(user=AnonymousUser(), **filters)) == wanted


def test_the_catalogue_lists_fields_providers_and_case_counts_in_fixed_queries(django_assert_max_num_queries):
    cases = {}
    for n in range(10):
        package = make_package(code=f"pkg-{n:02d}", fields=("waste", "air"), providers=[organisation("JP")])
        cases[package.code] = n % 3 + 1
        for country in ("VN", "TH", "ID")[: cases[package.code]]:
            make_case(package, country)
    waste = make_field("waste")
    with django_assert_max_num_queries(3):
        rows = list(selectors.packages_for(user=AnonymousUser(), field=waste))
        assert {row.code: row.case_count for row in rows} == cases
        for row in rows:
            assert [f.code for f in row.fields.all()] == ["air", "waste"]
            assert len(row.providers.all()) == 1


def test_a_package_detail_has_its_cases_latest_first(make_user, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        detail = selectors.package_detail_for(user=AnonymousUser(), pk=catalogue.pk)
        assert [(c.country.code, c.year) for c in detail["cases"]] == [("TH", 2021), ("VN", 2018)]
    assert not detail["may_change"]
    assert selectors.package_detail_for(user=make_user(Role.SECRETARIAT), pk=catalogue.pk)["may_change"]
    hidden = make_package(visibility="secretariat")
    with pytest.raises(Http404):
        selectors.package_detail_for(user=make_user(Role.EXPERT), pk=hidden.pk)


def test_needs_are_filtered_among_those_the_user_sees(make_user):
    make_need(country="VN", field="waste", title_en="VN waste")
    make_need(country="VN", field="water", title_en="VN water")
    make_need(country="TH", field="waste", title_en="TH waste")
    make_need(country="TH", field="air", title_en="TH air", visibility="public")
    focal = make_user(Role.FOCAL_POINT, country="VN")

    def titles(user, **filters):
        return sorted(n.title_en for n in selectors.needs_for(user=user, **filters))

    assert titles(focal) == ["TH air", "VN waste", "VN water"]
    assert titles(focal, field="waste") == ["VN waste"]
    assert titles(focal, country=CountryFactory(code="TH")) == ["TH air"]
    assert titles(AnonymousUser()) == ["TH air"]
    staff = make_user(Role.SECRETARIAT)
    assert titles(staff, field=make_field("waste")) == ["TH waste", "VN waste"]
    assert titles(staff, status="closed") == []


def test_the_needs_list_runs_one_query(make_user, django_assert_max_num_queries):
    focal = make_user(Role.FOCAL_POINT, country="VN")
    for n in range(8):
        make_need(actor=focal, field=("waste", "air")[n % 2])
    focal.active_roles  # noqa: B018 (the roles are read once per request, before the page)
    with django_assert_max_num_queries(1):
        rows = list(selectors.needs_for(user=focal))
        assert {(row.country.code, row.submitted_by.pk) for row in rows} == {("VN", focal.pk)}
        assert {row.field.code for row in rows} == {"waste", "air"}


def test_a_need_detail_says_what_the_user_may_do(make_user):
    focal = make_user(Role.FOCAL_POINT, country="VN")
    need = make_need(actor=focal)
    mine = selectors.need_detail_for(user=focal, pk=need.pk)
    assert mine["may_change"]
    assert not mine["may_set_status"]
    assert mine["next_statuses"] == []
    staff = selectors.need_detail_for(user=make_user(Role.SECRETARIAT), pk=need.pk)
    assert staff["may_set_status"]
    assert staff["next_statuses"] == ["acknowledged", "closed", "matched"]
    services.need_set_status(actor=None, need=need, expected_version=1, status="matched")
    assert not selectors.need_detail_for(user=focal, pk=need.pk)["may_change"]
    with pytest.raises(Http404):
        selectors.need_detail_for(user=make_user(Role.FOCAL_POINT, country="TH"), pk=need.pk)
