"""Every page renders in Japanese and English, says which language it is in, and links its other-language twin."""

import io
import re

import pytest
from django.core.management import call_command

from .conftest import url

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "framework"]
STAFF_PAGES = [
    "staff-home",
    "framework-tree",
    "node-edit",
    "node-history",
    "record-history",
    "countries",
    "group-detail",
    "organisations",
    "people",
    "person-detail",
]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page", PUBLIC_PAGES + STAFF_PAGES)
def test_each_page_renders_in_each_language_with_its_alternates(page, lang, page_urls, client_for):
    client, _user = client_for("secretariat")
    path = page_urls[page](lang)
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    other = "en" if lang == "ja" else "ja"
    assert f'hreflang="{other}" href="http://testserver{page_urls[page](other)}"' in html
    assert re.search(r"<h1[ >]", html), "every page has a main heading"
    assert 'class="skip-link" href="#main"' in html


def test_the_language_switcher_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"next": "/ja/framework/", "language": "en"})
    assert response.status_code == 302
    assert response["Location"] == "/en/framework/"
    back = client.post("/i18n/setlang/", {"next": "/en/framework/", "language": "ja"})
    assert back["Location"] == "/ja/framework/"


def test_the_switcher_on_a_page_posts_that_page_as_next(client):
    html = client.get("/en/framework/").content.decode()
    assert 'name="next" value="/en/framework/"' in html
    assert 'value="ja" lang="ja"' in html


def test_the_framework_page_shows_the_seed_in_japanese(client, seed_framework):
    html = client.get(url("portal:framework", "ja")).content.decode()
    for title in [
        "低炭素型・低公害型社会の実現",
        "循環型社会の実現",
        "気候変動に適応し、自然と共生する社会の実現",
        "市場のグリーン化の促進",
        "連携の基盤確立",
        "不適正な循環資源の国際移動を防止",
        "環境モニタリングや対策の標準化・ネットワーク化",
        "パッケージとしてアジアに展開",
    ]:
        assert title in html
    # Goals are headings under one group heading, their lines list items under them, in the seed's order.
    assert html.index('id="heading-goals"') < html.index("低炭素型・低公害型社会の実現")
    assert re.search(r"<h3 [^>]*>.*低炭素型・低公害型社会の実現", html)
    assert re.search(r"<h2 [^>]*>.*連携の基盤確立", html), "the foundations are a section of their own"
    g1 = html.index("低炭素型・低公害型社会の実現")
    assert g1 < html.index('<li id="node-G1.1"') < html.index('<li id="node-G1.2"') < html.index("循環型社会の実現")


def test_the_framework_page_in_english_uses_the_english_titles(client, seed_framework):
    html = client.get(url("portal:framework", "en")).content.decode()
    assert "Promote Sound Material-Cycle society" in html
    assert "循環型社会の実現" not in html


def test_a_missing_english_title_falls_back_to_japanese_with_a_marker(client, seed_framework):
    node = seed_framework["G2"]
    node.title_en = ""
    node.save()
    html = client.get(url("portal:framework", "en")).content.decode()
    assert '<span lang="ja">循環型社会の実現</span>' in html
    assert "fallback-marker" in html


def test_the_home_page_lists_the_goals_and_links_to_the_framework(client, seed_framework):
    html = client.get(url("portal:home", "ja")).content.decode()
    for code in ["G1", "G2", "G3", "X", "F"]:
        assert f'href="/ja/framework/#node-{code}"' in html
    assert "node-G1.1" not in html, "only the goals and bases, not their lines"
    assert 'datetime="2008-10-09"' in html, "the first EAS environment ministers meeting"
    assert url("accounts:login", "ja") in html


def test_the_home_page_without_a_framework_says_so(client, db):
    response = client.get(url("portal:home", "en"))
    assert response.status_code == 200
    assert "has not been published yet" in response.content.decode()


def test_demo_records_carry_the_demo_badge(client_for, directory_data):
    org = directory_data["org"]
    type(org).objects.filter(pk=org.pk).update(is_demo=True)
    client, _ = client_for("secretariat")
    html = client.get(url("directory:organisations", "en")).content.decode()
    assert html.count("badge--demo") == 1
    assert ">DEMO<" in html


def test_the_framework_page_draws_every_node_of_the_loaded_reference_data(client, django_assert_max_num_queries):
    from cleanasia.framework.models import FrameworkNode

    call_command("load_reference", stdout=io.StringIO())
    nodes = list(FrameworkNode.objects.all())
    assert len(nodes) > 20
    with django_assert_max_num_queries(7):
        html = client.get(url("portal:framework", "ja")).content.decode()
    for node in nodes:
        assert f'id="node-{node.code}"' in html
        assert node.title_ja in html.replace("&amp;", "&")
    # Lines are drawn under their goal, in order.
    assert (
        html.index('id="node-G2"')
        < html.index('id="node-G2.1"')
        < html.index('id="node-G2.3"')
        < html.index('id="node-G3"')
    )
