"""Joint training pages: programmes and sessions, nominations within the country's quota, the secretariat's
selection, attendance per day, test scores, certificates (issue, PDF, revoke) — for every role, with each
bad input of the issue shown at its field and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.network.models import (
    AssessmentScore,
    AttendanceRecord,
    Certificate,
    TraineeNomination,
    TraineeState,
    TrainingProgramme,
    TrainingSession,
)
from cleanasia.network.services import training as services
from tests.conftest import ROLES
from tests.factories import CountryFactory

from .test_training_services import attend, make_field, make_programme, make_session, nominate, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def signed_in(client_for, role, **kwargs):
    client, user = client_for(role, **kwargs)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client, user


def text(response) -> str:
    return response.content.decode()


def session_with_trainees():
    """A public session with a Vietnamese and a Thai trainee (e-mails to check privacy)."""
    CountryFactory(code="VN", name_en="Viet Nam")
    CountryFactory(code="TH", name_en="Thailand")
    session = make_session(make_programme(title_en="Air quality monitoring"), visibility="public")
    vn = nominate(session, "VN", name="Nguyen Thi Lan", email="lan@example.vn", phone="+84 111")
    th = nominate(session, "TH", name="Somchai Prasert", email="somchai@example.th")
    return session, vn, th


# --- programmes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_programme_list_for_every_role(role, client_for):
    make_programme(title_en="Published course", visibility="public")
    make_programme(title_en="Draft course", visibility="secretariat")
    client, _user = signed_in(client_for, role)
    response = client.get(reverse("network:programme-list"))
    if role == "public":
        assert response.status_code == 302
        assert "/accounts/" in response["Location"]
        return
    assert response.status_code == 200
    assert "Published course" in text(response)
    secretariat = role in (Role.SECRETARIAT, Role.ADMIN)
    assert ("Draft course" in text(response)) == secretariat
    assert ("New programme" in text(response)) == secretariat


def test_the_programme_list_filters_by_field_and_keeps_its_queries(client_for, django_assert_max_num_queries):
    for n in range(12):
        make_programme(title_en=f"Air course {n}", field=make_field("air"))
    make_programme(title_en="Water course", field=make_field("water"))
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network:programme-list"), {"field": "water"})
    assert "Water course" in text(response)
    assert "Air course 3" not in text(response)


def test_the_secretariat_creates_a_programme(client_for):
    make_field("air")
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    data = {
        "code": "aq-monitoring",
        "title_en": "Air quality monitoring",
        "field": make_field("air").pk,
        "level": "intermediate",
        "language": "en",
        "mode": "online",
        "visibility": "members",
    }
    response = client.post(reverse("network:programme-create"), data)
    programme = TrainingProgramme.objects.get(code="aq-monitoring")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:programme-detail", args=[programme.pk])
    assert (programme.mode, programme.level, programme.visibility) == ("online", "intermediate", "members")
    page = client.get(response["Location"])
    assert "Air quality monitoring" in text(page)
    assert "Online" in text(page)


@pytest.mark.parametrize(
    ("change", "label", "message"),
    [
        ({"code": "Air Course"}, "Code", "Use lower-case letters, digits and hyphens"),
        ({"title_en": ""}, "Title (Japanese)", "Give the title in Japanese or in English."),
        ({"language": "English"}, "Language of instruction", "Give the language of instruction as its ISO code"),
    ],
)
def test_a_bad_programme_is_refused_at_its_field_and_nothing_is_written(change, label, message, client_for):
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    data = {"code": "aq", "title_en": "Air", "field": make_field().pk, "level": "advanced", "language": "en"}
    data.update(mode="in_person", visibility="secretariat", **change)
    response = client.post(reverse("network:programme-create"), data)
    assert response.status_code == 400
    assert f"{label}: {message}" in text(response)
    assert label in text(response)
    assert not TrainingProgramme.objects.exists()


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_creates_and_edits_programmes(role, client_for):
    programme = make_programme(visibility="public")
    client, _user = signed_in(client_for, role)
    assert client.get(reverse("network:programme-create")).status_code == 403
    assert client.post(reverse("network:programme-create"), {"code": "x"}).status_code == 403
    assert client.get(reverse("network:programme-edit", args=[programme.pk])).status_code == 403
    assert client.get(reverse("network:session-create", args=[programme.pk])).status_code == 403


def test_a_stale_programme_edit_is_refused_with_the_other_change(client_for):
    programme = make_programme(title_en="Air monitoring", visibility="public")
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    services.programme_update(actor=None, programme=programme, expected_version=1, changes={"title_en": "Theirs"})
    data = {
        "code": programme.code,
        "title_en": "Mine",
        "title_ja": programme.title_ja,
        "field": programme.field_id,
        "level": programme.level,
        "language": "en",
        "mode": "in_person",
        "visibility": "public",
        "version": 1,
    }
    response = client.post(reverse("network:programme-edit", args=[programme.pk]), data)
    assert response.status_code == 409
    assert "Someone else changed this record" in text(response)
    assert "Theirs" in text(response)
    programme.refresh_from_db()
    assert programme.title_en == "Theirs"


def test_an_unseen_programme_is_not_found(client_for):
    programme = make_programme(visibility="secretariat")
    client, _user = signed_in(client_for, Role.EXPERT)
    assert client.get(reverse("network:programme-detail", args=[programme.pk])).status_code == 404


# --- sessions --------------------------------------------------------------------------------------------


def test_the_secretariat_schedules_a_session_with_its_call_and_quota(client_for):
    programme = make_programme(visibility="public")
    CountryFactory(code="VN")
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    start = today() + dt.timedelta(days=30)
    data = {
        "title_en": "Hanoi 2026",
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=4)).isoformat(),
        "venue_en": "Hanoi Training Centre",
        "host_country": "VN",
        "mode": "in_person",
        "call_opens_on": today().isoformat(),
        "call_closes_on": (start - dt.timedelta(days=7)).isoformat(),
        "quota_per_country": 3,
        "visibility": "public",
    }
    response = client.post(reverse("network:session-create", args=[programme.pk]), data)
    session = TrainingSession.objects.get(programme=programme)
    assert response["Location"] == reverse("network:session-detail", args=[session.pk])
    assert (session.quota_per_country, session.host_country_id) == (3, "VN")
    page = text(client.get(response["Location"]))
    assert "Hanoi Training Centre" in page
    assert "open" in page


def test_a_call_closing_after_the_first_day_is_refused_at_its_field(client_for):
    programme = make_programme(visibility="public")
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    start = today() + dt.timedelta(days=30)
    data = {
        "starts_on": start.isoformat(),
        "ends_on": start.isoformat(),
        "call_closes_on": (start + dt.timedelta(days=1)).isoformat(),
        "mode": "in_person",
        "quota_per_country": 2,
        "visibility": "public",
    }
    response = client.post(reverse("network:session-create", args=[programme.pk]), data)
    assert response.status_code == 400
    assert "Call for applications closes: The call for applications must close by the session" in text(
        response
    ).replace("&#x27;", "'")
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_session_page_shows_each_role_only_the_trainees_it_may_see(role, client_for):
    session, _vn, _th = session_with_trainees()
    client, _user = signed_in(client_for, role)
    response = client.get(reverse("network:session-detail", args=[session.pk]))
    if role == "public":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    page = text(response)
    secretariat = role in (Role.SECRETARIAT, Role.ADMIN)
    assert ("Nguyen Thi Lan" in page) == (secretariat or role == Role.FOCAL_POINT)
    assert ("Somchai Prasert" in page) == secretariat
    # Contact details are not on the page, even for the secretariat.
    assert "lan@example.vn" not in page
    assert "+84 111" not in page
    assert ("Select Nguyen Thi Lan" in page) == secretariat


def test_the_session_page_keeps_its_queries_whatever_the_trainees(client_for, django_assert_max_num_queries):
    session, _vn, _th = session_with_trainees()
    session.quota_per_country = 30
    session.save()
    for _n in range(20):
        trainee = nominate(session, "VN", state=TraineeState.SELECTED)
        attend(trainee, "present", "present")
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("network:session-detail", args=[session.pk]))
    assert response.status_code == 200


# --- nominations and selection ------------------------------------------------------------------------------


def nomination_data(**extra):
    return {"country": "VN", "name_en": "Tran Van Minh", "gender": "male", "motivation": "Air lab.", **extra}


def test_a_focal_point_nominates_a_trainee_without_an_account(client_for):
    session, _vn, _th = session_with_trainees()
    session.quota_per_country = 3
    session.save()
    client, focal = signed_in(client_for, Role.FOCAL_POINT, country="VN")
    form = client.get(reverse("network:nomination-create", args=[session.pk]))
    assert form.status_code == 200
    assert 'value="TH"' not in text(form), "a focal point nominates for their own country only"
    response = client.post(reverse("network:nomination-create", args=[session.pk]), nomination_data())
    assert response["Location"] == reverse("network:session-detail", args=[session.pk])
    nomination = TraineeNomination.objects.get(person__name_en="Tran Van Minh")
    assert (nomination.country_id, nomination.nominated_by, nomination.person.user) == ("VN", focal, None)
    assert "Tran Van Minh was nominated." in text(client.get(response["Location"]))


def test_a_nomination_over_the_quota_is_refused_naming_the_field(client_for):
    session, _vn, _th = session_with_trainees()  # quota 2, VN has one
    nominate(session, "VN")
    client, _focal = signed_in(client_for, Role.FOCAL_POINT, country="VN")
    response = client.post(reverse("network:nomination-create", args=[session.pk]), nomination_data())
    assert response.status_code == 400
    assert "Nominating country: Viet Nam has used its quota of 2 places per country" in text(response)
    assert not TraineeNomination.objects.filter(person__name_en="Tran Van Minh").exists()


def test_a_focal_point_cannot_nominate_for_another_country(client_for):
    session, _vn, _th = session_with_trainees()
    client, _focal = signed_in(client_for, Role.FOCAL_POINT, country="VN")
    response = client.post(reverse("network:nomination-create", args=[session.pk]), nomination_data(country="TH"))
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert TraineeNomination.objects.filter(country="TH").count() == 1


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER])
def test_members_without_a_country_do_not_nominate(role, client_for):
    session, _vn, _th = session_with_trainees()
    client, _user = signed_in(client_for, role)
    assert client.get(reverse("network:nomination-create", args=[session.pk])).status_code == 403


def test_the_secretariat_selects_waitlists_and_rejects(client_for):
    session, vn, th = session_with_trainees()
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    url = reverse("network:nomination-decide", args=[vn.pk])
    response = client.post(url, {"decision": "select"})
    assert response["Location"] == reverse("network:session-detail", args=[session.pk])
    client.post(reverse("network:nomination-decide", args=[th.pk]), {"decision": "waitlist"})
    vn.refresh_from_db()
    th.refresh_from_db()
    assert (vn.state, th.state) == ("selected", "waitlisted")
    client.post(reverse("network:nomination-decide", args=[th.pk]), {"decision": "reject"})
    th.refresh_from_db()
    assert th.state == "not_selected"
    page = text(client.get(response["Location"]))
    assert "Selected" in page
    assert "Not selected" in page


def test_a_focal_point_withdraws_but_does_not_select(client_for):
    _session, vn, _th = session_with_trainees()
    client, _focal = signed_in(client_for, Role.FOCAL_POINT, country="VN")
    url = reverse("network:nomination-decide", args=[vn.pk])
    assert client.post(url, {"decision": "select"}).status_code == 403
    client.post(url, {"decision": "withdraw"})
    vn.refresh_from_db()
    assert vn.state == "withdrawn"


def test_a_focal_point_cannot_touch_another_countrys_nomination(client_for):
    _session, _vn, th = session_with_trainees()
    client, _focal = signed_in(client_for, Role.FOCAL_POINT, country="VN")
    assert client.post(reverse("network:nomination-decide", args=[th.pk]), {"decision": "withdraw"}).status_code == 404


# --- attendance and tests --------------------------------------------------------------------------------


def test_attendance_is_recorded_as_a_grid_for_selected_trainees(client_for):
    session, vn, _th = session_with_trainees()
    services.trainee_select(actor=None, nomination=vn)
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    url = reverse("network:session-attendance", args=[session.pk])
    page = text(client.get(url))
    assert "Nguyen Thi Lan" in page
    assert "Somchai Prasert" not in page, "only selected trainees are on the grid"
    first = session.starts_on
    data = {f"a-{vn.pk}-{first:%Y%m%d}": "present", f"a-{vn.pk}-{first + dt.timedelta(days=1):%Y%m%d}": "late"}
    response = client.post(url, data)
    assert response.status_code == 302
    recorded = dict(AttendanceRecord.objects.filter(nomination=vn).values_list("day", "status"))
    assert recorded == {first: "present", first + dt.timedelta(days=1): "late"}
    assert "2 attendance record(s) saved." in text(client.get(url))


def test_attendance_for_a_day_outside_the_session_is_refused_clearly(client_for):
    session, vn, _th = session_with_trainees()
    services.trainee_select(actor=None, nomination=vn)
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    outside = session.ends_on + dt.timedelta(days=1)
    response = client.post(
        reverse("network:session-attendance", args=[session.pk]),
        {"one": "1", "one-nomination": vn.pk, "one-day": outside.isoformat(), "one-status": "present"},
    )
    assert response.status_code == 400
    assert "Day: " in text(response)
    assert "is outside the session, which runs from" in text(response)
    assert not AttendanceRecord.objects.exists()


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_records_attendance_and_scores(role, client_for):
    session, vn, _th = session_with_trainees()
    services.trainee_select(actor=None, nomination=vn)
    client, _user = signed_in(client_for, role)
    assert client.get(reverse("network:session-attendance", args=[session.pk])).status_code == 403
    assert client.get(reverse("network:session-scores", args=[session.pk])).status_code == 403


def test_pre_and_post_test_scores_are_recorded_and_a_bad_one_refused_at_its_cell(client_for):
    session, vn, _th = session_with_trainees()
    services.trainee_select(actor=None, nomination=vn)
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    url = reverse("network:session-scores", args=[session.pk])
    response = client.post(url, {"max_score": "50", f"pre-{vn.pk}": "20", f"post-{vn.pk}": "60"})
    assert response.status_code == 400
    assert "A score lies between 0 and the maximum, 50." in text(response)
    assert not AssessmentScore.objects.exists(), "all or nothing"
    response = client.post(url, {"max_score": "50", f"pre-{vn.pk}": "20", f"post-{vn.pk}": "41.5"})
    assert response.status_code == 302
    scores = {s.kind: (s.score, s.max_score) for s in AssessmentScore.objects.filter(nomination=vn)}
    assert {k: (float(a), float(b)) for k, (a, b) in scores.items()} == {"pre": (20, 50), "post": (41.5, 50)}
    page = text(client.get(reverse("network:session-detail", args=[session.pk])))
    assert "41.50/50" in page


# --- certificates ----------------------------------------------------------------------------------------


def certified(client):
    session, vn, _th = session_with_trainees()
    services.trainee_select(actor=None, nomination=vn)
    attend(vn, "present", "present", "late", "present", "absent")
    response = client.post(reverse("network:certificate-issue", args=[vn.pk]))
    assert response["Location"] == reverse("network:session-detail", args=[session.pk])
    return session, vn, Certificate.objects.get(nomination=vn)


def test_the_secretariat_issues_a_certificate_and_downloads_its_pdf(client_for):
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    session, _vn, certificate = certified(client)
    assert certificate.name_at_issue == "Nguyen Thi Lan"
    page = text(client.get(reverse("network:session-detail", args=[session.pk])))
    assert f"Certificate {certificate.code} was issued to Nguyen Thi Lan." in page
    pdf = client.get(reverse("network:certificate-pdf", args=[certificate.pk]), {"lang": "en"})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert certificate.code.lower() in pdf["Content-Disposition"]


def test_a_certificate_without_enough_days_is_refused_with_the_count(client_for):
    _session, vn, _th = session_with_trainees()
    services.trainee_select(actor=None, nomination=vn)
    attend(vn, "present", "absent", "absent")
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    response = client.post(reverse("network:certificate-issue", args=[vn.pk]), follow=True)
    assert "Nguyen Thi Lan attended 1 of the session&#x27;s 5 days" in text(response)
    assert not Certificate.objects.exists()


def test_a_revoked_certificate_keeps_its_reason_in_the_history(client_for):
    client, _user = signed_in(client_for, Role.SECRETARIAT)
    session, _vn, certificate = certified(client)
    url = reverse("network:certificate-revoke", args=[certificate.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400
    assert "Reason for revocation: This field is required." in text(empty)
    response = client.post(url, {"reason": "Issued to the wrong session."})
    assert response["Location"] == reverse("network:session-detail", args=[session.pk])
    certificate.refresh_from_db()
    assert certificate.revoked_on == today()
    last = certificate.history.order_by("-history_id").first()
    assert (last.action_code, last.revocation_reason) == (
        "network.training.certificate.revoked",
        "Issued to the wrong session.",
    )
    page = text(client.get(response["Location"]))
    assert "Revoked on" in page
    assert "Issued to the wrong session." in page
    # A revoked certificate is no longer printed.
    pdf = client.get(reverse("network:certificate-pdf", args=[certificate.pk]), follow=True)
    assert "no longer printed" in text(pdf)


def test_the_trainees_focal_point_downloads_but_neither_issues_nor_revokes(client_for):
    secretariat_client, _s = signed_in(client_for, Role.SECRETARIAT)
    _session, vn, certificate = certified(secretariat_client)
    client, _focal = signed_in(client_for, Role.FOCAL_POINT, country="VN")
    assert client.get(reverse("network:certificate-pdf", args=[certificate.pk])).status_code == 200
    assert client.get(reverse("network:certificate-revoke", args=[certificate.pk])).status_code == 403
    assert client.post(reverse("network:certificate-issue", args=[vn.pk])).status_code == 403
    other, _th_focal = signed_in(client_for, Role.FOCAL_POINT, country="TH")
    assert other.get(reverse("network:certificate-pdf", args=[certificate.pk])).status_code == 404
