"""List pages run a fixed number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cleanasia.core.models import Visibility
from tests.factories import CountryFactory, GroupMembershipFactory, OrganisationFactory, PersonFactory

from .conftest import url
from .framework_data import build_seed_framework

pytestmark = pytest.mark.django_db

# Measured maxima over the roles. About five are the request's own: session, user, role assignments,
# second-factor devices (two for a user without a verified device), the demo-banner check. The staff
# overview adds one query per historied model for the secretariat's recent changes.
PINNED = {
    "portal:home": 7,
    "portal:framework": 7,
    "core:staff-home": 60,  # grows with the workspace sections and historied models (recent changes), not with rows
    "framework:tree": 7,
    "directory:countries": 10,
    "directory:organisations": 8,
    "directory:people": 8,
}


def count_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def add_rows(n, start):
    countries = [CountryFactory(code=f"{chr(65 + (i // 26) % 26)}{chr(65 + i % 26)}") for i in range(start, start + n)]
    for i, country in enumerate(countries):
        OrganisationFactory(country=country, parent=None)
        PersonFactory(country=country, visibility=Visibility.MEMBERS if i % 2 else Visibility.PUBLIC)
        GroupMembershipFactory(country=country)


@pytest.mark.parametrize("role", ["expert", "secretariat"])
@pytest.mark.parametrize("name", sorted(PINNED))
def test_list_pages_do_not_grow_with_rows(name, role, client_for, django_assert_max_num_queries):
    client, _ = client_for(role)
    build_seed_framework()
    add_rows(3, 0)
    path = url(name, "en")
    few = count_queries(client, path)
    add_rows(60, 100)  # more than a page
    many = count_queries(client, path)
    assert many == few, f"{name}: {few} queries with few rows, {many} with many"
    with django_assert_max_num_queries(PINNED[name]):
        client.get(path)


def test_the_members_on_a_date_form_is_fixed_too(client_for):
    client, _ = client_for("expert")
    add_rows(3, 0)
    path = url("directory:countries", "en") + "?group=asean&on=2020-01-01"
    few = count_queries(client, path)
    add_rows(40, 100)
    assert count_queries(client, path) == few
