"""Error pages: a friendly 404 in the page's language, a 500 that needs nothing, a CSRF page that reassures."""

import pytest
from django.utils import translation

from cleanasia.core.views.errors import server_error

from .conftest import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_not_found_is_a_page_in_the_language(lang, client):
    response = client.get(f"/{lang}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert url("portal:home", lang) in html


def test_server_error_renders_without_the_request_context_or_the_database(rf, django_assert_num_queries):
    # No context processor, no session, no query: the page must render when the database is what failed.
    with django_assert_num_queries(0), translation.override("en"):
        response = server_error(rf.get("/en/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert '<html lang="en">' in html


def test_an_expired_form_explains_that_nothing_was_saved(seed_framework, make_user):
    from tests.conftest import verified_client

    user = make_user("secretariat")
    client = verified_client(user)
    client.handler.enforce_csrf_checks = True
    node = seed_framework["G1"]
    response = client.post(url("framework:node-edit", "en", pk=node.pk), {"title_ja": "x", "version": 1})
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form has expired" in html
    assert "Nothing was saved." in html
    node.refresh_from_db()
    assert node.title_ja != "x"


def test_forbidden_is_a_page_not_a_bare_status(seed_framework, client_for):
    client, _ = client_for("expert")
    response = client.get(url("framework:node-edit", "en", pk=seed_framework["G1"].pk))
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
