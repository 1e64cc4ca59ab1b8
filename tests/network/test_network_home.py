"""The network's landing pages and its place in the navigation: the workspace page (every role; cards to
the areas whose pages exist, the user's own groups, the oversight for the secretariat), the public page,
the main menu's link with aria-current, and the workspace section."""

import pytest
from django.urls import NoReverseMatch, reverse

from cleanasia.accounts.models import Role
from cleanasia.core.navigation import record_page_url, sections_for

from ..conftest import ROLES
from .factories_groups import add_member, make_wg

pytestmark = pytest.mark.django_db

STAFF = (Role.SECRETARIAT, Role.ADMIN)


def exists(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("role", ROLES)
def test_the_workspace_landing_page_links_to_each_area(role, client_for):
    client, user = client_for(role)
    if role == Role.WG_MEMBER:
        add_member(make_wg("wg-mine", visibility="secretariat", name_en="My own group"), country="VN", user=user)
    response = client.get(reverse("network:home"))
    if role == "public":
        assert response.status_code == 302
        assert "/sign-in/" in response["Location"]
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("network:group-list") in page
    for name in ("network:expert-list", "network:project-list", "network:programme-list", "network:package-list"):
        # Areas built by others appear once their pages exist; a missing one does not break the page.
        target = exists(name)
        if target:
            assert target in page
    assert (reverse("network:oversight") in page) is (role in STAFF)
    assert ("My own group" in page) is (role == Role.WG_MEMBER)
    assert 'aria-current="page">Research and training network' in page  # the breadcrumb


@pytest.mark.parametrize("role", ROLES)
def test_the_public_page_says_what_the_network_is_and_links_to_its_parts(role, client_for):
    client, _user = client_for(role)
    response = client.get(reverse("network_public:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Asian Environmental Research and Training Network</h1>" in page
    assert reverse("network_public:group-list") in page
    for name in ("network_public:expert-list", "network_public:package-list", "network_verify:verify-form"):
        target = exists(name)
        if target:
            assert target in page


def test_the_main_menu_links_to_the_network_and_marks_the_current_page(client):
    home = reverse("network_public:home")
    on_network = client.get(home).content.decode()
    assert f'<a href="{home}" aria-current="page">Research and training network</a>' in on_network
    elsewhere = client.get(reverse("network_public:group-list")).content.decode()
    assert f'<a href="{home}">Research and training network</a>' in elsewhere


def test_the_workspace_has_a_network_section_holding_every_network_page(make_user):
    sections = {section.key: section for section in sections_for(make_user(Role.EXPERT))}
    network = sections["network"]
    assert network.url == reverse("network:home")
    assert "network:group-workspace" in network.related_url_names
    assert "network:anything-added-later" in network.related_url_names
    assert "meetings:meeting-list" not in network.related_url_names


def test_a_group_s_history_links_back_to_its_workspace():
    group = make_wg("wg-air")
    assert record_page_url(group) == reverse("network:group-workspace", args=["wg-air"])


def test_the_landing_pages_keep_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    client, user = client_for(Role.WG_MEMBER)
    person = add_member(make_wg("wg-first", visibility="members"), country="VN", user=user).person
    for n in range(5):
        add_member(make_wg(f"wg-{n}", visibility="members"), country="VN", person=person)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("network:home")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("network_public:home")).status_code == 200
