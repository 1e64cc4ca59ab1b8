"""Demonstration data of the meetings module: eight invented series and `scale` years of their meetings.

The series (codes DEMO-…, so they never clash with the reference series) follow
the real pattern: the EAS environment ministers' meeting (September) and its
senior officials' meeting (June), four working groups meeting each quarter
(March, June, September, December) that follow up the ministers' meeting, and
the Japan–ASEAN environment dialogue (July) and ministers' meeting (October),
the dialogue following up the ministers' meeting. EAS meetings are hosted by
the ASEAN chair of the year (alphabetical rotation), in its capital or a large
city; 2020–2021 meetings are online.

Per unit of scale, one year of meetings, the last year being 2026 (the data is
dated as of 29 November 2026 so that two databases seeded alike are the same):

* 20 meetings (4 of them, the working groups' December meetings of 2026, upcoming),
  mostly public (a few for signed-in members or the secretariat only);
  a delegation per invited country (members of the series' group on the date; a
  few upcoming ones not registered yet), 1 to 4 participants each with invented
  names, ~10 agenda items and ~9 documents (metadata, no files) with UN-style
  symbols, a few revised (/Rev.1, replacing the original) or corrected (/Corr.1);
* per held meeting a chair's summary or joint statement split into 7 paragraphs
  (a few with sub-items) and an action plan; 1,000 action items in all, spread
  evenly over the held meetings, each with exactly 5 updates (5,000 in all) given
  before the follow-up meetings (the series' own and those of the series that
  follow it up); the last update sets the item's status.

`--scale 20`: 400 meetings over 2007–2026, 20,000 action items, 100,000 updates
(about 6,800 delegations, 17,000 participants, 3,600 documents, 23,000 elements).
Participants of meetings that ended more than the series' retention period ago
are stored as the purge leaves them (role and country only).

Series, meetings, agenda items, documents and outcomes go in with
`bulk_create_with_history` (their creation is in their history); delegations,
elements, participants and updates without history rows (140,000 rows whose
history would double the loading time), the largest as plain rows
(`_insert_plain`: executemany on SQLite, COPY on PostgreSQL). The search index of the new rows is built at the end,
in bulk. Seeding at scale 20 takes about a minute and a half on SQLite.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import unicodedata
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import connection, models
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cleanasia.core import cache
from cleanasia.core import search as core_search
from cleanasia.core.context import current_request_id
from cleanasia.core.demo import DemoDataError, register
from cleanasia.core.models import Visibility

from . import search as search_registrations
from .apps import CACHE_NAMESPACE
from .models import (
    ActionStatus,
    Addressee,
    AgendaItem,
    Delegation,
    DelegationState,
    Distribution,
    Document,
    DocumentType,
    Element,
    ElementKind,
    ElementUpdate,
    Meeting,
    MeetingFormat,
    MeetingLevel,
    MeetingSeries,
    MeetingStatus,
    MinutesState,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
    Participant,
    ParticipantRole,
    SuffixKind,
)

TODAY = dt.date(2026, 11, 29)
LAST_YEAR = 2026
MEETINGS_PER_YEAR = 20
ACTION_ITEMS_PER_SCALE = 1000
UPDATES_PER_ITEM = 5
BATCH = 2000
ACTION = "meetings.demo.generated"
SOURCE = "Demonstration data: invented by `cleanasia seed_demo`, not a real record."
PARTICIPANT_MAIL_DOMAIN = "participants.demo.cleanasia.invalid"

# ASEAN chairs rotate in the alphabetical order of the members' English names.
ASEAN_CHAIR_ORDER = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"]
TIME_ZONES = {
    "JP": "Asia/Tokyo", "VN": "Asia/Ho_Chi_Minh", "TH": "Asia/Bangkok", "ID": "Asia/Jakarta",
    "MY": "Asia/Kuala_Lumpur", "PH": "Asia/Manila", "SG": "Asia/Singapore", "BN": "Asia/Brunei",
    "KH": "Asia/Phnom_Penh", "LA": "Asia/Vientiane", "MM": "Asia/Yangon", "TL": "Asia/Dili",
    "CN": "Asia/Shanghai", "KR": "Asia/Seoul", "IN": "Asia/Kolkata", "AU": "Australia/Sydney",
    "NZ": "Pacific/Auckland", "US": "America/New_York", "RU": "Europe/Moscow",
}  # fmt: skip


@dataclass(frozen=True)
class SeriesSpec:
    code: str
    level: str
    group: str
    extra: tuple[str, ...]
    title_ja: str
    title_en: str
    short_ja: str
    short_en: str
    months: tuple[int, ...]
    days: int
    themes: tuple[int, ...]
    follows_up: tuple[str, ...] = ()


# Theme indexes refer to THEMES.
SERIES = [
    SeriesSpec("DEMO-EMM", MeetingLevel.MINISTERIAL, "eas", (), "東アジア首脳会議環境大臣会合",
               "East Asia Summit Environment Ministers' Meeting", "EAS環境大臣会合", "EAS EMM", (9,), 2,
               (0, 1, 2, 3, 4, 5)),
    SeriesSpec("DEMO-SOM", MeetingLevel.SENIOR, "eas", (), "東アジア首脳会議環境大臣会合高級実務者会合",
               "Senior Officials' Meeting on the EAS Environment Ministers' Meeting", "EAS高級実務者会合", "EAS SOM",
               (6,), 2, (0, 1, 2, 3, 4, 5), ("DEMO-EMM",)),
    SeriesSpec("DEMO-WG-AIR", MeetingLevel.WORKING, "eas", (), "大気環境作業部会", "Working Group on Air Quality",
               "大気WG", "Air WG", (3, 6, 9, 12), 1, (0, 5), ("DEMO-EMM",)),
    SeriesSpec("DEMO-WG-WASTE", MeetingLevel.WORKING, "eas", (), "廃棄物・資源循環作業部会",
               "Working Group on Waste and Resource Circulation", "廃棄物WG", "Waste WG", (3, 6, 9, 12), 1, (1, 6),
               ("DEMO-EMM",)),
    SeriesSpec("DEMO-WG-MARINE", MeetingLevel.WORKING, "eas", (), "海洋ごみ作業部会", "Working Group on Marine Litter",
               "海洋ごみWG", "Marine WG", (3, 6, 9, 12), 1, (2, 7), ("DEMO-EMM",)),
    SeriesSpec("DEMO-WG-CLIMATE", MeetingLevel.WORKING, "eas", (), "脱炭素・気候変動作業部会",
               "Working Group on Decarbonisation and Climate Change", "気候WG", "Climate WG", (3, 6, 9, 12), 1,
               (3, 4), ("DEMO-EMM",)),
    SeriesSpec("DEMO-JAEMM", MeetingLevel.MINISTERIAL, "asean", ("JP",), "日ASEAN環境大臣会合",
               "Japan–ASEAN Environment Ministers' Meeting", "日ASEAN環境大臣会合", "Japan–ASEAN EMM", (10,), 1,
               (0, 1, 2, 3, 4, 5, 6, 7)),
    SeriesSpec("DEMO-JAED", MeetingLevel.SENIOR, "asean", ("JP",), "日ASEAN環境対話",
               "Japan–ASEAN Environment Dialogue", "日ASEAN環境対話", "Japan–ASEAN Dialogue", (7,), 1,
               (0, 1, 2, 3, 4, 5, 6, 7), ("DEMO-JAEMM",)),
]  # fmt: skip
assert sum(len(s.months) for s in SERIES) == MEETINGS_PER_YEAR

THEMES = [
    ("大気汚染対策", "air pollution control"),
    ("廃棄物管理と循環経済", "waste management and the circular economy"),
    ("海洋プラスチックごみ対策", "marine plastic litter"),
    ("脱炭素都市づくり", "decarbonised cities"),
    ("コベネフィット型気候変動対策", "co-benefit climate action"),
    ("環境モニタリング", "environmental monitoring"),
    ("化学物質管理", "chemicals management"),
    ("水環境管理", "water environment management"),
]
PLACES = [
    ("東南アジア", "South-East Asia"),
    ("メコン地域", "the Mekong region"),
    ("ASEAN諸国", "ASEAN countries"),
    ("東アジア", "East Asia"),
    ("島嶼国", "island states"),
]
ACTIONS = [
    ("地域ワークショップを開催する", "organise a regional workshop"),
    ("進捗報告書を作成する", "prepare a progress report"),
    ("技術ガイドラインを策定する", "draft technical guidelines"),
    ("モニタリングデータを共有する", "share monitoring data"),
    ("能力構築研修を実施する", "hold a capacity-building training"),
    ("共同調査を実施する", "conduct a joint survey"),
    ("政策対話を開催する", "convene a policy dialogue"),
    ("好事例集を取りまとめる", "compile good practices"),
    ("行動計画の改定案を作成する", "propose a revision of the action plan"),
    ("国別報告書を提出する", "submit a national report"),
]
ACTORS = {
    Addressee.SECRETARIAT: ("事務局", "The secretariat"),
    Addressee.ALL_PARTICIPANTS: ("参加国", "Participating countries"),
    Addressee.WORKING_GROUP: ("作業部会", "The working group"),
    Addressee.ORGANISATIONS: ("パートナー機関", "Partner organisations"),
}
PARAGRAPHS = [
    ("{who}は、{place}における{theme}の進展を歓迎した。",
     "{who_en} welcomed the progress of {theme_en} in {place_en}."),
    ("{who}は、{theme}に関する地域協力の重要性を再確認した。",
     "{who_en} reaffirmed the importance of regional cooperation on {theme_en}."),
    ("{who}は、{place}における{theme}の課題について意見交換を行った。",
     "{who_en} exchanged views on the challenges of {theme_en} in {place_en}."),
    ("{who}は、{theme}に関する共同研究の成果に留意した。",
     "{who_en} took note of the results of joint research on {theme_en}."),
    ("{who}は、{theme}の分野で各国が経験を共有することを奨励した。",
     "{who_en} encouraged countries to share their experience in {theme_en}."),
]  # fmt: skip
NOTES = {
    ActionStatus.NOT_STARTED: ("準備中。", "Preparations have not started yet."),
    ActionStatus.IN_PROGRESS: (
        "実施中。関係機関と調整している。",
        "Under way; coordinating with the agencies concerned.",
    ),
    ActionStatus.COMPLETED: ("完了した。成果は会合資料として配布済み。", "Completed; the results were circulated."),
    ActionStatus.DROPPED: ("状況の変化により中止した。", "Dropped as circumstances changed."),
}
VENUES = [
    ("国際会議センター", "International Convention Centre"),
    ("国立会議場", "National Convention Hall"),
    ("環境省会議室", "Ministry of Environment, Conference Room"),
    ("グランドホテル", "Grand Hotel"),
]
MINISTRIES = [
    ("{country}環境省", "Ministry of Environment, {country}"),
    ("{country}天然資源環境省", "Ministry of Natural Resources and Environment, {country}"),
    ("{country}環境庁", "Environment Agency, {country}"),
]
HEAD_TITLES = {
    MeetingLevel.MINISTERIAL: "Minister of Environment",
    MeetingLevel.SENIOR: "Director-General",
    MeetingLevel.WORKING: "Director",
}
MEMBER_TITLES = ["Deputy Director", "Senior Officer", "Programme Officer", "Technical Officer", "Adviser"]
MEETING_VISIBILITY = {Visibility.PUBLIC: 17, Visibility.MEMBERS: 2, Visibility.SECRETARIAT: 1}


def _ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _bulk(model: type[models.Model], objs: list[Any], *, history: bool = True) -> list[Any]:
    if not objs:
        return []
    if not history:
        return model._default_manager.bulk_create(objs, batch_size=BATCH)
    return bulk_create_with_history(
        objs,
        model,
        batch_size=BATCH,
        custom_historical_attrs={"action_code": ACTION, "request_id": current_request_id()},
    )


# Values the database drivers take as they are; other types (dates, JSON…) are prepared by their field.
_PLAIN_TYPES = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "EmailField", "IntegerField",
    "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SlugField", "SmallIntegerField",
    "TextField", "URLField",
}  # fmt: skip


def _insert_plain(model: type[models.Model], rows: list[dict[str, Any]]) -> int:
    """Insert `rows` (dicts of field attnames) with `core.search.insert_rows`: for large tables nothing refers to.

    bulk_create prepares every value of every row through its field, which is
    most of the time at 100,000 rows; here only the values that need it are.
    Fields a row does not name take their defaults, as with bulk_create, so a
    field added to the model later with a default is filled too.
    """
    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    unknown = set().union(*rows) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{model._meta.label} has no field {', '.join(sorted(unknown))}")
    now = timezone.now()
    preparers = []
    for f in fields:
        kind = (f.target_field if f.is_relation else f).get_internal_type()
        preparers.append(None if kind in _PLAIN_TYPES else f)
    # Defaults, prepared once (timestamps: now).
    defaults = {}
    for f, preparer in zip(fields, preparers, strict=True):
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        defaults[f.attname] = (
            value if preparer is None or value is None else preparer.get_db_prep_save(value, connection)
        )
    values = []
    for row in rows:
        line = []
        for f, preparer in zip(fields, preparers, strict=True):
            if f.attname not in row:
                line.append(defaults[f.attname])
                continue
            value = row[f.attname]
            line.append(value if preparer is None or value is None else preparer.get_db_prep_save(value, connection))
        values.append(tuple(line))
    core_search.insert_rows(model, [f.attname for f in fields], values)
    return len(rows)


def _at(day: dt.date, hour: int, zone: str) -> dt.datetime:
    """`hour` o'clock on `day` in `zone`, as an aware UTC datetime."""
    local = dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(dt.UTC)


# --- reference data --------------------------------------------------------------------


@dataclass
class World:
    """What the generator reads from the database (in a fixed order)."""

    countries: dict[str, Any]
    memberships: dict[str, list[tuple[str, dt.date, dt.date | None]]]
    names: dict[str, Any]
    users: dict[str, Any]

    def members(self, spec: SeriesSpec, day: dt.date) -> list[str]:
        codes = {
            code
            for code, joined, left in self.memberships[spec.group]
            if joined <= day and (left is None or left >= day)
        }
        return sorted((codes | set(spec.extra)) & set(self.countries))


def _world() -> World:
    from cleanasia.accounts.demo import demo_email
    from cleanasia.accounts.models import User
    from cleanasia.directory.models import Country, CountryGroup, GroupMembership
    from cleanasia.directory.reference import read_data

    groups = {spec.group for spec in SERIES}
    if CountryGroup.objects.filter(code__in=groups).count() != len(groups):
        raise DemoDataError("The country groups (EAS, ASEAN) are missing: run `cleanasia load_reference` first.")
    memberships: dict[str, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
    for group, country, joined, left in (
        GroupMembership.objects.filter(group__code__in=groups)
        .order_by("group__code", "country_id", "joined_on")
        .values_list("group__code", "country_id", "joined_on", "left_on")
    ):
        memberships[group].append((country, joined, left))
    countries = {c.code: c for c in Country.objects.filter(code__in=TIME_ZONES).order_by("code")}
    if len(countries) != len(TIME_ZONES):
        raise DemoDataError("Countries are missing: run `cleanasia load_reference` first.")
    by_email = {u.email: u for u in User.objects.filter(is_demo=True).order_by("email")}
    users = {local: by_email.get(demo_email(local)) for local in ("secretariat", "focal-point-vn", "focal-point-th")}
    return World(
        countries=countries,
        memberships=memberships,
        names=read_data("demo_names.json"),
        users={local: user for local, user in users.items() if user is not None},
    )


# --- series and meetings -------------------------------------------------------------------


def _series(world: World) -> dict[str, MeetingSeries]:
    rows = [
        MeetingSeries(
            code=spec.code,
            title_ja=spec.title_ja,
            title_en=spec.title_en,
            short_title_ja=spec.short_ja,
            short_title_en=spec.short_en,
            description_ja=f"{spec.title_ja}のデモデータ（架空の会合）。",
            description_en=f"Invented meetings of a series like the {spec.title_en}, for trying the platform.",
            level=spec.level,
            visibility=Visibility.PUBLIC,
            source=SOURCE,
            is_demo=True,
        )
        for spec in SERIES
    ]
    from cleanasia.directory.models import CountryGroup

    groups = {g.code: g for g in CountryGroup.objects.filter(code__in={s.group for s in SERIES}).order_by("code")}
    for row, spec in zip(rows, SERIES, strict=True):
        row.membership_group = groups[spec.group]
    series = {s.code: s for s in _bulk(MeetingSeries, rows)}
    extra = MeetingSeries.extra_countries.through
    extra.objects.bulk_create(
        [
            extra(meetingseries_id=series[s.code].pk, country_id=c)
            for s in SERIES
            for c in s.extra
            if c in world.countries
        ]
    )
    follows = MeetingSeries.follows_up.through
    follows.objects.bulk_create(
        [
            follows(from_meetingseries_id=series[s.code].pk, to_meetingseries_id=series[target].pk)
            for s in SERIES
            for target in s.follows_up
        ]
    )
    return series


@dataclass
class Planned:
    """A meeting being generated, with what later steps need to know of it."""

    meeting: Meeting
    spec: SeriesSpec
    day: dt.date
    invited: list[str]
    held: bool
    next_held: bool = False  # the series' next meeting is held (so these minutes were adopted there)
    documents: dict[str, Document] = field(default_factory=dict)
    statement: Outcome | None = None
    plan: Outcome | None = None


def _host(spec: SeriesSpec, year: int, rng: random.Random, invited: list[str]) -> str:
    if spec.level == MeetingLevel.WORKING:
        return rng.choice(invited)
    chair = ASEAN_CHAIR_ORDER[year % len(ASEAN_CHAIR_ORDER)]
    return chair if chair in invited else invited[0]


def _meetings(rng: random.Random, scale: int, world: World, series: dict[str, MeetingSeries]) -> list[Planned]:
    first_year = LAST_YEAR - scale + 1
    planned: list[Planned] = []
    for spec in SERIES:
        ordinal = 0
        for year in range(first_year, LAST_YEAR + 1):
            for month in spec.months:
                ordinal += 1
                day = dt.date(year, month, rng.randint(8, 24))
                invited = world.members(spec, day)
                host = _host(spec, year, rng, invited)
                zone = TIME_ZONES[host]
                held = day + dt.timedelta(days=spec.days) <= TODAY
                meeting_format = MeetingFormat.IN_PERSON
                if year in (2020, 2021) and (year, month) >= (2020, 4):
                    meeting_format = MeetingFormat.ONLINE
                elif spec.level == MeetingLevel.WORKING:
                    meeting_format = _pick(
                        rng, {MeetingFormat.IN_PERSON: 5, MeetingFormat.HYBRID: 3, MeetingFormat.ONLINE: 2}
                    )
                city_en, city_ja = rng.choice(world.names["countries"][host]["cities"])
                venue_ja, venue_en = rng.choice(VENUES)
                online = meeting_format == MeetingFormat.ONLINE
                status = MeetingStatus.HELD if held else rng.choice([MeetingStatus.PLANNED, MeetingStatus.CONFIRMED])
                starts_at = _at(day, 9, zone)
                meeting = Meeting(
                    series=series[spec.code],
                    ordinal=ordinal,
                    title_ja=f"第{ordinal}回{spec.title_ja}",
                    title_en=f"{_ordinal_en(ordinal)} {spec.title_en}",
                    starts_at=starts_at,
                    ends_at=_at(day + dt.timedelta(days=spec.days - 1), 17, zone),
                    time_zone=zone,
                    venue_ja="" if online else venue_ja,
                    # A few venues have no Japanese name yet: pages show the fallback marker.
                    venue_en="" if online else f"{venue_en}, {city_en}",
                    city_ja="" if online else city_ja,
                    city_en="" if online else city_en,
                    host_country_id=host,
                    chairs_ja=f"{world.countries[host].name_ja}及び日本" if spec.group == "asean" else "",
                    chairs_en=f"{world.countries[host].name_en} and Japan" if spec.group == "asean" else "",
                    format=meeting_format,
                    status=status,
                    registration_deadline=starts_at - dt.timedelta(days=30),
                    online_url="https://meet.demo.cleanasia.invalid/" + spec.code.lower() if online else "",
                    visibility=_pick(rng, MEETING_VISIBILITY),
                    source=SOURCE,
                    is_demo=True,
                )
                if not online and rng.random() < 0.1:
                    meeting.venue_ja = ""
                if planned and planned[-1].spec == spec:
                    planned[-1].next_held = held
                planned.append(Planned(meeting, spec, day, invited, held))
    planned.sort(key=lambda p: (p.meeting.starts_at, p.spec.code))
    _bulk(Meeting, [p.meeting for p in planned])
    through = Meeting.invited_countries.through
    through.objects.bulk_create(
        [through(meeting_id=p.meeting.pk, country_id=code) for p in planned for code in p.invited], batch_size=BATCH
    )
    return planned


# --- delegations and participants ----------------------------------------------------------------


def _person_name(rng: random.Random, spec: dict[str, Any]) -> tuple[str, str, str]:
    family_en, family_ja = rng.choice(spec["family"])
    given_en, given_ja = rng.choice(spec["given"])
    if spec["order"] == "single":
        return f"{given_en} {family_en}", "", f"{given_ja}{family_ja}"
    first, second = (given_ja, family_ja) if spec["ja_order"] == "given_first" else (family_ja, given_ja)
    return given_en, family_en, f"{first}{spec['ja_sep']}{second}"


def _delegations(
    rng: random.Random, world: World, planned: list[Planned]
) -> tuple[list[Delegation], list[Participant]]:
    secretariat = world.users.get("secretariat")
    focal_points = {"VN": world.users.get("focal-point-vn"), "TH": world.users.get("focal-point-th")}
    delegations: list[Delegation] = []
    people: list[tuple[Delegation, Planned]] = []
    for p in planned:
        for code in p.invited:
            if p.held:
                state = DelegationState.APPROVED if rng.random() < 0.97 else DelegationState.WITHDRAWN
            else:
                state = _pick(
                    rng,
                    {
                        None: 3,
                        DelegationState.DRAFT: 2,
                        DelegationState.SUBMITTED: 3,
                        DelegationState.RETURNED: 1,
                        DelegationState.APPROVED: 4,
                    },
                )
                if state is None:
                    continue  # not registered yet
            submitted = state not in (DelegationState.DRAFT,)
            submitted_at = p.meeting.starts_at - dt.timedelta(days=rng.randint(20, 45)) if submitted else None
            decided = state in (DelegationState.APPROVED, DelegationState.RETURNED, DelegationState.WITHDRAWN)
            delegation = Delegation(
                meeting=p.meeting,
                country_id=code,
                state=state,
                submitted_at=submitted_at,
                submitted_by=focal_points.get(code) if submitted else None,
                decided_at=submitted_at + dt.timedelta(days=3) if decided and submitted_at else None,
                decided_by=secretariat if decided else None,
                secretariat_comment="Please add the head of delegation's title." if state == "returned" else "",
                is_demo=True,
            )
            delegations.append(delegation)
            people.append((delegation, p))
    _bulk(Delegation, delegations, history=False)
    participants: list[dict[str, Any]] = []
    for delegation, p in people:
        participants += _participants(rng, world, delegation, p)
    _insert_plain(Participant, participants)
    return delegations, participants


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", ".")


def _participants(rng: random.Random, world: World, delegation: Delegation, p: Planned) -> list[dict[str, Any]]:
    """The delegation's head and up to three others (rows for `_insert_plain`)."""
    code = delegation.country_id
    spec = world.names["countries"][code]
    country = world.countries[code]
    ministry_ja, ministry_en = rng.choice(MINISTRIES)
    retention = p.meeting.series.retention_days
    purged_at = None
    if p.meeting.ends_at + dt.timedelta(days=retention) < _at(TODAY, 0, "UTC"):
        purged_at = p.meeting.ends_at + dt.timedelta(days=retention + 1)
    rows = []
    roles = [ParticipantRole.HEAD] + [
        rng.choice(
            [ParticipantRole.ALTERNATE, ParticipantRole.DELEGATE, ParticipantRole.DELEGATE, ParticipantRole.ADVISER]
        )
        for _ in range(rng.randint(0, 3))
    ]
    seen_alternate = False
    for position, role in enumerate(roles):
        if role == ParticipantRole.ALTERNATE:
            if seen_alternate:
                role = ParticipantRole.DELEGATE
            seen_alternate = True
        given, family, local = _person_name(rng, spec)
        head = role == ParticipantRole.HEAD
        honorific = "H.E." if head and p.spec.level == MeetingLevel.MINISTERIAL else rng.choice(["Mr", "Ms", "Dr", ""])
        participant = {
            "delegation_id": delegation.pk,
            "role": role,
            "position": position,
            "honorific": honorific,
            "given_name": given,
            "family_name": family,
            "name_local": local if code in ("JP", "CN", "KR") or rng.random() < 0.3 else "",
            "job_title": HEAD_TITLES[p.spec.level] if head else rng.choice(MEMBER_TITLES),
            "organisation_name": (ministry_ja if code == "JP" else ministry_en).format(
                country=country.name_ja if code == "JP" else country.name_en
            ),
            "email": f"{_ascii(given)}.{delegation.pk}.{position}@{PARTICIPANT_MAIL_DOMAIN}",
            "phone": f"+00 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            "dietary_needs": rng.choice(["", "", "", "", "Vegetarian", "Halal", "No pork"]),
            "access_needs": "Step-free access" if rng.random() < 0.02 else "",
            "consent_public_listing": rng.random() < 0.6,
            "consent_keep_for_next": rng.random() < 0.5,
            "consent_recorded_at": delegation.submitted_at,
            "attended": (rng.random() < 0.97) if p.held and delegation.state == DelegationState.APPROVED else None,
            "is_demo": True,
        }
        if purged_at is not None:
            # As the purge command leaves them: role and country for anonymous counts, nothing personal.
            for name in ("honorific", "given_name", "family_name", "name_local", "job_title", "email", "phone",
                         "dietary_needs", "access_needs"):  # fmt: skip
                participant[name] = ""
            participant["purged_at"] = purged_at
        rows.append(participant)
    # The Viet Nam focal point's demonstration account is a delegate (not the head) of the upcoming meetings.
    focal_point = world.users.get("focal-point-vn")
    if code == "VN" and not p.held and focal_point is not None and len(rows) > 1:
        rows[-1]["user_id"] = focal_point.pk
    return rows


# --- agenda and documents --------------------------------------------------------------------


def _symbol(p: Planned, prefix: str, number: int) -> str:
    return p.meeting.series.symbol_scheme.format(
        series=p.spec.code, ordinal=p.meeting.ordinal, prefix=prefix, number=number
    )


def _themes(rng: random.Random, p: Planned) -> list[tuple[str, str]]:
    return [THEMES[i] for i in rng.sample(p.spec.themes, k=min(2, len(p.spec.themes)))]


def _documents(rng: random.Random, planned: list[Planned]) -> list[Document]:
    rows: list[Document] = []
    for p in planned:
        pre_session = p.day - dt.timedelta(days=30)
        after = p.day + dt.timedelta(days=p.spec.days)
        working = p.spec.level == MeetingLevel.WORKING
        theme_a, theme_b = (_themes(rng, p) * 2)[:2]
        specs: list[tuple[str, str, int, str, str, str, dt.date]] = [
            (DocumentType.PROVISIONAL_AGENDA, "AGENDA", 1, "仮議題", "Provisional agenda", Distribution.GENERAL,
             pre_session),
            (DocumentType.ANNOTATED_AGENDA, "AGENDA", 2, "議題注釈", "Annotated provisional agenda",
             Distribution.GENERAL, pre_session),
            (DocumentType.WORKING_PAPER, "WP", 1, f"{theme_a[0]}に関する作業文書", f"Working paper on {theme_a[1]}",
             Distribution.LIMITED if working else Distribution.GENERAL, pre_session),
            (DocumentType.WORKING_PAPER, "WP", 2, f"{theme_b[0]}の地域協力の進め方",
             f"The way forward for regional cooperation on {theme_b[1]}",
             Distribution.LIMITED if working else Distribution.GENERAL, pre_session),
            (DocumentType.INFORMATION_PAPER, "INF", 1, f"{theme_a[0]}に関する各国の取組",
             f"Country activities on {theme_a[1]}", Distribution.GENERAL, pre_session),
            (DocumentType.ACTION_STATUS, "AIS", 1, "行動項目の実施状況", "Status of action items", Distribution.LIMITED,
             pre_session + dt.timedelta(days=14)),
        ]  # fmt: skip
        if p.held:
            outcome_type, outcome_prefix, title_ja, title_en = (
                (DocumentType.JOINT_STATEMENT, "JS", "共同声明", "Joint statement")
                if p.spec.level == MeetingLevel.MINISTERIAL
                else (DocumentType.CHAIRS_SUMMARY, "CS", "議長総括", "Chair's summary")
            )
            specs += [
                (DocumentType.PARTICIPANTS_LIST, "LOP", 1, "参加者名簿", "List of participants", Distribution.LIMITED,
                 after),
                (outcome_type, outcome_prefix, 1, title_ja, title_en, Distribution.GENERAL, after),
            ]  # fmt: skip
            if p.spec.level != MeetingLevel.MINISTERIAL:
                specs.append(
                    (DocumentType.MINUTES, "MIN", 1, "議事録", "Minutes", Distribution.RESTRICTED,
                     after + dt.timedelta(days=30))
                )  # fmt: skip
        for doc_type, prefix, number, title_ja, title_en, distribution, issued in specs:
            symbol = _symbol(p, prefix, number)
            minutes_state = ""
            if doc_type == DocumentType.MINUTES:
                minutes_state = MinutesState.ADOPTED if p.next_held else MinutesState.CIRCULATED
            document = Document(
                meeting=p.meeting,
                symbol=symbol,
                base_symbol=symbol,
                suffix_kind=SuffixKind.NONE,
                doc_type=doc_type,
                title_ja=title_ja,
                title_en=title_en,
                original_language="en",
                distribution=distribution,
                # Working papers of upcoming meetings stay under embargo until the meeting opens.
                embargo_until=p.meeting.starts_at if not p.held and prefix == "WP" else None,
                issued_on=min(issued, TODAY),
                minutes_state=minutes_state,
                is_demo=True,
            )
            p.documents[symbol] = document
            rows.append(document)
    _bulk(Document, rows)
    return rows + _supplements(rng, planned)


def _supplements(rng: random.Random, planned: list[Planned]) -> list[Document]:
    """A revision of some working papers (replacing them) and a corrigendum to some information papers."""
    rows: list[tuple[Document, Document, str]] = []
    for p in planned:
        for document in list(p.documents.values()):
            kind = None
            if document.doc_type == DocumentType.WORKING_PAPER and rng.random() < 0.05:
                kind = SuffixKind.REVISION
            elif document.doc_type == DocumentType.INFORMATION_PAPER and rng.random() < 0.05:
                kind = SuffixKind.CORRIGENDUM
            if kind is None:
                continue
            label = "Rev" if kind == SuffixKind.REVISION else "Corr"
            supplement = Document(
                meeting=p.meeting,
                symbol=f"{document.symbol}/{label}.1",
                base_symbol=document.symbol,
                suffix_kind=kind,
                suffix_number=1,
                concerns=document,
                corrected_languages=["ja"] if kind == SuffixKind.CORRIGENDUM else [],
                doc_type=document.doc_type,
                title_ja=f"{document.title_ja}（{'改訂版' if label == 'Rev' else '正誤表'}）",
                title_en=f"{document.title_en} ({'revision' if label == 'Rev' else 'corrigendum'})",
                original_language="en",
                distribution=document.distribution,
                embargo_until=document.embargo_until,
                issued_on=min(document.issued_on + dt.timedelta(days=7), TODAY),
                is_demo=True,
            )
            p.documents[supplement.symbol] = supplement
            rows.append((document, supplement, kind))
    created = _bulk(Document, [supplement for _doc, supplement, _kind in rows])
    replaced = []
    for document, supplement, kind in rows:
        if kind == SuffixKind.REVISION:
            document.replaced_by = supplement
            replaced.append(document)
    Document.objects.bulk_update(replaced, ["replaced_by"], batch_size=BATCH)
    return created


def _agenda(planned: list[Planned]) -> list[AgendaItem]:
    """The usual agenda: opening, adoption of the agenda (and of the previous minutes), follow-up of the action
    items, two thematic sub-items with their working papers, other matters, next meeting, closing."""
    items: list[AgendaItem] = []
    links: list[tuple[AgendaItem, Document]] = []
    children: list[tuple[AgendaItem, AgendaItem]] = []
    previous_minutes: dict[str, Document] = {}
    for p in planned:
        docs = p.documents
        agenda = docs.get(_symbol(p, "AGENDA", 1))
        status = docs.get(_symbol(p, "AIS", 1))
        papers = [docs[_symbol(p, "WP", 1)], docs[_symbol(p, "WP", 2)]]
        minutes = previous_minutes.get(p.spec.code) if p.spec.level != MeetingLevel.MINISTERIAL else None
        top = [
            ("1", "開会", "Opening of the meeting", []),
            ("2", "議題の採択", "Adoption of the agenda", [agenda]),
        ]
        if minutes is not None:
            top.append(("3", "前回会合議事録の採択", "Adoption of the minutes of the previous meeting", [minutes]))
        top += [
            (str(len(top) + 1), "行動項目のフォローアップ", "Follow-up of the action items", [status]),
            (str(len(top) + 2), "テーマ別議題", "Thematic discussions", []),
            (str(len(top) + 3), "その他", "Other matters", []),
            (str(len(top) + 4), "次回会合の日程及び開催地", "Date and venue of the next meeting", []),
            (str(len(top) + 5), "閉会", "Closing of the meeting", []),
        ]
        for position, (number, title_ja, title_en, documents) in enumerate(top):
            item = AgendaItem(
                meeting=p.meeting,
                number=number,
                position=position * 10,
                title_ja=title_ja,
                title_en=title_en,
                adopts_minutes=minutes if title_en.startswith("Adoption of the minutes") else None,
                is_demo=True,
            )
            items.append(item)
            links += [(item, d) for d in documents if d is not None]
            if title_en == "Thematic discussions":
                for letter, paper in zip("ab", papers, strict=True):
                    sub = AgendaItem(
                        meeting=p.meeting,
                        number=f"{number}.{letter}",
                        position=position * 10 + 1 + "ab".index(letter),
                        title_ja=paper.title_ja,
                        title_en=paper.title_en,
                        presenters_en="The secretariat" if letter == "a" else "The lead country",
                        presenters_ja="事務局" if letter == "a" else "主導国",
                        is_demo=True,
                    )
                    children.append((item, sub))
                    links.append((sub, paper))
        if p.held and p.spec.level != MeetingLevel.MINISTERIAL:
            previous_minutes[p.spec.code] = docs[_symbol(p, "MIN", 1)]
    _bulk(AgendaItem, items)
    for parent, sub in children:
        sub.parent = parent
    _bulk(AgendaItem, [sub for _parent, sub in children])
    through = AgendaItem.documents.through
    through.objects.bulk_create(
        [through(agendaitem_id=item.pk, document_id=doc.pk) for item, doc in links], batch_size=BATCH
    )
    return items + [sub for _parent, sub in children]


# --- outcomes, action items and their updates ----------------------------------------------------


def _outcomes(planned: list[Planned]) -> list[Outcome]:
    """Per held meeting: a joint statement (ministerial) or chair's summary, and an action plan."""
    rows = []
    for p in planned:
        if not p.held:
            continue
        ministerial = p.spec.level == MeetingLevel.MINISTERIAL
        prefix = "JS" if ministerial else "CS"
        adopted_on = p.day + dt.timedelta(days=p.spec.days - 1)
        where_ja = p.meeting.city_ja or "オンライン"
        where_en = f"in {p.meeting.city_en}" if p.meeting.city_en else "online"
        p.statement = Outcome(
            meeting=p.meeting,
            kind=OutcomeKind.JOINT_STATEMENT if ministerial else OutcomeKind.CHAIRS_SUMMARY,
            number=1,
            code=f"{p.spec.code}/{p.meeting.ordinal}/{prefix}",
            title_ja=f"{p.meeting.title_ja}{'共同声明' if ministerial else '議長総括'}",
            title_en=f"{'Joint statement' if ministerial else 'Chair’s summary'} of the {p.meeting.title_en}",
            text_ja=f"{p.meeting.title_ja}は、{where_ja}において開催された。",
            text_en=f"The {p.meeting.title_en} was held {where_en}.",
            status=OutcomeStatus.ADOPTED,
            adopted_on=adopted_on,
            document=p.documents.get(_symbol(p, prefix, 1)),
            visibility=p.meeting.visibility,
            is_demo=True,
        )
        p.plan = Outcome(
            meeting=p.meeting,
            kind=OutcomeKind.ACTION_PLAN,
            number=1,
            code=f"{p.spec.code}/{p.meeting.ordinal}/AP",
            title_ja=f"{p.meeting.title_ja}行動計画",
            title_en=f"Action plan of the {p.meeting.title_en}",
            text_ja="会合は、以下の行動項目に合意した。",
            text_en="The meeting agreed on the following action items.",
            # Plans older than five years count as implemented; their open items are carried by later plans.
            status=OutcomeStatus.IMPLEMENTED
            if adopted_on < TODAY - dt.timedelta(days=5 * 365)
            else OutcomeStatus.ACTIVE,
            adopted_on=adopted_on,
            visibility=p.meeting.visibility,
            is_demo=True,
        )
        rows += [p.statement, p.plan]
    return _bulk(Outcome, rows)


def _paragraphs(rng: random.Random, planned: list[Planned]) -> list[Element]:
    """Seven paragraphs per statement ("encouraged" ones are operational); one in ten with two sub-items."""
    paragraphs: list[Element] = []
    subs: list[tuple[Element, Element]] = []
    for p in planned:
        statement = p.statement
        if statement is None:
            continue
        ministerial = p.spec.level == MeetingLevel.MINISTERIAL
        who_ja, who_en = ("大臣ら", "The ministers") if ministerial else ("会合", "The meeting")
        for number in range(1, 8):
            theme_ja, theme_en = THEMES[rng.choice(p.spec.themes)]
            place_ja, place_en = rng.choice(PLACES)
            template_ja, template_en = rng.choice(PARAGRAPHS)
            values = {"who": who_ja, "who_en": who_en, "theme": theme_ja, "theme_en": theme_en,
                      "place": place_ja, "place_en": place_en}  # fmt: skip
            encourages = "encouraged" in template_en
            element = Element(
                outcome=statement,
                kind=ElementKind.PARAGRAPH,
                number=f"{number:02d}",
                code=f"{statement.code}.{number:02d}",
                position=number * 10,
                text_ja=template_ja.format(**values),
                text_en=template_en.format(**values),
                is_operational=encourages,
                addressee=Addressee.ALL_PARTICIPANTS if encourages else "",
                is_demo=True,
            )
            paragraphs.append(element)
            if rng.random() < 0.1:
                for letter, (action_ja, action_en) in zip("ab", rng.sample(ACTIONS, 2), strict=True):
                    sub = Element(
                        outcome=statement,
                        kind=ElementKind.SUB_ITEM,
                        number=letter,
                        code=f"{element.code}.{letter}",
                        position=number * 10 + 1 + "ab".index(letter),
                        text_ja=f"{place_ja}において{action_ja}こと。",
                        text_en=f"to {action_en} in {place_en};",
                        is_demo=True,
                    )
                    subs.append((element, sub))
    _bulk(Element, paragraphs, history=False)
    for parent, sub in subs:
        sub.parent = parent
    _bulk(Element, [sub for _parent, sub in subs], history=False)
    return paragraphs + [sub for _parent, sub in subs]


@dataclass
class FollowUp:
    """The meetings (held or upcoming) at which the items of a series are followed up, by start."""

    meetings: list[Planned]
    starts: list[dt.datetime]

    def after(self, moment: dt.datetime, count: int) -> list[Planned]:
        start = bisect.bisect_right(self.starts, moment)
        return self.meetings[start : start + count]

    def next_from(self, moment: dt.datetime) -> Meeting | None:
        position = bisect.bisect_left(self.starts, moment)
        return self.meetings[position].meeting if position < len(self.meetings) else None


def _follow_ups(planned: list[Planned]) -> dict[str, FollowUp]:
    """For each series, its own meetings and those of the series that follow it up."""
    followers: dict[str, set[str]] = defaultdict(set)
    for spec in SERIES:
        followers[spec.code].add(spec.code)
        for target in spec.follows_up:
            followers[target].add(spec.code)
    result = {}
    for spec in SERIES:
        chosen = [p for p in planned if p.spec.code in followers[spec.code]]
        result[spec.code] = FollowUp(chosen, [p.meeting.starts_at for p in chosen])
    return result


def _final_status(rng: random.Random, age_days: int) -> str:
    if age_days > 3 * 365:
        weights = {ActionStatus.COMPLETED: 7, ActionStatus.DROPPED: 1, ActionStatus.IN_PROGRESS: 2}
    elif age_days > 365:
        weights = {ActionStatus.COMPLETED: 4, ActionStatus.IN_PROGRESS: 5, ActionStatus.DROPPED: 1}
    else:
        weights = {ActionStatus.IN_PROGRESS: 6, ActionStatus.NOT_STARTED: 4}
    return _pick(rng, weights)


def _item(rng: random.Random, world: World, p: Planned, number: int) -> tuple[dict[str, Any], list[str]]:
    """An action item of `p`'s action plan (a row for `_insert_plain`) and the countries it names."""
    plan = p.plan
    assert plan is not None
    addressee = _pick(
        rng,
        {Addressee.SECRETARIAT: 3, Addressee.ALL_PARTICIPANTS: 3, Addressee.COUNTRIES: 4,
         Addressee.WORKING_GROUP: 1 if p.spec.level == MeetingLevel.WORKING else 0, Addressee.ORGANISATIONS: 1},
    )  # fmt: skip
    lead = rng.choice(p.invited)
    theme_ja, theme_en = THEMES[rng.choice(p.spec.themes)]
    place_ja, place_en = rng.choice(PLACES)
    action_ja, action_en = rng.choice(ACTIONS)
    due = (p.meeting.ends_at + dt.timedelta(days=rng.choice([180, 365, 365, 540, 730]))).date()
    named: list[str] = []
    if addressee == Addressee.COUNTRIES:
        who_ja, who_en = world.countries[lead].name_ja, world.countries[lead].name_en
        others = [c for c in p.invited if c != lead]
        named = [lead, *rng.sample(others, k=min(len(others), rng.randint(0, 2)))]
    else:
        who_ja, who_en = ACTORS[addressee]
    # One in twenty items is not yet translated into Japanese: pages show the fallback marker.
    text_ja = "" if rng.random() < 0.05 else (
        f"{who_ja}は、{due.year}年{due.month}月までに、{place_ja}における{theme_ja}について{action_ja}。"
    )  # fmt: skip
    text_en = f"{who_en} will {action_en} on {theme_en} in {place_en} by {due:%B %Y}."
    row = {
        "outcome_id": plan.pk,
        "kind": ElementKind.ITEM,
        "number": f"{number:02d}",
        "code": f"{plan.code}.{number:02d}",
        "position": number * 10,
        **_translated("text", text_ja, text_en),
        "is_operational": True,
        "is_action_item": True,
        "addressee": addressee,
        "addressed_group": p.spec.short_en if addressee == Addressee.WORKING_GROUP else "",
        "lead_country_id": lead,
        "due_on": due,
        "is_demo": True,
    }
    return row, named


def _translated(name: str, ja: str, en: str) -> dict[str, str]:
    """A translated field's columns as modeltranslation saves them: the base column holds the default language's
    value (Japanese), or the other language's where there is none."""
    return {name: ja or en, f"{name}_ja": ja, f"{name}_en": en}


def _updates(
    rng: random.Random, world: World, item: dict[str, Any], p: Planned, follow: FollowUp
) -> list[dict[str, Any]]:
    """Exactly UPDATES_PER_ITEM updates, given a week or more before each follow-up meeting held so far
    (spread over the time since the meeting for the rest); the last one sets the item's status.

    Rows for `_insert_plain`, without the item's id (it has none yet).
    """
    now = _at(TODAY, 12, "UTC")
    ended = p.meeting.ends_at
    final = _final_status(rng, (TODAY - ended.date()).days)
    candidates = follow.after(ended, UPDATES_PER_ITEM)
    times = []
    for k in range(UPDATES_PER_ITEM):
        if k < len(candidates) and candidates[k].meeting.starts_at - dt.timedelta(days=7) <= now:
            times.append(candidates[k].meeting.starts_at - dt.timedelta(days=rng.randint(7, 30)))
        else:
            times.append(ended + (now - ended) * (k + 1) / (UPDATES_PER_ITEM + 1))
    times = sorted(max(t, ended + dt.timedelta(hours=k + 1)) for k, t in enumerate(times))
    opening = ActionStatus.NOT_STARTED if final == ActionStatus.NOT_STARTED else ActionStatus.IN_PROGRESS
    statuses = [opening] * (UPDATES_PER_ITEM - 1) + [final]
    country = item["lead_country_id"] if item["addressee"] != Addressee.SECRETARIAT else None
    author = world.users.get(f"focal-point-{(country or '').lower()}") or world.users.get("secretariat")
    updates = []
    for recorded_at, status in zip(times, statuses, strict=True):
        japanese = country == "JP" or (country is None and rng.random() < 0.3)
        note_ja, note_en = NOTES[status]
        postponed = status == ActionStatus.IN_PROGRESS and rng.random() < 0.1
        for_meeting = follow.next_from(recorded_at)
        updates.append(
            {
                "meeting_id": for_meeting.pk if for_meeting is not None else None,
                "country_id": country,
                "author_id": author.pk if author is not None else None,
                "status": status,
                "note": note_ja if japanese else note_en,
                "language": "ja" if japanese else "en",
                "new_due_on": item["due_on"] + dt.timedelta(days=180) if postponed else None,
                "recorded_at": recorded_at,
                "is_demo": True,
            }
        )
    item["status"] = final
    item.update(_translated("status_note", *NOTES[final]))
    if final in (ActionStatus.COMPLETED, ActionStatus.DROPPED):
        item["closed_on"] = times[-1].date()
    return updates


def _action_items(rng: random.Random, scale: int, world: World, planned: list[Planned]) -> tuple[int, int]:
    """ACTION_ITEMS_PER_SCALE x scale action items spread evenly over the held meetings' action plans,
    and their updates; returns how many of each."""
    held = [p for p in planned if p.held]
    total = ACTION_ITEMS_PER_SCALE * scale
    follow_ups = _follow_ups(planned)
    items: list[dict[str, Any]] = []
    addressed: list[tuple[str, str]] = []
    updates: list[tuple[str, list[dict[str, Any]]]] = []
    for index, p in enumerate(held):
        count = total // len(held) + (1 if index < total % len(held) else 0)
        for number in range(1, count + 1):
            item, named = _item(rng, world, p, number)
            updates.append((item["code"], _updates(rng, world, item, p, follow_ups[p.spec.code])))
            items.append(item)
            addressed += [(item["code"], country) for country in named]
    _insert_plain(Element, items)
    # The codes are unique: they give the new rows' ids, in one query.
    ids = dict(Element.objects.filter(outcome__in=[p.plan for p in held]).values_list("code", "pk"))
    through = Element.addressed_countries.through
    through.objects.bulk_create(
        [through(element_id=ids[code], country_id=country) for code, country in addressed], batch_size=BATCH
    )
    rows = [{**row, "element_id": ids[code]} for code, rows_ in updates for row in rows_]
    return len(items), _insert_plain(ElementUpdate, rows)


# --- the generator -------------------------------------------------------------------------


def generate(rng: random.Random, scale: int, stdout: TextIO) -> dict[str, Any]:
    """Create `scale` years of meetings of the demonstration series (see the module docstring)."""
    world = _world()
    series = _series(world)
    planned = _meetings(rng, scale, world, series)
    delegations, participants = _delegations(rng, world, planned)
    documents = _documents(rng, planned)
    agenda_items = _agenda(planned)
    outcomes = _outcomes(planned)
    paragraphs = _paragraphs(rng, planned)
    items, updates = _action_items(rng, scale, world, planned)
    tallies = core_search.index_querysets(
        [m._default_manager.filter(is_demo=True) for m in search_registrations.MODELS]
    )
    cache.bump(CACHE_NAMESPACE)  # bulk inserts send no signals
    return {
        "series": len(series),
        "meetings": len(planned),
        "delegations": len(delegations),
        "participants": len(participants),
        "agenda items": len(agenda_items),
        "documents": len(documents),
        "outcomes": len(outcomes),
        "elements": len(paragraphs) + items,
        "action items": items,
        "updates": updates,
        "search entries": sum(t.entries for t in tallies),
    }


# Deleted in this order (dependants first): the registry then removes their history rows.
DELETION_ORDER = [
    ElementUpdate,
    Element,
    Outcome,
    AgendaItem,
    Document,
    Participant,
    Delegation,
    Meeting,
    MeetingSeries,
]


def _delete_demo_rows() -> int:
    """Remove the demonstration rows with the index's signals off, and their index entries in bulk.

    Elements and documents protect their sub-items and supplements, so those go first.
    """
    removed = 0
    with core_search.suspended():
        with core_search.bulk_load():
            for model in search_registrations.MODELS:
                core_search.remove_queryset(model._default_manager.filter(is_demo=True))
        steps = [
            ElementUpdate.objects.filter(is_demo=True),
            Element.objects.filter(is_demo=True, parent__isnull=False),
            Element.objects.filter(is_demo=True),
            Outcome.objects.filter(is_demo=True),
            AgendaItem.objects.filter(is_demo=True, parent__isnull=False),
            AgendaItem.objects.filter(is_demo=True),
            Document.objects.filter(is_demo=True, concerns__isnull=False),
            Document.objects.filter(is_demo=True),
            Participant.objects.filter(is_demo=True),
            Delegation.objects.filter(is_demo=True),
            Meeting.objects.filter(is_demo=True),
            MeetingSeries.objects.filter(is_demo=True),
        ]
        for qs in steps:
            try:
                deleted, _by_model = qs.delete()
            except (ProtectedError, RestrictedError) as exc:
                objs = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
                blockers = sorted({str(obj._meta.verbose_name) for obj in objs})
                raise DemoDataError(
                    f"Cannot remove the demonstration {qs.model._meta.verbose_name_plural} of meetings: real "
                    f"records ({', '.join(blockers)}) refer to them. Remove or re-point those first."
                ) from exc
            removed += deleted
    cache.bump(CACHE_NAMESPACE)
    return removed


register("meetings", generate, models=DELETION_ORDER, before_reset=_delete_demo_rows)
