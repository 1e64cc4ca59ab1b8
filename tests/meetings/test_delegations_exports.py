"""The participants list as Excel and PDF in protocol order, in Japanese and English; the public variant; name cards."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import DelegationState
from cleanasia.meetings.services import delegations as services
from tests.factories import OrganisationFactory

from .factories import make_meeting
from .test_delegations_services import person, registered

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 2000
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    command = [shutil.which("pdftotext"), "-layout", "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603


@pytest.fixture
def meeting():
    """Thailand, Viet Nam and Japan (entered out of order), roles out of order, and an observer organisation."""
    meeting = make_meeting(invite=("VN", "TH", "JP"), visibility="public", venue_en="Hanoi Hall", venue_ja="ハノイ会館")
    registered(
        meeting,
        "VN",
        person("Adviser", role="adviser", consent_public_listing=True),
        person("Delegate", role="delegate", dietary_needs="vegetarian"),
        person("Head", role="head", consent_public_listing=True, phone="+84 24 3333"),
        person("Alternate", role="alternate"),
        state=DelegationState.APPROVED,
    )
    registered(meeting, "TH", person("Somchai", role="head", consent_public_listing=True), state="approved")
    registered(meeting, "JP", person("Sato", role="head", consent_public_listing=True), state="approved")
    unep = OrganisationFactory(name_en="UN Environment Programme", name_ja="国連環境計画", country=None)
    meeting.observer_organisations.add(unep)
    observer = services.delegation_create(actor=None, meeting=meeting, organisation=unep)
    services.participant_add(
        actor=None, delegation=observer, **person("Observer", role="observer", consent_public_listing=True)
    )
    services.delegation_submit(actor=None, delegation=observer)
    services.delegation_approve(actor=None, delegation=observer)
    return meeting


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _names(ws, column: int) -> list[str]:
    return [ws.cell(row=r, column=column).value for r in range(5, ws.max_row + 1)]


def test_the_excel_list_is_in_protocol_order_with_every_detail_for_the_secretariat(meeting, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    response = client.get(f"/en/staff/meetings/{meeting.pk}/participants.xlsx?lang=en")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-en.xlsx"')
    ws = _sheet(response.content)
    assert ws.cell(row=1, column=1).value == "List of participants"
    assert [c.value for c in ws[4]][:6] == ["No.", "Country / organisation", "Role", "Name", "Title", "Organisation"]
    assert [ws.cell(row=r, column=2).value for r in range(5, ws.max_row + 1)] == [
        "Japan",
        "Thailand",
        "Viet Nam",
        "Viet Nam",
        "Viet Nam",
        "Viet Nam",
        "UN Environment Programme",
    ]
    assert [name.split()[-1] for name in _names(ws, 4)] == [
        "Sato",
        "Somchai",
        "Head",
        "Alternate",
        "Delegate",
        "Adviser",
        "Observer",
    ]
    row_of = {ws.cell(row=r, column=4).value.split()[-1]: r for r in range(5, ws.max_row + 1)}
    assert ws.cell(row=row_of["Head"], column=8).value == "+84 24 3333"
    assert ws.cell(row=row_of["Delegate"], column=9).value == "vegetarian"
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_the_excel_list_has_japanese_headings_and_names_on_request(meeting, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    ws = _sheet(client.get(f"/en/staff/meetings/{meeting.pk}/participants.xlsx?lang=ja").content)
    assert ws.cell(row=1, column=1).value == "参加者名簿"
    assert [c.value for c in ws[4]][:4] == ["番号", "国・機関", "役割", "氏名"]
    # Protocol order stays the English alphabetical order whatever the language.
    assert ws.cell(row=5, column=2).value == "日本"
    assert ws.cell(row=5, column=3).value == "代表"
    assert ws.cell(row=ws.max_row, column=2).value == "国連環境計画"


def test_the_public_excel_variant_lists_only_consenting_names_and_organisations(meeting, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    ws = _sheet(client.get(f"/en/staff/meetings/{meeting.pk}/participants.xlsx?public=1&lang=en").content)
    assert [c.value for c in ws[4]] == ["No.", "Country / organisation", "Name", "Organisation"]
    assert [name.split()[-1] for name in _names(ws, 3)] == ["Sato", "Somchai", "Head", "Adviser", "Observer"]
    values = {str(c.value) for row in ws.iter_rows() for c in row}
    assert "+84 24 3333" not in values
    assert "vegetarian" not in values


def test_the_pdf_list_is_in_protocol_order_with_japanese_text(meeting, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    text = pdf_text(client.get(f"/en/staff/meetings/{meeting.pk}/participants.pdf?lang=ja").content)
    assert "参加者名簿" in text
    assert "個人情報を含みます" in text
    order = [text.index(word) for word in ("日本", "タイ", "ベトナム", "国連環境計画")]
    assert order == sorted(order)
    order = [text.index(f"An {name}") for name in ("Head", "Alternate", "Delegate", "Adviser")]
    assert order == sorted(order)
    assert "+84 24 3333" in text


def test_the_public_pdf_has_no_personal_data(meeting, client):
    response = client.get(f"/en/meetings/{meeting.pk}/participants.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "List of participants (public)" in text
    assert "Somchai" in text
    assert "Delegate" not in text.replace("Delegation", "")
    assert "+84" not in text
    assert "vegetarian" not in text
    assert "@example" not in text
    ws = _sheet(client.get(f"/en/meetings/{meeting.pk}/participants.xlsx").content)
    assert len(_names(ws, 3)) == 5


def test_name_cards_are_one_per_page(meeting, client_for):
    client, _user = client_for(Role.SECRETARIAT)
    pdf = client.get(f"/en/staff/meetings/{meeting.pk}/name-cards.pdf?lang=en").content
    text = pdf_text(pdf)
    assert text.count("\f") >= 7
    assert "Ms An Somchai" in text
    assert "Thailand" in text


def test_an_empty_list_still_makes_files(client_for):
    client, _user = client_for(Role.SECRETARIAT)
    meeting = make_meeting()
    ws = _sheet(client.get(f"/en/staff/meetings/{meeting.pk}/participants.xlsx").content)
    assert ws.cell(row=5, column=1).value == "No participants to list."
    assert "No participants to list." in pdf_text(
        client.get(f"/en/staff/meetings/{meeting.pk}/participants.pdf").content
    )


def test_a_purged_participant_appears_without_a_name(meeting, client_for):
    from cleanasia.meetings.models import Participant

    Participant.objects.filter(family_name="Delegate").update(
        family_name="", given_name="", honorific="", purged_at=meeting.ends_at
    )
    client, _user = client_for(Role.SECRETARIAT)
    ws = _sheet(client.get(f"/en/staff/meetings/{meeting.pk}/participants.xlsx?lang=en").content)
    assert "(personal data removed)" in _names(ws, 4)
