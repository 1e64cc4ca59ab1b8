"""Fixtures of the page tests: the seed's framework, a little directory, and the URL of every page."""

import pytest
from django.urls import reverse
from django.utils import translation

from cleanasia.core.models import Visibility
from tests.factories import (
    CountryFactory,
    CountryGroupFactory,
    GroupMembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

from .framework_data import build_seed_framework


@pytest.fixture
def seed_framework(db):
    return build_seed_framework()


@pytest.fixture
def directory_data(db):
    jp, vn = CountryFactory(code="JP"), CountryFactory(code="VN")
    asean = CountryGroupFactory(code="asean", name_en="ASEAN", name_ja="ASEAN")
    GroupMembershipFactory(group=asean, country=vn)
    eas = CountryGroupFactory(code="eas", name_en="East Asia Summit", name_ja="東アジア首脳会議")
    GroupMembershipFactory(group=eas, country=jp, joined_on="2005-12-14")
    org = OrganisationFactory(name_en="Ministry of the Environment", name_ja="環境省", acronym="MOEJ", country=jp)
    public_person = PersonFactory(name_en="Public Person", name_ja="公開 太郎", visibility=Visibility.PUBLIC)
    members_person = PersonFactory(name_en="Members Person", name_ja="会員 花子", visibility=Visibility.MEMBERS)
    hidden_person = PersonFactory(name_en="Secret Person", name_ja="秘密 次郎", visibility=Visibility.SECRETARIAT)
    return {
        "asean": asean,
        "eas": eas,
        "org": org,
        "public_person": public_person,
        "members_person": members_person,
        "hidden_person": hidden_person,
    }


def url(name: str, lang: str = "ja", **kwargs) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def history_url(obj, lang: str = "ja") -> str:
    meta = obj._meta
    return url("core:record-history", lang, app_label=meta.app_label, model_name=meta.model_name, pk=obj.pk)


@pytest.fixture
def page_urls(seed_framework, directory_data):
    """Every page of this part of the platform, by a short name, as a function of the language."""
    node = seed_framework["G1"]
    data = directory_data
    return {
        "home": lambda lang: url("portal:home", lang),
        "framework": lambda lang: url("portal:framework", lang),
        "staff-home": lambda lang: url("core:staff-home", lang),
        "framework-tree": lambda lang: url("framework:tree", lang),
        "node-edit": lambda lang: url("framework:node-edit", lang, pk=node.pk),
        "node-history": lambda lang: url("framework:node-history", lang, pk=node.pk),
        "record-history": lambda lang: history_url(node, lang),
        "countries": lambda lang: url("directory:countries", lang),
        "group-detail": lambda lang: url("directory:group-detail", lang, code=data["asean"].code),
        "organisations": lambda lang: url("directory:organisations", lang),
        "people": lambda lang: url("directory:people", lang),
        "person-detail": lambda lang: url("directory:person-detail", lang, pk=data["public_person"].pk),
    }
