"""Editing a framework node: saved with a new version, or refused when someone else saved first."""

import pytest

from cleanasia.framework.models import FrameworkNode

from .conftest import url

pytestmark = pytest.mark.django_db


def form_data(node, **overrides):
    data = {
        "title_ja": node.title_ja,
        "title_en": node.title_en,
        "description_ja": node.description_ja or "",
        "description_en": node.description_en or "",
        "position": node.position,
        "version": node.version,
    }
    data.update(overrides)
    return data


def test_the_edit_form_carries_the_version(seed_framework, client_for):
    client, _ = client_for("secretariat")
    node = seed_framework["G2"]
    html = client.get(url("framework:node-edit", "en", pk=node.pk)).content.decode()
    assert 'type="hidden" name="version" value="1"' in html
    assert 'name="title_ja"' in html
    assert "循環型社会の実現" in html


def test_an_edit_is_saved_and_recorded(seed_framework, client_for):
    client, user = client_for("secretariat")
    node = seed_framework["G2"]
    response = client.post(url("framework:node-edit", "en", pk=node.pk), form_data(node, title_en="Circular society"))
    assert response.status_code == 302
    node.refresh_from_db()
    assert node.title_en == "Circular society"
    assert node.version == 2
    assert node.history.first().history_user == user
    assert "The node was saved." in client.get(response["Location"]).content.decode()


def test_a_stale_edit_is_refused_with_what_the_other_person_changed(seed_framework, client_for, make_user):
    alice_client, _alice = client_for("secretariat", full_name="Alice Editor")
    bob_client, _bob = client_for("secretariat", full_name="Bob Editor")
    node = seed_framework["G2"]
    edit = url("framework:node-edit", "en", pk=node.pk)
    bob_form = form_data(node)  # Bob opens the form at version 1 ...
    alice_client.post(edit, form_data(node, title_en="Alice's title"))  # ... Alice saves first.

    response = bob_client.post(edit, {**bob_form, "title_en": "Bob's title"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Your changes were not saved." in html
    assert "Alice Editor" in html
    assert "Title (English)" in html  # what she changed ...
    assert "Alice&#x27;s title" in html  # ... and the current value
    assert 'value="Bob&#x27;s title"' in html, "Bob's input is kept"
    assert 'name="version" value="2"' in html, "a second save is a deliberate choice over the current version"
    node.refresh_from_db()
    assert node.title_en == "Alice's title", "nothing was overwritten"
    assert node.version == 2


def test_saving_again_after_the_conflict_replaces_knowingly(seed_framework, client_for):
    client, _ = client_for("secretariat")
    node = seed_framework["G2"]
    FrameworkNode.objects.filter(pk=node.pk).update(version=5)
    response = client.post(url("framework:node-edit", "en", pk=node.pk), form_data(node, title_en="Mine", version=5))
    assert response.status_code == 302
    node.refresh_from_db()
    assert node.title_en == "Mine"


def test_invalid_input_is_shown_next_to_the_field(seed_framework, client_for):
    client, _ = client_for("secretariat")
    node = seed_framework["G2"]
    response = client.post(url("framework:node-edit", "en", pk=node.pk), form_data(node, title_ja="", position=-1))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="id_title_ja_error"' in html
    assert 'id="id_title_ja_error"' in html
    assert 'href="#id_title_ja"' in html, "the error summary links to the field"
    node.refresh_from_db()
    assert node.title_ja == "循環型社会の実現"


@pytest.mark.parametrize("role", ["expert", "wg_member", "focal_point"])
def test_others_cannot_post_an_edit(role, seed_framework, client_for):
    client, _ = client_for(role)
    node = seed_framework["G2"]
    response = client.post(url("framework:node-edit", "en", pk=node.pk), form_data(node, title_en="Hijack"))
    assert response.status_code == 403
    node.refresh_from_db()
    assert node.title_en != "Hijack"
