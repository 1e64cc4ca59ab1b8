"""Who sees and who changes packages, case studies and country needs: every role of ROLES over every level.

A need is its country's business: seen by the secretariat and that country's focal points, by others only
as its visibility says."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied

from cleanasia.accounts.models import Role, RoleAssignment
from cleanasia.core.permissions import ADD, CHANGE, DELETE, VIEW, can, visible
from cleanasia.network.models import CountryNeed, KnowHowPackage, PackageCase
from cleanasia.network.policies.packages import SET_STATUS
from cleanasia.network.services import packages as services

from ..conftest import ROLES
from ..factories import CountryFactory
from .test_packages_builders import make_case, make_need, make_package

pytestmark = pytest.mark.django_db

STAFF = (Role.SECRETARIAT, Role.ADMIN)
LEVELS = ("public", "members", "groups", "secretariat")


@pytest.fixture
def world():
    packages = {level: make_package(visibility=level) for level in LEVELS}
    for package in packages.values():
        make_case(package, "VN")
    needs = {
        "vn_restricted": make_need(country="VN", visibility="secretariat"),
        "th_restricted": make_need(country="TH", visibility="secretariat"),
        "th_public": make_need(country="TH", visibility="public"),
        "th_members": make_need(country="TH", visibility="members"),
        "th_groups": make_need(country="TH", visibility="groups"),
    }
    return {"packages": packages, "needs": needs}


def user_for(role, make_user):
    return AnonymousUser() if role == "public" else make_user(role)  # focal points are Viet Nam's


def expected_packages(role):
    if role in STAFF:
        return set(LEVELS)
    return {"public"} if role == "public" else {"public", "members"}


def expected_needs(role):
    if role in STAFF:
        return {"vn_restricted", "th_restricted", "th_public", "th_members", "th_groups"}
    if role == "public":
        return {"th_public"}
    return {"th_public", "th_members", *({"vn_restricted"} if role == Role.FOCAL_POINT else ())}


@pytest.mark.parametrize("role", ROLES)
def test_package_visibility_matrix(role, make_user, world):
    user = user_for(role, make_user)
    packages = world["packages"]
    wanted = {packages[key].pk for key in expected_packages(role)}
    assert set(visible(KnowHowPackage.objects.all(), user).values_list("pk", flat=True)) == wanted
    for key, package in packages.items():
        assert can(user, VIEW, package) == (key in expected_packages(role)), key
    # Case studies follow their package.
    assert set(visible(PackageCase.objects.all(), user).values_list("package_id", flat=True)) == wanted


@pytest.mark.parametrize("role", ROLES)
def test_need_visibility_matrix(role, make_user, world):
    user = user_for(role, make_user)
    needs = world["needs"]
    wanted = {needs[key].pk for key in expected_needs(role)}
    assert set(visible(CountryNeed.objects.all(), user).values_list("pk", flat=True)) == wanted
    for key, need in needs.items():
        assert can(user, VIEW, need) == (key in expected_needs(role)), key


@pytest.mark.parametrize("role", ROLES)
def test_who_changes_what(role, make_user, world):
    user = user_for(role, make_user)
    staff = role in STAFF
    focal = role == Role.FOCAL_POINT
    package = world["packages"]["public"]
    assert can(user, ADD, KnowHowPackage) == staff
    assert can(user, CHANGE, package) == staff
    assert can(user, CHANGE, package.cases.get()) == staff
    assert not can(user, DELETE, package)
    assert can(user, ADD, CountryNeed) == (staff or focal)
    assert can(user, CHANGE, world["needs"]["vn_restricted"]) == (staff or focal)
    assert can(user, CHANGE, world["needs"]["th_public"]) == staff
    assert can(user, SET_STATUS, world["needs"]["vn_restricted"]) == staff
    assert not can(user, DELETE, world["needs"]["vn_restricted"])


@pytest.mark.parametrize("role", [r for r in ROLES if r not in STAFF and r != "public"])
def test_only_the_secretariat_edits_the_catalogue(role, make_user, world):
    user = user_for(role, make_user)
    package = world["packages"]["public"]
    case = package.cases.get()
    calls = [
        lambda: services.package_create(actor=user, code="x", kind="technology", fields=package.fields.all()),
        lambda: services.package_update(actor=user, package=package, expected_version=1, changes={"title_en": "x"}),
        lambda: services.case_add(actor=user, package=package, country=CountryFactory(code="VN"), title_en="x"),
        lambda: services.case_update(actor=user, case=case, expected_version=1, changes={"title_en": "x"}),
        lambda: services.need_set_status(
            actor=user, need=world["needs"]["vn_restricted"], expected_version=1, status="acknowledged"
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    package.refresh_from_db()
    assert package.version == 1


def test_a_named_group_sees_the_needs_and_packages_shown_to_it(make_user, world):
    user = make_user(Role.EXPERT)
    readers = Group.objects.create(name="Waste partners")
    user.groups.add(readers)
    world["needs"]["th_groups"].audience_groups.add(readers)
    world["packages"]["groups"].audience_groups.add(readers)
    assert can(user, VIEW, world["needs"]["th_groups"])
    assert can(user, VIEW, world["packages"]["groups"])
    assert not can(make_user(Role.EXPERT), VIEW, world["needs"]["th_groups"])


def test_a_focal_point_of_two_countries_sees_and_edits_both(make_user, world):
    focal = make_user(Role.FOCAL_POINT, country="VN")
    RoleAssignment.objects.create(user=focal, role=Role.FOCAL_POINT, country=CountryFactory(code="TH"))
    assert can(focal, VIEW, world["needs"]["th_restricted"])
    assert can(focal, CHANGE, world["needs"]["th_restricted"])
