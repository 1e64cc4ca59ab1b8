"""Every rule of the catalogue and needs services; each bad input refused naming its field."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.core.audit import action_label
from cleanasia.core.concurrency import StaleEditError
from cleanasia.network.models import CountryNeed, KnowHowPackage, NeedStatus
from cleanasia.network.policies import packages as policy
from cleanasia.network.services import packages as services

from ..factories import CountryFactory, OrganisationFactory
from .test_packages_builders import make_case, make_field, make_need, make_package, organisation

pytestmark = pytest.mark.django_db


def refused(field_name, call, *args, **kwargs):
    """The call raises ValidationError naming `field_name`; returns the message."""
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert field_name in caught.value.message_dict, caught.value.message_dict
    return " ".join(caught.value.message_dict[field_name])


# --- packages -----------------------------------------------------------------------------------------


def test_a_package_is_catalogued_with_fields_providers_and_conditions(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    provider = organisation("JP", name_en="Kitakyushu City")
    international = OrganisationFactory(country=None, name_en="IGES")
    package = services.package_create(
        actor=secretariat,
        code="eco-town",
        kind="combination",
        fields=[make_field("waste"), make_field("climate")],
        title_en="Eco-town",
        problem_en="Industrial waste",
        conditions={"urban_population_min": Decimal("500000"), "income": ["lower_middle"], "coastal": True},
        cost_min=1_000_000,
        cost_max="5000000",
        cost_currency="usd",
        providers=[provider, international],
        cobenefit_evidence_en="CO2 −20 %",
    )
    assert package.conditions == {"urban_population_min": 500000, "income": ["lower_middle"], "coastal": True}
    assert (package.cost_min, package.cost_max, package.cost_currency) == (1_000_000, 5_000_000, "USD")
    assert {f.code for f in package.fields.all()} == {"waste", "climate"}
    assert set(package.providers.all()) == {provider, international}
    row = package.history.latest()
    assert row.action_code == policy.PACKAGE_CREATED
    assert row.history_user == secretariat
    assert action_label(policy.PACKAGE_CREATED) == "Know-how package created"


@pytest.mark.parametrize(
    ("field_name", "kwargs"),
    [
        ("code", {"code": "Eco Town"}),
        ("title_ja", {"title_en": "", "title_ja": " "}),
        ("kind", {"kind": "gadget"}),
        ("problem_ja", {"problem_en": ""}),
        ("fields", {"fields": ()}),
        ("cost_min", {"cost_min": -5}),
        ("cost_max", {"cost_max": "dear"}),
        ("cost_max", {"cost_min": 10, "cost_max": 5}),
        ("cost_currency", {"cost_currency": "dollars"}),
        ("visibility", {"visibility": "world"}),
        ("conditions", {"conditions": ["coastal"]}),
    ],
)
def test_bad_package_input_is_refused_naming_the_field(field_name, kwargs):
    refused(field_name, make_package, **kwargs)
    assert not KnowHowPackage.objects.exists()


@pytest.mark.parametrize(
    ("conditions", "says"),
    [
        ({"population_min": "many"}, "population: give a number"),
        ({"population_min": 10, "population_max": 5}, "population: the minimum is above the maximum"),
        ({"income": []}, "income: list at least one accepted value"),
        ({"income": ["low", None]}, "income: accepted values are words or numbers"),
        ({"climate": "tropical"}, "climate: give a range"),
        ({"population": [1], "population_min": 1}, "population: give either accepted values or a range"),
        ({"": True}, "every condition needs a name"),
        ({"rainfall_max": float("nan")}, "finite numbers"),
    ],
)
def test_unreadable_package_conditions_are_refused_saying_what_is_wrong(conditions, says):
    assert says in refused("conditions", make_package, conditions=conditions)


def test_providers_are_japanese_and_fields_in_use():
    refused("providers", make_package, providers=[organisation("VN", name_en="Hanoi URENCO")])
    make_field("old", is_active=False)
    assert "old" in refused("fields", make_package, fields=("waste", "old")).lower()


def test_the_code_is_unique():
    make_package(code="eco-town")
    assert "Another package" in refused("code", make_package, code="eco-town")


def test_a_package_update_checks_the_same_rules_and_versions(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    package = make_package(cost_min=100, cost_max=200)
    refused(
        "cost_max",
        services.package_update,
        actor=secretariat,
        package=package,
        expected_version=1,
        changes={"cost_max": 50},
    )
    refused(
        "conditions",
        services.package_update,
        actor=secretariat,
        package=package,
        expected_version=1,
        changes={"conditions": {"x": {}}},
    )
    refused(
        "fields",
        services.package_update,
        actor=secretariat,
        package=package,
        expected_version=1,
        changes={"fields": []},
    )
    refused(
        "status",
        services.package_update,
        actor=secretariat,
        package=package,
        expected_version=1,
        changes={"status": "x"},
    )
    updated = services.package_update(
        actor=secretariat,
        package=package,
        expected_version=1,
        changes={"fields": [make_field("air")], "conditions": {"coastal": False}, "cost_max": Decimal("300")},
    )
    assert updated.version == 2
    assert updated.conditions == {"coastal": False}
    assert updated.cost_max == 300
    assert [f.code for f in updated.fields.all()] == ["air"]
    assert updated.history.latest().action_code == policy.PACKAGE_UPDATED
    with pytest.raises(StaleEditError):
        services.package_update(actor=secretariat, package=package, expected_version=1, changes={"title_en": "Late"})


def test_a_package_keeps_a_field_retired_after_it_was_chosen():
    package = make_package(fields=("waste",))
    waste = make_field("waste")
    waste.is_active = False
    waste.save()
    services.package_update(
        actor=None, package=package, expected_version=1, changes={"fields": [waste, make_field("air")]}
    )


# --- case studies --------------------------------------------------------------------------------------


def test_case_studies_are_added_and_changed():
    package = make_package()
    case = make_case(package, "TH", year=2019, summary_en="Bangkok pilot", source="JICA report")
    assert case.country_id == "TH"
    assert case.history.latest().action_code == policy.CASE_ADDED
    moved = services.case_update(
        actor=None, case=case, expected_version=1, changes={"country": CountryFactory(code="VN")}
    )
    assert moved.country_id == "VN"
    assert moved.history.latest().action_code == policy.CASE_UPDATED


@pytest.mark.parametrize(
    ("field_name", "kwargs"),
    [
        ("country", {"country": None}),
        ("title_ja", {"title_en": ""}),
        ("year", {"year": timezone.localdate().year + 1}),
        ("year", {"year": 1900}),
        ("year", {"year": "2019"}),
    ],
)
def test_bad_case_input_is_refused_naming_the_field(field_name, kwargs):
    values = {"country": CountryFactory(code="VN"), "title_en": "Case", **kwargs}
    refused(field_name, services.case_add, actor=None, package=make_package(), **values)


# --- country needs -------------------------------------------------------------------------------------


def test_a_focal_point_registers_a_need_of_their_country(make_user):
    focal = make_user(Role.FOCAL_POINT, country="VN")
    need = make_need(
        actor=focal,
        conditions={"urban_population": 8_000_000, "income": "lower_middle", "coastal": True, "rainfall": None},
        budget_max=Decimal("2000000"),
        budget_currency="usd",
    )
    assert need.status == NeedStatus.SUBMITTED
    assert need.submitted_by == focal
    assert need.budget_currency == "USD"
    assert need.budget_max == 2_000_000
    assert need.visibility == "secretariat"
    row = need.history.latest()
    assert row.action_code == policy.NEED_SUBMITTED
    assert row.history_user == focal


def test_a_focal_point_cannot_register_a_need_of_another_country(make_user):
    focal = make_user(Role.FOCAL_POINT, country="VN")
    with pytest.raises(PermissionDenied):
        make_need(actor=focal, country="TH")
    for role in (Role.EXPERT, Role.WG_MEMBER):
        with pytest.raises(PermissionDenied):
            make_need(actor=make_user(role), country="VN")
    assert not CountryNeed.objects.exists()
    assert make_need(actor=make_user(Role.SECRETARIAT), country="TH").country_id == "TH"


@pytest.mark.parametrize(
    ("field_name", "kwargs"),
    [
        ("title_ja", {"title_en": "  "}),
        ("budget_max", {"budget_max": -1}),
        ("budget_max", {"budget_max": "some"}),
        ("budget_currency", {"budget_currency": "US$"}),
        ("visibility", {"visibility": "open"}),
        ("conditions", {"conditions": {"income": ["low", "middle"]}}),
        ("conditions", {"conditions": "coastal"}),
    ],
)
def test_bad_need_input_is_refused_naming_the_field(field_name, kwargs, make_user):
    refused(field_name, make_need, actor=make_user(Role.FOCAL_POINT, country="VN"), **kwargs)
    assert not CountryNeed.objects.exists()


def test_a_need_names_its_country_and_a_field_in_use(make_user):
    focal = make_user(Role.FOCAL_POINT, country="VN")
    refused("country", services.need_submit, actor=focal, country=None, field=make_field("waste"), title_en="x")
    refused("field", services.need_submit, actor=focal, country=CountryFactory(code="VN"), field=None, title_en="x")
    make_field("retired", is_active=False)
    refused("field", make_need, actor=focal, field="retired")


def test_need_conditions_say_what_is_wrong(make_user):
    message = refused("conditions", make_need, conditions={"income": ["low"]})
    assert "income: give one word, one number or yes/no" in message


def test_a_focal_point_edits_their_need_until_it_is_matched(make_user):
    focal = make_user(Role.FOCAL_POINT, country="VN")
    need = make_need(actor=focal)
    need = services.need_update(
        actor=focal,
        need=need,
        expected_version=need.version,
        changes={"budget_max": 500, "conditions": {"coastal": True}},
    )
    assert need.budget_max == 500
    assert need.conditions == {"coastal": True}
    assert need.history.latest().action_code == policy.NEED_UPDATED
    refused(
        "country",
        services.need_update,
        actor=focal,
        need=need,
        expected_version=need.version,
        changes={"country": CountryFactory(code="TH")},
    )
    refused(
        "status",
        services.need_update,
        actor=focal,
        need=need,
        expected_version=need.version,
        changes={"status": "closed"},
    )
    refused(
        "submitted_by",
        services.need_update,
        actor=focal,
        need=need,
        expected_version=need.version,
        changes={"submitted_by": None},
    )
    need = services.need_set_status(actor=None, need=need, expected_version=need.version, status="matched")
    with pytest.raises(PermissionDenied):
        services.need_update(actor=focal, need=need, expected_version=need.version, changes={"title_en": "Later"})
    staff = make_user(Role.SECRETARIAT)
    assert (
        services.need_update(
            actor=staff, need=need, expected_version=need.version, changes={"title_en": "Later"}
        ).title_en
        == "Later"
    )


def test_another_countrys_focal_point_cannot_edit_a_need(make_user):
    need = make_need(country="VN")
    with pytest.raises(PermissionDenied):
        services.need_update(
            actor=make_user(Role.FOCAL_POINT, country="TH"), need=need, expected_version=1, changes={"title_en": "x"}
        )


def test_the_secretariat_moves_a_need_through_its_statuses(make_user):
    staff = make_user(Role.SECRETARIAT)
    need = make_need()
    for status in ("acknowledged", "matched", "closed", "acknowledged"):
        need = services.need_set_status(actor=staff, need=need, expected_version=need.version, status=status)
        assert need.status == status
    assert need.history.latest().action_code == policy.NEED_STATUS_SET
    with pytest.raises(PermissionDenied):
        services.need_set_status(
            actor=make_user(Role.FOCAL_POINT, country="VN"), need=need, expected_version=need.version, status="closed"
        )


@pytest.mark.parametrize(
    ("path", "target"),
    [
        (("acknowledged",), "submitted"),
        (("closed",), "matched"),
        (("closed",), "submitted"),
        ((), "rejected"),
    ],
)
def test_nonsense_need_statuses_are_refused(path, target):
    need = make_need()
    for status in path:
        need = services.need_set_status(actor=None, need=need, expected_version=need.version, status=status)
    refused("status", services.need_set_status, actor=None, need=need, expected_version=need.version, status=target)


def test_setting_the_same_need_status_changes_nothing():
    need = make_need()
    assert services.need_set_status(actor=None, need=need, expected_version=1, status="submitted").version == 1


def test_a_closed_need_is_not_its_countrys_to_edit(make_user):
    focal = make_user(Role.FOCAL_POINT, country="VN")
    need = services.need_set_status(actor=None, need=make_need(actor=focal), expected_version=1, status="closed")
    with pytest.raises(PermissionDenied):
        services.need_update(actor=focal, need=need, expected_version=need.version, changes={"title_en": "x"})
