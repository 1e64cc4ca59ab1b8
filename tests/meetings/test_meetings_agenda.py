"""Agenda services: items and sub-items, numbers, time slots inside the meeting, documents, the minutes an
item adopts, reordering and versioned edits."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from cleanasia.accounts.models import Role
from cleanasia.core.concurrency import StaleEditError
from cleanasia.meetings.models import AgendaItem, Document
from cleanasia.meetings.services import agenda as services

from ..conftest import ROLES
from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour, minute=0):
    return dt.datetime(2031, 10, day, hour, minute, tzinfo=HCM)


def field_of(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


@pytest.fixture
def staff(make_user):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def meeting():
    """9–10 October 2031 in Ha Noi."""
    return make_meeting(make_series("EMM"), ordinal=3, starts_at=at(9, 9), days=2)


def document(meeting, symbol, doc_type="working_paper"):
    return Document.objects.create(
        meeting=meeting, symbol=symbol, base_symbol=symbol, doc_type=doc_type, title_en=symbol, title_ja=symbol
    )


def add(staff, meeting, number, **kwargs):
    return services.agenda_item_create(actor=staff, meeting=meeting, number=number, title_en=f"Item {number}", **kwargs)


def test_items_and_sub_items_are_added_in_order_with_slots_presenters_and_documents(staff, meeting):
    paper = document(meeting, "EMM/3/WP.1")
    opening = add(staff, meeting, "1", starts_at=at(9, 9), ends_at=at(9, 9, 30), presenters_en="Viet Nam")
    review = add(staff, meeting, "2", documents=[paper])
    sub_a = add(staff, meeting, "2.a", parent=review)
    sub_b = add(staff, meeting, "2.b", parent=review)
    assert [opening.position, review.position] == [0, 1]
    assert [sub_a.position, sub_b.position] == [0, 1]
    assert list(review.documents.all()) == [paper]
    assert opening.presenters_en == "Viet Nam"
    assert opening.history.first().action_code == "meetings.agenda_item.created"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"number": " "}, "number"),
        ({"number": "1"}, "number"),
        ({"title_en": "", "title_ja": ""}, "title_ja"),
        ({"starts_at": at(8, 17)}, "starts_at"),
        ({"starts_at": at(10, 16), "ends_at": at(10, 19)}, "ends_at"),
        ({"starts_at": at(9, 11), "ends_at": at(9, 10)}, "ends_at"),
        ({"ends_at": at(9, 10)}, "starts_at"),
        ({"starts_at": dt.datetime(2031, 10, 9, 10)}, "starts_at"),
    ],
)
def test_bad_item_input_is_refused_naming_the_field(staff, meeting, kwargs, field):
    add(staff, meeting, "1")
    values = {"number": "2", "title_en": "Item 2", **kwargs}
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_create(actor=staff, meeting=meeting, **values)
    assert field in field_of(excinfo)
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_sub_items_go_one_level_deep_within_the_same_agenda(staff, meeting):
    main = add(staff, meeting, "3")
    sub = add(staff, meeting, "3.a", parent=main)
    other = add(staff, make_meeting(make_series()), "1")
    for parent in (sub, other):
        with pytest.raises(ValidationError) as excinfo:
            add(staff, meeting, "9", parent=parent)
        assert field_of(excinfo) == {"parent"}
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_update(
            actor=staff, item=main, expected_version=1, changes={"parent": add(staff, meeting, "4")}
        )
    assert field_of(excinfo) == {"parent"}


def test_documents_are_those_of_the_meeting(staff, meeting):
    elsewhere = document(make_meeting(make_series()), "X/1/WP.1")
    with pytest.raises(ValidationError) as excinfo:
        add(staff, meeting, "1", documents=[elsewhere])
    assert field_of(excinfo) == {"documents"}


def test_an_item_adopts_minutes_of_an_earlier_meeting_of_the_same_series_only(staff, meeting):
    series = meeting.series
    earlier = make_meeting(series, ordinal=2, starts_at=at(9, 9) - dt.timedelta(days=365))
    later = make_meeting(series, ordinal=4, starts_at=at(9, 9) + dt.timedelta(days=365))
    other_series = make_meeting(make_series(), ordinal=2, starts_at=at(9, 9) - dt.timedelta(days=365))
    minutes = document(earlier, "EMM/2/MIN.1", "minutes")
    item = add(staff, meeting, "2", adopts_minutes=minutes)
    assert item.adopts_minutes == minutes
    for wrong in (
        document(later, "EMM/4/MIN.1", "minutes"),
        document(other_series, "OTHER/2/MIN.1", "minutes"),
        document(earlier, "EMM/2/WP.1", "working_paper"),
        document(meeting, "EMM/3/MIN.1", "minutes"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            services.agenda_item_update(
                actor=staff, item=item, expected_version=item.version, changes={"adopts_minutes": wrong}
            )
        assert field_of(excinfo) == {"adopts_minutes"}
        assert "earlier meeting of the same series" in excinfo.value.message_dict["adopts_minutes"][0]


def test_reordering_sets_positions_of_one_level(staff, meeting):
    one, two, three = (add(staff, meeting, n) for n in ("1", "2", "3"))
    sub = add(staff, meeting, "3.a", parent=three)
    services.agenda_items_reorder(actor=staff, meeting=meeting, order=[three.pk, one.pk, two.pk])
    ordered = list(AgendaItem.objects.filter(meeting=meeting, parent=None).order_by("position"))
    assert ordered == [three, one, two]
    assert AgendaItem.objects.get(pk=three.pk).history.first().action_code == "meetings.agenda_item.moved"
    for order in ([one.pk, two.pk], [one.pk, two.pk, three.pk, sub.pk], [one.pk, one.pk, two.pk]):
        with pytest.raises(ValidationError) as excinfo:
            services.agenda_items_reorder(actor=staff, meeting=meeting, order=order)
        assert field_of(excinfo) == {"order"}
    services.agenda_items_reorder(actor=staff, meeting=meeting, parent=three, order=[sub.pk])


def test_an_item_edit_is_versioned_and_a_moved_sub_item_goes_last(staff, meeting):
    one, two = add(staff, meeting, "1"), add(staff, meeting, "2")
    add(staff, meeting, "2.a", parent=two)
    updated = services.agenda_item_update(
        actor=staff, item=one, expected_version=1, changes={"parent": two, "number": "2.b", "presenters_en": "Japan"}
    )
    assert (updated.version, updated.position, updated.parent) == (2, 1, two)
    with pytest.raises(StaleEditError):
        services.agenda_item_update(actor=staff, item=one, expected_version=1, changes={"title_en": "Late"})
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_update(actor=staff, item=updated, expected_version=2, changes={"meeting": make_meeting()})
    assert field_of(excinfo) == {"meeting"}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_prepares_agendas(role, make_user, meeting):
    actor = AnonymousUser() if role == "public" else make_user(role)
    item = AgendaItem.objects.create(meeting=meeting, number="1", title_en="Opening")
    writes = [
        lambda: add(actor, meeting, "2"),
        lambda: services.agenda_item_update(actor=actor, item=item, expected_version=1, changes={"title_en": "x"}),
        lambda: services.agenda_items_reorder(
            actor=actor,
            meeting=meeting,
            order=list(AgendaItem.objects.filter(meeting=meeting).order_by("-pk").values_list("pk", flat=True)),
        ),
    ]
    for write in writes:
        if role in (Role.SECRETARIAT, Role.ADMIN):
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
