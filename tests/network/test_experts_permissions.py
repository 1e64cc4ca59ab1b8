"""Who sees which experts and who sees their contact details, for every role; who may do what.

Contact details (e-mail address, telephone) are never public: only the
secretariat, the person and the focal points of the expert's country see them,
in lists, in the detail and whatever the expert's listing. The focal point here
is Viet Nam's; each signed-in user also has an expert record of their own
(Self, of Thailand, not yet accepted).
"""

from __future__ import annotations

import pytest
from django.http import Http404

from cleanasia.accounts.models import Role
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import CHANGE, VIEW, can, visible
from cleanasia.network.models import ExpertProfile, NominationState, Publication
from cleanasia.network.policies.experts import DECIDE, MERGE, NOMINATE, SET_CONSENT, VIEW_CONTACT
from cleanasia.network.selectors.experts import expert_detail_for, expert_search
from cleanasia.network.services import experts as services
from tests.conftest import ROLES

from .factories_experts import make_expert

pytestmark = pytest.mark.django_db

CONTACT = {"email", "phone"}
ADMINISTRATION = {"state", "listed_publicly", "listing_consent_on", "nominated_by", "decided_on", "version"}
ALL = ["Anh", "Binh", "Chau", "Dao", "Em", "Self"]
# (experts listed, experts whose contact details are shown) for each role.
EXPECTED = {
    "public": (["Anh"], []),
    Role.EXPERT: (["Anh", "Binh", "Self"], ["Self"]),
    Role.WG_MEMBER: (["Anh", "Binh", "Self"], ["Self"]),
    Role.FOCAL_POINT: (["Anh", "Binh", "Chau", "Self"], ["Anh", "Binh", "Chau", "Self"]),
    Role.SECRETARIAT: (ALL, ALL),
    Role.ADMIN: (ALL, ALL),
}
SECRETARIAT_ROLES = {Role.SECRETARIAT, Role.ADMIN}


@pytest.fixture
def experts():
    """Anh: listed publicly. Binh: for signed-in members. Chau: nominated. Dao: secretariat only. Em: declined."""
    return {
        "Anh": make_expert("Anh", country="VN", listed=True, keywords="大気"),
        "Binh": make_expert("Binh", country="VN", keywords="大気"),
        "Chau": make_expert("Chau", country="VN", state=NominationState.NOMINATED, listed=True, keywords="大気"),
        "Dao": make_expert("Dao", country="TH", visibility=Visibility.SECRETARIAT, keywords="大気"),
        "Em": make_expert("Em", country="TH", state=NominationState.DECLINED, listed=True, keywords="大気"),
    }


@pytest.fixture(params=ROLES)
def reader(request, make_user, experts):
    """(role, user) for each role; signed-in users get their own expert record, Self."""
    role = request.param
    if role == "public":
        return role, None
    user = make_user(role, country="VN")
    experts["Self"] = make_expert("Self", country="TH", state=NominationState.NOMINATED, user=user, keywords="大気")
    return role, user


def test_each_role_lists_the_experts_and_contact_details_it_may_see(reader, experts):
    role, user = reader
    listed, detailed = EXPECTED[role]
    for query in ("", "大気"):
        rows = expert_search(user=user, query=query).object_list
        assert sorted(r["name_en"] for r in rows) == listed, query
        assert sorted(r["name_en"] for r in rows if r["personal"]) == detailed
        for row in rows:
            private = CONTACT | ADMINISTRATION
            if row["name_en"] in detailed:
                assert private <= set(row)
                assert row["email"] == experts[row["name_en"]].person.email
            else:
                assert not private & set(row), row
                assert "@" not in repr(row), "no e-mail address anywhere in a row"


def test_each_role_opens_the_details_it_may_see_and_nothing_else(reader, experts):
    role, user = reader
    listed, detailed = EXPECTED[role]
    for name, expert in experts.items():
        if name not in listed:
            with pytest.raises(Http404):
                expert_detail_for(user=user, expert_id=expert.pk)
            continue
        row = expert_detail_for(user=user, expert_id=expert.pk)
        assert row["name_en"] == name
        assert ("phone" in row) is (name in detailed)
        assert ("email" in row) is (name in detailed)


def test_the_policy_answers_each_role_the_same_as_the_lists(reader, experts):
    role, user = reader
    listed, detailed = EXPECTED[role]
    assert sorted(e.person.name_en for e in visible(ExpertProfile.objects.all(), user)) == listed
    for name, expert in experts.items():
        assert can(user, VIEW, expert) is (name in listed), name
        assert can(user, VIEW_CONTACT, expert) is (name in detailed), name


def test_who_nominates_decides_merges_changes_and_gives_consent(reader, experts):
    role, user = reader
    secretariat = role in SECRETARIAT_ROLES
    assert can(user, NOMINATE, ExpertProfile) is (secretariat or role == Role.FOCAL_POINT)
    assert can(user, DECIDE, experts["Chau"]) is secretariat
    assert can(user, MERGE, ExpertProfile) is secretariat
    assert can(user, CHANGE, experts["Binh"]) is (secretariat or role == Role.FOCAL_POINT), "Binh is of Viet Nam"
    assert can(user, CHANGE, experts["Dao"]) is secretariat
    assert can(user, SET_CONSENT, experts["Anh"]) is secretariat, "only the expert or the secretariat"
    if user is not None:
        assert can(user, SET_CONSENT, experts["Self"]), "everyone decides on their own listing"
        assert can(user, CHANGE, experts["Self"]), "and keeps their own profile up to date"


def test_publications_are_seen_with_their_expert(reader, experts):
    role, user = reader
    listed, _detailed = EXPECTED[role]
    for name, expert in experts.items():
        services.publication_add(actor=None, expert=expert, title=f"Paper of {name}")
    seen = sorted(p.title for p in visible(Publication.objects.all(), user))
    assert seen == [f"Paper of {name}" for name in listed]
    paper = Publication.objects.get(title="Paper of Binh")
    assert can(user, CHANGE, paper) is (role in SECRETARIAT_ROLES or role == Role.FOCAL_POINT)


def test_contact_details_stay_private_even_when_the_expert_is_listed_publicly(make_user, experts):
    anh = experts["Anh"]
    for role in (Role.EXPERT, Role.WG_MEMBER):
        user = make_user(role)
        row = expert_detail_for(user=user, expert_id=anh.pk)
        assert not CONTACT & set(row)
        assert not row["personal"]
    thai_focal_point = make_user(Role.FOCAL_POINT, country="TH")
    assert not can(thai_focal_point, VIEW_CONTACT, anh), "a focal point of another country"
    assert "email" not in expert_detail_for(user=thai_focal_point, expert_id=anh.pk)
    assert expert_detail_for(user=None, expert_id=anh.pk)["personal"] is False
