"""The search pages: a labelled search box, results with type, title, highlighted snippet and link, the query
kept in the URL (and in the page links), a fixed number of queries whatever the number of results."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cleanasia.meetings import search as registrations  # noqa: F401  (registers the meetings models)

from .factories import make_meeting
from .test_search_index import make_document, make_element, make_outcome

pytestmark = pytest.mark.django_db

STAFF_URL = "/en/staff/meetings/search/"
PUBLIC_URL = "/en/meetings/search/"


def test_the_staff_page_needs_signing_in():
    response = Client().get(STAFF_URL, {"q": "air"})
    assert response.status_code == 302
    assert "/accounts/" in response["Location"] or "login" in response["Location"]


def test_the_urls_are_named_search_in_both_namespaces():
    assert reverse("meetings:search") == STAFF_URL
    assert reverse("meetings_public:search") == PUBLIC_URL


def test_the_search_box_is_labelled_and_keeps_the_query(client_for):
    client, _user = client_for("secretariat")
    html = client.get(STAFF_URL, {"q": "大気 quality"}).content.decode()
    assert 'role="search"' in html
    assert '<label for="id_q">Search for</label>' in html
    assert re.search(r'<input type="search" name="q" value="大気 quality"[^>]*id="id_q"', html)
    assert '<label for="id_type">Type</label>' in html
    assert "Nothing found" in html


def test_an_empty_query_shows_the_form_only(client_for):
    client, _user = client_for("secretariat")
    html = client.get(STAFF_URL).content.decode()
    assert 'name="q"' in html
    assert "result" not in html.split("</form>", 1)[1]


def test_results_show_type_title_link_and_the_match_highlighted(client_for):
    client, _user = client_for("secretariat")
    meeting = make_meeting(
        title_en="EAS Environment Ministers' Meeting",
        title_ja="東アジア首脳会議環境大臣会合",
        venue_en="National Convention Centre",
        city_en="Hanoi",
    )
    html = client.get(STAFF_URL, {"q": "convention"}).content.decode()
    assert f'<a href="{reverse("meetings:meeting-detail", args=[meeting.pk])}">' in html
    assert '<span class="search-result__type">Meeting</span>' in html
    assert "National <mark>Convention</mark> Centre" in html
    assert "1 result for “convention”" in html


def test_a_japanese_page_finds_the_japanese_substring_and_marks_it(client_for):
    client, _user = client_for("secretariat")
    make_meeting(title_en="EAS Environment Ministers' Meeting", title_ja="東アジア首脳会議環境大臣会合")
    with translation.override("ja"):
        url = reverse("meetings:search")
    html = client.get(url, {"q": "環境大臣"}).content.decode()
    assert "東アジア首脳会議<mark>環境大臣</mark>会合" in html


def test_a_result_in_the_other_language_says_so_for_screen_readers(client_for):
    client, _user = client_for("secretariat")
    make_meeting(title_en="Only in English", title_ja="")
    with translation.override("ja"):
        url = reverse("meetings:search")
    html = client.get(url, {"q": "english"}).content.decode()
    assert re.search(r'<h2 class="search-result__title" lang="en">.*Only in <mark>English</mark>', html)


def test_markup_in_records_is_escaped(client_for):
    client, _user = client_for("secretariat")
    make_meeting(title_en="<script>alert(1)</script> Plastics", title_ja="")
    html = client.get(STAFF_URL, {"q": "plastics"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Plastics</mark>" in html


def test_documents_outcomes_and_elements_link_to_their_pages_and_the_type_filter_narrows(client_for):
    client, _user = client_for("secretariat")
    meeting = make_meeting(title_en="Ozone meeting", title_ja="")
    make_document(meeting, title_en="Ozone paper", title_ja="")
    outcome = make_outcome(meeting, title_en="Ozone statement", title_ja="")
    element = make_element(outcome, text_en="Countries will phase out ozone-depleting substances.", is_operational=True)
    html = client.get(STAFF_URL, {"q": "ozone"}).content.decode()
    assert "4 results" in html
    assert reverse("meetings:outcome-detail", args=[outcome.pk]) in html
    assert reverse("meetings:element-detail", args=[element.pk]) in html
    only_elements = client.get(STAFF_URL, {"q": "ozone", "type": "element"}).content.decode()
    assert "1 result" in only_elements
    assert "phase out <mark>ozone</mark>-depleting" in only_elements


def test_the_public_page_links_public_pages(client):
    meeting = make_meeting(title_en="Open dialogue", title_ja="", visibility="public")
    html = client.get(PUBLIC_URL, {"q": "dialogue"}).content.decode()
    assert f'href="{reverse("meetings_public:meeting-detail", args=[meeting.pk])}"' in html
    assert "/staff/" not in html.split("<main", 1)[1]


def test_pages_of_results_keep_the_query_and_type_in_their_links(client_for):
    client, _user = client_for("secretariat")
    for n in range(25):
        make_meeting(title_en=f"Workshop {n}", title_ja="")
    html = client.get(STAFF_URL, {"q": "workshop", "type": "meeting"}).content.decode()
    assert "25 results" in html
    assert html.count('class="search-result"') == 20
    assert 'href="?q=workshop&amp;type=meeting&amp;page=2"' in html
    second = client.get(STAFF_URL, {"q": "workshop", "type": "meeting", "page": 2}).content.decode()
    assert second.count('class="search-result"') == 5
    assert '<ol class="search-results" start="21">' in second


def test_a_bad_type_is_ignored_with_the_form_saying_so(client_for):
    client, _user = client_for("secretariat")
    make_meeting(title_en="Workshop", title_ja="")
    response = client.get(STAFF_URL, {"q": "workshop", "type": "person"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def _records(count):
    for n in range(count):
        meeting = make_meeting(title_en=f"Mercury meeting {n}", title_ja="")
        make_document(meeting, title_en=f"Mercury paper {n}", title_ja="")
        outcome = make_outcome(meeting, title_en=f"Mercury statement {n}", title_ja="")
        make_element(outcome, text_en=f"Mercury action {n}.")


@pytest.mark.parametrize("count", [2, 10])
def test_the_page_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, count):
    client, _user = client_for("secretariat")
    _records(count)
    client.get(STAFF_URL, {"q": "mercury"})  # sessions and content types warmed up
    with django_assert_max_num_queries(12):
        response = client.get(STAFF_URL, {"q": "mercury"})
    assert response.content.decode().count('class="search-result"') == min(20, 4 * count)
