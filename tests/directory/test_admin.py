"""The directory in Django's admin site: administrators only, same rules as the services."""

import datetime as dt

import pytest
from django.urls import reverse

from cleanasia.directory.models import CountryGroup, GroupMembership, Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "directory_country_changelist",
        "directory_countrygroup_changelist",
        "directory_groupmembership_changelist",
        "directory_organisation_changelist",
        "directory_person_changelist",
        "directory_affiliation_changelist",
        "framework_frameworknode_changelist",
    ],
)
def test_admin_lists_open_for_an_administrator(client_for, reference, name):
    client, _admin = client_for("admin")
    response = client.get(reverse(f"admin:{name}"))
    assert response.status_code == 200


def test_an_overlapping_membership_is_refused_in_the_admin_beside_the_field(client_for, reference):
    client, _admin = client_for("admin")
    asean = CountryGroup.objects.get(code="asean")
    response = client.post(
        reverse("admin:directory_groupmembership_add"),
        {"group": asean.pk, "country": "VN", "joined_on": "2001-01-01", "left_on": "", "note": "", "source": ""},
    )
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert GroupMembership.objects.filter(group=asean, country="VN").count() == 1


def test_an_admin_edit_raises_the_version_and_names_the_administrator(client_for, reference):
    client, admin = client_for("admin")
    membership = GroupMembership.objects.get(group__code="asean", country="VN")
    response = client.post(
        reverse("admin:directory_groupmembership_change", args=[membership.pk]),
        {
            "group": membership.group_id,
            "country": "VN",
            "joined_on": "1995-07-28",
            "left_on": "",
            "note": "checked",
            "source": membership.source,
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.note == "checked"
    assert membership.version == 2
    latest = membership.history.first()
    assert latest.history_user == admin
    assert latest.action_code == "directory.membership.changed_in_admin"
    assert membership.joined_on == dt.date(1995, 7, 28)


def test_the_admin_is_closed_to_the_secretariat_without_admin_access(client_for, reference):
    client, _user = client_for("secretariat")
    response = client.get(reverse("admin:directory_organisation_changelist"))
    assert response.status_code == 302  # to the admin sign-in: no Django admin access
    assert Organisation.objects.exists()
