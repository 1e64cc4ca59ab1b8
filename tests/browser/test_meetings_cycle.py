"""The meetings module in a real browser: one meeting from its creation to the follow-up of its action item.

The secretariat creates the meeting, a focal point registers their delegation
and the secretariat approves it, the agenda and a public document are added,
an action plan is recorded, split, classified and adopted; the next meeting of
the series states the item (page and PDF), the focal point reports on it and
closes it. Also axe-core on the meeting page, the status page and the public
meeting page, in ja and en.
"""

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from cleanasia.accounts.models import Role
from cleanasia.meetings.models import (
    ActionStatus,
    AgendaItem,
    Delegation,
    DelegationState,
    Document,
    DocumentType,
    Element,
    ElementUpdate,
    Meeting,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
)
from tests.factories import CountryFactory, user_with_role
from tests.meetings.factories import make_group, make_series

from .conftest import DESKTOP, SCREENSHOTS, blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE_PDF = Path(__file__).resolve().parents[1] / "meetings" / "files" / "sample.pdf"
ZONE = "Asia/Ho_Chi_Minh"

OUTCOME_TEXT_EN = """1. The ministers welcome the progress made under the Clean Asia partnership.
2. The ministers request:
(a) each participating country to publish a national air-quality monitoring plan;
(b) the secretariat to compile the plans for the next meeting."""
OUTCOME_TEXT_JA = """1. 閣僚は、クリーンアジア・パートナーシップの進展を歓迎する。
2. 閣僚は、次のことを要請する。
(a) 各参加国が国家大気質モニタリング計画を公表すること。
(b) 事務局が次回会合までに各国の計画を取りまとめること。"""


def path(name, lang, *args, query=""):
    with translation.override(lang):
        found = reverse(name, args=args or None)
    return f"{found}?{query}" if query else found


def local(day: dt.date, hour: int) -> str:
    """The value of a datetime-local input: a day and an hour at the venue."""
    return f"{day.isoformat()}T{hour:02d}:00"


def field(scope, label):
    """The form control labelled exactly `label` (the label of a required field ends with "required")."""
    return scope.get_by_label(re.compile("^" + re.escape(label) + "(required)?$"))


def message(page, text):
    """The flash message after a redirect."""
    expect(page.get_by_text(text).first).to_be_visible()


def test_a_meeting_is_created_attended_decided_and_followed_up(browser, live_server, sign_in_as, screenshot):
    group = make_group("CAGRP", members=("JP", "VN", "TH"))
    for code in ("JP", "VN", "TH"):
        CountryFactory(code=code)
    series = make_series(
        "CAEM",
        group=group,
        title_en="Clean Asia Environment Ministers' Meeting",
        title_ja="クリーンアジア環境大臣会合",
    )
    secretariat = user_with_role(Role.SECRETARIAT, full_name="Sato Secretariat")
    focal = user_with_role(Role.FOCAL_POINT, country="VN", full_name="Nguyen Focal")
    base = live_server.url
    today = timezone.localdate()
    held_on = today - dt.timedelta(days=14)  # the first meeting has been held; its follow-up is ahead
    next_on = today + dt.timedelta(days=60)
    due_on = today + dt.timedelta(days=120)
    found = {}

    sec_context = browser.new_context(viewport=DESKTOP, locale="ja-JP", timezone_id="Asia/Tokyo")
    sec = sec_context.new_page()
    sec.set_default_timeout(30_000)
    sign_in_as(sec, secretariat)
    fp_context = browser.new_context(viewport=DESKTOP, locale="ja-JP", timezone_id="Asia/Tokyo")
    fp = fp_context.new_page()
    fp.set_default_timeout(30_000)
    sign_in_as(fp, focal)

    # 1. The secretariat creates the first meeting; the invited countries default to the series' group.
    sec.goto(base + path("meetings:meeting-create", "en"))
    field(sec, "Series").select_option(str(series.pk))
    field(sec, "Number in the series").fill("1")
    field(sec, "Title (Japanese)").fill("第1回クリーンアジア環境大臣会合")
    field(sec, "Title (English)").fill("1st Clean Asia Environment Ministers' Meeting")
    field(sec, "Time zone of the venue").fill(ZONE)
    field(sec, "Starts").fill(local(held_on, 9))
    field(sec, "Ends").fill(local(held_on + dt.timedelta(days=1), 17))
    field(sec, "Venue (English)").fill("National Convention Center")
    field(sec, "City (English)").fill("Hanoi")
    field(sec, "Who may see the meeting").select_option("public")
    sec.get_by_role("button", name="Create the meeting").click()
    sec.wait_for_url(re.compile(r"/en/staff/meetings/\d+/$"))
    message(sec, "The meeting was created.")
    meeting = Meeting.objects.get(series=series, ordinal=1)
    assert sec.url == base + path("meetings:meeting-detail", "en", meeting.pk)
    expect(sec.get_by_role("heading", level=1)).to_contain_text("1st Clean Asia Environment Ministers' Meeting")
    invited = sec.locator("section[aria-labelledby=invited-heading]")
    expect(invited.get_by_role("heading", name="3 countries")).to_be_visible()
    for name in ("Japan (JP)", "Viet Nam (VN)", "Thailand (TH)"):
        expect(invited.get_by_text(name)).to_be_visible()
    assert set(meeting.invited_countries.values_list("code", flat=True)) == {"JP", "VN", "TH"}
    assert meeting.visibility == "public"
    assert timezone.localtime(meeting.starts_at, dt.timezone(dt.timedelta(hours=7))).hour == 9

    # 2. The focal point of Viet Nam registers the delegation (a head and a delegate) and submits it.
    fp.goto(base + path("meetings:meeting-detail", "en", meeting.pk))
    fp.get_by_role("link", name="Register the delegation of Viet Nam").click()
    fp.wait_for_url(re.compile(r"/delegations/register/VN/$"))
    fp.get_by_role("button", name="Start the registration").click()
    fp.wait_for_url(re.compile(r"/en/staff/meetings/delegations/\d+/$"))
    rows = fp.locator("fieldset.participant")
    people = [
        ("head", "H.E.", "Van Minh", "Tran", "Minister of Natural Resources and Environment"),
        ("delegate", "Ms", "Thi Lan", "Le", "Director, Department of Environmental Quality"),
    ]
    for index, (role, honorific, given, family, title) in enumerate(people):
        row = rows.nth(index)
        field(row, "Role").select_option(role)
        field(row, "Honorific").fill(honorific)
        field(row, "Given name").fill(given)
        field(row, "Family name").fill(family)
        field(row, "Title").fill(title)
        field(row, "Organisation, if not in the list").fill("Ministry of Natural Resources and Environment")
        field(row, "E-mail").fill(f"{family.lower()}@monre.example.vn")
    fp.get_by_role("button", name="Submit to the secretariat").click()
    fp.wait_for_url(re.compile(r"/en/staff/meetings/delegations/\d+/$"))
    message(fp, "The registration was submitted to the secretariat.")
    delegation = Delegation.objects.get(meeting=meeting, country="VN")
    assert delegation.state == DelegationState.SUBMITTED
    assert sorted(delegation.participants.values_list("role", flat=True)) == ["delegate", "head"]

    # ... and the secretariat approves it from the review list.
    sec.goto(base + path("meetings:delegation-list", "en", meeting.pk))
    sec.get_by_role("button", name="Approve Viet Nam").click()
    sec.wait_for_url(re.compile(rf"/en/staff/meetings/{meeting.pk}/delegations/$"))
    message(sec, "The registration was approved; the focal point is told by e-mail.")
    delegation.refresh_from_db()
    assert delegation.state == DelegationState.APPROVED
    fp.goto(base + path("meetings:delegation-edit", "en", delegation.pk))
    expect(fp.get_by_text("This registration is approved.")).to_be_visible()
    expect(fp.get_by_role("cell", name="Minister of Natural Resources and Environment")).to_be_visible()

    # 3. The secretariat builds the agenda and issues a document for everyone (with a real PDF).
    sec.goto(base + path("meetings:meeting-detail", "en", meeting.pk))
    sec.get_by_role("link", name="Edit the agenda").click()
    sec.wait_for_url(re.compile(r"/agenda/edit/$"))
    for number, title_en, title_ja in (
        ("1", "Opening of the meeting", "開会"),
        ("2", "Air quality management in Asia", "アジアにおける大気質管理"),
    ):
        sec.locator("#id_number").fill(number)
        field(sec, "Title (Japanese)").fill(title_ja)
        field(sec, "Title (English)").fill(title_en)
        sec.get_by_role("button", name="Add the item").click()
        sec.wait_for_url(re.compile(r"/agenda/edit/$"))
        message(sec, "The item was added to the agenda.")
        expect(sec.locator("#agenda-caption").locator("xpath=..").get_by_text(title_en)).to_be_visible()
    assert list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("number", flat=True)) == [
        "1",
        "2",
    ]

    sec.goto(base + path("meetings:meeting-detail", "en", meeting.pk))
    sec.locator("section.meeting-section--documents").get_by_role("link", name="Issue a document").click()
    sec.wait_for_url(re.compile(r"/documents/new/$"))
    sec.locator("#id_doc_type").select_option(DocumentType.WORKING_PAPER)
    field(sec, "Title (English)").fill("Air quality monitoring in the region")
    field(sec, "Title (Japanese)").fill("地域における大気質モニタリング")
    field(sec, "Distribution").select_option("general")
    field(sec, "First language version (file)").set_input_files(str(SAMPLE_PDF))
    field(sec, "Language of the file").select_option("en")
    sec.get_by_role("button", name="Issue the document").click()
    sec.wait_for_url(re.compile(r"/en/staff/meetings/documents/\d+/$"))
    document = Document.objects.get(meeting=meeting, doc_type=DocumentType.WORKING_PAPER)
    message(sec, f"{document.symbol} was issued.")
    assert document.symbol == "CAEM/1/WP.1"
    assert document.distribution == "general"
    assert list(document.files.values_list("language", flat=True)) == ["en"]
    expect(sec.get_by_role("cell", name=re.compile(r"sample\.pdf"))).to_be_visible()

    # 4. An action plan: recorded, split into elements, one classified as an action item for Viet Nam, adopted.
    sec.goto(base + path("meetings:meeting-detail", "en", meeting.pk))
    sec.get_by_role("link", name="Record an outcome").click()
    sec.wait_for_url(re.compile(r"/outcomes/meeting/\d+/new/$"))
    field(sec, "Kind").select_option(OutcomeKind.ACTION_PLAN)
    field(sec, "Title (Japanese)").fill("ハノイ大気質行動計画")
    field(sec, "Title (English)").fill("Hanoi Action Plan on Air Quality")
    field(sec, "Text (Japanese)").fill(OUTCOME_TEXT_JA)
    field(sec, "Text (English)").fill(OUTCOME_TEXT_EN)
    field(sec, "Visibility").select_option("public")
    sec.get_by_role("button", name="Save").click()
    sec.wait_for_url(re.compile(r"/en/staff/meetings/outcomes/\d+/$"))
    outcome = Outcome.objects.get(meeting=meeting)
    assert outcome.code == "CAEM/1/AP"
    message(sec, "The outcome CAEM/1/AP was recorded as a draft.")
    sec.get_by_role("button", name="Split the text into elements").click()
    sec.wait_for_url(re.compile(rf"/outcomes/{outcome.pk}/$"))
    message(sec, "The text was split into 4 elements.")
    assert list(Element.objects.filter(outcome=outcome).order_by("position").values_list("code", flat=True)) == [
        "CAEM/1/AP.01",
        "CAEM/1/AP.02",
        "CAEM/1/AP.02.a",
        "CAEM/1/AP.02.b",
    ]
    item_code = "CAEM/1/AP.02.a"
    sec.get_by_role("link", name=item_code, exact=True).click()
    sec.wait_for_url(re.compile(r"/en/staff/meetings/elements/\d+/$"))
    element = Element.objects.get(code=item_code)
    sec.get_by_role("link", name="Classify (addressees, due date, links)").click()
    sec.wait_for_url(re.compile(rf"/elements/{element.pk}/classify/$"))
    field(sec, "Operational (asks someone to act)").check()
    field(sec, "Action item (followed up from meeting to meeting)").check()
    field(sec, "Due").fill(due_on.isoformat())
    field(sec, "Addressed to").select_option("countries")
    field(sec, "Countries addressed").select_option(["VN"])
    sec.get_by_role("button", name="Save").click()
    sec.wait_for_url(re.compile(rf"/elements/{element.pk}/$"))
    message(sec, f"The element {item_code} was saved.")
    element.refresh_from_db()
    assert element.is_action_item
    assert element.is_operational
    assert element.due_on == due_on
    assert list(element.addressed_countries.values_list("code", flat=True)) == ["VN"]
    assert element.status == ActionStatus.NOT_STARTED

    sec.goto(base + path("meetings:outcome-detail", "en", outcome.pk))
    sec.get_by_role("button", name="Adopt the outcome").click()
    sec.wait_for_url(re.compile(rf"/outcomes/{outcome.pk}/$"))
    message(sec, "The outcome was adopted; its text can no longer change.")
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.ADOPTED
    assert outcome.adopted_on == held_on
    items = sec.locator("#items-caption").locator("xpath=ancestor::table")
    expect(items.get_by_role("link", name=item_code)).to_be_visible()
    expect(items.get_by_text("Viet Nam")).to_be_visible()

    # 5. The next meeting of the series (from the series page) states the open item: page, document, PDF.
    sec.goto(base + path("meetings:series-detail", "en", series.pk))
    sec.get_by_role("link", name="New meeting of this series").click()
    sec.wait_for_url(re.compile(r"/en/staff/meetings/new/\?series=\d+$"))
    expect(field(sec, "Number in the series")).to_have_value("2")
    field(sec, "Title (Japanese)").fill("第2回クリーンアジア環境大臣会合")
    field(sec, "Title (English)").fill("2nd Clean Asia Environment Ministers' Meeting")
    field(sec, "Time zone of the venue").fill("Asia/Bangkok")
    field(sec, "Starts").fill(local(next_on, 9))
    field(sec, "Ends").fill(local(next_on + dt.timedelta(days=1), 17))
    sec.get_by_role("button", name="Create the meeting").click()
    sec.wait_for_url(re.compile(r"/en/staff/meetings/\d+/$"))
    message(sec, "The meeting was created.")
    follow_up = Meeting.objects.get(series=series, ordinal=2)
    assert follow_up.visibility == "public"  # from the series, as the form proposed
    outcomes_section = sec.locator("section.meeting-section--outcomes")
    expect(outcomes_section).to_contain_text("This meeting follows up 1 open action item of earlier meetings")
    outcomes_section.get_by_role("link", name="Status of action items", exact=True).click()
    sec.wait_for_url(re.compile(rf"/action-status/{follow_up.pk}/$"))
    open_items = sec.locator("section[aria-labelledby=open-heading]")
    expect(open_items.get_by_role("link", name=item_code)).to_be_visible()
    expect(open_items.get_by_text("Named countries: Viet Nam")).to_be_visible()
    sec.get_by_role("button", name="Issue as a meeting document").click()
    sec.wait_for_url(re.compile(rf"/action-status/{follow_up.pk}/$"))
    status_document = Document.objects.get(meeting=follow_up, doc_type=DocumentType.ACTION_STATUS)
    message(sec, f"The status of action items was issued as {status_document.symbol}.")
    assert sorted(status_document.files.values_list("language", flat=True)) == ["en", "ja"]
    screenshot(sec, "meetings-action-status")

    pdf_link = sec.get_by_role("link", name="PDF (English)")
    response = sec.context.request.get(base + pdf_link.get_attribute("href"))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        png = SCREENSHOTS / "meetings-action-status-page1.png"
        command = [shutil.which("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "-"]
        subprocess.run([*command, str(png.with_suffix(""))], input=pdf, check=True)  # noqa: S603 - fixed command
        assert png.read_bytes().startswith(b"\x89PNG")
    if shutil.which("pdftotext"):
        text = subprocess.run(  # noqa: S603 - fixed command
            [shutil.which("pdftotext"), "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert item_code in text

    # 6. The focal point reports progress from "action items for my country", then closes the item.
    fp.goto(base + path("meetings:my-action-items", "en"))
    article = fp.locator(f"article#item-{element.pk}")
    expect(article.get_by_role("link", name=item_code)).to_be_visible()
    article.get_by_text(f"Update {item_code}").click()
    form = article.locator("form.update-form")
    field(form, "Status").select_option(ActionStatus.IN_PROGRESS)
    field(form, "Update").fill("A draft monitoring plan is in public consultation.")
    form.get_by_role("button", name="Record the update").click()
    fp.wait_for_url(re.compile(rf"/action-items/mine/#item-{element.pk}$"))
    message(fp, f"Your update on {item_code} was recorded.")
    element.refresh_from_db()
    assert element.status == ActionStatus.IN_PROGRESS
    expect(article).to_contain_text("A draft monitoring plan is in public consultation.")

    fp.goto(base + path("meetings:element-detail", "en", element.pk))
    form = fp.locator("form.update-form")
    field(form, "Status").select_option(ActionStatus.COMPLETED)
    field(form, "Update").fill("The national monitoring plan was published in March.")
    form.get_by_role("button", name="Record the update").click()
    fp.wait_for_url(re.compile(rf"/elements/{element.pk}/$"))
    message(fp, f"Your update on {item_code} was recorded.")
    element.refresh_from_db()
    assert element.status == ActionStatus.COMPLETED
    assert element.closed_on == timezone.localdate()
    updates = list(ElementUpdate.objects.filter(element=element).order_by("recorded_at"))
    assert [(u.status, u.country_id, u.meeting_id) for u in updates] == [
        (ActionStatus.IN_PROGRESS, "VN", follow_up.pk),
        (ActionStatus.COMPLETED, "VN", follow_up.pk),
    ]
    history = fp.locator("#updates-caption").locator("xpath=ancestor::table").locator("tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("In progress")
    expect(history.nth(0)).to_contain_text("A draft monitoring plan is in public consultation.")
    expect(history.nth(1)).to_contain_text("Completed")
    expect(history.nth(1)).to_contain_text("The national monitoring plan was published in March.")
    expect(history.nth(1)).to_contain_text("CAEM/2")
    details = fp.locator("dl.details")
    expect(details).to_contain_text("Completed")
    expect(details).to_contain_text("closed on")
    expect(fp.locator("#element-history-caption")).to_be_visible()

    # The secretariat's status page now lists it as closed since the previous meeting.
    sec.goto(base + path("meetings:action-status", "en", follow_up.pk))
    closed = sec.locator("section[aria-labelledby=closed-heading]")
    expect(closed.get_by_role("link", name=item_code)).to_be_visible()
    expect(closed).to_contain_text("Completed")
    screenshot(sec, "meetings-action-status-closed")

    # 7. Screenshots and accessibility: the meeting page, the status page, the public meeting page (signed out).
    public_context = browser.new_context(viewport=DESKTOP, locale="ja-JP", timezone_id="Asia/Tokyo")
    public = public_context.new_page()
    public.set_default_timeout(30_000)
    for lang in ("ja", "en"):
        pages = {
            "meeting": (sec, path("meetings:meeting-detail", lang, meeting.pk)),
            "action status": (sec, path("meetings:action-status", lang, follow_up.pk)),
            "public meeting": (public, path("meetings_public:meeting-detail", lang, meeting.pk)),
        }
        for name, (page, target) in pages.items():
            page.goto(base + target)
            assert page.locator("html").get_attribute("lang") == lang
            found[f"{lang} {name}"] = blocking_violations(page)
            if name == "meeting":
                screenshot(page, f"meetings-meeting-page-{lang}")
    expect(public.get_by_role("heading", level=1)).to_contain_text("1st Clean Asia Environment Ministers' Meeting")
    expect(public.get_by_text("Air quality management in Asia")).to_be_visible()
    expect(public.get_by_text("Viet Nam (VN)")).to_be_visible()
    public_context.close()
    sec_context.close()
    fp_context.close()
    assert not {k: v for k, v in found.items() if v}, found
