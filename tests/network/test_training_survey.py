"""The anonymous satisfaction survey: one one-time token per selected trainee, stored as a hash with no link
to anyone; an answer keeps only its session and day."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cleanasia.accounts.models import Role
from cleanasia.network.models import SurveyResponse, TraineeState
from cleanasia.network.policies import training as policy
from cleanasia.network.services import training as services

from .test_training_services import errors, make_session, nominate, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    """A session with two selected trainees, one waitlisted and one not selected."""
    session = make_session(quota=4)
    nominate(session, "VN", state=TraineeState.SELECTED)
    nominate(session, "VN", state=TraineeState.SELECTED)
    nominate(session, "VN", state=TraineeState.WAITLISTED)
    nominate(session, "VN", state=TraineeState.NOT_SELECTED)
    return session


def test_each_selected_trainee_gets_a_token_and_only_its_hash_is_stored(session, make_user):
    pairs = services.survey_tokens_issue(actor=make_user(Role.SECRETARIAT), session=session)
    assert sorted(n.state for n, _token in pairs) == ["selected", "selected"]
    tokens = [token for _n, token in pairs]
    assert len(set(tokens)) == 2
    assert all(len(token) >= 32 for token in tokens)
    stored = policy.SurveyToken.objects.filter(session=session)
    assert sorted(stored.values_list("token_hash", flat=True)) == sorted(services.token_hash(t) for t in tokens)
    columns = {f.name for f in policy.SurveyToken._meta.concrete_fields}
    assert not columns & {"nomination", "person", "user", "token"}, "a token row names nobody"
    for token in tokens:
        assert not policy.SurveyToken.objects.filter(token_hash=token).exists()


def test_an_answer_keeps_only_the_session_and_the_day_and_a_token_answers_once(session):
    token = services.survey_tokens_issue(actor=None, session=session)[0][1]
    response = services.survey_response_submit(token=token, answers={"overall": 5, "comment": "Useful."})
    assert (response.session, response.submitted_on, response.answers) == (
        session,
        today(),
        {"overall": 5, "comment": "Useful."},
    )
    assert {f.name for f in SurveyResponse._meta.concrete_fields} == {"id", "session", "answers", "submitted_on"}
    assert policy.SurveyToken.objects.get(token_hash=services.token_hash(token)).used_on == today()
    with pytest.raises(ValidationError) as exc:
        services.survey_response_submit(token=token, answers={"overall": 1})
    assert "already used" in errors(exc)["token"][0]
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(("token", "answers", "field"), [("nope", {"overall": 4}, "token"), (None, {}, "answers")])
def test_an_unknown_token_or_an_empty_answer_is_refused(token, answers, field, session):
    issued = services.survey_tokens_issue(actor=None, session=session)[0][1]
    with pytest.raises(ValidationError) as exc:
        services.survey_response_submit(token=token or issued, answers=answers)
    assert field in errors(exc)
    assert not SurveyResponse.objects.exists()


def test_the_survey_is_handed_out_once_per_session_and_only_once_trainees_are_selected(session):
    services.survey_tokens_issue(actor=None, session=session)
    with pytest.raises(ValidationError) as exc:
        services.survey_tokens_issue(actor=None, session=session)
    assert "already handed out" in errors(exc)["session"][0]
    with pytest.raises(ValidationError) as exc:
        services.survey_tokens_issue(actor=None, session=make_session())
    assert "No trainee is selected" in errors(exc)["session"][0]


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_hands_out_the_survey(role, session, make_user):
    with pytest.raises(PermissionDenied):
        services.survey_tokens_issue(actor=make_user(role), session=session)
