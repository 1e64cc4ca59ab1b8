"""The reference series and meetings: loaded with their sources, invitations from the dated group memberships,
idempotent, and never overwriting an edit made on the platform."""

import copy
import datetime as dt

import pytest
from django.core.management import call_command

from cleanasia.accounts.models import Role
from cleanasia.directory.reference import load_reference as load_directory
from cleanasia.meetings import reference
from cleanasia.meetings.models import Meeting, MeetingSeries
from cleanasia.meetings.services import meetings as services

pytestmark = pytest.mark.django_db

ASEAN = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"}
EAS_2005 = ASEAN | {"CN", "JP", "KR", "IN", "AU", "NZ"}


def tallies(result):
    return {t.label: (t.created, t.updated, t.unchanged, len(t.kept)) for t in result}


@pytest.fixture
def loaded():
    load_directory()
    return reference.load_reference()


def meeting(code, ordinal):
    return Meeting.objects.get(series__code=code, ordinal=ordinal)


def test_the_five_series_and_the_recorded_meetings_are_loaded_with_sources(loaded):
    assert tallies(loaded) == {"meeting series": (5, 0, 0, 0), "meetings": (5, 0, 0, 0)}
    series = {s.code: s for s in MeetingSeries.objects.all()}
    assert set(series) == {"EAS-EMM", "EAS-EMM-PREP", "EAS-EMM-WL", "JA-ENV-DIALOGUE", "JA-EMM"}
    assert [series[c].level for c in ("EAS-EMM", "EAS-EMM-PREP", "EAS-EMM-WL")] == ["ministerial", "senior", "working"]
    assert series["EAS-EMM"].membership_group.code == "eas"
    assert series["JA-ENV-DIALOGUE"].membership_group.code == "asean"
    assert list(series["JA-EMM"].extra_countries.values_list("code", flat=True)) == ["JP"]
    assert list(series["EAS-EMM-WL"].follows_up.all()) == [series["EAS-EMM"]]
    for s in series.values():
        assert s.title_ja
        assert s.title_en
        assert s.source
        assert s.visibility == "public"
        assert s.history.first().action_code == "meetings.series.loaded"
    for m in Meeting.objects.all():
        assert m.source
        assert m.status == "held"
        assert m.visibility == "public"


def test_the_first_eas_emm_as_recorded(loaded):
    first = meeting("EAS-EMM", 1)
    assert first.starts_at == dt.datetime(2008, 10, 9, 7, tzinfo=dt.UTC)  # 14:00 in Ha Noi
    assert (first.time_zone, first.venue_en, first.city_en, first.host_country_id) == (
        "Asia/Ho_Chi_Minh",
        "Sheraton Hanoi",
        "Ha Noi",
        "VN",
    )
    assert set(first.invited_countries.values_list("code", flat=True)) == EAS_2005
    assert sorted(first.chair_people.values_list("name_en", flat=True)) == ["Kazuhiko Takemoto", "Pham Khoi Nguyen"]
    assert list(first.observer_organisations.values_list("name_en", flat=True)) == ["ASEAN Secretariat"]
    assert "Pham Khoi Nguyen" in first.chairs_en
    assert "Takemoto" in first.chairs_en


def test_invitations_follow_the_memberships_on_each_meetings_date(loaded):
    assert set(meeting("EAS-EMM", 2).invited_countries.values_list("code", flat=True)) == EAS_2005
    assert set(meeting("EAS-EMM", 4).invited_countries.values_list("code", flat=True)) == EAS_2005 | {"US", "RU"}
    dialogue = meeting("JA-ENV-DIALOGUE", 1)
    assert set(dialogue.invited_countries.values_list("code", flat=True)) == ASEAN | {"JP"}
    assert dialogue.starts_at.date() == dt.date(2008, 3, 28)
    assert meeting("EAS-EMM-WL", 1).starts_at.date() == dt.date(2008, 3, 28)
    assert (meeting("EAS-EMM", 2).city_en, meeting("EAS-EMM", 4).city_en) == ("Bandar Seri Begawan", "Vientiane")


def test_a_second_load_changes_nothing(loaded):
    versions = dict(Meeting.objects.values_list("pk", "version"))
    assert tallies(reference.load_reference()) == {"meeting series": (0, 0, 5, 0), "meetings": (0, 0, 5, 0)}
    assert dict(Meeting.objects.values_list("pk", "version")) == versions


def test_the_command_loads_and_reports_the_meetings(capsys):
    call_command("load_reference")
    out = capsys.readouterr().out
    assert "meeting series" in out
    assert "meetings" in out
    assert Meeting.objects.count() == 5


def test_a_corrected_file_reaches_untouched_records_and_edits_are_kept(loaded, make_user, monkeypatch):
    staff = make_user(Role.SECRETARIAT)
    edited = meeting("EAS-EMM", 2)
    services.meeting_update(actor=staff, meeting=edited, expected_version=edited.version, changes={"venue_en": "ICC"})
    data = copy.deepcopy(reference.reference_data())
    rows = {(row["series"], row["ordinal"]): row for row in data["meetings"]}
    rows[("EAS-EMM", 2)]["venue_en"] = "International Convention Centre"
    rows[("EAS-EMM", 4)]["venue_en"] = "National Convention Centre"
    rows[("EAS-EMM", 4)]["chair_people"] = ["Kazuhiko Takemoto"]
    data["series"][0]["title_en"] = "East Asia Summit Environment Ministers Meeting"
    monkeypatch.setattr(reference, "reference_data", lambda: data)
    result = {t.label: t for t in reference.load_reference()}
    assert (result["meetings"].updated, result["meetings"].unchanged) == (1, 3)
    assert result["meetings"].kept == [
        "meeting EAS-EMM/2: venue_en differ from the reference file; edited since loading, kept"
    ]
    assert result["meeting series"].updated == 1
    assert meeting("EAS-EMM", 2).venue_en == "ICC"
    fourth = meeting("EAS-EMM", 4)
    assert fourth.venue_en == "National Convention Centre"
    assert list(fourth.chair_people.values_list("name_en", flat=True)) == ["Kazuhiko Takemoto"]
    assert fourth.history.first().action_code == "meetings.meeting.loaded"
    assert MeetingSeries.objects.get(code="EAS-EMM").title_en == "East Asia Summit Environment Ministers Meeting"


def test_list_edits_are_kept_too(loaded, make_user, monkeypatch):
    staff = make_user(Role.SECRETARIAT)
    first = meeting("EAS-EMM", 1)
    services.meeting_update(actor=staff, meeting=first, expected_version=first.version, changes={"chair_people": []})
    result = {t.label: t for t in reference.load_reference()}
    assert result["meetings"].kept == [
        "meeting EAS-EMM/1: chair_people differ from the reference file; edited since loading, kept"
    ]
    assert (result["meetings"].unchanged, result["meetings"].updated) == (4, 0)
    assert not meeting("EAS-EMM", 1).chair_people.exists()


def test_every_row_of_the_data_file_has_a_source_and_unconfirmed_values_are_marked():
    data = reference.reference_data()
    for row in data["series"] + data["meetings"]:
        assert row["source"].strip()
        if row.get("check"):
            assert "(check)" in row["source"], row
