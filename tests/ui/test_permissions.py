"""Who may open which page: 200, sign-in redirect, 403 (not allowed) or 404 (not visible)."""

import pytest

from tests.conftest import ROLES

from .conftest import history_url, url

pytestmark = pytest.mark.django_db

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, "login", 403, 404
SECRETARIAT = {"secretariat", "admin"}


def signed_in(expected):
    """Anonymous readers are sent to sign in; everyone signed in gets `expected`."""
    return {role: (LOGIN if role == "public" else expected) for role in ROLES}


def secretariat_only(otherwise):
    return {role: LOGIN if role == "public" else (OK if role in SECRETARIAT else otherwise) for role in ROLES}


MATRIX = {
    "home": dict.fromkeys(ROLES, OK),
    "framework": dict.fromkeys(ROLES, OK),
    "staff-home": signed_in(OK),
    "framework-tree": signed_in(OK),
    "node-edit": secretariat_only(FORBIDDEN),
    "node-history": secretariat_only(FORBIDDEN),
    "record-history": secretariat_only(FORBIDDEN),
    "countries": signed_in(OK),
    "group-detail": signed_in(OK),
    "organisations": signed_in(OK),
    "people": signed_in(OK),
    "person-detail": signed_in(OK),
}


def assert_outcome(response, expected, path):
    if expected == LOGIN:
        assert response.status_code == 302, path
        assert response["Location"].startswith(url("accounts:login", "ja") + "?next="), response["Location"]
    else:
        assert response.status_code == expected, path


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(MATRIX))
def test_page_permission_matrix(page, role, page_urls, client_for):
    client, _user = client_for(role)
    path = page_urls[page]("ja")
    assert_outcome(client.get(path), MATRIX[page][role], path)


HIDDEN_PERSON = {role: LOGIN if role == "public" else (OK if role in SECRETARIAT else NOT_FOUND) for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_a_person_the_role_may_not_see_is_not_found(role, directory_data, client_for):
    client, _user = client_for(role)
    path = url("directory:person-detail", pk=directory_data["hidden_person"].pk)
    assert_outcome(client.get(path), HIDDEN_PERSON[role], path)


@pytest.mark.parametrize("role", ROLES)
def test_the_history_of_a_record_the_role_may_not_see_is_not_found(role, directory_data, client_for):
    client, _user = client_for(role)
    path = history_url(directory_data["hidden_person"])
    assert_outcome(client.get(path), HIDDEN_PERSON[role], path)


def test_a_visible_record_whose_history_is_closed_gives_403(directory_data, client_for):
    client, _user = client_for("expert")
    assert client.get(history_url(directory_data["members_person"])).status_code == 403


def test_history_of_an_unknown_model_or_record_is_not_found(client_for):
    client, _user = client_for("secretariat")
    for app_label, model_name, pk in [
        ("nope", "x", "1"),
        ("directory", "country", "JP"),  # countries keep no history
        ("framework", "frameworknode", "999"),
    ]:
        path = url("core:record-history", app_label=app_label, model_name=model_name, pk=pk)
        assert client.get(path).status_code == 404, path


def test_the_people_list_shows_only_visible_rows(directory_data, client_for):
    expert_client, _ = client_for("expert")
    html = expert_client.get(url("directory:people", "en")).content.decode()
    assert "Public Person" in html
    assert "Members Person" in html
    assert "Secret Person" not in html
    secretariat_client, _ = client_for("secretariat")
    assert "Secret Person" in secretariat_client.get(url("directory:people", "en")).content.decode()


def test_anonymous_readers_see_only_public_people_nowhere(directory_data, client):
    # The directory is a workspace page: the public is sent to sign in, never shown a list.
    response = client.get(url("directory:people", "en"))
    assert response.status_code == 302
    assert "Public Person" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "sees_contact"),
    [("expert", False), ("wg_member", False), ("focal_point", False), ("secretariat", True), ("admin", True)],
)
def test_contact_details_only_for_the_secretariat(role, sees_contact, directory_data, client_for):
    client, _user = client_for(role)
    person = directory_data["public_person"]
    html = client.get(url("directory:person-detail", "en", pk=person.pk)).content.decode()
    assert (person.email in html) is sees_contact


def test_a_person_sees_their_own_contact_details(directory_data, client_for):
    client, user = client_for("expert")
    person = directory_data["hidden_person"]
    person.user = user
    person.save()
    response = client.get(url("directory:person-detail", "en", pk=person.pk))
    assert response.status_code == 200
    assert person.email in response.content.decode()


@pytest.mark.parametrize("role", [r for r in ROLES if r != "public"])  # the tree is a workspace page
def test_edit_links_only_for_those_who_may_edit(role, seed_framework, client_for):
    client, _user = client_for(role)
    html = client.get(url("framework:tree", "en")).content.decode()
    edit = url("framework:node-edit", "en", pk=seed_framework["G1"].pk)
    assert (edit in html) is (role in SECRETARIAT)


def test_the_overview_lists_the_modules_with_counts(directory_data, seed_framework, client_for):
    client, _user = client_for("expert")
    html = client.get(url("core:staff-home", "en")).content.decode()
    for name in ["framework:tree", "directory:countries", "directory:organisations", "directory:people"]:
        assert f'href="{url(name, "en")}"' in html
    # The expert sees two of the three people.
    assert '<span class="card__count">2</span> <span class="muted">people you may see' in html
    assert "Recent changes" not in html, "the change feed is for the secretariat"


def test_the_overview_shows_recent_changes_to_the_secretariat(seed_framework, client_for):
    client, _user = client_for("secretariat")
    html = client.get(url("core:staff-home", "en")).content.decode()
    assert "Recent changes" in html
    assert history_url(seed_framework["M"], "en") in html
