"""Demonstration data of the network: seeding at scale 1 on a fresh database, the same seed giving the same
network, a reset replacing it, every expert found by one of its keywords, contact details never public."""

import io
from collections import defaultdict

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count

from cleanasia.core.demo import autodiscover, module_rng, reset_demo_data

# Modules reset newest first, in the order they were first registered: registering them all now, in
# INSTALLED_APPS order, keeps the network (whose groups hold measures and meeting series) after the
# modules it builds on, whatever this file imports first.
autodiscover()

from cleanasia.accounts import demo as accounts_demo  # noqa: E402
from cleanasia.core.models import DemoDataset, SearchEntry  # noqa: E402
from cleanasia.directory import demo as directory_demo  # noqa: E402
from cleanasia.directory.models import Organisation, Person  # noqa: E402
from cleanasia.network import demo  # noqa: E402
from cleanasia.network.models import (  # noqa: E402
    Certificate,
    ExpertProfile,
    Field,
    NominationState,
    ResearchProject,
    TraineeNomination,
    TraineeState,
    TrainingSession,
    WorkingGroup,
    WorkingGroupMember,
)
from cleanasia.network.selectors.experts import expert_detail_for, expert_search, expert_search_queryset  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db):
    call_command("load_reference", stdout=io.StringIO())


@pytest.fixture
def prerequisites(reference):
    """What the network's generator reads: the demonstration accounts and organisations (fast to make)."""
    accounts_demo.generate(module_rng(1, "accounts"), 1, io.StringIO())
    directory_demo.generate(module_rng(1, "directory"), 1, io.StringIO())


def generate(seed_value: int = 1) -> dict:
    return demo.generate(module_rng(seed_value, "network"), 1, io.StringIO())


def reset_network() -> None:
    (network,) = [module for module in autodiscover() if module.name == "network"]
    reset_demo_data([network], stdout=io.StringIO())


def expert_entries() -> int:
    return SearchEntry.objects.filter(content_type=ContentType.objects.get_for_model(ExpertProfile)).count()


def snapshot() -> dict[str, list]:
    """The network's records by their values (primary keys differ from one generation to the next)."""
    return {
        "experts": list(
            ExpertProfile.objects.order_by("pk").values_list(
                "person__name_en", "person__email", "keywords", "orcid", "state", "listed_publicly", "decided_on"
            )
        ),
        "members": list(
            WorkingGroupMember.objects.order_by("pk").values_list(
                "group__code", "person__name_en", "role", "started_on"
            )
        ),
        "projects": list(ResearchProject.objects.order_by("pk").values_list("code", "title_en", "status", "starts_on")),
        "nominations": list(
            TraineeNomination.objects.order_by("pk").values_list(
                "session__starts_on", "person__name_en", "country_id", "gender", "state"
            )
        ),
        "certificates": list(Certificate.objects.order_by("pk").values_list("code", "name_at_issue", "revoked_on")),
    }


def test_seed_demo_at_scale_one_builds_the_network_and_a_reset_replaces_it(reference):
    out = io.StringIO()
    call_command("seed_demo", scale=1, seed=1, stdout=out)
    assert "network: generated 7 fields, 7 working groups" in out.getvalue()
    summary = DemoDataset.objects.get(module="network").summary
    assert summary["experts"] == ExpertProfile.objects.filter(is_demo=True).count() == demo.EXPERTS_PER_SCALE
    assert summary["research projects"] == ResearchProject.objects.filter(is_demo=True).count() == 25
    assert summary["nominations"] == TraineeNomination.objects.filter(is_demo=True).count() == 250
    assert summary["search entries"] == expert_entries() == 2 * demo.EXPERTS_PER_SCALE, "one entry per language"
    assert set(Field.objects.values_list("code", flat=True)) == {spec["code"] for spec in demo.read_fields()}
    # Each group is tied to its measure and its series, with a chair from its chair country.
    for group in WorkingGroup.objects.filter(is_demo=True):
        assert group.measure_id
        assert group.meeting_series_id
        chairs = set(group.chair_countries.values_list("code", flat=True))
        assert group.members.filter(role="chair", ended_on=None, country__in=chairs).exists()
    # Nominations stay within the countries' quotas; certificates go to selected trainees only.
    per_country = TraineeNomination.objects.values("session", "country").annotate(n=Count("pk"))
    quotas = dict(TrainingSession.objects.values_list("pk", "quota_per_country"))
    assert all(row["n"] <= quotas[row["session"]] for row in per_country)
    assert not Certificate.objects.exclude(nomination__state=TraineeState.SELECTED).exists()
    assert Certificate.objects.exclude(revoked_on=None).exclude(revocation_reason="").exists()
    before = {model.__name__: model.objects.count() for model in (ExpertProfile, ResearchProject, Person)}
    entries = SearchEntry.objects.count()

    call_command("seed_demo", scale=1, seed=1, reset=True, stdout=io.StringIO())
    after = {model.__name__: model.objects.count() for model in (ExpertProfile, ResearchProject, Person)}
    assert after == before, "replaced, not doubled"
    assert SearchEntry.objects.count() == entries, "the old index entries went with their experts"
    assert Field.objects.count() == len(demo.read_fields())


def test_the_same_seed_gives_the_same_network(prerequisites):
    generate()
    first = snapshot()
    organisations = Organisation.objects.filter(source=demo.NETWORK_SOURCE).count()
    reset_network()
    assert not ExpertProfile.objects.exists()
    assert not WorkingGroup.objects.exists()
    assert not Person.objects.filter(source=demo.NETWORK_SOURCE).exists()
    assert expert_entries() == 0
    generate()
    assert snapshot() == first
    assert Organisation.objects.filter(source=demo.NETWORK_SOURCE).count() == organisations
    reset_network()
    generate(seed_value=2)
    assert snapshot()["experts"] != first["experts"], "another seed, other experts"


def test_every_expert_is_found_by_a_keyword_and_contact_details_stay_private(prerequisites, make_user, client):
    generate()
    secretariat = make_user("secretariat")
    # Every expert, through the selector, by the first of their keywords (Japanese for some, English for others).
    by_keyword: dict[str, set[int]] = defaultdict(set)
    for pk, keywords in ExpertProfile.objects.values_list("pk", "keywords"):
        lines = keywords.splitlines()
        by_keyword[lines[pk % 2] if len(lines) > 1 else lines[0]].add(pk)
    assert any(not keyword.isascii() for keyword in by_keyword)
    assert any(k.isascii() for k in by_keyword)
    for keyword, wanted in by_keyword.items():
        found = set(expert_search_queryset(user=secretariat, query=keyword).values_list("pk", flat=True))
        assert wanted <= found, f"not found by {keyword!r}: {sorted(wanted - found)[:5]}"

    # Contact details exist, and are shown to the secretariat …
    experts = ExpertProfile.objects.select_related("person")
    assert experts.exclude(person__email="").count() > 0.8 * experts.count()
    assert experts.exclude(person__phone="").exists()
    page = expert_search(user=secretariat, query="大気汚染")
    assert page.object_list
    assert all("email" in row for row in page.object_list)

    # … but never to the public: not in the search rows, the detail, the public page.
    listed = experts.filter(state=NominationState.ACCEPTED, listed_publicly=True).exclude(person__email="")
    assert listed.exists()
    assert listed.count() < experts.count()
    public = AnonymousUser()
    for query in ("大気汚染", "air pollution"):
        rows = expert_search(user=public, query=query, page_size=100).object_list
        assert rows
        public_ids = experts.filter(state=NominationState.ACCEPTED, listed_publicly=True).values_list("pk", flat=True)
        assert {row["id"] for row in rows} <= set(public_ids)
        assert all("email" not in row and "phone" not in row for row in rows)
    expert = listed.order_by("pk").first()
    detail = expert_detail_for(user=public, expert_id=expert.pk)
    assert expert.person.email not in str(detail)
    keyword = expert.keywords.splitlines()[0]
    response = client.get("/en/network/experts/", {"q": expert.person.name_en})
    assert response.status_code == 200
    content = response.content.decode()
    assert expert.person.name_en in content
    assert expert.person.email not in content
    if expert.person.phone:
        assert expert.person.phone not in content
    hidden = experts.exclude(listed_publicly=True).order_by("pk").first()
    rows = expert_search(user=public, query=keyword, page_size=100).object_list
    assert hidden.pk not in {row["id"] for row in rows}
