"""The real reference data: countries from pycountry, dated group memberships, organisations and people."""

import datetime as dt

import pytest

from cleanasia.directory import reference as directory_reference
from cleanasia.directory import services
from cleanasia.directory.models import Affiliation, Country, CountryGroup, GroupMembership, Organisation, Person
from cleanasia.directory.selectors import country_group_members_on, country_groups_of

from .conftest import load_reference

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    models = (Country, CountryGroup, GroupMembership, Organisation, Person, Affiliation)
    return {m.__name__: m.objects.count() for m in models}


def _history_rows() -> int:
    models = (CountryGroup, GroupMembership, Organisation, Person, Affiliation)
    return sum(m.history.count() for m in models)


def test_loading_twice_changes_nothing_the_second_time(reference):
    first = _counts()
    history = _history_rows()
    second_output = load_reference()
    assert _counts() == first
    assert _history_rows() == history, "an unchanged reload must not write history rows"
    assert "nothing changed" in second_output
    assert " 0 created" in second_output


def test_every_iso_country_is_loaded_with_japanese_names_from_the_catalogue(reference):
    assert Country.objects.count() >= 249
    names = {c.code: c for c in Country.objects.filter(code__in=["JP", "VN", "KR", "TH", "CN", "US"])}
    assert names["JP"].name_ja == "日本"
    assert names["VN"].name_ja == "ベトナム"
    assert "韓国" in names["KR"].name_ja
    assert names["TH"].name_ja == "タイ"
    assert not Country.objects.filter(name_ja="").exists(), "every ISO country has a Japanese name in pycountry"


def test_asean_and_eas_members_carry_the_names_their_documents_use(reference):
    names = dict(Country.objects.filter(code__in=["KR", "LA", "VN", "BN", "RU", "US"]).values_list("code", "name_en"))
    assert names == {
        "KR": "Republic of Korea",
        "LA": "Lao PDR",
        "VN": "Viet Nam",
        "BN": "Brunei Darussalam",
        "RU": "Russian Federation",
        "US": "United States",
    }
    assert Country.objects.get(code="VN").official_name == "Socialist Republic of Viet Nam"


@pytest.mark.parametrize(
    ("day", "expected"),
    [("1990-01-01", 6), ("1999-04-29", 9), ("2000-01-01", 10), ("2025-10-25", 10), ("2026-01-01", 11)],
)
def test_asean_membership_follows_the_accession_dates(reference, day, expected):
    assert country_group_members_on(group_code="asean", day=dt.date.fromisoformat(day)).count() == expected


def test_the_east_asia_summit_had_16_members_before_the_united_states_and_russia_joined(reference):
    before = country_group_members_on(group_code="eas", day=dt.date(2009, 10, 1))
    assert before.count() == 16
    assert not before.filter(code__in=["US", "RU"]).exists()
    after = country_group_members_on(group_code="eas", day=dt.date(2012, 1, 1))
    assert after.count() == 18
    assert set(after.filter(code__in=["US", "RU"]).values_list("code", flat=True)) == {"US", "RU"}


def test_the_model_answers_the_same_as_the_selector(reference):
    eas = CountryGroup.objects.get(code="eas")
    assert set(eas.members_on(dt.date(2009, 10, 1))) == set(
        country_group_members_on(group_code="eas", day=dt.date(2009, 10, 1))
    )


def test_asean_plus_three_members_join_no_earlier_than_their_asean_accession(reference):
    assert country_group_members_on(group_code="asean-plus-three", day=dt.date(1998, 1, 1)).count() == 12
    cambodia = GroupMembership.objects.get(group__code="asean-plus-three", country="KH")
    assert cambodia.joined_on == dt.date(1999, 4, 30)
    assert country_group_members_on(group_code="asean-plus-three", day=dt.date(2000, 1, 1)).count() == 13


def test_uncertain_rows_are_marked_for_checking_and_every_row_cites_a_source(reference):
    assert "(check)" in GroupMembership.objects.get(group__code="eas", country="TL").note
    assert not GroupMembership.objects.filter(source="").exists()
    assert not Organisation.objects.filter(source="").exists()
    assert set(CountryGroup.objects.values_list("name_ja", flat=True)) == {
        "東南アジア諸国連合(ASEAN)",
        "東アジア首脳会議(EAS)",
        "ASEAN+3",
    }


def test_viet_nam_belonged_to_asean_eas_and_asean_plus_three_in_2009(reference):
    codes = set(country_groups_of(country="VN", day=dt.date(2009, 1, 1)).values_list("code", flat=True))
    assert codes == {"asean", "eas", "asean-plus-three"}


def test_the_environment_ministry_of_japan_heads_the_chain_of_the_issuing_office(reference):
    office = Organisation.objects.get(name_ja="環境協力室")
    chain = []
    node = office
    while node is not None:
        chain.append(node.name_ja)
        node = node.parent
    assert chain == ["環境協力室", "環境保全対策課", "地球環境局", "環境省"]
    assert "MOEJ" in Organisation.objects.get(name_ja="環境省").alternative_names


def test_the_co_chairs_of_the_first_eas_environment_ministers_meeting_are_public_without_contact_details(reference):
    pham = Person.objects.get(name_en="Pham Khoi Nguyen")
    takemoto = Person.objects.get(name_ja="竹本和彦")
    for person in (pham, takemoto):
        assert person.visibility == "public"
        assert person.email == ""
        assert person.phone == ""
        assert "Ministerial Statement" in person.source
    minister = pham.affiliations.get()
    assert minister.organisation.acronym == "MONRE"
    assert minister.started_on <= dt.date(2008, 10, 9) <= minister.ended_on
    assert takemoto.affiliations.get().position_en == "Vice-Minister for Global Environmental Affairs"


def test_the_loader_keeps_an_organisation_the_secretariat_edited_and_says_so(reference, make_user):
    secretariat = make_user("secretariat")
    iges = Organisation.objects.get(acronym="IGES")
    services.organisation_update(
        actor=secretariat, organisation=iges, expected_version=iges.version, changes={"name_en": "IGES (renamed)"}
    )
    output = load_reference()
    iges.refresh_from_db()
    assert iges.name_en == "IGES (renamed)"
    assert Organisation.objects.filter(acronym="IGES").count() == 1, "a renamed record must not be loaded twice"
    assert "kept" in output
    assert "organisation iges" in output


def test_a_corrected_data_file_reaches_records_nobody_edited(reference, monkeypatch):
    original = directory_reference.read_data

    def corrected(name):
        data = original(name)
        if name == "organisations.json":
            for row in data["organisations"]:
                if row["key"] == "uncrd":
                    row["name_ja"] = "国連地域開発センター(訂正)"
        return data

    monkeypatch.setattr(directory_reference, "read_data", corrected)
    output = load_reference()
    uncrd = Organisation.objects.get(acronym="UNCRD")
    assert uncrd.name_ja == "国連地域開発センター(訂正)"
    assert uncrd.history.first().action_code == services.ORGANISATION_LOADED
    assert "1 updated" in output


def test_a_membership_the_secretariat_recorded_differently_is_not_overwritten(reference, make_user):
    membership = GroupMembership.objects.get(group__code="asean", country="VN")
    services.group_membership_update(
        actor=make_user("secretariat"),
        membership=membership,
        expected_version=membership.version,
        changes={"note": "checked against the Secretariat's records"},
    )
    output = load_reference()
    membership.refresh_from_db()
    assert membership.note == "checked against the Secretariat's records"
    assert "asean membership of VN" in output


def test_an_organisation_is_found_by_another_spelling_or_its_acronym(reference):
    from cleanasia.directory.selectors import organisation_list

    assert list(organisation_list(query="MOEJ").values_list("name_ja", flat=True)) == ["環境省"]
    assert organisation_list(query="wepa").get().name_en == "Water Environment Partnership in Asia"
    assert organisation_list(query="環境省", country="JP").filter(parent__isnull=True).count() == 1
