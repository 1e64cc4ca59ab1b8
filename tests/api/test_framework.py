"""Framework endpoints: the nodes, the nested tree, and the one write: editing a node."""

import pytest

from cleanasia.framework.models import FrameworkNode, NodeKind
from cleanasia.framework.services import framework_node_update
from tests.conftest import ROLES
from tests.factories import FrameworkNodeFactory

from .helpers import patch_json, problem

pytestmark = pytest.mark.django_db

BASE = "https://cleanasia.invalid/problems/"


@pytest.fixture
def tree():
    vision = FrameworkNodeFactory(code="V", kind=NodeKind.VISION, position=0)
    goal_b = FrameworkNodeFactory(code="G2", parent=vision, position=2)
    goal_a = FrameworkNodeFactory(code="G1", parent=vision, position=1)
    line = FrameworkNodeFactory(code="G1.1", kind=NodeKind.MEANS, parent=goal_a, position=1)
    return vision, goal_a, goal_b, line


def url(node):
    return f"/api/v1/framework-nodes/{node.pk}/"


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_framework(role, tree, client_for):
    client, _user = client_for(role)
    vision, goal_a, goal_b, _line = tree
    data = client.get(url(vision)).json()
    assert data["children"] == [goal_a.pk, goal_b.pk], "children in order of position"
    assert data["version"] == 1
    assert {
        "id",
        "code",
        "kind",
        "title_ja",
        "title_en",
        "description_ja",
        "description_en",
        "parent",
        "position",
        "children",
        "version",
    } == set(data)
    assert client.get("/api/v1/framework-nodes/").json()["count"] == 4


def test_the_tree_nests_the_nodes_in_order(tree, client):
    data = client.get("/api/v1/framework-nodes/tree/").json()
    assert [n["code"] for n in data] == ["V"]
    assert [n["code"] for n in data[0]["children"]] == ["G1", "G2"]
    assert [n["code"] for n in data[0]["children"][0]["children"]] == ["G1.1"]
    assert data[0]["children"][1]["children"] == []


def test_nodes_can_be_filtered(tree, client):
    vision = tree[0]
    roots = client.get("/api/v1/framework-nodes/", {"root": "true"}).json()["results"]
    assert [n["code"] for n in roots] == ["V"]
    under = client.get("/api/v1/framework-nodes/", {"parent": vision.pk}).json()["results"]
    assert [n["code"] for n in under] == ["G1", "G2"]
    means = client.get("/api/v1/framework-nodes/", {"kind": "means"}).json()["results"]
    assert [n["code"] for n in means] == ["G1.1"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_edits_a_node(role, client_for):
    client, _user = client_for(role)
    node = FrameworkNodeFactory(title_en="Old")
    response = patch_json(client, url(node), {"version": 1, "title_en": "New"})
    node.refresh_from_db()
    if role in {"secretariat", "admin"}:
        assert response.status_code == 200, response.content
        assert node.title_en == "New"
    else:
        problem(response, 401 if role == "public" else 403)
        assert node.title_en == "Old"


def test_an_edit_saves_a_new_version_and_records_who_did_it(client_for):
    client, user = client_for("secretariat")
    node = FrameworkNodeFactory(title_en="Old", position=3)
    response = patch_json(client, url(node), {"version": 1, "title_en": "New", "description_ja": "説明"})
    data = response.json()
    assert (data["version"], data["title_en"], data["description_ja"], data["position"]) == (2, "New", "説明", 3)
    latest = FrameworkNode.objects.get(pk=node.pk).history.first()
    assert (latest.action_code, latest.history_user, latest.version) == ("framework.node.updated", user, 2)
    assert latest.request_id == response["X-Request-ID"]


def test_an_edit_without_a_version_is_refused_naming_it(client_for):
    client, _user = client_for("secretariat")
    node = FrameworkNodeFactory(title_en="Old")
    body = problem(patch_json(client, url(node), {"title_en": "New"}), 400)
    assert [e["field"] for e in body["errors"]] == ["version"]
    node.refresh_from_db()
    assert (node.title_en, node.version) == ("Old", 1)


def test_fields_that_cannot_be_edited_are_named_not_ignored(client_for):
    client, _user = client_for("secretariat")
    node = FrameworkNodeFactory(code="G9")
    body = problem(patch_json(client, url(node), {"version": 1, "code": "X", "parent": None}), 400)
    assert sorted(e["field"] for e in body["errors"]) == ["code", "parent"]
    node.refresh_from_db()
    assert node.code == "G9"


def test_an_edit_cannot_remove_the_japanese_title(client_for):
    client, _user = client_for("secretariat")
    node = FrameworkNodeFactory()
    body = problem(patch_json(client, url(node), {"version": 1, "title_ja": ""}), 400)
    assert [e["field"] for e in body["errors"]] == ["title_ja"]


def test_a_stale_edit_is_a_409_listing_what_changed_meanwhile(client_for, make_user):
    client, _user = client_for("secretariat")
    colleague = make_user("secretariat", full_name="Colleague")
    node = FrameworkNodeFactory(title_en="Original", position=1)
    read = client.get(url(node)).json()
    framework_node_update(actor=colleague, node=node, expected_version=1, changes={"title_en": "Theirs", "position": 5})

    response = patch_json(client, url(node), {"version": read["version"], "title_en": "Mine"})
    body = problem(response, 409)
    assert body["type"] == BASE + "stale-edit"
    assert body["current_version"] == 2
    assert body["changed_by"] == "Colleague"
    changed = {c["field"]: (c["old"], c["new"]) for c in body["changed_fields"]}
    assert changed == {"title_en": ("Original", "Theirs"), "position": (1, 5)}
    node.refresh_from_db()
    assert node.title_en == "Theirs", "the other edit is not overwritten"

    retried = patch_json(client, url(node), {"version": body["current_version"], "title_en": "Mine"})
    assert retried.status_code == 200
    assert retried.json()["version"] == 3


def test_editing_a_missing_node_is_a_404_problem(client_for):
    client, _user = client_for("secretariat")
    problem(patch_json(client, "/api/v1/framework-nodes/999999/", {"version": 1, "title_en": "x"}), 404)


def test_the_service_itself_refuses_users_who_may_not_edit(make_user):
    from django.core.exceptions import PermissionDenied

    node = FrameworkNodeFactory(title_en="Old")
    with pytest.raises(PermissionDenied):
        framework_node_update(actor=make_user("expert"), node=node, expected_version=1, changes={"title_en": "x"})
    node.refresh_from_db()
    assert (node.title_en, node.version) == ("Old", 1)


def test_the_service_refuses_to_change_the_code_or_the_parent(make_user):
    from django.core.exceptions import ValidationError

    node = FrameworkNodeFactory(code="K1")
    with pytest.raises(ValidationError) as caught:
        framework_node_update(
            actor=make_user("secretariat"), node=node, expected_version=1, changes={"code": "K2", "parent": None}
        )
    assert set(caught.value.message_dict) == {"code", "parent"}
