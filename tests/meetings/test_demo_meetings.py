"""Demonstration data of the meetings module: the documented counts, consistency, search, clean reset."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Max

from cleanasia.core import search as core_search
from cleanasia.core.demo import module_rng
from cleanasia.core.models import DemoDataset, SearchEntry
from cleanasia.meetings import demo
from cleanasia.meetings.models import (
    AgendaItem,
    Delegation,
    Document,
    Element,
    ElementUpdate,
    Meeting,
    MeetingSeries,
    Outcome,
    Participant,
)

pytestmark = pytest.mark.django_db
MODELS = [MeetingSeries, Meeting, Delegation, Participant, AgendaItem, Document, Outcome, Element, ElementUpdate]


@pytest.fixture(autouse=True)
def meetings_and_their_prerequisites_only(demo_modules):
    """The meetings module's data and what it builds on; the others' generators are not run."""
    demo_modules("accounts", "directory", "meetings")


@pytest.fixture
def reference(db):
    call_command("load_reference", stdout=io.StringIO())


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.filter(is_demo=True).count() for model in MODELS}


def demo_entries() -> int:
    """Search entries of demonstration records (the reference meetings have theirs too)."""
    return sum(
        SearchEntry.objects.filter(
            content_type__model=model._meta.model_name,
            content_type__app_label="meetings",
            object_id__in=model.objects.filter(is_demo=True).values("pk"),
        ).count()
        for model in (Meeting, Document, Outcome, Element)
    )


def generate(scale: int, seed_value: int = 1) -> dict:
    return demo.generate(module_rng(seed_value, "meetings"), scale, io.StringIO())


def test_scale_one_seeds_a_small_year_and_resets_cleanly(reference):
    output = seed(scale=1, seed=1)
    assert "meetings: generated 8 series, 20 meetings" in output
    summary = DemoDataset.objects.get(module="meetings").summary
    assert summary["action items"] == 1000
    assert summary["updates"] == 5000
    before = counts()
    assert demo_entries() == summary["search entries"]
    entries = SearchEntry.objects.count()
    seed(scale=1, seed=1, reset=True)
    assert counts() == before, "regenerated alike, not doubled"
    assert SearchEntry.objects.count() == entries, "the old entries went with their records"
    # The network's working groups have their own series (NET-<group code>).
    assert (
        not MeetingSeries.objects.filter(is_demo=True, working_groups__isnull=True)
        .exclude(code__startswith="DEMO-")
        .exists()
    )
    assert MeetingSeries.objects.filter(is_demo=False).exists(), "the reference series are there too"
    assert not MeetingSeries.objects.filter(is_demo=False, code__startswith="DEMO-").exists()


def test_the_counts_at_scale_two_are_the_documented_ones(reference):
    summary = generate(2)
    held = Meeting.objects.filter(is_demo=True, status="held")
    assert summary["series"] == 8
    assert summary["meetings"] == Meeting.objects.filter(is_demo=True).count() == 40
    assert held.count() == 36, "the working groups' December 2026 meetings are upcoming"
    assert summary["action items"] == Element.objects.filter(is_demo=True, is_action_item=True).count() == 2000
    assert summary["updates"] == ElementUpdate.objects.filter(is_demo=True).count() == 10000
    per_item = Element.objects.filter(is_demo=True, is_action_item=True).annotate(n=Count("updates"))
    assert set(per_item.values_list("n", flat=True)) == {5}
    years = {m.starts_at.year for m in Meeting.objects.filter(is_demo=True)}
    assert years == {2025, 2026}
    assert Outcome.objects.filter(is_demo=True).count() == 2 * held.count()
    assert not Outcome.objects.filter(is_demo=True).exclude(meeting__in=held).exists()
    assert summary["documents"] == Document.objects.filter(is_demo=True).count()
    assert summary["search entries"] == demo_entries()


def test_the_generated_records_hold_together(reference):
    generate(2)
    today = demo.TODAY
    for meeting in Meeting.objects.filter(is_demo=True):
        assert meeting.series.code.startswith("DEMO-")
        assert meeting.ends_at >= meeting.starts_at
        invited = set(meeting.invited_countries.values_list("code", flat=True))
        assert set(meeting.delegations.values_list("country_id", flat=True)) <= invited
    # Every document symbol follows the series' scheme; supplements point at their original.
    for document in Document.objects.filter(is_demo=True).select_related("meeting__series"):
        assert document.symbol.startswith(f"{document.meeting.series.code}/{document.meeting.ordinal}/")
        if document.concerns_id:
            assert document.base_symbol == document.concerns.symbol
    # An item's status is its latest update's; closed items are dated; updates follow the meeting.
    latest = ElementUpdate.objects.filter(is_demo=True).values("element").annotate(last=Max("recorded_at"))
    last_by_element = {row["element"]: row["last"] for row in latest}
    for item in Element.objects.filter(is_demo=True, is_action_item=True).select_related("outcome__meeting")[:300]:
        updates = list(item.updates.order_by("recorded_at"))
        assert updates[-1].recorded_at == last_by_element[item.pk]
        assert updates[-1].status == item.status
        assert updates[0].recorded_at > item.outcome.meeting.ends_at
        assert updates[-1].recorded_at.date() <= today
        assert (item.closed_on is not None) == (item.status in ("completed", "dropped"))
        assert item.code.startswith(item.outcome.code)
    # Participants of meetings past the series' retention are stored as the purge leaves them.
    purged = Participant.objects.filter(is_demo=True, purged_at__isnull=False)
    assert not purged.exclude(given_name="", family_name="", email="").exists()
    recent = Participant.objects.filter(
        is_demo=True, delegation__meeting__ends_at__gte=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert not recent.filter(purged_at__isnull=False).exists()
    assert not recent.filter(email="").exists()


def test_the_demonstration_data_is_searchable(reference):
    generate(1)
    found = list(core_search.search("環境大臣会合", user=None, only=[Meeting]))
    assert found
    assert all("環境大臣会合" in entry.title for entry in found)
    item = Element.objects.filter(is_demo=True, is_action_item=True, outcome__visibility="public").first()
    hits = [e.object_id for e in core_search.search(item.code, user=None, only=[Element])]
    assert hits == [item.pk]


def test_the_same_seed_gives_the_same_meetings(reference):
    def snapshot(seed_value):
        with transaction.atomic():
            generate(1, seed_value)
            rows = (
                list(
                    Meeting.objects.filter(is_demo=True).order_by("pk").values_list("title_en", "starts_at", "city_en")
                ),
                list(Element.objects.filter(is_demo=True).order_by("pk").values_list("code", "text_en", "status")),
            )
            transaction.set_rollback(True)
        return rows

    first = snapshot(3)
    assert snapshot(3) == first
    assert snapshot(4) != first


def test_a_reset_is_refused_while_a_real_record_refers_to_demonstration_data(reference):
    seed(scale=1, seed=1)
    series = MeetingSeries.objects.filter(is_demo=True).order_by("code").first()
    real = Meeting.objects.create(
        series=series,
        ordinal=999,
        title_en="A real meeting in a demonstration series",
        starts_at=dt.datetime(2027, 1, 10, tzinfo=dt.UTC),
        ends_at=dt.datetime(2027, 1, 10, 8, tzinfo=dt.UTC),
    )
    before = counts()
    with pytest.raises(CommandError, match="real records"):
        seed(scale=1, seed=1, reset=True)
    assert Meeting.objects.filter(pk=real.pk).exists()
    assert counts() == before, "nothing was removed"
