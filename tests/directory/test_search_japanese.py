"""Japanese alternative names are found by the staff search and the API."""

import pytest

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_an_organisation_is_found_by_a_japanese_alternative_name(client_for):
    OrganisationFactory(
        name_en="Ministry of the Environment", name_ja="環境省", alternative_names=["日本国環境省", "MOEJ"]
    )
    client, _user = client_for("secretariat")
    page = client.get("/ja/staff/directory/organisations/", {"q": "日本国"})
    assert "環境省" in page.content.decode()
    api = client.get("/api/v1/organisations/", {"search": "日本国"})
    assert api.json()["count"] == 1
