"""The public certificate check at /<lang>/verify/<code>: valid (name, programme, dates), revoked (the date,
never the reason nor the name), unknown — each clearly, for anyone; the form to type a code; and the
address printed on the certificate (/verify/<code>, without a language) leading to the answer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cleanasia.network.models import TraineeState
from cleanasia.network.services import training as services

from .test_training_services import attend, make_programme, make_session, nominate, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def public():
    client = Client()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def issued(**person_data):
    programme = make_programme(title_en="Air quality monitoring", title_ja="大気環境モニタリング研修")
    session = make_session(programme, days=3, title_en="Hanoi 2026")
    nomination = nominate(session, "VN", state=TraineeState.SELECTED, name="Nguyen Thi Lan", **person_data)
    attend(nomination, "present", "present", "late")
    return services.certificate_issue(actor=None, nomination=nomination)


def text(response) -> str:
    return response.content.decode()


def test_a_valid_code_shows_the_name_the_programme_and_the_dates(public, django_assert_max_num_queries):
    certificate = issued(email="lan@example.vn", phone="+84 111")
    session = certificate.nomination.session
    with django_assert_max_num_queries(6):
        response = public.get(reverse("network_verify:verify", args=[certificate.code]))
    assert response.status_code == 200
    page = text(response)
    assert "Valid certificate" in page
    assert "Nguyen Thi Lan" in page
    assert "Air quality monitoring" in page
    assert session.starts_on.strftime("%Y") in page
    # The check shows what the certificate says, and nothing of the person's record.
    assert "lan@example.vn" not in page
    assert "+84 111" not in page
    assert 'name="robots" content="noindex"' in page


def test_a_code_typed_in_lower_case_without_hyphens_is_recognised(public):
    certificate = issued()
    typed = certificate.code.replace("-", "").lower()
    response = public.get(reverse("network_verify:verify-form"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("network_verify:verify", args=[certificate.code])
    assert "Valid certificate" in text(public.get(response["Location"]))


def test_a_revoked_code_says_so_with_the_date_but_not_the_reason(public):
    certificate = issued()
    services.certificate_revoke(actor=None, certificate=certificate, reason="Attendance sheet was falsified.")
    response = public.get(reverse("network_verify:verify", args=[certificate.code]))
    assert response.status_code == 200
    page = text(response)
    assert "Revoked certificate" in page
    assert f"Certificate {certificate.code} was revoked on" in page
    assert today().strftime("%Y") in page
    assert "falsified" not in page
    assert "Nguyen Thi Lan" not in page
    assert "Valid certificate" not in page


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKLM", "not-a-code", "0000-1111-OOOO"])
def test_an_unknown_code_is_answered_clearly(code, public):
    issued()
    response = public.get(reverse("network_verify:verify", args=[code]))
    assert response.status_code == 404
    page = text(response)
    assert "Unknown code" in page
    assert "No certificate has the code" in page
    assert "Valid certificate" not in page
    assert "Nguyen Thi Lan" not in page


def test_the_form_asks_for_a_code_and_refuses_an_empty_one(public):
    page = public.get(reverse("network_verify:verify-form"))
    assert page.status_code == 200
    assert "Check a training certificate" in text(page)
    assert '<label for="id_code">Verification code' in text(page)
    empty = public.get(reverse("network_verify:verify-form"), {"code": ""})
    assert empty.status_code == 400
    assert "Verification code: This field is required." in text(empty)


def test_the_address_printed_on_the_certificate_leads_to_the_answer(public):
    certificate = issued()
    printed = services.verification_path(certificate.code)
    assert printed == f"/verify/{certificate.code}"
    response = public.get(printed)
    assert response.status_code == 302
    assert response["Location"] == f"/en/verify/{certificate.code}"
    assert "Valid certificate" in text(public.get(response["Location"]))
    japanese = Client(HTTP_ACCEPT_LANGUAGE="ja")
    assert japanese.get(printed)["Location"] == f"/ja/verify/{certificate.code}"


def test_the_check_answers_in_japanese(public):
    certificate = issued()
    with translation.override("ja"):
        url = reverse("network_verify:verify", args=[certificate.code])
    assert url.startswith("/ja/verify/")
    response = Client().get(url)
    assert response.status_code == 200
    assert 'lang="ja"' in text(response)
    assert certificate.code in text(response)
