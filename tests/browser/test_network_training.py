"""Joint training in a real browser, from the programme to the public check of a certificate.

The secretariat creates a programme and schedules a session with its call and
places per country; Viet Nam's focal point nominates a trainee who has no
account (and a second one over the quota is refused, naming the field); the
secretariat selects the trainee, records attendance on the grid and the pre-
and post-test scores, issues the certificate and downloads its PDF; anyone,
signed out, checks the code at the address printed on the certificate. Also
axe-core on the session page and the public check.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from cleanasia.accounts.models import Role
from cleanasia.network.models import (
    AssessmentScore,
    AttendanceRecord,
    Certificate,
    Field,
    TraineeNomination,
    TrainingProgramme,
    TrainingSession,
)
from tests.factories import CountryFactory, user_with_role

from .conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


def path(name, lang, *args):
    with translation.override(lang):
        return reverse(name, args=args or None)


def field(scope, label):
    """The form control labelled exactly `label` (the label of a required field ends with "required")."""
    return scope.get_by_label(re.compile("^" + re.escape(label) + "(required)?$"))


def message(page, text):
    expect(page.get_by_text(text).first).to_be_visible()


def blocking_violations(page):
    results = Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def context_page(browser, live_server, sign_in_as=None, user=None):
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP", timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.set_default_timeout(30_000)
    if user is not None:
        sign_in_as(page, user)
    return context, page


def test_a_trainee_is_nominated_selected_trained_certified_and_verified(browser, live_server, sign_in_as, screenshot):
    CountryFactory(code="VN", name_en="Viet Nam", name_ja="ベトナム")
    air, _created = Field.objects.get_or_create(code="air", defaults={"name_en": "Air quality", "name_ja": "大気"})
    secretariat = user_with_role(Role.SECRETARIAT, full_name="Sato Secretariat")
    focal = user_with_role(Role.FOCAL_POINT, country="VN", full_name="Nguyen Focal")
    base = live_server.url
    today = timezone.localdate()
    first_day = today + dt.timedelta(days=21)
    days = [first_day + dt.timedelta(days=n) for n in range(3)]
    found = {}

    sec_context, sec = context_page(browser, live_server, sign_in_as, secretariat)
    fp_context, fp = context_page(browser, live_server, sign_in_as, focal)

    # 1. The secretariat creates the programme and schedules a session with its call and one place per country.
    sec.goto(base + path("network:programme-list", "en"))
    sec.get_by_role("link", name="New programme").click()
    sec.wait_for_url(re.compile(r"/en/staff/network/training/new/$"))
    field(sec, "Code").fill("aq-monitoring")
    field(sec, "Title (Japanese)").fill("大気環境モニタリング研修")
    field(sec, "Title (English)").fill("Air quality monitoring")
    field(sec, "Field").select_option(str(air.pk))
    field(sec, "Level").select_option("intermediate")
    field(sec, "Mode").select_option("in_person")
    field(sec, "Who may see the programme").select_option("members")
    sec.get_by_role("button", name="Create the programme").click()
    sec.wait_for_url(re.compile(r"/en/staff/network/training/\d+/$"))
    message(sec, "The programme was created.")
    programme = TrainingProgramme.objects.get(code="aq-monitoring")
    assert (programme.level, programme.visibility) == ("intermediate", "members")

    sec.get_by_role("link", name="New session").click()
    sec.wait_for_url(re.compile(r"/sessions/new/$"))
    field(sec, "Title (English)").fill("Hanoi 2026")
    field(sec, "First day").fill(days[0].isoformat())
    field(sec, "Last day").fill(days[-1].isoformat())
    field(sec, "Venue (English)").fill("Hanoi Training Centre")
    field(sec, "Host country").select_option("VN")
    field(sec, "Call for applications opens").fill(today.isoformat())
    field(sec, "Call for applications closes").fill((first_day - dt.timedelta(days=7)).isoformat())
    field(sec, "Places per country").fill("1")
    sec.get_by_role("button", name="Schedule the session").click()
    sec.wait_for_url(re.compile(r"/en/staff/network/training/sessions/\d+/$"))
    message(sec, "The session was scheduled.")
    session = TrainingSession.objects.get(programme=programme)
    assert (session.quota_per_country, session.call_closes_on) == (1, first_day - dt.timedelta(days=7))

    # 2. Viet Nam's focal point nominates a trainee who has no account; a second is over the quota.
    fp.goto(base + path("network:session-detail", "en", session.pk))
    fp.get_by_role("link", name="Nominate a trainee").click()
    fp.wait_for_url(re.compile(r"/nominate/$"))
    expect(field(fp, "Nominating country")).to_have_value("VN")
    field(fp, "Name (English)").fill("Nguyen Thi Lan")
    field(fp, "Name (Japanese)").fill("グエン・ティ・ラン")
    field(fp, "E-mail").fill("lan@monre.example.vn")
    field(fp, "Gender").select_option("female")
    field(fp, "Why this trainee").fill("Runs the air monitoring network of Hanoi.")
    fp.get_by_role("button", name="Nominate", exact=True).click()
    fp.wait_for_url(re.compile(r"/en/staff/network/training/sessions/\d+/$"))
    message(fp, "Nguyen Thi Lan was nominated.")
    nomination = TraineeNomination.objects.get(session=session)
    assert (nomination.country_id, nomination.person.user, nomination.nominated_by) == ("VN", None, focal)

    fp.get_by_role("link", name="Nominate a trainee").click()
    field(fp, "Name (English)").fill("Tran Van Minh")
    fp.get_by_role("button", name="Nominate", exact=True).click()
    summary = fp.locator("#error-summary")
    expect(summary).to_contain_text("Nominating country: Viet Nam has used its quota of 1 places per country")
    assert TraineeNomination.objects.filter(session=session).count() == 1

    # 3. The secretariat selects the trainee.
    sec.goto(base + path("network:session-detail", "en", session.pk))
    sec.get_by_role("button", name="Select Nguyen Thi Lan", exact=True).click()
    sec.wait_for_url(re.compile(rf"/sessions/{session.pk}/$"))
    message(sec, "Nguyen Thi Lan was selected.")
    nomination.refresh_from_db()
    assert nomination.state == "selected"

    # 4. Attendance on the grid (present, late, present), then the pre- and post-test scores.
    sec.get_by_role("link", name="Attendance", exact=True).click()
    sec.wait_for_url(re.compile(r"/attendance/$"))
    for day, status in zip(days, ("present", "late", "present"), strict=True):
        sec.get_by_label(f"Nguyen Thi Lan, {day.isoformat()}", exact=True).select_option(status)
    sec.get_by_role("button", name="Save the attendance").click()
    sec.wait_for_url(re.compile(r"/attendance/$"))
    message(sec, "3 attendance record(s) saved.")
    screenshot(sec, "network-training-attendance")
    assert dict(AttendanceRecord.objects.filter(nomination=nomination).values_list("day", "status")) == {
        days[0]: "present",
        days[1]: "late",
        days[2]: "present",
    }

    sec.get_by_role("link", name="Back to the session").click()
    sec.get_by_role("link", name="Pre- and post-test scores").click()
    sec.wait_for_url(re.compile(r"/scores/$"))
    sec.get_by_label("Nguyen Thi Lan: Pre-test", exact=True).fill("45")
    sec.get_by_label("Nguyen Thi Lan: Post-test", exact=True).fill("82.5")
    sec.get_by_role("button", name="Save the scores").click()
    sec.wait_for_url(re.compile(r"/scores/$"))
    message(sec, "2 test score(s) saved.")
    scores = dict(AssessmentScore.objects.filter(nomination=nomination).values_list("kind", "score"))
    assert {kind: float(score) for kind, score in scores.items()} == {"pre": 45.0, "post": 82.5}

    # 5. The certificate is issued with the name as it is today, and its PDF downloaded.
    sec.get_by_role("link", name="Back to the session").click()
    sec.get_by_role("button", name="Issue the certificate of Nguyen Thi Lan").click()
    sec.wait_for_url(re.compile(rf"/sessions/{session.pk}/$"))
    certificate = Certificate.objects.get(nomination=nomination)
    message(sec, f"Certificate {certificate.code} was issued to Nguyen Thi Lan.")
    assert certificate.name_at_issue == "Nguyen Thi Lan"
    row = sec.locator(f"#nomination-{nomination.pk}")
    expect(row).to_contain_text("82.50/100")
    expect(row).to_contain_text(certificate.code)
    with sec.expect_download() as download_info:
        row.get_by_role("link", name="PDF (English)").click()
    pdf = download_info.value
    assert Path(pdf.path()).read_bytes().startswith(b"%PDF")
    screenshot(sec, "network-training-session")
    found["session"] = blocking_violations(sec)

    # 6. Anyone, signed out, checks the code at the address printed on the certificate.
    public_context, public = context_page(browser, live_server)
    public.goto(base + f"/verify/{certificate.code}")
    public.wait_for_url(re.compile(rf"/ja/verify/{certificate.code}$"))
    expect(public.locator("#verify-answer")).to_contain_text("Nguyen Thi Lan")
    expect(public.locator("#verify-answer")).to_contain_text(certificate.code)
    public.goto(base + path("network_verify:verify-form", "en"))
    field(public, "Verification code").fill(certificate.code.replace("-", "").lower())
    public.get_by_role("button", name="Check").click()
    public.wait_for_url(re.compile(rf"/en/verify/{certificate.code}$"))
    answer = public.locator("#verify-answer")
    expect(answer).to_contain_text("Valid certificate")
    expect(answer).to_contain_text("Nguyen Thi Lan")
    expect(answer).to_contain_text("Air quality monitoring")
    expect(public.get_by_text("lan@monre.example.vn")).to_have_count(0)
    screenshot(public, "network-training-verify-valid")
    found["verify"] = blocking_violations(public)

    public.goto(base + path("network_verify:verify", "en", "ABCD-EFGH-JKLM"))
    expect(public.locator("#verify-answer")).to_contain_text("Unknown code")
    screenshot(public, "network-training-verify-unknown")

    public_context.close()
    fp_context.close()
    sec_context.close()
    assert not {k: v for k, v in found.items() if v}, found
