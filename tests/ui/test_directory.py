"""Directory pages: members of a group on a date, searches, pagination that keeps the query."""

import datetime as dt

import pytest

from tests.factories import CountryFactory, CountryGroupFactory, GroupMembershipFactory, OrganisationFactory

from .conftest import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def asean(db):
    group = CountryGroupFactory(code="asean", name_en="ASEAN", name_ja="東南アジア諸国連合")
    GroupMembershipFactory(group=group, country=CountryFactory(code="TH"), joined_on=dt.date(1967, 8, 8))
    GroupMembershipFactory(group=group, country=CountryFactory(code="VN"), joined_on=dt.date(1995, 7, 28))
    GroupMembershipFactory(
        group=group,
        country=CountryFactory(code="XX", name_en="Left Land", name_ja="離脱国"),
        joined_on=dt.date(1970, 1, 1),
        left_on=dt.date(1980, 1, 1),
    )
    return group


@pytest.mark.parametrize(
    ("day", "members", "not_members"),
    [
        ("1975-01-01", ["Thailand", "Left Land"], ["Viet Nam"]),
        ("2000-01-01", ["Thailand", "Viet Nam"], ["Left Land"]),
    ],
)
def test_members_of_a_group_on_a_date(day, members, not_members, asean, client_for):
    client, _ = client_for("expert")
    response = client.get(url("directory:countries", "en"), {"group": "asean", "on": day})
    html = response.content.decode()
    for name in members:
        assert name in html
    for name in not_members:
        assert name not in html.split('id="members-caption"')[1]
    # The question stays in the form, so the URL can be shared and the answer refined.
    assert f'value="{day}"' in html
    assert '<option value="asean" selected>' in html


def test_the_group_page_shows_every_membership_with_dates(asean, client_for):
    client, _ = client_for("expert")
    html = client.get(url("directory:group-detail", "en", code="asean")).content.decode()
    for text in ["Thailand", "Viet Nam", "Left Land", "8 August 1967", "1 January 1980"]:
        assert text in html
    assert "Members today" in html


def test_an_unknown_group_is_not_found(client_for):
    client, _ = client_for("expert")
    assert client.get(url("directory:group-detail", "en", code="nope")).status_code == 404


def test_organisations_are_found_by_acronym_and_by_japanese_name(client_for):
    OrganisationFactory(name_en="Ministry of the Environment", name_ja="環境省", acronym="MOEJ")
    OrganisationFactory(name_en="Institute for Global Environmental Strategies", name_ja="地球環境戦略研究機関")
    client, _ = client_for("expert")
    by_acronym = client.get(url("directory:organisations", "en"), {"q": "moej"}).content.decode()
    assert "Ministry of the Environment" in by_acronym
    assert "Global Environmental Strategies" not in by_acronym
    by_japanese = client.get(url("directory:organisations", "ja"), {"q": "戦略"}).content.decode()
    assert "地球環境戦略研究機関" in by_japanese
    results = by_japanese.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    assert "環境省" not in results, "the footer names the ministry; the results must not"


def test_pages_of_a_search_keep_the_search(client_for):
    for _ in range(55):
        OrganisationFactory(name_en="Research Institute")
    OrganisationFactory(name_en="Other body")
    client, _ = client_for("expert")
    html = client.get(url("directory:organisations", "en"), {"q": "research"}).content.decode()
    assert "55 organisations" in html
    assert "Page 1 of 2" in html
    assert 'href="?q=research&amp;page=2"' in html
    second = client.get(url("directory:organisations", "en"), {"q": "research", "page": 2}).content.decode()
    assert second.count("Research Institute") == 5


def test_people_are_found_by_name(directory_data, client_for):
    client, _ = client_for("secretariat")
    html = client.get(url("directory:people", "ja"), {"q": "花子"}).content.decode()
    assert "会員 花子" in html
    assert "公開 太郎" not in html


def test_people_are_not_found_by_e_mail(directory_data, client_for):
    # An e-mail search would tell an expert whose address it is.
    client, _ = client_for("expert")
    email = directory_data["public_person"].email
    assert "0 people" in client.get(url("directory:people", "en"), {"q": email}).content.decode()
