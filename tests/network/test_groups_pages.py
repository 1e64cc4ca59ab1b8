"""Pages of fields and working groups: who opens each page (every role), the forms' success and bad input
(the message names the field, nothing written), stale edits refused, what the public page shows as the
group chooses, contact details never public, and a fixed number of queries per page."""

import datetime as dt

import pytest
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.measures.models import MeasureLink
from cleanasia.network.models import Field, WorkingGroup, WorkingGroupMember, WorkPlanItem
from cleanasia.network.services import groups as services

from ..conftest import ROLES
from ..factories import CountryFactory, PersonFactory
from ..measures.factories import make_measure
from ..meetings.factories import make_meeting
from .factories_groups import add_member, make_field, make_wg

pytestmark = pytest.mark.django_db

STAFF = (Role.SECRETARIAT, Role.ADMIN)
SECRET_EMAIL = "thai.member@example.org"
SECRET_PHONE = "+66 2 555 0199"


@pytest.fixture
def world():
    """A public group that publishes its members and work plan, and a secretariat-only group."""
    air = make_field("air", name_en="Air quality")
    public = make_wg(
        "wg-air",
        field=air,
        visibility="public",
        name_en="Clean air group",
        public_summary_en="Working together on clean air.",
        terms_of_reference_en="The group advises on air quality management.",
        publishes_members=True,
    )
    hidden = make_wg("wg-hidden", visibility="secretariat", name_en="Hidden group")
    person = PersonFactory(
        name_en="Somchai Member", country=CountryFactory(code="TH"), email=SECRET_EMAIL, phone=SECRET_PHONE
    )
    add_member(public, country="TH", person=person)
    item = services.work_plan_item_create(actor=None, group=public, title_en="Emission inventory guide")
    return {"field": air, "public": public, "hidden": hidden, "person": person, "item": item}


def url(name, *args):
    return reverse(name, args=args)


def staff(client_for, role=Role.SECRETARIAT):
    client, user = client_for(role)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client, user


# --- who opens what -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_staff_lists_need_a_sign_in_and_are_open_to_every_signed_in_role(role, client_for, world):
    client, _user = client_for(role)
    for name in ("network:group-list", "network:field-list"):
        response = client.get(url(name))
        if role == "public":
            assert response.status_code == 302
            assert "/sign-in/" in response["Location"]
        else:
            assert response.status_code == 200
            if name == "network:group-list":
                assert ("Hidden group" in response.content.decode()) is (role in STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_the_workspace_is_for_members_and_the_secretariat(role, client_for, world):
    client, user = client_for(role)
    if role == Role.WG_MEMBER:
        add_member(world["hidden"], country="VN", user=user)
    public = client.get(url("network:group-workspace", "wg-air"))
    hidden = client.get(url("network:group-workspace", "wg-hidden"))
    if role == "public":
        assert public.status_code == hidden.status_code == 302
    elif role in STAFF:
        assert public.status_code == hidden.status_code == 200
        page = public.content.decode()
        assert "The group advises on air quality management." in page
        assert SECRET_EMAIL in page  # the secretariat reaches the members
        assert "Emission inventory guide" in page
    elif role == Role.WG_MEMBER:
        assert public.status_code == 403  # sees the group, not its workspace
        assert hidden.status_code == 200  # their own group, whatever its level
        assert SECRET_EMAIL not in hidden.content.decode()
        assert "Add a member" not in hidden.content.decode()
    else:
        assert public.status_code == 403
        assert hidden.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_forms_of_the_secretariat_refuse_everyone_else(role, client_for, world):
    client, _user = client_for(role)
    member = WorkingGroupMember.objects.get(group=world["public"])
    pages = [
        url("network:field-create"),
        url("network:field-edit", world["field"].pk),
        url("network:group-create"),
        url("network:group-edit", "wg-air"),
        url("network:group-publish", "wg-air"),
        url("network:member-add", "wg-air"),
        url("network:member-end", member.pk),
        url("network:item-create", "wg-air"),
        url("network:item-edit", world["item"].pk),
    ]
    for page in pages:
        status = client.get(page).status_code
        if role == "public":
            assert status == 302, page
        elif role in STAFF:
            assert status == 200, page
        else:
            assert status in (403, 404), page
    if role not in STAFF:
        before = Field.objects.count()
        client.post(url("network:field-create"), {"code": "sneaky", "name_en": "Sneaky"})
        assert Field.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_the_public_pages_show_what_the_group_publishes_and_no_contact_details(role, client_for, world):
    client, _user = client_for(role)
    listing = client.get(url("network_public:group-list"))
    assert listing.status_code == 200
    assert "Clean air group" in listing.content.decode()
    assert ("Hidden group" in listing.content.decode()) is (role in STAFF)
    page = client.get(url("network_public:group-detail", "wg-air"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Working together on clean air." in body
    assert "Somchai Member" in body  # the group publishes its members
    assert "Emission inventory guide" in body
    assert SECRET_EMAIL not in body
    assert SECRET_PHONE not in body
    assert "The group advises on air quality management." not in body  # the terms stay in the workspace
    hidden = client.get(url("network_public:group-detail", "wg-hidden"))
    assert hidden.status_code == (200 if role in STAFF else 404)


def test_a_group_that_stops_publishing_its_members_hides_them(client_for, world):
    client, _user = staff(client_for)
    group = world["public"]
    response = client.post(
        url("network:group-publish", "wg-air"),
        {"publishes_work_plan": "on", "visibility": "public", "version": group.version},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert not group.publishes_members
    assert not group.publishes_reports
    body = client.get(url("network_public:group-detail", "wg-air")).content.decode()
    assert "Somchai Member" not in body
    assert "Emission inventory guide" in body


# --- fields ---------------------------------------------------------------------------------------


def test_the_secretariat_adds_and_edits_a_field(client_for, world):
    client, _user = staff(client_for)
    response = client.post(url("network:field-create"), {"code": "water", "name_en": "Water", "is_active": "on"})
    assert response.status_code == 302
    water = Field.objects.get(code="water")
    assert water.is_active
    assert water.position > world["field"].position
    response = client.post(
        url("network:field-edit", water.pk),
        {"code": "water", "name_en": "Water quality", "position": 5, "version": water.version},
    )
    assert response.status_code == 302
    water.refresh_from_db()
    assert (water.name_en, water.position, water.is_active) == ("Water quality", 5, False)


def test_a_bad_field_code_is_refused_at_the_field(client_for, world):
    client, _user = staff(client_for)
    response = client.post(url("network:field-create"), {"code": "Air Quality!", "name_en": "Bad"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Use lower-case letters, digits and hyphens only" in body
    assert 'href="#id_code"' in body
    response = client.post(url("network:field-create"), {"code": "air", "name_en": "Again"})
    assert "Another field already has this code" in response.content.decode()
    assert not Field.objects.filter(name_en__in=["Bad", "Again"]).exists()


def test_a_stale_field_edit_is_refused_with_the_other_change(client_for, world):
    client, _user = staff(client_for)
    field = world["field"]
    version = field.version
    services.field_update(actor=None, field=field, expected_version=version, changes={"name_en": "Clean air"})
    response = client.post(
        url("network:field-edit", field.pk),
        {"code": "air", "name_en": "Mine", "position": 0, "is_active": "on", "version": version},
    )
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    field.refresh_from_db()
    assert field.name_en == "Clean air"


# --- groups ---------------------------------------------------------------------------------------


def test_the_secretariat_creates_a_group_with_its_measure(client_for, world):
    client, _user = staff(client_for)
    response = client.post(
        url("network:group-create"),
        {
            "field": world["field"].pk,
            "code": "wg-air-2",
            "name_en": "Second air group",
            "terms_of_reference_en": "Terms",
            "chair_countries": ["JP"],
            "status": "active",
            "membership_group": world["public"].meeting_series.membership_group_id,
            "visibility": "members",
        },
    )
    assert response.status_code == 302, response.content.decode()
    group = WorkingGroup.objects.get(code="wg-air-2")
    assert group.measure.code == "NET-WG-AIR-2"
    assert group.meeting_series is not None
    assert list(group.chair_countries.values_list("code", flat=True)) == ["JP"]


def test_a_group_create_with_bad_input_names_the_field_and_writes_nothing(client_for, world):
    client, _user = staff(client_for)
    before = WorkingGroup.objects.count()
    response = client.post(
        url("network:group-create"),
        {"field": world["field"].pk, "code": "wg-air", "name_en": "Twice", "status": "active", "visibility": "public"},
    )
    assert response.status_code == 400
    assert "Another group (or its measure) already has this code" in response.content.decode()
    response = client.post(
        url("network:group-create"),
        {
            "field": world["field"].pk,
            "code": "wg-both",
            "name_en": "Both",
            "chair_countries": ["JP"],
            "co_chair_countries": ["JP"],
            "status": "active",
            "visibility": "public",
        },
    )
    assert response.status_code == 400
    assert "A country is chair or co-chair, not both" in response.content.decode()
    assert WorkingGroup.objects.count() == before


def test_a_group_edit_saves_and_a_stale_one_is_refused(client_for, world):
    client, _user = staff(client_for)
    group = world["public"]
    data = {
        "field": group.field_id,
        "name_en": "Clean air and health",
        "terms_of_reference_en": "New terms",
        "chair_countries": ["JP"],
        "co_chair_countries": ["VN"],
        "status": "active",
        "version": group.version,
    }
    assert client.post(url("network:group-edit", "wg-air"), data).status_code == 302
    group.refresh_from_db()
    assert group.name_en == "Clean air and health"
    assert group.measure.title_en == "Clean air and health"  # carried over to its measure
    stale = client.post(url("network:group-edit", "wg-air"), {**data, "name_en": "Late edit"})
    assert stale.status_code == 409
    assert "Clean air and health" in stale.content.decode()
    group.refresh_from_db()
    assert group.name_en == "Clean air and health"


# --- members --------------------------------------------------------------------------------------


def test_the_secretariat_adds_a_member_by_e_mail_and_ends_the_term(client_for, world):
    client, _user = staff(client_for)
    person = PersonFactory(country=CountryFactory(code="KH"), email="kh.expert@example.org")
    response = client.post(
        url("network:member-add", "wg-air"),
        {"person": "KH.Expert@example.org", "role": "member", "started_on": "2025-04-01"},
    )
    assert response.status_code == 302
    member = WorkingGroupMember.objects.get(group=world["public"], person=person)
    assert member.country_id == "KH"
    response = client.post(url("network:member-end", member.pk), {"ended_on": "2026-03-31"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ended_on == dt.date(2026, 3, 31)


def test_member_forms_refuse_bad_input_at_the_field(client_for, world):
    client, _user = staff(client_for)
    before = WorkingGroupMember.objects.count()
    unknown = client.post(
        url("network:member-add", "wg-air"),
        {"person": "nobody@example.org", "role": "member", "started_on": "2025-04-01"},
    )
    assert unknown.status_code == 400
    assert "No person of the directory has this number or e-mail address" in unknown.content.decode()
    outsider = PersonFactory(country=CountryFactory(code="FR"))
    response = client.post(
        url("network:member-add", "wg-air"), {"person": outsider.pk, "role": "member", "started_on": "2025-04-01"}
    )
    assert response.status_code == 400
    assert "an expert from elsewhere joins as an observer" in response.content.decode()
    assert 'href="#id_country"' in response.content.decode()
    assert WorkingGroupMember.objects.count() == before
    member = WorkingGroupMember.objects.get(group=world["public"])
    response = client.post(url("network:member-end", member.pk), {"ended_on": "1999-01-01"})
    assert response.status_code == 400
    assert "A term cannot end before it starts" in response.content.decode()
    member.refresh_from_db()
    assert member.ended_on is None


# --- work plan ------------------------------------------------------------------------------------


def test_the_secretariat_adds_an_item_linked_to_a_measure_and_edits_it(client_for, world):
    client, _user = staff(client_for)
    measure = make_measure(code="M-AIR-1")
    response = client.post(
        url("network:item-create", "wg-air"),
        {"title_en": "Monitoring training", "status": "planned", "measure": measure.pk},
    )
    assert response.status_code == 302
    item = WorkPlanItem.objects.get(title_en="Monitoring training")
    assert MeasureLink.objects.filter(measure=measure, target_id=item.pk).exists()
    assert "M-AIR-1" in client.get(url("network:group-workspace", "wg-air")).content.decode()
    response = client.post(
        url("network:item-edit", item.pk),
        {"title_en": "Monitoring training 2027", "status": "in_progress", "version": item.version},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title_en, item.status) == ("Monitoring training 2027", "in_progress")
    stale = client.post(
        url("network:item-edit", item.pk), {"title_en": "Late", "status": "planned", "version": item.version - 1}
    )
    assert stale.status_code == 409


def test_an_item_without_a_title_is_refused_at_the_field(client_for, world):
    client, _user = staff(client_for)
    response = client.post(url("network:item-create", "wg-air"), {"title_en": "", "status": "planned"})
    assert response.status_code == 400
    assert "Give the name in Japanese or in English." in response.content.decode()
    assert WorkPlanItem.objects.count() == 1


def test_the_chair_marks_an_item_done_and_an_ordinary_member_cannot(client_for, world):
    chair_client, chair = client_for(Role.WG_MEMBER)
    add_member(world["public"], country="JP", role="chair", user=chair)
    member_client, member = client_for(Role.WG_MEMBER)
    add_member(world["public"], country="VN", user=member)
    item = world["item"]
    workspace = chair_client.get(url("network:group-workspace", "wg-air")).content.decode()
    assert "Mark done" in workspace
    assert "Mark done" not in member_client.get(url("network:group-workspace", "wg-air")).content.decode()
    refused = member_client.post(url("network:item-status", item.pk), {"status": "done", "version": item.version})
    assert refused.status_code == 403
    done = chair_client.post(url("network:item-status", item.pk), {"status": "done", "version": item.version})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    stale = chair_client.post(url("network:item-status", item.pk), {"status": "planned", "version": 1}, follow=True)
    assert "Someone else changed this item meanwhile" in stale.content.decode()
    item.refresh_from_db()
    assert item.status == "done"


# --- query budgets --------------------------------------------------------------------------------


def test_the_group_pages_keep_a_fixed_number_of_queries(client_for, world, django_assert_max_num_queries):
    client, _user = staff(client_for)
    anonymous, _none = client_for("public")
    group = world["public"]
    pages = (
        (client, url("network:group-workspace", "wg-air")),
        (client, url("network:group-list")),
        (anonymous, url("network_public:group-detail", "wg-air")),
        (anonymous, url("network_public:group-list")),
    )
    for reader, page in pages:
        reader.get(page)  # warm the per-process caches (content types, sessions)
    few = {}
    for reader, page in pages:
        with django_assert_max_num_queries(40) as counted:
            assert reader.get(page).status_code == 200
        few[page] = len(counted.captured_queries)
    make_meeting(group.meeting_series, title_en="Group meeting")
    for n in range(8):
        add_member(group, country="VN", person=PersonFactory(name_en=f"Expert {n}", country=CountryFactory(code="VN")))
        services.work_plan_item_create(actor=None, group=group, title_en=f"Item {n}")
        make_wg(f"wg-more-{n}", visibility="public")
    for reader, page in pages:
        with django_assert_max_num_queries(few[page]):
            assert reader.get(page).status_code == 200
