"""The change history page: every row with who, which action and each field old -> new; restore."""

import pytest

from cleanasia.core.audit import action_label
from cleanasia.core.concurrency import versioned_update

from .conftest import history_url, url

pytestmark = pytest.mark.django_db


def restore_url(node) -> str:
    return url("core:record-restore", "en", app_label="framework", model_name="frameworknode", pk=str(node.pk))


@pytest.fixture
def edited_node(seed_framework, make_user):
    editor = make_user("secretariat", full_name="Carol Editor")
    node = seed_framework["X"]
    versioned_update(
        actor=editor,
        instance=node,
        expected_version=1,
        changes={"title_en": "Greening of markets"},
        action_code="framework.node.updated",
    )
    node.refresh_from_db()
    return node


def test_the_history_shows_who_changed_what(edited_node, client_for):
    client, _ = client_for("secretariat")
    html = client.get(history_url(edited_node, "en")).content.decode()
    assert "Carol Editor" in html
    assert action_label("framework.node.updated") in html, "the action code is shown by its label"
    assert "framework.node.updated" not in html
    assert "Promote environmentalism in the market" in html
    assert "Greening of markets" in html
    assert "Created" in html, "the first row"


def test_an_unknown_action_code_is_shown_as_is(seed_framework, make_user, client_for):
    node = seed_framework["P"]
    versioned_update(
        actor=make_user("secretariat"),
        instance=node,
        expected_version=1,
        changes={"position": 42},
        action_code="somemodule.thing.frobbed",
    )
    client, _ = client_for("secretariat")
    assert "somemodule.thing.frobbed" in client.get(history_url(node, "en")).content.decode()


def test_the_secretariat_restores_an_earlier_version(edited_node, client_for):
    client, user = client_for("secretariat")
    html = client.get(history_url(edited_node, "en")).content.decode()
    assert html.count('name="history_id"') == 1, "a restore button on every row but the current one"
    first = edited_node.history.order_by("history_id").first()
    restore = restore_url(edited_node)
    response = client.post(restore, {"history_id": first.history_id})
    assert response.status_code == 302
    edited_node.refresh_from_db()
    assert edited_node.title_en == "Promote environmentalism in the market"
    assert edited_node.version == 3
    latest = edited_node.history.first()
    assert latest.action_code == "core.record.restored"
    assert latest.history_user == user
    page = client.get(response["Location"]).content.decode()
    assert "Earlier version restored" in page
    assert "restored as a new version" in page


@pytest.mark.parametrize("role", ["expert", "wg_member", "focal_point"])
def test_others_cannot_restore(role, edited_node, client_for):
    client, _ = client_for(role)
    first = edited_node.history.order_by("history_id").first()
    restore = restore_url(edited_node)
    assert client.post(restore, {"history_id": first.history_id}).status_code == 403
    edited_node.refresh_from_db()
    assert edited_node.title_en == "Greening of markets"


def test_anonymous_restore_is_sent_to_sign_in(edited_node, client):
    restore = restore_url(edited_node)
    response = client.post(restore, {"history_id": 1})
    assert response.status_code == 302
    edited_node.refresh_from_db()
    assert edited_node.version == 2


def test_restore_needs_a_history_row_of_that_record(edited_node, seed_framework, client_for):
    client, _ = client_for("secretariat")
    other = seed_framework["G1"].history.first()
    restore = restore_url(edited_node)
    assert client.post(restore, {"history_id": other.history_id}).status_code == 404
    assert client.post(restore, {"history_id": "x"}).status_code == 404
    assert client.get(restore).status_code == 405


def test_the_history_of_a_person_hides_bookkeeping(directory_data, client_for):
    client, _ = client_for("secretariat")
    html = client.get(history_url(directory_data["public_person"], "en")).content.decode()
    assert "Public Person" in html
    assert ">Version<" not in html


def test_history_values_are_shown_in_local_time_and_words():
    import datetime as dt

    from django.utils import translation

    from cleanasia.core.views.history import display_value

    with translation.override("en"):
        assert "18:30" in display_value(None, dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC))  # Asia/Tokyo
        assert display_value(None, True) == "Yes"
        assert display_value(None, "") == "—"
