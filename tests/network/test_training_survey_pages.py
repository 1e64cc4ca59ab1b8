"""Pages of the anonymous satisfaction survey: the secretariat hands out one-time links (a printable page or a
CSV) and reads the results; anyone with a link answers once, without signing in, and the answer keeps no
trace of who gave it. Every role, every bad input (used or unknown link, score out of range), query budgets.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.network.models import SurveyResponse, SurveyToken, TraineeState
from cleanasia.network.services import training as services
from cleanasia.network.services import training_survey as survey
from tests.conftest import ROLES

from .test_training_services import errors, make_session, nominate, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    """A session with three selected trainees and one waitlisted."""
    session = make_session(quota=4, title_en="Hanoi 2026")
    for name in ("Lan Nguyen", "Binh Tran", "Chi Pham"):
        nominate(session, "VN", name, state=TraineeState.SELECTED, email=f"{name.split()[0].lower()}@example.org")
    nominate(session, "VN", "Dung Le", state=TraineeState.WAITLISTED)
    return session


def tokens_url(session) -> str:
    return reverse("network:training-survey-tokens", args=[session.pk])


def results_url(session) -> str:
    return reverse("network:training-survey-results", args=[session.pk])


def survey_url(token: str) -> str:
    return reverse("network_public:survey", kwargs={"token": token})


def tokens(session) -> list[str]:
    return [token for _nomination, token in services.survey_tokens_issue(actor=None, session=session)]


def answer(**scores) -> dict[str, str]:
    return {code: str(value) for code, value in scores.items()}


# --- the secretariat's pages: who --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_runs_the_survey_of_a_session(role, session, client_for):
    client, _user = client_for(role)
    for url in (tokens_url(session), results_url(session)):
        response = client.get(url)
        if role == "public":
            assert response.status_code == 302
            assert "sign-in" in response["Location"]
        elif role in (Role.SECRETARIAT, Role.ADMIN):
            assert response.status_code == 200
        else:
            assert response.status_code == 403
    if role not in (Role.SECRETARIAT, Role.ADMIN):
        response = client.post(tokens_url(session), {"output": "page"})
        assert response.status_code in (302, 403)
        assert not SurveyToken.objects.exists()


def test_a_session_the_user_may_not_see_is_not_found(client_for):
    hidden = make_session(visibility="secretariat")
    client, _user = client_for(Role.EXPERT)
    assert client.get(tokens_url(hidden)).status_code == 404
    secretariat, _user = client_for(Role.SECRETARIAT)
    assert secretariat.get(reverse("network:training-survey-tokens", args=[999999])).status_code == 404


# --- handing out the links -------------------------------------------------------------------------------


def test_the_links_are_shown_once_on_a_printable_page_without_names(session, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    page = client.get(tokens_url(session)).content.decode()
    assert "Links handed out: <strong>0</strong>" in page
    response = client.post(tokens_url(session), {"output": "page"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    links = response.context["links"]
    assert len(links) == 3
    html = response.content.decode()
    for link in links:
        assert link.startswith("http://testserver/en/network/survey/")
        assert link in html
    stored = set(SurveyToken.objects.filter(session=session).values_list("token_hash", flat=True))
    assert stored == {services.token_hash(link.rstrip("/").rsplit("/", 1)[1]) for link in links}
    for name in ("Lan Nguyen", "Binh Tran", "Chi Pham", "lan@example.org"):
        assert name not in html
    after = client.get(tokens_url(session)).content.decode()
    assert "Links handed out: <strong>3</strong>" in after
    assert "Make the links" not in after


def test_the_links_as_csv(session, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(tokens_url(session), {"output": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="survey-links-session-{session.pk}.csv"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["number", "survey_link"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    token = rows[1][1].rstrip("/").rsplit("/", 1)[1]
    assert SurveyToken.objects.filter(token_hash=services.token_hash(token), used_on=None).exists()
    assert "Lan" not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("setup", "data", "message"),
    [
        ("issued", {"output": "page"}, "already handed out"),
        ("nobody", {"output": "page"}, "No trainee is selected for this session yet"),
        ("none", {"output": "fax"}, "Select a valid choice"),
    ],
)
def test_handing_out_twice_without_trainees_or_with_a_bad_choice_is_refused(setup, data, message, client_for):
    session = make_session(quota=4)
    if setup != "nobody":
        nominate(session, "VN", state=TraineeState.SELECTED)
    if setup == "issued":
        tokens(session)
    before = SurveyToken.objects.count()
    client, _user = client_for(Role.SECRETARIAT)
    response = client.post(tokens_url(session), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SurveyToken.objects.count() == before


# --- the public survey -----------------------------------------------------------------------------------


def test_anyone_with_a_link_answers_once_without_signing_in(session, client):
    token = tokens(session)[0]
    page = client.get(survey_url(token))
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert page["Referrer-Policy"] == "no-referrer"
    html = page.content.decode()
    assert "This survey is anonymous" in html
    assert "Lan Nguyen" not in html
    response = client.post(
        survey_url(token),
        {**answer(overall=5, content=4, trainers=4), "comment": "  Very useful field visit.  "},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("network_public:survey-thanks")
    assert "Your answers were received" in client.get(response["Location"]).content.decode()
    saved = SurveyResponse.objects.get()
    assert saved.session == session
    assert saved.submitted_on == today()
    assert saved.answers == {"overall": 5, "content": 4, "trainers": 4, "comment": "Very useful field visit."}
    assert SurveyToken.objects.get(token_hash=services.token_hash(token)).used_on == today()


def test_a_used_link_says_so_and_records_nothing_more(session, client):
    token = tokens(session)[0]
    client.post(survey_url(token), answer(overall=3))
    again = client.get(survey_url(token))
    assert again.status_code == 410
    assert "This survey link was already used" in again.content.decode()
    assert 'name="overall"' not in again.content.decode()
    posted = client.post(survey_url(token), answer(overall=1))
    assert posted.status_code == 410
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize("token", ["not-a-token", "x" * 32])
def test_an_unknown_link_says_so(token, session, client):
    tokens(session)
    for response in (client.get(survey_url(token)), client.post(survey_url(token), answer(overall=4))):
        assert response.status_code == 404
        assert "This survey link is not valid" in response.content.decode()
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (answer(overall=9), "overall", "Choose a score from 1 (very dissatisfied) to 5 (very satisfied)."),
        (answer(overall=0), "overall", "Choose a score from 1"),
        (answer(overall=4, content="lots"), "content", "Choose a score from 1"),
        (answer(content=4), "overall", "Give at least the overall score before sending the survey."),
        ({**answer(overall=4), "comment": "x" * 2001}, "comment", "at most 2000 characters"),
    ],
)
def test_a_bad_answer_is_named_at_its_question_and_nothing_is_written(data, field, message, session, client):
    token = tokens(session)[0]
    response = client.post(survey_url(token), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert "There is a problem" in html
    assert not SurveyResponse.objects.exists()
    assert SurveyToken.objects.get(token_hash=services.token_hash(token)).used_on is None


@pytest.mark.parametrize(
    ("scores", "comment", "field"),
    [
        ({"overall": 6}, "", "overall"),
        ({"overall": True}, "", "overall"),
        ({"overall": "5"}, "", "overall"),
        ({"overall": 4, "wifi": 2}, "", "wifi"),
        ({"overall": None}, "", "overall"),
        ({"overall": 4}, "y" * (survey.COMMENT_MAX + 1), "comment"),
    ],
)
def test_the_service_checks_each_answer_too(scores, comment, field, session):
    token = tokens(session)[0]
    with pytest.raises(ValidationError) as exc:
        survey.survey_answer(token=token, scores=scores, comment=comment)
    assert field in errors(exc)
    assert not SurveyResponse.objects.exists()


def test_the_answer_holds_no_link_to_the_person_or_the_token(session, client_for):
    """Even answered by a signed-in trainee, the row keeps the session, the day and the scores only."""
    client, _user = client_for(Role.EXPERT, email="trainee@example.org")
    token = tokens(session)[0]
    client.post(survey_url(token), {**answer(overall=2), "comment": "Too short."})
    saved = SurveyResponse.objects.get()
    columns = {f.name for f in SurveyResponse._meta.concrete_fields}
    assert columns == {"id", "session", "answers", "submitted_on"}
    assert set(saved.answers) <= {*survey.QUESTION_CODES, "comment"}
    stored = repr(SurveyResponse.objects.values().get())
    for trace in (token, services.token_hash(token), "trainee@example.org", "Lan Nguyen"):
        assert trace not in stored
    token_columns = {f.name for f in SurveyToken._meta.concrete_fields}
    assert not token_columns & {"response", "nomination", "person", "user"}


def test_the_thank_you_page_is_not_a_token(client):
    response = client.get(reverse("network_public:survey-thanks"))
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()


# --- results ---------------------------------------------------------------------------------------------


def test_the_results_show_means_distribution_and_comments(session, client_for):
    links = tokens(session)
    survey.survey_answer(token=links[0], scores={"overall": 5, "content": 4}, comment="Useful.")
    survey.survey_answer(token=links[1], scores={"overall": 3, "content": 2}, comment="Aircon too cold.")
    client, _user = client_for(Role.SECRETARIAT)
    response = client.get(results_url(session))
    html = response.content.decode()
    assert "2 answers received" in html
    assert "of 3 links handed out." in html
    rows = {row["code"]: (row["answers"], row["mean"], row["distribution"]) for row in response.context["questions"]}
    assert rows["overall"] == (2, 4.0, [0, 0, 1, 0, 1])
    assert rows["content"] == (2, 3.0, [0, 1, 0, 1, 0])
    assert rows["trainers"] == (0, None, [0, 0, 0, 0, 0])
    assert html.count('<svg class="chart__svg" role="img"') == 2
    assert html.count("Data table") == 2
    assert html.index("Aircon too cold.") < html.index("Useful.")
    assert "Lan Nguyen" not in html


def test_results_without_answers_say_so(session, client_for):
    tokens(session)
    client, _user = client_for(Role.SECRETARIAT)
    assert "No answer has been received yet." in client.get(results_url(session)).content.decode()


# --- query budgets ------------------------------------------------------------------------------------------


def test_the_survey_pages_keep_a_fixed_number_of_queries(session, client, client_for, django_assert_max_num_queries):
    links = tokens(session)
    staff, _user = client_for(Role.SECRETARIAT)

    def measure() -> None:
        with django_assert_max_num_queries(12):
            assert staff.get(tokens_url(session)).status_code == 200
        with django_assert_max_num_queries(12):
            assert staff.get(results_url(session)).status_code == 200
        with django_assert_max_num_queries(4):
            assert client.get(survey_url(links[-1])).status_code == 200

    survey.survey_answer(token=links[0], scores={"overall": 4}, comment="Good.")
    measure()
    survey.survey_answer(token=links[1], scores={"overall": 2, "trainers": 5}, comment="Long days.")
    measure()
    with django_assert_max_num_queries(8):
        assert client.post(survey_url(links[2]), answer(overall=5)).status_code == 302


def test_the_survey_answers_in_japanese(session, client):
    token = tokens(session)[0]
    url = survey_url(token).replace("/en/", "/ja/")
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="ja").status_code == 200
    assert client.post(url, answer(overall=4), HTTP_ACCEPT_LANGUAGE="ja").status_code == 302
