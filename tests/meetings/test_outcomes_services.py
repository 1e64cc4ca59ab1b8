"""Outcomes and elements: codes, splitting, adoption (immutable text, amendments), classification, measure links."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from cleanasia.accounts.models import Role
from cleanasia.measures.models import MeasureLink
from cleanasia.meetings.models import Element, Outcome, OutcomeStatus
from cleanasia.meetings.services import outcomes as services

from ..factories import CountryFactory
from ..measures.factories import make_measure
from .factories import make_series
from .test_outcomes_builders import TEXT_EN, adopted_outcome, draft_outcome, element, make_action_item, past_meeting

pytestmark = pytest.mark.django_db


def field_error(exc_info, field):
    """The message the service gave for `field` (the test fails when another field is named)."""
    assert field in exc_info.value.message_dict, exc_info.value.message_dict
    return " ".join(exc_info.value.message_dict[field])


# --- codes --------------------------------------------------------------------------------------------------------


def test_outcome_codes_follow_series_ordinal_prefix_and_number():
    meeting = past_meeting(make_series("EAS-EMM"), ordinal=2)
    joint = draft_outcome(meeting, kind="joint_statement")
    second = draft_outcome(meeting, kind="joint_statement")
    decision = draft_outcome(meeting, kind="decision")
    summary = draft_outcome(meeting, kind="chairs_summary")
    plan = draft_outcome(meeting, kind="action_plan")
    assert [joint.code, second.code, decision.code, summary.code, plan.code] == [
        "EAS-EMM/2/JS",
        "EAS-EMM/2/JS.2",
        "EAS-EMM/2/DEC.1",
        "EAS-EMM/2/CS",
        "EAS-EMM/2/AP",
    ]


def test_a_taken_number_is_refused():
    meeting = past_meeting()
    draft_outcome(meeting, kind="decision")
    with pytest.raises(ValidationError) as exc:
        draft_outcome(meeting, kind="decision", number=1)
    assert "already" in field_error(exc, "number")


def test_an_outcome_needs_a_title_in_one_language():
    with pytest.raises(ValidationError) as exc:
        draft_outcome(title_ja="", title_en="  ")
    assert "title" in field_error(exc, "title_ja")


def test_only_the_secretariat_records_outcomes(make_user):
    with pytest.raises(PermissionDenied):
        services.outcome_create(
            actor=make_user(Role.FOCAL_POINT), meeting=past_meeting(), kind="decision", title_en="X"
        )
    outcome = services.outcome_create(
        actor=make_user(Role.SECRETARIAT), meeting=past_meeting(), kind="decision", title_en="X"
    )
    assert outcome.history.first().action_code == "meetings.outcome.created"


# --- splitting ----------------------------------------------------------------------------------------------------


def test_split_makes_bilingual_elements_with_stable_codes_and_parents():
    meeting = past_meeting(make_series("EAS-EMM"), ordinal=2)
    outcome = draft_outcome(meeting)
    elements = services.outcome_split(actor=None, outcome=outcome)
    assert [e.code for e in elements] == [
        "EAS-EMM/2/JS.01",
        "EAS-EMM/2/JS.02",
        "EAS-EMM/2/JS.02.a",
        "EAS-EMM/2/JS.02.b",
        "EAS-EMM/2/JS.02.b.i",
        "EAS-EMM/2/JS.02.b.ii",
        "EAS-EMM/2/JS.02.c",
        "EAS-EMM/2/JS.03",
    ]
    sub = Element.objects.get(code="EAS-EMM/2/JS.02.b.ii")
    assert sub.kind == "sub_item"
    assert sub.number == "ii"
    assert sub.parent.code == "EAS-EMM/2/JS.02.b"
    assert sub.parent.parent.code == "EAS-EMM/2/JS.02"
    assert sub.text_en == "capacity building;"
    assert sub.text_ja == "能力開発"


def test_split_again_keeps_classification_and_removes_what_left_the_text():
    outcome = draft_outcome()
    services.outcome_split(actor=None, outcome=outcome)
    item = make_action_item(element(outcome, "02.a"))
    outcome.text_en = TEXT_EN.replace("(c) review progress.\n", "").replace("share air quality data", "share data")
    outcome.text_ja = ""
    outcome.save()
    services.outcome_split(actor=None, outcome=outcome)
    item.refresh_from_db()
    assert item.is_action_item
    assert item.text_en == "share data;"
    assert item.history.first().action_code == "meetings.element.text_changed"
    assert not Element.objects.filter(code=f"{outcome.code}.02.c").exists()


def test_split_refuses_misaligned_language_versions_naming_the_numbers():
    outcome = draft_outcome(text_ja="１．一つ目\n２．二つ目", text_en="1. One\n3. Three")
    with pytest.raises(ValidationError) as exc:
        services.outcome_split(actor=None, outcome=outcome)
    message = field_error(exc, "text_en")
    assert "02" in message
    assert "03" in message


def test_split_reports_the_line_of_a_bad_text_on_its_language_field():
    outcome = draft_outcome(text_ja="", text_en="1. One\n1. One again")
    with pytest.raises(ValidationError) as exc:
        services.outcome_split(actor=None, outcome=outcome)
    assert "Line 2" in field_error(exc, "text_en")


def test_split_needs_numbered_paragraphs():
    outcome = draft_outcome(text_ja="", text_en="An unnumbered summary.")
    with pytest.raises(ValidationError) as exc:
        services.outcome_split(actor=None, outcome=outcome)
    assert "numbered paragraph" in field_error(exc, "text_en")


# --- adoption -----------------------------------------------------------------------------------------------------


def test_adopting_fixes_the_text_and_sets_the_date():
    meeting = past_meeting()
    outcome = adopted_outcome(meeting)
    assert outcome.status == OutcomeStatus.ADOPTED
    assert outcome.adopted_on == services.meeting_start_date(meeting)
    assert Element.objects.filter(outcome=outcome).count() == 8
    with pytest.raises(ValidationError) as exc:
        services.outcome_update(
            actor=None, outcome=outcome, expected_version=outcome.version, changes={"text_en": "1. Changed."}
        )
    assert "amendment" in field_error(exc, "text_en")
    with pytest.raises(ValidationError) as exc:
        services.outcome_split(actor=None, outcome=outcome)
    assert "fixed" in field_error(exc, "status")
    # Visibility may still change.
    services.outcome_update(
        actor=None, outcome=outcome, expected_version=outcome.version, changes={"visibility": "members"}
    )
    with pytest.raises(ValidationError) as exc:
        services.outcome_adopt(actor=None, outcome=outcome)
    assert "already" in field_error(exc, "status")


def test_adoption_before_the_meeting_is_refused():
    meeting = past_meeting()
    outcome = draft_outcome(meeting)
    with pytest.raises(ValidationError) as exc:
        services.outcome_adopt(
            actor=None, outcome=outcome, adopted_on=services.meeting_start_date(meeting) - dt.timedelta(days=1)
        )
    assert "before its meeting" in field_error(exc, "adopted_on")


def test_adoption_after_an_item_is_due_is_refused():
    meeting = past_meeting()
    outcome = draft_outcome(meeting)
    services.outcome_split(actor=None, outcome=outcome)
    start = services.meeting_start_date(meeting)
    make_action_item(element(outcome, "03"), due_on=start + dt.timedelta(days=5))
    with pytest.raises(ValidationError) as exc:
        services.outcome_adopt(actor=None, outcome=outcome, adopted_on=start + dt.timedelta(days=10))
    assert element(outcome, "03").code in field_error(exc, "adopted_on")


def test_an_amendment_is_a_new_outcome_and_marks_the_amended_one():
    series = make_series()
    first = adopted_outcome(past_meeting(series, days_ago=400))
    with pytest.raises(ValidationError) as exc:
        draft_outcome(past_meeting(series, days_ago=300), amends=draft_outcome(past_meeting(series, days_ago=350)))
    assert "adopted" in field_error(exc, "amends")
    amendment = adopted_outcome(past_meeting(series, days_ago=200), kind="decision", amends=first)
    first.refresh_from_db()
    assert first.status == OutcomeStatus.AMENDED
    assert amendment.amends == first
    assert amendment.code != first.code
    assert first.history.first().action_code == "meetings.outcome.amended"
    # Its own text was never touched.
    assert Outcome.objects.get(pk=first.pk).text_en == TEXT_EN


def test_status_of_an_adopted_outcome_moves_on_but_never_back_to_draft():
    outcome = adopted_outcome()
    services.outcome_set_status(actor=None, outcome=outcome, status="implemented")
    assert Outcome.objects.get(pk=outcome.pk).status == "implemented"
    with pytest.raises(ValidationError) as exc:
        services.outcome_set_status(actor=None, outcome=outcome, status="draft")
    assert field_error(exc, "status")
    with pytest.raises(ValidationError) as exc:
        services.outcome_set_status(actor=None, outcome=draft_outcome(), status="active")
    assert "Adopt" in field_error(exc, "status")


# --- classification -----------------------------------------------------------------------------------------------


def test_codes_never_change_once_adopted():
    outcome = adopted_outcome()
    before = list(Element.objects.filter(outcome=outcome).order_by("position").values_list("pk", "code"))
    item = make_action_item(element(outcome, "02.b"))
    services.element_classify(
        actor=None, element=item, expected_version=item.version, changes={"due_on": item.due_on + dt.timedelta(days=3)}
    )
    after = list(Element.objects.filter(outcome=outcome).order_by("position").values_list("pk", "code"))
    assert before == after
    with pytest.raises(ValidationError) as exc:
        services.element_classify(actor=None, element=item, expected_version=item.version + 1, changes={"code": "X"})
    assert field_error(exc, "code")


def test_an_action_item_must_be_operational():
    item = element(adopted_outcome(), "01")
    with pytest.raises(ValidationError) as exc:
        services.element_classify(
            actor=None,
            element=item,
            expected_version=item.version,
            changes={"is_action_item": True, "is_operational": False, "addressee": "secretariat"},
        )
    assert "operational" in field_error(exc, "is_action_item")


def test_a_due_date_before_the_decision_is_refused():
    outcome = adopted_outcome()
    item = element(outcome, "03")
    with pytest.raises(ValidationError) as exc:
        make_action_item(item, due_on=outcome.adopted_on - dt.timedelta(days=1))
    assert "before the decision" in field_error(exc, "due_on")


def test_before_adoption_the_due_date_is_checked_against_the_meeting_start():
    meeting = past_meeting()
    outcome = draft_outcome(meeting)
    services.outcome_split(actor=None, outcome=outcome)
    with pytest.raises(ValidationError) as exc:
        make_action_item(element(outcome, "03"), due_on=services.meeting_start_date(meeting) - dt.timedelta(days=1))
    assert field_error(exc, "due_on")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"addressee": "countries", "addressed_countries": []}, "addressed_countries"),
        ({"addressee": "organisations"}, "addressed_organisations"),
        ({"addressee": "working_group", "addressed_group": " "}, "addressed_group"),
        ({"addressee": ""}, "addressee"),
    ],
)
def test_addressees_must_be_named(changes, field):
    item = element(adopted_outcome(), "03")
    with pytest.raises(ValidationError) as exc:
        services.element_classify(
            actor=None,
            element=item,
            expected_version=item.version,
            changes={"is_operational": True, "is_action_item": True, **changes},
        )
    assert field_error(exc, field)


def test_one_lead_only_and_links_point_the_right_way_in_time():
    from ..factories import OrganisationFactory

    series = make_series()
    earlier = adopted_outcome(past_meeting(series, days_ago=400))
    later = adopted_outcome(past_meeting(series, days_ago=100))
    item = element(earlier, "03")
    with pytest.raises(ValidationError) as exc:
        services.element_classify(
            actor=None,
            element=item,
            expected_version=item.version,
            changes={"lead_country": CountryFactory(code="JP"), "lead_organisation": OrganisationFactory()},
        )
    assert field_error(exc, "lead_organisation")
    with pytest.raises(ValidationError) as exc:
        services.element_classify(
            actor=None, element=item, expected_version=item.version, changes={"implements": element(later, "03")}
        )
    assert "earlier" in field_error(exc, "implements")
    services.element_classify(
        actor=None, element=item, expected_version=item.version, changes={"superseded_by": element(later, "03")}
    )
    assert element(later, "03").supersedes.get() == item


def test_marking_an_action_item_starts_it_and_unmarking_operational_clears_it():
    item = make_action_item(element(adopted_outcome(), "03"))
    assert item.status == "not_started"
    item = services.element_classify(
        actor=None, element=item, expected_version=item.version, changes={"is_operational": False}
    )
    assert not item.is_action_item
    assert item.status == ""


def test_a_stale_classification_is_refused():
    from cleanasia.core.concurrency import StaleEditError

    item = make_action_item(element(adopted_outcome(), "03"))
    with pytest.raises(StaleEditError):
        services.element_classify(actor=None, element=item, expected_version=item.version - 1, changes={})


def test_only_the_secretariat_classifies(make_user):
    item = element(adopted_outcome(), "03")
    with pytest.raises(PermissionDenied):
        services.element_classify(
            actor=make_user(Role.FOCAL_POINT), element=item, expected_version=item.version, changes={}
        )


# --- measures -----------------------------------------------------------------------------------------------------


def test_an_element_is_linked_to_the_measures_it_advances_through_measure_links(make_user):
    item = element(adopted_outcome(), "02.a")
    measure = make_measure()
    link = services.element_link_measure(actor=make_user(Role.SECRETARIAT), element=item, measure=measure)
    again = services.element_link_measure(actor=None, element=item, measure=measure)
    assert link.pk == again.pk
    assert link.relation == "advances"
    assert link.target == item
    assert link.target_type == ContentType.objects.get_for_model(Element)
    with pytest.raises(ValidationError) as exc:
        services.element_link_measure(actor=None, element=item, measure=measure, relation="evidence")
    assert field_error(exc, "relation")
    with pytest.raises(PermissionDenied):
        services.element_link_measure(actor=make_user(Role.EXPERT), element=item, measure=measure)
    assert services.element_unlink_measure(actor=None, element=item, measure=measure) == 1
    assert not MeasureLink.objects.exists()
