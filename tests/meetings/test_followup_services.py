"""Updates on action items: who may give them, what they change, closing and reopening."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import ElementUpdate
from cleanasia.meetings.services import followup as services
from cleanasia.meetings.services import outcomes as outcome_services

from .factories import make_meeting, make_series
from .test_outcomes_builders import adopted_outcome, draft_outcome, element, make_action_item, past_meeting

pytestmark = pytest.mark.django_db


def field_error(exc_info, field):
    assert field in exc_info.value.message_dict, exc_info.value.message_dict
    return " ".join(exc_info.value.message_dict[field])


@pytest.fixture
def item():
    return make_action_item(element(adopted_outcome(), "02.a"), countries=("VN",))


@pytest.fixture
def focal_vn(make_user):
    return make_user(Role.FOCAL_POINT, country="VN")


def test_a_focal_point_updates_an_item_addressed_to_their_country(item, focal_vn):
    update = services.element_update_record(
        actor=focal_vn, element=item, status="in_progress", note="Data portal live."
    )
    item.refresh_from_db()
    assert update.country_id == "VN"
    assert update.author == focal_vn
    assert item.status == "in_progress"
    assert item.status_note_en == "Data portal live."
    assert item.history.first().action_code == "meetings.element.status_updated"
    assert update.history.first().action_code == "meetings.element_update.recorded"


def test_a_focal_point_cannot_update_an_item_of_another_country(item, make_user):
    with pytest.raises(PermissionDenied):
        services.element_update_record(
            actor=make_user(Role.FOCAL_POINT, country="TH"), element=item, status="in_progress", note="x"
        )


def test_items_to_all_participants_are_open_to_every_invited_country(make_user):
    item = make_action_item(element(adopted_outcome(), "03"), addressee="all")
    update = services.element_update_record(
        actor=make_user(Role.FOCAL_POINT, country="TH"), element=item, status="in_progress", note="Started."
    )
    assert update.country_id == "TH"
    with pytest.raises(PermissionDenied):
        services.element_update_record(
            actor=make_user(Role.FOCAL_POINT, country="KR"), element=item, status="in_progress", note="x"
        )


def test_the_lead_country_may_update(make_user):
    from ..factories import CountryFactory

    item = make_action_item(
        element(adopted_outcome(), "03"), addressee="secretariat", lead_country=CountryFactory(code="TH")
    )
    services.element_update_record(
        actor=make_user(Role.FOCAL_POINT, country="TH"), element=item, status="in_progress", note="Leading."
    )


def test_a_focal_point_of_two_countries_must_choose_one_addressed(item, make_user):
    from cleanasia.accounts.models import RoleAssignment

    from ..factories import CountryFactory

    user = make_user(Role.FOCAL_POINT, country="VN")
    RoleAssignment.objects.create(user=user, role=Role.FOCAL_POINT, country=CountryFactory(code="TH"))
    user = type(user).objects.get(pk=user.pk)
    with pytest.raises(ValidationError) as exc:
        services.element_update_record(actor=user, element=item, status="in_progress", note="x")
    assert field_error(exc, "country")
    with pytest.raises(ValidationError) as exc:
        services.element_update_record(actor=user, element=item, status="in_progress", note="x", country="TH")
    assert "not addressed" in field_error(exc, "country")
    assert services.element_update_record(actor=user, element=item, status="in_progress", note="x", country="VN")


def test_closing_needs_a_note_and_sets_closed_on(item, focal_vn):
    with pytest.raises(ValidationError) as exc:
        services.element_update_record(actor=focal_vn, element=item, status="completed", note="  ")
    assert "closing" in field_error(exc, "note")
    services.element_update_record(actor=focal_vn, element=item, status="completed", note="Shared since May.")
    item.refresh_from_db()
    assert item.status == "completed"
    assert item.closed_on == timezone.localdate()
    assert item.history.first().action_code == "meetings.action_item.closed"


def test_an_update_without_words_is_refused_too(item, focal_vn):
    with pytest.raises(ValidationError) as exc:
        services.element_update_record(actor=focal_vn, element=item, status="in_progress", note="")
    assert "Write the update" in field_error(exc, "note")


def test_a_closed_item_is_reopened_by_the_secretariat_only(item, focal_vn, make_user):
    services.element_update_record(actor=focal_vn, element=item, status="dropped", note="No longer relevant.")
    with pytest.raises(ValidationError) as exc:
        services.element_update_record(actor=focal_vn, element=item, status="in_progress", note="Again")
    assert "reopen" in field_error(exc, "status")
    services.element_update_record(
        actor=make_user(Role.SECRETARIAT), element=item, status="in_progress", note="Reopened by the meeting."
    )
    item.refresh_from_db()
    assert item.closed_on is None
    assert item.status == "in_progress"
    assert item.history.first().action_code == "meetings.action_item.reopened"


def test_re_dating_is_recorded_and_not_before_the_decision(item, focal_vn):
    old_due = item.due_on
    with pytest.raises(ValidationError) as exc:
        services.element_update_record(
            actor=focal_vn,
            element=item,
            status="in_progress",
            note="x",
            new_due_on=item.outcome.adopted_on - dt.timedelta(days=1),
        )
    assert "before the decision" in field_error(exc, "new_due_on")
    new_due = old_due + dt.timedelta(days=90)
    update = services.element_update_record(
        actor=focal_vn, element=item, status="in_progress", note="Needs a quarter more.", new_due_on=new_due
    )
    item.refresh_from_db()
    assert item.due_on == new_due
    assert update.new_due_on == new_due
    dues = list(item.history.order_by("history_date").values_list("due_on", flat=True))
    assert old_due in dues
    assert dues[-1] == new_due


def test_only_operational_elements_of_adopted_outcomes_are_followed_up(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    informational = element(adopted_outcome(), "01")
    with pytest.raises(ValidationError) as exc:
        services.element_update_record(actor=secretariat, element=informational, status="in_progress", note="x")
    assert "operational" in field_error(exc, "element")
    draft = draft_outcome()
    outcome_services.outcome_split(actor=None, outcome=draft)
    draft_item = make_action_item(element(draft, "03"))
    with pytest.raises(ValidationError) as exc:
        services.element_update_record(actor=secretariat, element=draft_item, status="in_progress", note="x")
    assert "draft" in field_error(exc, "element")


def test_an_unknown_status_or_language_is_refused(item, make_user):
    with pytest.raises(ValidationError) as exc:
        services.element_update_record(
            actor=make_user(Role.SECRETARIAT), element=item, status="finished", note="x", language="fr"
        )
    assert field_error(exc, "status")
    assert field_error(exc, "language")


def test_only_the_secretariat_back_dates(item, focal_vn, make_user):
    earlier = timezone.now() - dt.timedelta(days=30)
    with pytest.raises(ValidationError) as exc:
        services.element_update_record(
            actor=focal_vn, element=item, status="in_progress", note="x", recorded_at=earlier
        )
    assert field_error(exc, "recorded_at")
    update = services.element_update_record(
        actor=make_user(Role.SECRETARIAT), element=item, status="in_progress", note="x", recorded_at=earlier
    )
    assert update.recorded_at == earlier


def test_the_update_is_for_the_next_meeting_following_the_item_up(focal_vn):
    ministers = make_series()
    followup = make_series(level="working")
    followup.follows_up.add(ministers)
    item = make_action_item(element(adopted_outcome(past_meeting(ministers)), "03"))
    later = make_meeting(ministers, starts_at=timezone.now() + dt.timedelta(days=200))
    sooner = make_meeting(followup, starts_at=timezone.now() + dt.timedelta(days=30))
    update = services.element_update_record(actor=focal_vn, element=item, status="in_progress", note="x")
    assert update.meeting == sooner
    update = services.element_update_record(actor=focal_vn, element=item, status="in_progress", note="y", meeting=later)
    assert update.meeting == later
    with pytest.raises(ValidationError) as exc:
        services.element_update_record(
            actor=focal_vn, element=item, status="in_progress", note="z", meeting=make_meeting(make_series())
        )
    assert field_error(exc, "meeting")


def test_the_note_replaces_the_status_note_in_its_language(item, focal_vn):
    services.element_update_record(actor=focal_vn, element=item, status="in_progress", note="English note")
    services.element_update_record(
        actor=focal_vn, element=item, status="in_progress", note="日本語の進捗", language="ja"
    )
    item.refresh_from_db()
    assert item.status_note_ja == "日本語の進捗"
    assert item.status_note_en == ""
    assert ElementUpdate.objects.filter(element=item).count() == 2
