"""API of fields, working groups, memberships and work plans: what each role reads (public fields only to the
public; terms of reference and work plans to members and the secretariat), contact details never given,
secretariat-only writes through the services, versioned PATCH (409 when stale), bad input refused by name,
and a fixed number of queries per list."""

import json

import pytest

from cleanasia.accounts.models import Role
from cleanasia.network.models import Field, WorkingGroup, WorkingGroupMember, WorkPlanItem
from cleanasia.network.services import groups as services
from tests.api.helpers import patch_json, problem

from ..conftest import ROLES
from ..factories import CountryFactory, PersonFactory
from ..measures.factories import make_measure
from .factories_groups import add_member, eas, make_field, make_wg

pytestmark = pytest.mark.django_db

STAFF = (Role.SECRETARIAT, Role.ADMIN)
SECRET_EMAIL = "thai.member@example.org"
SECRET_PHONE = "+66 2 555 0199"
TERMS = "The group advises on air quality management."


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def fields_of(body):
    return {error["field"] for error in body["errors"]}


@pytest.fixture
def world():
    """A public group publishing members but not its work plan; a members-level group publishing its work
    plan; a secretariat-only group."""
    air = make_field("air", name_en="Air")
    public = make_wg(
        "wg-air",
        field=air,
        visibility="public",
        terms_of_reference_en=TERMS,
        publishes_members=True,
        publishes_work_plan=False,
    )
    members = make_wg("wg-water", visibility="members", publishes_work_plan=True)
    hidden = make_wg("wg-hidden", visibility="secretariat")
    person = PersonFactory(name_en="Somchai", country=CountryFactory(code="TH"), email=SECRET_EMAIL, phone=SECRET_PHONE)
    add_member(public, country="TH", person=person)
    add_member(hidden, country="VN")
    services.work_plan_item_create(actor=None, group=public, title_en="Air item")
    services.work_plan_item_create(actor=None, group=members, title_en="Water item")
    services.work_plan_item_create(actor=None, group=hidden, title_en="Hidden item")
    return {"air": air, "public": public, "members": members, "hidden": hidden, "person": person}


GROUPS = {
    "public": {"wg-air"},
    Role.EXPERT: {"wg-air", "wg-water"},
    Role.WG_MEMBER: {"wg-air", "wg-water"},
    Role.FOCAL_POINT: {"wg-air", "wg-water"},
    Role.SECRETARIAT: {"wg-air", "wg-water", "wg-hidden"},
    Role.ADMIN: {"wg-air", "wg-water", "wg-hidden"},
}
ITEMS = {
    "public": set(),
    Role.EXPERT: {"Water item"},
    Role.WG_MEMBER: {"Water item"},
    Role.FOCAL_POINT: {"Water item"},
    Role.SECRETARIAT: {"Air item", "Water item", "Hidden item"},
    Role.ADMIN: {"Air item", "Water item", "Hidden item"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_what_it_may_see_and_never_contact_details(role, client_for, world):
    client, _user = client_for(role)
    groups = results(client.get("/api/v1/network-working-groups/"))
    assert {g["code"] for g in groups} == GROUPS[role]
    air = next(g for g in groups if g["code"] == "wg-air")
    assert ("terms_of_reference_en" in air) is (role in STAFF)
    assert {i["title_en"] for i in results(client.get("/api/v1/network-work-plan-items/"))} == ITEMS[role]
    members = client.get("/api/v1/network-memberships/")
    names = {m["person_name_en"] for m in results(members)}
    assert "Somchai" in names  # wg-air publishes its members
    assert (len(names) == 2) is (role in STAFF)
    for response in (members, client.get("/api/v1/network-working-groups/")):
        assert SECRET_EMAIL not in response.content.decode()
        assert SECRET_PHONE not in response.content.decode()
    assert {f["code"] for f in results(client.get("/api/v1/network-fields/"))} >= {"air"}
    hidden = client.get("/api/v1/network-working-groups/wg-hidden/")
    if role in STAFF:
        assert hidden.status_code == 200
    else:
        problem(hidden, 404)


def test_a_member_reads_the_terms_and_work_plan_of_their_own_group(client_for, world):
    client, user = client_for(Role.WG_MEMBER)
    add_member(world["hidden"], country="JP", user=user)
    group = client.get("/api/v1/network-working-groups/wg-hidden/").json()
    assert group["is_member"] is True
    assert "terms_of_reference_en" in group
    items = {i["title_en"] for i in results(client.get("/api/v1/network-work-plan-items/?group=wg-hidden"))}
    assert items == {"Hidden item"}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_writes(role, client_for, world):
    client, _user = client_for(role)
    field = post_json(client, "/api/v1/network-fields/", {"code": f"f-{role}", "name_en": "New"})
    group = post_json(
        client, "/api/v1/network-working-groups/", {"field": "air", "code": f"wg-{role}", "name_en": "New group"}
    )
    item = post_json(client, "/api/v1/network-work-plan-items/", {"group": "wg-air", "title_en": "New item"})
    if role in STAFF:
        assert field.status_code == 201
        assert group.status_code == 201
        assert item.status_code == 201
        assert group.json()["measure"] is not None
    else:
        expected = 401 if role == "public" else 403
        for response in (field, group, item):
            problem(response, expected)
        assert not Field.objects.filter(code=f"f-{role}").exists()
        assert not WorkingGroup.objects.filter(code=f"wg-{role}").exists()
        assert not WorkPlanItem.objects.filter(title_en="New item").exists()


def test_versioned_edits_save_and_stale_ones_are_refused(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    air = world["air"]
    url = f"/api/v1/network-fields/{air.pk}/"
    saved = patch_json(client, url, {"name_en": "Clean air", "version": air.version})
    assert saved.status_code == 200
    assert saved.json()["name_en"] == "Clean air"
    problem(patch_json(client, url, {"name_en": "Late", "version": air.version}), 409)
    group = world["public"]
    url = "/api/v1/network-working-groups/wg-air/"
    saved = patch_json(client, url, {"publishes_members": False, "version": group.version})
    assert saved.status_code == 200
    assert saved.json()["publishes_members"] is False
    problem(patch_json(client, url, {"name_en": "Late", "version": group.version}), 409)
    problem(patch_json(client, url, {"name_en": "No version"}), 400)


def test_bad_input_is_refused_by_name(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    body = problem(post_json(client, "/api/v1/network-fields/", {"code": "Bad Code", "name_en": "x"}), 400)
    assert "code" in fields_of(body)
    body = problem(
        post_json(
            client,
            "/api/v1/network-working-groups/",
            {
                "field": "air",
                "code": "wg-x",
                "name_en": "X",
                "chair_countries": ["JP"],
                "co_chair_countries": ["JP"],
            },
        ),
        400,
    )
    assert "co_chair_countries" in fields_of(body)
    body = problem(
        patch_json(
            client, "/api/v1/network-working-groups/wg-air/", {"code": "wg-renamed", "version": world["public"].version}
        ),
        400,
    )
    assert "code" in fields_of(body)
    assert not WorkingGroup.objects.filter(code__in=["wg-x", "wg-renamed"]).exists()


def test_memberships_are_added_corrected_and_ended(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    person = PersonFactory(country=CountryFactory(code="KH"))
    created = post_json(
        client,
        "/api/v1/network-memberships/",
        {"group": "wg-air", "person": person.pk, "started_on": "2025-04-01"},
    )
    assert created.status_code == 201, created.content
    member = created.json()
    assert member["country"] == "KH"
    assert "email" not in member
    url = f"/api/v1/network-memberships/{member['id']}/"
    corrected = patch_json(client, url, {"role": "observer", "version": member["version"]})
    assert corrected.status_code == 200
    problem(patch_json(client, url, {"role": "member", "version": member["version"]}), 409)
    ended = post_json(client, f"{url}end/", {"ended_on": "2026-03-31"})
    assert ended.json()["ended_on"] == "2026-03-31"
    body = problem(post_json(client, f"{url}end/", {"ended_on": "1999-01-01"}), 400)
    assert "ended_on" in fields_of(body)
    outsider = PersonFactory(country=CountryFactory(code="FR"))
    body = problem(
        post_json(
            client,
            "/api/v1/network-memberships/",
            {"group": "wg-air", "person": outsider.pk, "started_on": "2025-04-01"},
        ),
        400,
    )
    assert "country" in fields_of(body)
    assert not WorkingGroupMember.objects.filter(person=outsider).exists()


def test_the_chair_sets_an_item_s_status_and_an_ordinary_member_cannot(client_for, world):
    eas()
    chair_client, chair = client_for(Role.WG_MEMBER)
    add_member(world["members"], country="JP", role="chair", user=chair)
    member_client, member = client_for(Role.WG_MEMBER)
    add_member(world["members"], country="VN", user=member)
    item = WorkPlanItem.objects.get(title_en="Water item")
    url = f"/api/v1/network-work-plan-items/{item.pk}/status/"
    problem(post_json(member_client, url, {"status": "done", "version": item.version}), 403)
    done = post_json(chair_client, url, {"status": "done", "version": item.version})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    problem(post_json(chair_client, url, {"status": "planned", "version": item.version}), 409)
    problem(
        patch_json(chair_client, f"/api/v1/network-work-plan-items/{item.pk}/", {"title_en": "x", "version": 2}), 403
    )


def test_the_secretariat_links_an_item_to_a_measure(client_for, world):
    client, _user = client_for(Role.SECRETARIAT)
    measure = make_measure(code="M-LINK")
    item = WorkPlanItem.objects.get(title_en="Air item")
    linked = post_json(client, f"/api/v1/network-work-plan-items/{item.pk}/measures/", {"measure": "M-LINK"})
    assert linked.status_code == 200, linked.content
    assert linked.json()["measures"] == [{"measure": measure.code, "relation": "advances"}]
    body = problem(
        post_json(client, f"/api/v1/network-work-plan-items/{item.pk}/measures/", {"measure": "NO-SUCH"}), 400
    )
    assert "measure" in fields_of(body)


def test_lists_keep_a_fixed_number_of_queries(client_for, world, django_assert_max_num_queries):
    client, _user = client_for(Role.SECRETARIAT)
    for n in range(8):
        group = make_wg(f"wg-more-{n}", visibility="public", publishes_members=True)
        add_member(group, country="VN")
        services.work_plan_item_create(actor=None, group=group, title_en=f"Item {n}")
    for url, budget in (
        ("/api/v1/network-working-groups/", 12),
        ("/api/v1/network-memberships/", 10),
        ("/api/v1/network-work-plan-items/", 12),
        ("/api/v1/network-fields/", 10),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
