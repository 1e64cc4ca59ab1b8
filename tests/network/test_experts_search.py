"""Finding experts: Japanese substrings and English keywords through the platform's search index, the
filters in SQL, an index that follows the changes of the records the text comes from, pages, and a fixed
number of queries whatever the page holds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cleanasia.accounts.models import Role
from cleanasia.core.models import SearchEntry
from cleanasia.network.models import NominationState
from cleanasia.network.selectors.experts import expert_search
from cleanasia.network.services import experts as services

from .factories_experts import make_expert, make_field, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def directory():
    """Three accepted experts: air in Viet Nam, water in Thailand, climate in Japan."""
    make_field("air", "Air quality", "大気環境")
    make_field("water", "Water", "水環境")
    make_field("climate", "Climate and co-benefits", "気候変動・コベネフィット")
    return {
        "air": make_expert(
            "Nguyen Van An",
            name_ja="グエン・ヴァン・アン",
            country="VN",
            keywords="大気汚染対策\nPM2.5\nAir Quality Monitoring",
            languages=["vi", "en"],
            fields=("air",),
        ),
        "water": make_expert(
            "Somchai Dee",
            country="TH",
            keywords="水質汚濁\nwastewater treatment",
            languages=["th", "en"],
            fields=("water",),
        ),
        "climate": make_expert(
            "Sato Hanako",
            name_ja="佐藤花子",
            country="JP",
            keywords="緩和策\nco-benefits",
            languages=["ja", "en"],
            fields=("climate", "air"),
            biography_ja="大気と気候のコベネフィット研究に従事。",
        ),
    }


def names(page) -> list[str]:
    return [row["name_en"] for row in page.object_list]


def test_a_japanese_keyword_is_found_by_any_part_of_it(directory, secretariat):
    assert names(expert_search(user=secretariat, query="汚染")) == ["Nguyen Van An"]
    assert names(expert_search(user=secretariat, query="大気汚")) == ["Nguyen Van An"]
    assert names(expert_search(user=secretariat, query="染対")) == ["Nguyen Van An"]
    assert names(expert_search(user=secretariat, query="汚")) == ["Nguyen Van An", "Somchai Dee"]
    assert names(expert_search(user=secretariat, query="対策大気")) == [], "the same grams in another order"
    assert names(expert_search(user=secretariat, query="佐藤")) == ["Sato Hanako"], "names are searched too"


def test_an_english_keyword_is_found_in_any_case_and_width(directory, secretariat):
    for query in ("air quality monitoring", "QUALITY MONITOR", "ｍｏｎｉｔｏｒｉｎｇ", "pm2.5"):
        assert names(expert_search(user=secretariat, query=query)) == ["Nguyen Van An"], query
    assert names(expert_search(user=secretariat, query="waste")) == ["Somchai Dee"]
    assert names(expert_search(user=secretariat, query="AIR QUALITY")) == ["Nguyen Van An", "Sato Hanako"], (
        "a keyword of one, the field (Air quality) of both"
    )


def test_fields_biographies_and_organisations_by_any_of_their_names_are_searched(directory, secretariat):
    assert names(expert_search(user=secretariat, query="気候変動")) == ["Sato Hanako"], "a field's name"
    assert names(expert_search(user=secretariat, query="コベネフィット研究")) == ["Sato Hanako"], "the biography"
    make_organisation("Ministry of the Environment", "環境省", acronym="MOE", alternative_names=["Kankyō-shō"])
    services.expert_affiliation_add(actor=None, expert=directory["climate"], organisation_name="MOE")
    for query in ("環境省", "ministry of the environment", "kankyō"):
        assert names(expert_search(user=secretariat, query=query)) == ["Sato Hanako"], query


def test_the_index_follows_the_profile_the_person_the_organisation_and_the_field(directory, secretariat):
    air = directory["air"]
    services.expert_update(
        actor=None, expert=air, expected_version=air.version, changes={"keywords": "黄砂\nAir Quality Monitoring"}
    )
    assert names(expert_search(user=secretariat, query="汚染")) == []
    assert names(expert_search(user=secretariat, query="黄砂")) == ["Nguyen Van An"]

    air.person.family_name = "Nguyễn"
    air.person.save()
    assert names(expert_search(user=secretariat, query="nguyễn")) == ["Nguyen Van An"]

    institute = make_organisation("National Institute for Environmental Studies", "国立環境研究所", acronym="NIES")
    services.expert_affiliation_add(actor=None, expert=air, organisation=institute)
    institute.alternative_names = ["国環研"]
    institute.save()
    assert names(expert_search(user=secretariat, query="国環研")) == ["Nguyen Van An"]

    water = directory["water"].fields.get()
    water.name_ja = "水環境・水質保全"
    water.save()
    assert names(expert_search(user=secretariat, query="水質保全")) == ["Somchai Dee"]
    directory["water"].fields.clear()
    assert names(expert_search(user=secretariat, query="水質保全")) == []
    directory["water"].fields.add(water)
    assert names(expert_search(user=secretariat, query="水質保全")) == ["Somchai Dee"]


def test_filters_by_field_country_language_keyword_and_state_combine_with_the_query(directory, secretariat):
    make_expert("Tran Thi Binh", country="VN", state=NominationState.NOMINATED, keywords="PM2.5", languages=["vi"])
    assert names(expert_search(user=secretariat, field="air")) == ["Nguyen Van An", "Sato Hanako"]
    assert names(expert_search(user=secretariat, country="vn")) == ["Nguyen Van An", "Tran Thi Binh"]
    assert names(expert_search(user=secretariat, language="th")) == ["Somchai Dee"]
    assert names(expert_search(user=secretariat, language="en")) == ["Nguyen Van An", "Sato Hanako", "Somchai Dee"]
    assert names(expert_search(user=secretariat, keyword="pm2.5")) == ["Nguyen Van An", "Tran Thi Binh"]
    assert names(expert_search(user=secretariat, keyword="Air Quality")) == [], "a keyword filter is exact"
    assert names(expert_search(user=secretariat, keyword="air quality monitoring")) == ["Nguyen Van An"]
    assert names(expert_search(user=secretariat, state="nominated")) == ["Tran Thi Binh"]
    assert names(expert_search(user=secretariat, query="大気", country="JP")) == ["Sato Hanako"]
    assert names(expert_search(user=secretariat, query="pm2", field="air", language="vi")) == ["Nguyen Van An"]
    assert names(expert_search(user=secretariat, field="no-such-field")) == []


def test_the_public_finds_only_accepted_experts_listed_publicly(directory):
    make_expert("Hidden Expert", keywords="大気汚染", state=NominationState.ACCEPTED, listed=False)
    make_expert("Pending Expert", keywords="大気汚染", state=NominationState.NOMINATED, listed=True)
    listed = make_expert("Listed Expert", keywords="大気汚染", listed=True)
    page = expert_search(user=None, query="大気汚染")
    assert names(page) == ["Listed Expert"]
    assert not {"email", "phone", "state", "version"} & set(page.object_list[0])
    entries = SearchEntry.objects.filter(object_id__in=[listed.pk], visibility="public")
    assert entries.exists(), "the listed expert's entry is readable by the public"
    assert "@" not in " ".join(SearchEntry.objects.values_list("text", flat=True)), "contact details never indexed"


def test_pages_hold_page_size_rows_in_name_order(secretariat):
    for n in range(7):
        make_expert(f"Expert {n:02d}", keywords="河川")
    first = expert_search(user=secretariat, query="河川", page_size=3)
    third = expert_search(user=secretariat, query="河川", page=3, page_size=3)
    assert (first.paginator.count, first.paginator.num_pages) == (7, 3)
    assert names(first) == ["Expert 00", "Expert 01", "Expert 02"]
    assert names(third) == ["Expert 06"]
    assert names(expert_search(user=secretariat, query="河川", page="x", page_size=3)) == names(first)
    past = expert_search(user=secretariat, query="河川", page=9, page_size=3)
    assert (past.number, names(past)) == (3, ["Expert 06"]), "a page past the end gives the last one"
    nothing = expert_search(user=secretariat, query="砂漠", page=2)
    assert (nothing.number, nothing.paginator.count, names(nothing)) == (1, 0, [])


def _queries(user, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        page = expert_search(user=user, **kwargs)
    assert page.object_list
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.FOCAL_POINT, Role.SECRETARIAT])
def test_a_page_costs_the_same_few_queries_however_many_experts_it_holds(role, make_user):
    user = None if role == "public" else make_user(role, country="VN")
    if user is not None:
        user.active_roles  # noqa: B018  (loaded once per request by the middleware)
    organisation = make_organisation("Hanoi University of Science", country="VN")
    for n in range(3):
        expert = make_expert(f"Small {n}", keywords="大気汚染 small", listed=True, fields=("air", "water"))
        services.expert_affiliation_add(actor=None, expert=expert, organisation=organisation)
    expert_search(user=user, query="small")  # content types are cached from the first search of the process
    few = _queries(user, query="small", field="air", language="", keyword="")
    for n in range(25):
        expert = make_expert(f"Many {n:02d}", keywords="大気汚染 many", listed=True, fields=("air", "water"))
        services.expert_affiliation_add(actor=None, expert=expert, organisation=organisation)
        services.publication_add(actor=None, expert=expert, title=f"Paper {n}")
    many = _queries(user, query="大気汚染 many", field="air")
    # The data generation's read, the postings' counts, the page's ids with the total, the rows (three).
    assert few == many <= 6, (few, many)


def test_a_repeated_search_is_answered_from_the_cache_until_an_expert_changes(secretariat):
    make_expert("Cached One", keywords="河口", listed=False)
    first = _queries(secretariat, query="河口")
    again = _queries(secretariat, query="河口")
    assert again < first, "the ids and the total come from the cache"
    assert names(expert_search(user=secretariat, query="河口")) == ["Cached One"]
    make_expert("Cached Two", keywords="河口", listed=False)
    assert names(expert_search(user=secretariat, query="河口")) == ["Cached One", "Cached Two"], "a new expert"
    public = expert_search(user=None, query="河口")
    assert public.paginator.count == 0, "the secretariat's cached page is not the public's (neither is listed)"
