"""The expert directory's pages: the staff list (search in Japanese and English, filters, pages), an expert's
page for every role, the nomination with duplicates offered for a merge, edits (stale ones refused),
publications, consent, the secretariat's decisions and merge, the public directory (never contact details),
and fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cleanasia.accounts.models import Role
from cleanasia.core.models import Visibility
from cleanasia.directory.models import Affiliation, Person
from cleanasia.network.models import ExpertProfile, NominationState, Publication
from cleanasia.network.services import experts as services
from tests.conftest import verified_client

from .factories_experts import ORCID_CARBERRY, ORCID_OTHER, actions, make_expert, make_field, make_organisation

pytestmark = pytest.mark.django_db

EMAIL = "nguyen.an@example.vn"
PHONE = "+84 24 3333 4444"


@pytest.fixture
def directory():
    """A publicly listed air expert of Viet Nam (Japanese keywords), a members-only water expert of Thailand,
    a Vietnamese nomination awaiting a decision, and a declined one."""
    make_field("air", "Air quality", "大気環境")
    make_field("water", "Water", "水環境")
    moe = make_organisation("Ministry of Natural Resources and Environment", country="VN", acronym="MONRE")
    listed = make_expert(
        "Nguyen Van An",
        name_ja="グエン・ヴァン・アン",
        country="VN",
        email=EMAIL,
        phone=PHONE,
        listed=True,
        keywords="大気汚染対策\nPM2.5",
        languages=["vi", "en"],
        fields=("air",),
        orcid=ORCID_CARBERRY,
        affiliations=[{"organisation": moe, "position_en": "Director"}],
    )
    services.publication_add(
        actor=None, expert=listed, title="Urban air quality in Hanoi", year=2024, doi="10.1000/abc"
    )
    return {
        "listed": listed,
        "members": make_expert(
            "Somchai Dee", country="TH", email="somchai@example.th", keywords="水質汚濁\nwastewater", fields=("water",)
        ),
        "nominated": make_expert("Tran Thi Binh", country="VN", state=NominationState.NOMINATED, keywords="waste"),
        "declined": make_expert("Le Van Cuong", country="VN", state=NominationState.DECLINED),
    }


def url(name, *args, query=""):
    found = reverse(name, args=args or None)
    return f"{found}?{query}" if query else found


# --- the staff list -----------------------------------------------------------------------------------


def test_the_public_is_sent_to_sign_in_from_the_staff_directory(client, directory):
    response = client.get(url("network:expert-list"))
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign" in response["Location"]


@pytest.mark.parametrize(
    ("role", "seen", "hidden"),
    [
        (Role.EXPERT, {"Nguyen Van An", "Somchai Dee"}, {"Tran Thi Binh", "Le Van Cuong"}),
        (Role.WG_MEMBER, {"Nguyen Van An", "Somchai Dee"}, {"Tran Thi Binh", "Le Van Cuong"}),
        (Role.FOCAL_POINT, {"Nguyen Van An", "Somchai Dee", "Tran Thi Binh", "Le Van Cuong"}, set()),
        (Role.SECRETARIAT, {"Nguyen Van An", "Somchai Dee", "Tran Thi Binh", "Le Van Cuong"}, set()),
        (Role.ADMIN, {"Nguyen Van An", "Somchai Dee", "Tran Thi Binh", "Le Van Cuong"}, set()),
    ],
)
def test_each_role_lists_the_experts_its_policy_shows(client_for, directory, role, seen, hidden):
    client, _user = client_for(role)  # a focal point of VN
    page = client.get(url("network:expert-list")).content.decode()
    assert all(name in page for name in seen)
    assert not any(name in page for name in hidden)


def test_a_japanese_keyword_finds_the_expert_by_a_part_of_a_keyword(client_for, directory):
    client, _user = client_for(Role.EXPERT)
    page = client.get(url("network:expert-list", query="q=大気汚染")).content.decode()
    assert "Nguyen Van An" in page
    assert "Somchai Dee" not in page
    assert "1 expert" in page


def test_an_english_keyword_finds_in_any_case_and_the_filters_narrow(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    page = client.get(url("network:expert-list", query="q=WASTEWATER")).content.decode()
    assert "Somchai Dee" in page
    assert "Nguyen Van An" not in page
    page = client.get(url("network:expert-list", query="field=air")).content.decode()
    assert "Nguyen Van An" in page
    assert "Somchai Dee" not in page
    page = client.get(url("network:expert-list", query="country=TH")).content.decode()
    assert "Somchai Dee" in page
    assert "Nguyen Van An" not in page
    page = client.get(url("network:expert-list", query="language=vi")).content.decode()
    assert "Nguyen Van An" in page
    assert "Somchai Dee" not in page


def test_an_organisation_found_by_its_acronym_finds_its_experts(client_for, directory):
    client, _user = client_for(Role.EXPERT)
    page = client.get(url("network:expert-list", query="q=monre")).content.decode()
    assert "Nguyen Van An" in page


def test_the_list_is_paged_and_an_unknown_filter_value_is_ignored_with_a_message_at_the_field(client_for, directory):
    for n in range(22):
        make_expert(f"Paged Person {n:02d}", country="JP")
    client, _user = client_for(Role.SECRETARIAT)
    page = client.get(url("network:expert-list")).content.decode()
    assert "Page 1 of 2" in page
    second = client.get(url("network:expert-list", query="page=2")).content.decode()
    assert "Page 2 of 2" in second
    bad = client.get(url("network:expert-list", query="field=nonsense")).content.decode()
    assert "Select a valid choice" in bad


def test_the_list_keeps_its_number_of_queries_whatever_the_page_holds(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)

    def queries_of_the_list() -> int:
        client.get(url("network:expert-list"))  # warms the session, content types and cached filter choices
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("network:expert-list", query="q=a"))
        assert response.status_code == 200
        return len(captured.captured_queries)

    few = queries_of_the_list()
    assert few <= 14
    for n in range(15):
        make_expert(f"Extra Person {n}", country="JP", keywords="air", fields=("air",))
    assert queries_of_the_list() <= few


# --- an expert's page ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "contact"),
    [
        (Role.EXPERT, 200, False),
        (Role.WG_MEMBER, 200, False),
        (Role.FOCAL_POINT, 200, True),  # the expert's country
        (Role.SECRETARIAT, 200, True),
        (Role.ADMIN, 200, True),
    ],
)
def test_contact_details_only_for_whom_the_policy_allows(client_for, directory, role, status, contact):
    client, _user = client_for(role)
    response = client.get(url("network:expert-detail", directory["listed"].pk))
    assert response.status_code == status
    page = response.content.decode()
    assert "Urban air quality in Hanoi" in page
    assert "https://orcid.org/" + ORCID_CARBERRY in page
    assert "Ministry of Natural Resources and Environment" in page
    assert (EMAIL in page) is contact
    assert (PHONE in page) is contact
    if contact:
        assert "Consented on" in page


def test_a_focal_point_of_another_country_sees_no_contact_details(client_for, directory):
    client, _user = client_for(Role.FOCAL_POINT, country="TH")
    page = client.get(url("network:expert-detail", directory["listed"].pk)).content.decode()
    assert EMAIL not in page
    assert PHONE not in page


def test_a_nomination_is_hidden_from_members_as_if_it_did_not_exist(client_for, directory):
    client, _user = client_for(Role.EXPERT)
    assert client.get(url("network:expert-detail", directory["nominated"].pk)).status_code == 404
    assert client.get(url("network:expert-detail", 999_999)).status_code == 404


def test_the_expert_page_has_a_fixed_number_of_queries(client_for, directory, django_assert_max_num_queries):
    client, _user = client_for(Role.SECRETARIAT)
    client.get(url("network:expert-detail", directory["listed"].pk))
    with django_assert_max_num_queries(20):
        client.get(url("network:expert-detail", directory["listed"].pk))


# --- nomination ---------------------------------------------------------------------------------------


def nomination(**overrides):
    data = {
        "name_en": "Pham Minh Duc",
        "family_name": "Pham",
        "country": "VN",
        "email": "pham.duc@example.vn",
        "phone": "+84 28 1111 2222",
        "organisation_name": "monre",
        "position_en": "Researcher",
        "fields": ["air"],
        "keywords": "大気汚染\nair quality",
        "languages": "vi, en",
        "orcid": "",
        "visibility": Visibility.MEMBERS,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("role", "status"), [(Role.EXPERT, 403), (Role.WG_MEMBER, 403), (Role.FOCAL_POINT, 200)])
def test_only_focal_points_and_the_secretariat_open_the_nomination_form(client_for, role, status):
    client, _user = client_for(role)
    assert client.get(url("network:expert-nominate")).status_code == status


def test_a_focal_point_nominates_an_expert_of_their_country_found_in_the_registry_by_acronym(client_for, directory):
    client, user = client_for(Role.FOCAL_POINT)
    response = client.post(url("network:expert-nominate"), nomination())
    assert response.status_code == 302
    expert = ExpertProfile.objects.get(person__name_en="Pham Minh Duc")
    assert expert.state == NominationState.NOMINATED
    assert expert.nominated_by == user
    assert Affiliation.objects.get(person=expert.person).organisation.acronym == "MONRE"  # one ministry, one record
    assert response["Location"] == url("network:expert-detail", expert.pk)


def test_a_focal_point_cannot_nominate_for_another_country(client_for, directory):
    client, _user = client_for(Role.FOCAL_POINT)
    response = client.post(url("network:expert-nominate"), nomination(country="TH"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Person.objects.filter(name_en="Pham Minh Duc").exists()


def test_the_same_email_is_refused_at_its_field_and_the_merge_is_offered(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(url("network:expert-nominate"), nomination(email=EMAIL.upper()))
    assert response.status_code == 400
    page = response.content.decode()
    assert "E-mail address:" in page  # the error summary names the field
    assert "already in the expert directory with this e-mail address" in page
    assert url("network:expert-merge") + f"?keep={directory['listed'].pk}" in page
    assert not Person.objects.filter(name_en="Pham Minh Duc").exists()


def test_the_same_orcid_is_refused_at_its_field_and_the_merge_is_offered(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(url("network:expert-nominate"), nomination(orcid=ORCID_CARBERRY.replace("-", "")))
    assert response.status_code == 400
    page = response.content.decode()
    assert "ORCID iD:" in page
    assert "with this ORCID iD" in page
    assert "Merge the records" in page
    assert not Person.objects.filter(name_en="Pham Minh Duc").exists()


def test_a_focal_point_sees_the_duplicate_but_not_the_merge_link(client_for, directory):
    client, _user = client_for(Role.FOCAL_POINT)
    page = client.post(url("network:expert-nominate"), nomination(email=EMAIL)).content.decode()
    assert "Open record" in page
    assert "Merge the records" not in page


def test_a_nomination_without_a_name_or_with_a_bad_orcid_is_refused_at_the_field(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    page = client.post(url("network:expert-nominate"), nomination(name_en="")).content.decode()
    assert "Give the expert&#x27;s name" in page
    page = client.post(url("network:expert-nominate"), nomination(orcid="0000-0002-1825-0098")).content.decode()
    assert "wrong check digit" in page
    page = client.post(url("network:expert-nominate"), nomination(languages="xx")).content.decode()
    assert "Languages:" in page
    assert "is not a language code" in page
    assert not Person.objects.filter(name_en="Pham Minh Duc").exists()


# --- nominations and decisions ------------------------------------------------------------------------


def test_the_secretariat_accepts_a_nomination_from_the_list_of_pending_ones(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    page = client.get(url("network:expert-nominations")).content.decode()
    assert "Tran Thi Binh" in page
    assert "Nguyen Van An" not in page
    nominated = directory["nominated"]
    response = client.post(url("network:expert-decision", nominated.pk), {"decision": "accept", "next": "nominations"})
    assert response["Location"] == url("network:expert-nominations")
    nominated.refresh_from_db()
    assert nominated.state == NominationState.ACCEPTED
    assert nominated.decided_on is not None


def test_a_decided_nomination_cannot_be_decided_again(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(
        url("network:expert-decision", directory["declined"].pk), {"decision": "accept"}, follow=True
    )
    assert "already declined" in response.content.decode()
    directory["declined"].refresh_from_db()
    assert directory["declined"].state == NominationState.DECLINED


def test_a_focal_point_sees_the_pending_nominations_but_cannot_decide(client_for, directory):
    client, _user = client_for(Role.FOCAL_POINT)
    page = client.get(url("network:expert-nominations")).content.decode()
    assert "Tran Thi Binh" in page
    assert "Accept" not in page
    assert (
        client.post(url("network:expert-decision", directory["nominated"].pk), {"decision": "accept"}).status_code
        == 403
    )
    client, _user = client_for(Role.EXPERT)
    assert client.get(url("network:expert-nominations")).status_code == 403


# --- edits, consent, publications ---------------------------------------------------------------------


def edit_data(expert, **overrides):
    data = {
        "fields": ["air"],
        "keywords": "大気汚染対策\nozone",
        "languages": "vi",
        "orcid": expert.orcid or "",
        "biography_en": "Works on ozone.",
        "biography_ja": "",
        "visibility": Visibility.MEMBERS,
        "version": expert.version,
    }
    data.update(overrides)
    return data


def test_the_focal_point_edits_an_expert_of_their_country(client_for, directory):
    client, _user = client_for(Role.FOCAL_POINT)
    expert = directory["listed"]
    assert client.get(url("network:expert-edit", expert.pk)).status_code == 200
    response = client.post(url("network:expert-edit", expert.pk), edit_data(expert))
    assert response.status_code == 302
    expert.refresh_from_db()
    assert "ozone" in expert.keywords
    assert expert.languages == ["vi"]


def test_a_member_cannot_edit_someone_elses_profile(client_for, directory):
    client, _user = client_for(Role.EXPERT)
    expert = directory["listed"]
    assert client.get(url("network:expert-edit", expert.pk)).status_code == 403
    assert client.post(url("network:expert-edit", expert.pk), edit_data(expert)).status_code == 403


def test_a_stale_edit_is_refused_with_the_other_change_shown(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    expert = directory["listed"]
    old = expert.version
    services.expert_update(actor=None, expert=expert, expected_version=old, changes={"keywords": "someone else's"})
    response = client.post(url("network:expert-edit", expert.pk), edit_data(expert, version=old))
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    expert.refresh_from_db()
    assert expert.keywords == "someone else's"


def test_an_orcid_of_another_expert_is_refused_on_edit_and_the_merge_offered(client_for, directory):
    other = make_expert("Other Person", country="VN", orcid=ORCID_OTHER)
    client, _user = client_for(Role.SECRETARIAT)
    expert = directory["listed"]
    response = client.post(url("network:expert-edit", expert.pk), edit_data(expert, orcid=ORCID_OTHER))
    assert response.status_code == 400
    page = response.content.decode()
    assert "ORCID iD:" in page
    assert f"?keep={other.pk}&amp;merge={expert.pk}" in page


def test_the_expert_records_and_withdraws_their_consent_with_its_date(client_for, make_user, directory):
    user = make_user(Role.EXPERT)
    expert = make_expert("Own Person", country="JP", user=user)
    client = verified_client(user)
    page = client.get(url("network:expert-detail", expert.pk)).content.decode()
    assert "No consent recorded" in page
    client.post(url("network:expert-consent", expert.pk), {"listed": "yes"})
    expert.refresh_from_db()
    assert expert.listed_publicly
    assert expert.listing_consent_on is not None
    page = client.get(url("network:expert-detail", expert.pk)).content.decode()
    assert f"Consented on {expert.listing_consent_on:%Y-%m-%d}" in page
    client.post(url("network:expert-consent", expert.pk), {"listed": "no"})
    expert.refresh_from_db()
    assert not expert.listed_publicly
    assert actions(expert)[-2:] == ["network.expert.consent_given", "network.expert.consent_withdrawn"]


def test_a_focal_point_cannot_give_consent_for_the_expert(client_for, directory):
    client, _user = client_for(Role.FOCAL_POINT)
    assert client.post(url("network:expert-consent", directory["nominated"].pk), {"listed": "yes"}).status_code == 403


def test_publications_are_added_and_edited_and_a_duplicate_doi_is_refused(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    expert = directory["listed"]
    response = client.post(url("network:publication-add", expert.pk), {"title": "Ozone", "year": 2023})
    assert response.status_code == 302
    response = client.post(url("network:publication-add", expert.pk), {"title": "Again", "doi": "10.1000/ABC"})
    assert response.status_code == 400
    assert "DOI:" in response.content.decode()
    publication = Publication.objects.get(title="Ozone")
    response = client.post(
        url("network:publication-edit", publication.pk),
        {"title": "Ozone in Hanoi", "year": 2023, "version": publication.version},
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.title == "Ozone in Hanoi"
    stale = client.post(
        url("network:publication-edit", publication.pk), {"title": "Late", "version": publication.version - 1}
    )
    assert stale.status_code == 409


def test_an_affiliation_is_added_by_another_spelling_of_a_registry_organisation(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    expert = directory["members"]
    organisation = make_organisation("Pollution Control Department", country="TH", alternative_names=["กรมควบคุมมลพิษ"])
    response = client.post(
        url("network:expert-affiliation-add", expert.pk), {"organisation_name": "กรมควบคุมมลพิษ", "position_en": "Chief"}
    )
    assert response.status_code == 302
    assert Affiliation.objects.get(person=expert.person).organisation == organisation
    response = client.post(url("network:expert-affiliation-add", expert.pk), {"organisation_name": ""})
    assert response.status_code == 400
    assert "Organisation:" in response.content.decode()


# --- merge --------------------------------------------------------------------------------------------


def test_the_secretariat_compares_two_records_side_by_side_and_merges_them(client_for, directory):
    duplicate = make_expert("An Nguyen", country="VN", email="an.other@example.vn", keywords="ozone")
    keep = directory["listed"]
    client, _user = client_for(Role.SECRETARIAT)
    page = client.get(url("network:expert-merge", query=f"keep={keep.pk}&merge={duplicate.pk}")).content.decode()
    assert "Nguyen Van An" in page
    assert "An Nguyen" in page
    assert "an.other@example.vn" in page
    response = client.post(url("network:expert-merge"), {"keep": keep.pk, "merge": duplicate.pk})
    assert response["Location"] == url("network:expert-detail", keep.pk)
    assert not ExpertProfile.objects.filter(pk=duplicate.pk).exists()
    keep.refresh_from_db()
    assert "ozone" in keep.keywords


@pytest.mark.parametrize("role", [Role.EXPERT, Role.FOCAL_POINT])
def test_only_the_secretariat_merges(client_for, directory, role):
    client, _user = client_for(role)
    keep, duplicate = directory["listed"], directory["nominated"]
    assert client.get(url("network:expert-merge", query=f"keep={keep.pk}")).status_code == 403
    assert client.post(url("network:expert-merge"), {"keep": keep.pk, "merge": duplicate.pk}).status_code == 403
    assert ExpertProfile.objects.filter(pk=duplicate.pk).exists()


def test_merging_a_record_into_itself_is_refused_with_a_message(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    keep = directory["listed"]
    response = client.post(url("network:expert-merge"), {"keep": keep.pk, "merge": keep.pk})
    assert response.status_code == 400
    assert "Choose two different records" in response.content.decode()


# --- the public directory -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["public", Role.EXPERT, Role.FOCAL_POINT, Role.SECRETARIAT])
def test_the_public_directory_lists_only_consenting_experts_and_never_contact_details(client_for, directory, role):
    client, _user = client_for(role)
    page = client.get(url("network_public:expert-list")).content.decode()
    assert "Nguyen Van An" in page
    assert "Somchai Dee" not in page
    assert "Tran Thi Binh" not in page
    detail = client.get(url("network_public:expert-detail", directory["listed"].pk)).content.decode()
    for personal in (EMAIL, PHONE, "mailto:", "Consented on"):
        assert personal not in page
        assert personal not in detail
    assert "大気汚染対策" in detail
    assert "Urban air quality in Hanoi" in detail


def test_the_public_directory_finds_by_a_japanese_keyword(client, directory):
    page = client.get(url("network_public:expert-list", query="q=大気汚染")).content.decode()
    assert "Nguyen Van An" in page
    assert "1 expert" in page


def test_unlisted_experts_are_not_found_on_the_public_pages(client, directory):
    assert client.get(url("network_public:expert-detail", directory["members"].pk)).status_code == 404
    assert client.get(url("network_public:expert-detail", directory["nominated"].pk)).status_code == 404
    page = client.get(url("network_public:expert-list", query="q=wastewater")).content.decode()
    assert "Somchai Dee" not in page


def test_the_public_list_keeps_its_number_of_queries(client, directory, django_assert_max_num_queries):
    # Both requests come after a change of the data (the filter's choices and the page computed, not cached).
    with django_assert_max_num_queries(10) as few:
        client.get(url("network_public:expert-list", query="q=PM2.5"))
    budget = len(few.captured_queries)  # read now: the connection's query log is a bounded ring
    for n in range(10):
        make_expert(f"Listed Person {n}", country="JP", listed=True, keywords="PM2.5", fields=("air",))
    with django_assert_max_num_queries(budget):
        page = client.get(url("network_public:expert-list", query="q=PM2.5")).content.decode()
    assert "11 experts" in page
    with django_assert_max_num_queries(budget - 3):
        client.get(url("network_public:expert-list", query="q=PM2.5"))  # the same search again: from the cache


def test_the_merge_page_asks_for_the_duplicate_when_only_the_kept_record_is_given(client_for, directory):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.get(url("network:expert-merge", query=f"keep={directory['listed'].pk}"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Record number of the duplicate" in page
    assert f'value="{directory["listed"].pk}"' in page
    assert client.get(url("network:expert-merge", query="keep=999999&merge=1")).status_code == 404


@pytest.mark.parametrize("name", ["network:expert-list", "network_public:expert-list"])
def test_the_lists_answer_in_japanese(client_for, directory, name):
    client, _user = client_for(Role.SECRETARIAT)
    with translation.override("ja"):
        path = reverse(name)
    response = client.get(path, {"q": "大気汚染"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert 'lang="ja"' in response.content.decode()
    assert "グエン・ヴァン・アン" in response.content.decode()  # the Japanese name on the Japanese page
