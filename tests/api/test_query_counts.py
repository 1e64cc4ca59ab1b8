"""List endpoints answer in a fixed number of queries, however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cleanasia.core.models import Visibility
from tests.factories import (
    CountryFactory,
    CountryGroupFactory,
    FrameworkNodeFactory,
    OrganisationFactory,
    PersonFactory,
)

from .factories import AffiliationFactory

pytestmark = pytest.mark.django_db


def _countries(n):
    for index in range(n):
        CountryFactory(code=f"{chr(65 + index // 26)}{chr(65 + index % 26)}")


def _groups(n):
    for index in range(n):
        CountryGroupFactory(code=f"group-{index}", name_en=f"Group {index}")


def _organisations(n):
    parent = OrganisationFactory()
    for _index in range(n):
        OrganisationFactory(parent=parent)


def _people(n):
    for index in range(n):
        person = PersonFactory(visibility=[Visibility.PUBLIC, Visibility.MEMBERS][index % 2])
        AffiliationFactory(person=person)
        AffiliationFactory(person=person)


def _nodes(n):
    root = FrameworkNodeFactory()
    for _index in range(n):
        FrameworkNodeFactory(parent=root)


def _count_nested(nodes):
    return sum(1 + _count_nested(node["children"]) for node in nodes)


CASES = [
    ("/api/v1/countries/", _countries),
    ("/api/v1/country-groups/", _groups),
    ("/api/v1/organisations/", _organisations),
    ("/api/v1/people/", _people),
    ("/api/v1/framework-nodes/", _nodes),
    ("/api/v1/framework-nodes/tree/", _nodes),
]


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"page_size": 100})
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize(("path", "make_rows"), CASES)
@pytest.mark.parametrize("role", ["public", "expert", "secretariat"])
def test_list_queries_do_not_grow_with_rows(path, make_rows, role, client_for, django_assert_max_num_queries):
    client, _user = client_for(role)
    make_rows(5)
    few, _response = _queries(client, path)
    make_rows(45)
    with django_assert_max_num_queries(few):
        response = client.get(path, {"page_size": 100})
    body = response.json()
    shown = _count_nested(body) if isinstance(body, list) else len(body["results"])
    assert shown >= 25, "the second request really shows more rows"
    assert few <= 12, f"{path} as {role}: {few} queries"


def test_a_group_detail_with_its_memberships_is_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    from .factories import build_asean_and_eas

    build_asean_and_eas()
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/country-groups/eas/", {"on": "2009-10-01"})
    assert len(response.json()["memberships"]) == 18
