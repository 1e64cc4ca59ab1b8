"""Certificates: issued to selected trainees who attended 4 days in 5, with the name as it was at issue and
an unambiguous code; revoked with a reason kept in the history; checked by anyone by code (valid, revoked
without the reason, unknown); printed as an A4 PDF carrying the code and the verification address."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cleanasia.accounts.models import Role
from cleanasia.network.models import Certificate, TraineeState
from cleanasia.network.services import training as services

from .test_training_services import attend, codes, errors, make_programme, make_session, nominate, today

pytestmark = pytest.mark.django_db

AMBIGUOUS = set("0O1I")


def pdf_text(pdf: bytes) -> str | None:
    """The text of a PDF with pdftotext, or None when poppler is missing."""
    if not shutil.which("pdftotext"):
        return None
    command = [shutil.which("pdftotext"), "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603


def trained(*statuses: str, language: str = "en", **person_data):
    """A selected trainee of a session as long as `statuses`, with one attendance status per day."""
    programme = make_programme(
        language=language, title_en="Air quality monitoring", title_ja="大気環境モニタリング研修"
    )
    session = make_session(programme, days=len(statuses), title_en="Hanoi 2026")
    nomination = nominate(session, "VN", state=TraineeState.SELECTED, **person_data)
    attend(nomination, *statuses)
    return nomination


# --- issue ------------------------------------------------------------------------------------------


def test_a_trainee_who_attended_four_days_in_five_gets_a_certificate_with_an_unambiguous_code(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    nomination = trained("present", "late", "present", "absent", "present", name_en="Nguyen Thi Lan")
    certificate = services.certificate_issue(actor=secretariat, nomination=nomination)
    assert certificate.name_at_issue == "Nguyen Thi Lan"
    assert certificate.issued_on == today()
    groups = certificate.code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert set("".join(groups)) <= set(services.CODE_ALPHABET)
    assert not set(services.CODE_ALPHABET) & AMBIGUOUS
    assert codes(certificate) == ["network.training.certificate.issued"]
    assert certificate.history.first().history_user == secretariat


def test_codes_are_not_repeated():
    found = {services.new_certificate_code() for _i in range(500)}
    assert len(found) == 500


def test_the_name_is_taken_in_the_sessions_language_and_kept_as_it_was_at_issue():
    nomination = trained("present", language="ja", name_en="Sato Hanako", name_ja="佐藤花子")
    certificate = services.certificate_issue(actor=None, nomination=nomination)
    assert certificate.name_at_issue == "佐藤花子"
    person = nomination.person
    person.name_ja = "鈴木花子"
    person.save()
    certificate.refresh_from_db()
    assert certificate.name_at_issue == "佐藤花子"
    assert services.certificate_verify(certificate.code)["name"] == "佐藤花子"


@pytest.mark.parametrize(
    ("statuses", "phrase"),
    [
        (("present", "present", "present", "absent", "absent"), "attended 3 of the session's 5 days"),
        (("present", "present", "present", "excused", "late"), None),
        (("present", "present", "present", "excused", "excused"), "a certificate needs at least 4"),
        (("present", "present", "absent"), "attended 2 of the session's 3 days"),
    ],
)
def test_a_certificate_needs_four_days_in_five_present_or_late(statuses, phrase):
    nomination = trained(*statuses)
    if phrase is None:
        assert services.certificate_issue(actor=None, nomination=nomination).pk
        return
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(actor=None, nomination=nomination)
    assert phrase in errors(exc)["attendance"][0]
    assert not Certificate.objects.exists()


def test_days_required_round_up():
    def days(n: int) -> int:
        session = make_session(days=n)
        return services.days_required(session)

    assert [days(1), days(2), days(3), days(5), days(10)] == [1, 2, 3, 4, 8]


def test_a_certificate_goes_once_and_to_selected_trainees_only():
    nomination = trained("present")
    services.certificate_issue(actor=None, nomination=nomination)
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(actor=None, nomination=nomination)
    assert "already has certificate" in errors(exc)["nomination"][0]
    waitlisted = nominate(nomination.session, "TH", state=TraineeState.WAITLISTED)
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(actor=None, nomination=waitlisted)
    assert "selected trainees only" in errors(exc)["nomination"][0]


@pytest.mark.parametrize("role", [Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT])
def test_only_the_secretariat_issues_and_revokes(role, make_user):
    user = make_user(role, country="VN") if role == Role.FOCAL_POINT else make_user(role)
    nomination = trained("present")
    with pytest.raises(PermissionDenied):
        services.certificate_issue(actor=user, nomination=nomination)
    certificate = services.certificate_issue(actor=None, nomination=nomination)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=user, certificate=certificate, reason="Fraud")


# --- revocation ----------------------------------------------------------------------------------------


def test_a_revocation_needs_its_reason_which_the_history_keeps(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    certificate = services.certificate_issue(actor=None, nomination=trained("present"))
    with pytest.raises(ValidationError) as exc:
        services.certificate_revoke(actor=secretariat, certificate=certificate, reason="  ")
    assert "reason" in errors(exc)
    revoked = services.certificate_revoke(
        actor=secretariat, certificate=certificate, reason="Attendance sheet was falsified."
    )
    assert (revoked.revoked_on, revoked.version) == (today(), 2)
    last = revoked.history.order_by("-history_id").first()
    assert (last.action_code, last.revocation_reason, last.history_user) == (
        "network.training.certificate.revoked",
        "Attendance sheet was falsified.",
        secretariat,
    )
    with pytest.raises(ValidationError) as exc:
        services.certificate_revoke(actor=secretariat, certificate=revoked, reason="Again")
    assert "already revoked" in errors(exc)["certificate"][0]


# --- public verification ---------------------------------------------------------------------------------


def test_a_valid_code_answers_with_the_name_the_programme_and_the_dates_however_it_is_typed():
    nomination = trained("present", "present", name_en="Nguyen Thi Lan")
    certificate = services.certificate_issue(actor=None, nomination=nomination)
    session = nomination.session
    typed = f"  {certificate.code.replace('-', ' ').lower()} "
    answer = services.certificate_verify(typed)
    assert answer == {
        "status": "valid",
        "code": certificate.code,
        "name": "Nguyen Thi Lan",
        "programme": "Air quality monitoring",
        "session": "Hanoi 2026",
        "starts_on": session.starts_on,
        "ends_on": session.starts_on + dt.timedelta(days=1),
        "issued_on": today(),
    }


def test_a_revoked_code_answers_revoked_with_the_day_but_neither_the_reason_nor_the_name():
    certificate = services.certificate_issue(actor=None, nomination=trained("present", name_en="Nguyen Thi Lan"))
    services.certificate_revoke(actor=None, certificate=certificate, reason="Attendance sheet was falsified.")
    answer = services.certificate_verify(certificate.code)
    assert answer == {"status": "revoked", "code": certificate.code, "revoked_on": today()}
    assert "falsified" not in repr(answer)
    assert "Nguyen" not in repr(answer)


@pytest.mark.parametrize("typed", ["ABCD-EFGH-JKLM", "", "not a code", "0000-1111-OOOO", "'; DROP TABLE x;--"])
def test_an_unknown_or_malformed_code_answers_unknown(typed):
    services.certificate_issue(actor=None, nomination=trained("present"))
    answer = services.certificate_verify(typed)
    assert answer["status"] == "unknown"
    assert set(answer) == {"status", "code"}


def test_the_verification_address_is_the_public_path_of_the_code(settings):
    settings.CLEANASIA_SITE_URL = "https://network.example.org"
    assert services.verification_path("ABCD-EFGH-JKLM") == "/verify/ABCD-EFGH-JKLM"
    assert services.verification_url("ABCD-EFGH-JKLM") == "https://network.example.org/verify/ABCD-EFGH-JKLM"


# --- PDF ------------------------------------------------------------------------------------------------------


def test_the_pdf_carries_the_name_the_programme_the_code_and_the_verification_path():
    nomination = trained("present", "present", "present", name_en="Nguyen Thi Lan")
    certificate = services.certificate_issue(actor=None, nomination=nomination)
    pdf = services.certificate_pdf(certificate, "en")
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000
    text = pdf_text(pdf)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "Certificate of completion" in text
    assert "Nguyen Thi Lan" in text
    assert "Air quality monitoring" in text
    assert certificate.code in text
    assert f"/verify/{certificate.code}" in text
    assert "(3 days)" in text


def test_the_pdf_in_japanese_prints_the_japanese_title_and_name():
    nomination = trained("present", language="ja", name_en="Sato Hanako", name_ja="佐藤花子")
    certificate = services.certificate_issue(actor=None, nomination=nomination)
    pdf = services.certificate_pdf(certificate, "ja")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "佐藤花子" in text
    assert "大気環境モニタリング研修" in text
    assert certificate.code in text


def test_a_revoked_certificate_is_not_printed_and_the_language_is_checked():
    certificate = services.certificate_issue(actor=None, nomination=trained("present"))
    with pytest.raises(ValidationError) as exc:
        services.certificate_pdf(certificate, "fr")
    assert "language" in errors(exc)
    certificate = services.certificate_revoke(actor=None, certificate=certificate, reason="Issued in error.")
    with pytest.raises(ValidationError) as exc:
        services.certificate_pdf(certificate, "en")
    assert "no longer printed" in errors(exc)["certificate"][0]
