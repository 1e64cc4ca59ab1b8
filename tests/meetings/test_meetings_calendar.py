"""Calendar feeds, parsed back with icalendar: time zones, stable UIDs across reschedules, SEQUENCE from the
version, cancelled and postponed meetings; the personal feed behind a secret link that its user can reset."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import CalendarFeedToken, Delegation, DelegationState, Participant
from cleanasia.meetings.services import meetings as services

from ..factories import CountryFactory
from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
BRUNEI = zoneinfo.ZoneInfo("Asia/Brunei")


def parse(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def meetings():
    series = make_series("EAS-EMM", title_en="EAS Environment Ministers' Meeting", title_ja="EAS環境大臣会合")
    hanoi = make_meeting(
        series,
        ordinal=1,
        starts_at=dt.datetime(2031, 10, 9, 14, tzinfo=HCM),
        title_en="1st EAS EMM",
        title_ja="第1回EAS環境大臣会合",
        venue_en="Sheraton Hanoi",
        city_en="Ha Noi",
        host_country=CountryFactory(code="VN"),
    )
    brunei = make_meeting(
        series,
        ordinal=2,
        starts_at=dt.datetime(2032, 10, 15, 9, tzinfo=BRUNEI),
        time_zone="Asia/Brunei",
        title_en="2nd EAS EMM",
        title_ja="",
    )
    hidden = make_meeting(make_series(visibility="secretariat"), visibility="secretariat", title_en="Internal")
    return {"hanoi": hanoi, "brunei": brunei, "hidden": hidden}


def test_the_public_feed_lists_public_meetings_in_their_own_time_zones(client, meetings):
    calendar = parse(client.get(reverse("meetings_feeds:public-ics")))
    assert str(calendar["VERSION"]) == "2.0"
    assert "PRODID" in calendar
    found = events(calendar)
    hanoi, brunei = meetings["hanoi"], meetings["brunei"]
    assert set(found) == {f"meeting-{hanoi.pk}@cleanasia", f"meeting-{brunei.pk}@cleanasia"}
    event = found[f"meeting-{hanoi.pk}@cleanasia"]
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event.decoded("DTSTART") == dt.datetime(2031, 10, 9, 14, tzinfo=HCM)
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=7)
    assert event.decoded("DTEND") == hanoi.ends_at
    assert str(event["SUMMARY"]) == "1st EAS EMM"
    assert "Sheraton Hanoi" in str(event["LOCATION"])
    assert "Viet Nam" in str(event["LOCATION"])
    assert str(event["STATUS"]) == "TENTATIVE"
    assert int(event["SEQUENCE"]) == 1
    with translation.override("en"):
        assert str(event["URL"]).endswith(reverse("meetings_public:meeting-detail", args=[hanoi.pk]))
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert zones == {"Asia/Ho_Chi_Minh", "Asia/Brunei"}
    assert found[f"meeting-{brunei.pk}@cleanasia"]["DTSTART"].params["TZID"] == "Asia/Brunei"


def test_the_feed_speaks_japanese_when_asked(client, meetings):
    calendar = parse(client.get(reverse("meetings_feeds:public-ics"), {"lang": "ja"}))
    event = events(calendar)[f"meeting-{meetings['hanoi'].pk}@cleanasia"]
    assert str(event["SUMMARY"]) == "第1回EAS環境大臣会合"
    assert "/ja/meetings/" in str(event["URL"])
    # No Japanese title: the English one, rather than nothing.
    assert str(events(calendar)[f"meeting-{meetings['brunei'].pk}@cleanasia"]["SUMMARY"]) == "2nd EAS EMM"


def test_a_rescheduled_meeting_keeps_its_uid_and_raises_its_sequence(client, meetings, make_user):
    staff = make_user(Role.SECRETARIAT)
    hanoi = meetings["hanoi"]
    services.meeting_reschedule(
        actor=staff,
        meeting=hanoi,
        expected_version=hanoi.version,
        starts_at=dt.datetime(2031, 11, 20, 9, tzinfo=HCM),
        ends_at=dt.datetime(2031, 11, 21, 17, tzinfo=HCM),
    )
    event = events(parse(client.get(reverse("meetings_feeds:public-ics"))))[f"meeting-{hanoi.pk}@cleanasia"]
    assert event.decoded("DTSTART") == dt.datetime(2031, 11, 20, 9, tzinfo=HCM)
    assert int(event["SEQUENCE"]) == 2


def test_cancelled_and_postponed_meetings_say_so(client, meetings, make_user):
    staff = make_user(Role.SECRETARIAT)
    hanoi, brunei = meetings["hanoi"], meetings["brunei"]
    services.meeting_set_status(actor=staff, meeting=hanoi, expected_version=1, status="cancelled", note="Merged")
    services.meeting_set_status(actor=staff, meeting=brunei, expected_version=1, status="postponed", note="Typhoon")
    found = events(parse(client.get(reverse("meetings_feeds:public-ics"))))
    cancelled, postponed = found[f"meeting-{hanoi.pk}@cleanasia"], found[f"meeting-{brunei.pk}@cleanasia"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 2
    assert str(cancelled["SUMMARY"]).startswith("Cancelled:")
    assert "Merged" in str(cancelled["DESCRIPTION"])
    assert str(postponed["SUMMARY"]) == "Postponed: 2nd EAS EMM"
    assert "Postponed" in str(postponed["DESCRIPTION"])
    assert "Typhoon" in str(postponed["DESCRIPTION"])


def personal(client, user):
    token = CalendarFeedToken.objects.get_or_create(user=user)[0]
    return events(parse(client.get(reverse("meetings_feeds:personal-ics", args=[token.token]))))


def test_the_personal_feed_lists_the_meetings_each_user_takes_part_in(client, meetings, make_user):
    delegate = make_user(Role.EXPERT)
    focal = make_user(Role.FOCAL_POINT, country="KH")
    staff = make_user(Role.SECRETARIAT)
    bystander = make_user(Role.EXPERT)
    hidden, brunei = meetings["hidden"], meetings["brunei"]
    delegation = Delegation.objects.create(meeting=hidden, country=CountryFactory(code="TH"))
    Participant.objects.create(delegation=delegation, user=delegate, given_name="A", family_name="B")
    withdrawn = Delegation.objects.create(
        meeting=brunei, country=CountryFactory(code="JP"), state=DelegationState.WITHDRAWN
    )
    Participant.objects.create(delegation=withdrawn, user=delegate, given_name="A", family_name="B")
    brunei.invited_countries.add(CountryFactory(code="KH"))
    uid = "meeting-{}@cleanasia".format
    assert set(personal(client, delegate)) == {uid(hidden.pk)}
    assert set(personal(client, focal)) == {uid(brunei.pk)}
    assert set(personal(client, staff)) == {uid(m.pk) for m in meetings.values()}
    assert personal(client, bystander) == {}
    assert "/staff/meetings/" in str(personal(client, delegate)[uid(hidden.pk)]["URL"])


def test_an_unknown_reset_or_inactive_token_is_a_404(client, make_user):
    user = make_user(Role.EXPERT)
    client_user = make_user(Role.EXPERT)
    token = CalendarFeedToken.objects.create(user=user)
    url = reverse("meetings_feeds:personal-ics", args=[token.token])
    assert client.get(url).status_code == 200
    assert client.get(reverse("meetings_feeds:personal-ics", args=["not-a-token"])).status_code == 404
    services.calendar_feed_token_reset(actor=user)
    assert client.get(url).status_code == 404
    token = CalendarFeedToken.objects.get(user=user)
    user.is_active = False
    user.save()
    assert client.get(reverse("meetings_feeds:personal-ics", args=[token.token])).status_code == 404
    assert client_user.pk


def test_the_feed_link_page_shows_and_resets_the_private_link(client_for, client):
    browser, user = client_for(Role.FOCAL_POINT)
    page = browser.get(reverse("meetings:calendar-link"))
    token = CalendarFeedToken.objects.get(user=user).token
    html = page.content.decode()
    assert page.status_code == 200
    assert token in html
    assert "webcal://" in html
    assert reverse("meetings_feeds:public-ics") in html
    assert browser.post(reverse("meetings:calendar-link")).status_code == 302
    new = CalendarFeedToken.objects.get(user=user).token
    assert new != token
    assert client.get(reverse("meetings_feeds:personal-ics", args=[token])).status_code == 404
    assert client.get(reverse("meetings_feeds:personal-ics", args=[new])).status_code == 200
    assert new in browser.get(reverse("meetings:calendar-link")).content.decode()
    # Anonymous visitors are sent to sign in; the token page is never public.
    assert client.get(reverse("meetings:calendar-link")).status_code == 302
