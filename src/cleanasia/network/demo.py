"""Demonstration data of the research and training network: a browsable network at `--scale 1`, the
benchmark's 20,000 experts, 500 research projects and 5,000 trainees at `--scale 20`.

Dated as of 29 November 2026 (TODAY) and drawn from the module's own random
generator, so two databases seeded alike hold the same records. Every row the
module creates is `is_demo`; the people and organisations it adds to the
directory also carry NETWORK_SOURCE, by which a reset finds them.

Shared by every scale:

* the seven fields (data/fields.json; those already in the database are used as they are);
* one working group per field with its measure and meeting series (created by
  the groups service): chair and co-chair countries, members with terms (the
  previous term ended, the current one open) from the countries of the
  group's membership group (EAS or ASEAN), an observer, four work-plan items
  linked to the group's measure, and annual reports (the progress reports of
  the group's measure for the fiscal years FY2023–FY2026: approved, submitted,
  returned, draft, or missing and overdue);
* fourteen training programmes (two per field), ten know-how packages with
  their case studies, and two needs per ASEAN country.

Per unit of scale (linear):

* 1,000 experts (directory people with an expert profile: Japanese and English
  keywords of their fields, languages, an ORCID iD for two in five, affiliations
  with the organisations of the registry, some publications); most accepted,
  some nominated or declined; about half consented to a public listing (dated).
  Contact details (e-mail, telephone) are filled for most, as personal data the
  public never sees. The demonstration accounts "expert" and "wg-member" are
  the first two (Japanese) experts, the latter chairing the air quality group
  and writing its annual reports;
* 10 organisations with acronyms and alternative spellings (besides those of
  the directory's demonstration data);
* 25 research projects with partners, outputs (DOIs under the 10.5555 test
  prefix), milestones, and a link to their group's measure;
* 250 trainees (nominations, each within its country's quota) in sessions of
  about 20 from 2015 to early 2027: held sessions with attendance per day,
  pre- and post-test scores, certificates (some revoked, the reason in their
  history), survey tokens and anonymous answers; upcoming sessions with their
  call open and nominations pending.

Groups, members, work plans, programmes, sessions, packages, cases and needs
go through the services; the large tables go in with `bulk_create_with_history`
(their creation in their history, action code ACTION), except attendance (no
history rows: 20,000 rows at scale 20 whose history nobody reads). The bulk
path keeps the services' invariants: keywords normalised, languages checked
codes, ORCID check digits, consent dated, quotas, attendance within the
session, certificates only with enough attendance, survey answers not tied to
anyone. Every expert is indexed for search at the end, in bulk.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import defaultdict
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.deletion import ProtectedError, RestrictedError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cleanasia.core import search as core_search
from cleanasia.core.context import current_request_id
from cleanasia.core.demo import DemoDataError, register
from cleanasia.core.models import Visibility
from cleanasia.directory import services as directory_services
from cleanasia.directory.models import Affiliation, Country, CountryGroup, GroupMembership, Organisation, Person
from cleanasia.directory.reference import read_data
from cleanasia.measures.models import (
    Measure,
    MeasureLink,
    MeasureLinkRelation,
    PeriodKind,
    PeriodState,
    ProgressReport,
    ReportingPeriod,
)
from cleanasia.meetings.models import MeetingSeries

from . import search as search_registrations
from .models import (
    AssessmentKind,
    AssessmentScore,
    AttendanceRecord,
    AttendanceStatus,
    Certificate,
    CountryNeed,
    ExpertProfile,
    Field,
    Gender,
    GroupRole,
    KnowHowPackage,
    NeedStatus,
    NominationState,
    OutputKind,
    PackageCase,
    PackageKind,
    ProjectStatus,
    Publication,
    ResearchMilestone,
    ResearchOutput,
    ResearchProject,
    SurveyResponse,
    SurveyToken,
    TraineeNomination,
    TraineeState,
    TrainingLevel,
    TrainingMode,
    TrainingProgramme,
    TrainingSession,
    WorkingGroup,
    WorkingGroupMember,
    WorkPlanItem,
    WorkPlanStatus,
)
from .policies import training as training_policy
from .reference import read_fields
from .services import experts as expert_services
from .services import groups as group_services
from .services import packages as package_services
from .services import training as training_services

TODAY = dt.date(2026, 11, 29)
EXPERTS_PER_SCALE = 1000
PROJECTS_PER_SCALE = 25
TRAINEES_PER_SCALE = 250
ORGANISATIONS_PER_SCALE = 10
TRAINEES_PER_SESSION = 20
SESSION_DAYS = 5
BATCH = 2000
ACTION = "network.demo.generated"
NETWORK_SOURCE = "Demonstration data of the research and training network: invented by `cleanasia seed_demo`."
# Ids per DELETE: below SQLite's limit of bound variables.
DELETE_CHUNK = 5000
EXPERT_MAIL_DOMAIN = "experts.demo.cleanasia.invalid"
TRAINEE_MAIL_DOMAIN = "trainees.demo.cleanasia.invalid"
DOI_PREFIX = "10.5555"  # the DOI foundation's prefix for examples and tests: resolves to nothing real

# Countries of the experts (EAS and ASEAN members), weighted as the initiative's work is: Japan and ASEAN first.
COUNTRY_WEIGHTS = {
    "JP": 8, "VN": 5, "TH": 5, "ID": 4, "MY": 3, "PH": 4, "CN": 3, "KR": 3, "IN": 2, "KH": 2,
    "LA": 2, "MM": 2, "SG": 2, "BN": 1, "TL": 1, "AU": 1, "NZ": 1, "US": 1, "RU": 1,
}  # fmt: skip
LANGUAGES = {
    "JP": "ja", "VN": "vi", "TH": "th", "ID": "id", "MY": "ms", "PH": "tl", "CN": "zh", "KR": "ko", "IN": "hi",
    "KH": "km", "LA": "lo", "MM": "my", "SG": "zh", "BN": "ms", "TL": "pt", "AU": "en", "NZ": "en", "US": "en",
    "RU": "ru",
}  # fmt: skip
PHONE_PREFIXES = {
    "JP": "+81", "VN": "+84", "TH": "+66", "ID": "+62", "MY": "+60", "PH": "+63", "CN": "+86", "KR": "+82",
    "IN": "+91", "KH": "+855", "LA": "+856", "MM": "+95", "SG": "+65", "BN": "+673", "TL": "+670", "AU": "+61",
    "NZ": "+64", "US": "+1", "RU": "+7",
}  # fmt: skip

# Keywords of each field, in Japanese and in English (an expert lists both forms of their topics).
TOPICS = {
    "air": [
        ("大気汚染", "air pollution"), ("PM2.5", "fine particulate matter"),
        ("越境大気汚染", "transboundary air pollution"), ("酸性雨", "acid deposition"),
        ("排出インベントリ", "emission inventory"), ("大気質モニタリング", "air quality monitoring"),
        ("光化学オキシダント", "photochemical oxidants"), ("自動車排出ガス", "vehicle emissions"),
    ],
    "water": [
        ("水質", "water quality"), ("排水処理", "wastewater treatment"), ("下水道", "sewerage"),
        ("浄化槽", "decentralised wastewater treatment"), ("河川水質", "river water quality"),
        ("地下水汚染", "groundwater contamination"), ("湖沼の富栄養化", "lake eutrophication"),
        ("水環境ガバナンス", "water environment governance"),
    ],
    "waste-3r": [
        ("廃棄物", "waste"), ("3R", "reduce reuse recycle"), ("循環経済", "circular economy"),
        ("海洋プラスチックごみ", "marine plastic litter"), ("廃棄物発電", "waste-to-energy"),
        ("電子廃棄物", "e-waste"), ("最終処分場", "landfill management"), ("有害廃棄物", "hazardous waste"),
    ],
    "climate": [
        ("気候変動", "climate change"), ("コベネフィット", "co-benefits"), ("脱炭素", "decarbonisation"),
        ("短寿命気候汚染物質", "short-lived climate pollutants"), ("温室効果ガス", "greenhouse gases"),
        ("二国間クレジット制度", "Joint Crediting Mechanism"), ("低炭素都市", "low-carbon cities"),
    ],
    "biodiversity": [
        ("生物多様性", "biodiversity"), ("気候変動適応", "climate change adaptation"),
        ("生態系サービス", "ecosystem services"), ("湿地保全", "wetland conservation"),
        ("マングローブ", "mangroves"), ("生態系を活用した防災", "ecosystem-based disaster risk reduction"),
    ],
    "monitoring": [
        ("環境モニタリング", "environmental monitoring"), ("衛星観測", "satellite observation"),
        ("精度管理", "quality assurance"), ("環境データ", "environmental data"),
        ("化学物質管理", "chemicals management"), ("水銀", "mercury"),
    ],
    "green-markets": [
        ("グリーン購入", "green public procurement"), ("環境ラベル", "eco-labelling"),
        ("環境金融", "green finance"), ("持続可能な消費と生産", "sustainable consumption and production"),
        ("環境技術", "environmental technology"), ("ESG投資", "ESG investment"),
    ],
}  # fmt: skip
FIELD_WEIGHTS = {"air": 5, "water": 4, "waste-3r": 5, "climate": 4, "biodiversity": 2, "monitoring": 2,
                 "green-markets": 1}  # fmt: skip

# (field, membership group, chair, co-chair, name ja, name en)
GROUPS = [
    ("air", "eas", "JP", "VN", "大気環境作業部会", "Working Group on Air Quality"),
    ("water", "asean", "TH", "PH", "水環境作業部会", "Working Group on the Water Environment"),
    ("waste-3r", "eas", "JP", "ID", "廃棄物・3R作業部会", "Working Group on Waste and 3R"),
    ("climate", "eas", "KR", "MY", "気候変動・コベネフィット作業部会", "Working Group on Climate Co-benefits"),
    ("biodiversity", "asean", "PH", "KH", "生物多様性・適応作業部会", "Working Group on Biodiversity and Adaptation"),
    ("monitoring", "eas", "JP", "TH", "環境モニタリング作業部会", "Working Group on Environmental Monitoring"),
    ("green-markets", "asean", "SG", "VN", "環境配慮型市場作業部会", "Working Group on Green Markets"),
]
WORK_PLAN = [
    ("地域ワークショップの開催", "Hold a regional workshop", WorkPlanStatus.DONE, dt.date(2025, 11, 30)),
    ("技術ガイドラインの策定", "Draft technical guidelines", WorkPlanStatus.IN_PROGRESS, dt.date(2026, 12, 31)),
    ("各国の現状調査", "Survey the situation in each country", WorkPlanStatus.IN_PROGRESS, dt.date(2027, 3, 31)),
    ("好事例集の取りまとめ", "Compile good practices", WorkPlanStatus.PLANNED, dt.date(2027, 9, 30)),
]
# Annual report of each group for FY2025 (due 30 June 2026), in GROUPS order: None = not started (overdue).
FY2025_REPORTS = ["approved", "submitted", "returned", "approved", None, "draft", "approved"]
FIRST_REPORT_FY, LAST_CLOSED_FY, OPEN_FY = 2023, 2025, 2026

ORGANISATION_TEMPLATES = [
    ("National Institute of Environmental Research, {country}", "{country_ja}国立環境研究所", "NIER-{cc}",
     ["National Environmental Research Institute of {country}", "NIER {country}"], "research"),
    ("Faculty of Environmental Engineering, {city} University", "{city_ja}大学環境工学部", "",
     ["{city} University, Faculty of Environmental Engineering", "{city} Univ. Environmental Engineering"],
     "university"),
    ("Centre for Environmental Technology of {city}", "{city_ja}環境技術センター", "CET-{city3}",
     ["{city} Environmental Technology Centre", "{city} Center for Environmental Technology"], "research"),
    ("{city} Clean Air and Water Foundation", "{city_ja}大気・水環境財団", "",
     ["{city} Clean Air & Water Foundation"], "ngo"),
    ("{city} Environmental Engineering Co., Ltd.", "{city_ja}環境エンジニアリング株式会社", "",
     ["{city} Env. Engineering", "{city}環境エンジ"], "private"),
]  # fmt: skip

PROGRAMME_KINDS = [
    ("基礎研修", "Foundations of {topic}", TrainingLevel.INTRODUCTORY),
    ("実務者研修", "{topic} for practitioners", TrainingLevel.INTERMEDIATE),
]
VENUES = [
    ("国際研修センター", "International Training Centre"),
    ("環境研究所研修棟", "Environmental Institute, Training Wing"),
]
REVOCATION_REASONS = [
    "Issued in error: the attendance record was corrected after issue.",
    "Name misspelled; replaced by a corrected certificate.",
    "The trainee's institution reported that the post-test was not taken by the trainee.",
]
OUTPUT_TITLES = {
    OutputKind.PUBLICATION: "{topic} in {place}: findings of a joint study",
    OutputKind.DATASET: "{topic} measurements, {place}, {year}",
    OutputKind.POLICY_BRIEF: "Policy brief: {topic} in {place}",
    OutputKind.OTHER: "Workshop report: {topic} in {place}",
}
FUNDERS = [
    "Ministry of the Environment, Japan",
    "Japan International Cooperation Agency (JICA)",
    "Asia-Pacific Network for Global Change Research (APN)",
    "Japan Society for the Promotion of Science (JSPS)",
]
PACKAGES = [
    ("demo-johkasou", PackageKind.TECHNOLOGY, ["water"], "浄化槽による分散型排水処理",
     "Decentralised wastewater treatment with johkasou", "下水道が整備されていない地域の生活排水による水質汚濁。",
     "Domestic wastewater polluting rivers where there is no sewer network.",
     {"urban_population_max": 500000, "income": ["lower_middle", "upper_middle"]}, 20_000_000, 300_000_000, 4),
    ("demo-waste-to-energy", PackageKind.TECHNOLOGY, ["waste-3r", "climate"], "廃棄物発電",
     "Waste-to-energy incineration", "埋立地の逼迫とメタン排出。", "Landfills filling up and emitting methane.",
     {"urban_population_min": 1000000, "income": ["upper_middle", "high"]}, 5_000_000_000, 30_000_000_000, 3),
    ("demo-aq-monitoring", PackageKind.COMBINATION, ["air", "monitoring"], "大気質モニタリング網と精度管理制度",
     "Air quality monitoring network with quality assurance", "信頼できる大気質データがない。",
     "No reliable air quality data to act on.", {"urban_population_min": 300000}, 100_000_000, 800_000_000, 3),
    ("demo-epr", PackageKind.INSTITUTION, ["waste-3r", "green-markets"], "拡大生産者責任制度",
     "Extended producer responsibility scheme", "容器包装ごみの回収・リサイクルの費用負担が自治体に集中。",
     "Municipalities alone pay for collecting and recycling packaging.",
     {"income": ["upper_middle", "high"]}, 30_000_000, 200_000_000, 2),
    ("demo-pollution-manager", PackageKind.INSTITUTION, ["air", "water"], "公害防止管理者制度",
     "Pollution control manager system", "工場の公害防止体制が整っていない。",
     "Factories have no one in charge of pollution control.", {"industrial": True}, 10_000_000, 80_000_000, 3),
    ("demo-jcm-boilers", PackageKind.COMBINATION, ["climate"], "二国間クレジット制度による高効率ボイラー",
     "High-efficiency boilers under the Joint Crediting Mechanism", "工場の燃料消費と温室効果ガス排出が多い。",
     "Factories burn much fuel and emit much greenhouse gas.", {"industrial": True}, 50_000_000, 500_000_000, 2),
    ("demo-mangrove-drr", PackageKind.ORGANISATION, ["biodiversity"], "マングローブを活用した沿岸防災",
     "Mangrove-based coastal protection", "沿岸侵食と高潮被害。", "Coastal erosion and storm surges.",
     {"coastal": True}, 5_000_000, 60_000_000, 2),
    ("demo-marine-litter", PackageKind.COMBINATION, ["waste-3r", "water"], "海洋プラスチックごみ対策パッケージ",
     "Marine plastic litter action package", "河川から海に流出するプラスチックごみ。",
     "Plastic waste flowing from rivers to the sea.", {"coastal": True}, 20_000_000, 150_000_000, 3),
    ("demo-green-procurement", PackageKind.INSTITUTION, ["green-markets"], "グリーン購入法と環境ラベル",
     "Green purchasing law and eco-labels", "公共調達が環境配慮製品を選ばない。",
     "Public procurement does not favour greener products.", {"income": ["upper_middle", "high"]},
     5_000_000, 40_000_000, 2),
    ("demo-eco-town", PackageKind.ORGANISATION, ["waste-3r", "climate"], "エコタウン型の地域循環",
     "Eco-town model of local resource circulation", "産業廃棄物の再資源化が進まない。",
     "Industrial waste is landfilled rather than reused.", {"urban_population_min": 200000, "industrial": True},
     500_000_000, 3_000_000_000, 3),
]  # fmt: skip
NEEDS = [
    ("air", "都市の大気汚染対策", "Tackling urban air pollution"),
    ("water", "生活排水対策", "Treating domestic wastewater"),
    ("waste-3r", "都市ごみの削減とリサイクル", "Reducing and recycling municipal waste"),
    ("climate", "工場の省エネルギーと排出削減", "Energy saving and emission cuts in factories"),
    ("biodiversity", "沿岸域の保全と防災", "Protecting coasts and their ecosystems"),
]
COUNTRY_CONDITIONS = {
    "BN": (450000, "high", True, False), "KH": (2300000, "lower_middle", True, True),
    "ID": (10600000, "upper_middle", True, True), "LA": (950000, "lower_middle", False, False),
    "MY": (8400000, "upper_middle", True, True), "MM": (5600000, "lower_middle", True, True),
    "PH": (14000000, "lower_middle", True, True), "SG": (5900000, "high", True, True),
    "TH": (10900000, "upper_middle", True, True), "VN": (9300000, "lower_middle", True, True),
    "TL": (280000, "lower_middle", True, False),
}  # (largest urban population, income, coastal, industrial)  # fmt: skip
VISIBILITY_WEIGHTS = {Visibility.PUBLIC: 6, Visibility.MEMBERS: 3, Visibility.SECRETARIAT: 1}
ORCID_ALPHABET = "0123456789"


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


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


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


# --- what the generator reads ----------------------------------------------------------------------


class World:
    """Countries, groups, names and demonstration accounts, read in a fixed order."""

    def __init__(self) -> None:
        from cleanasia.accounts.demo import demo_email
        from cleanasia.accounts.models import User

        self.countries = {c.code: c for c in Country.objects.filter(code__in=COUNTRY_WEIGHTS).order_by("code")}
        groups = {"eas", "asean"}
        self.groups = {g.code: g for g in CountryGroup.objects.filter(code__in=groups).order_by("code")}
        if len(self.countries) != len(COUNTRY_WEIGHTS) or len(self.groups) != len(groups):
            raise DemoDataError("Countries or country groups are missing: run `cleanasia load_reference` first.")
        self.memberships: dict[str, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
        for group, country, joined, left in (
            GroupMembership.objects.filter(group__code__in=groups)
            .order_by("group__code", "country_id", "joined_on")
            .values_list("group__code", "country_id", "joined_on", "left_on")
        ):
            self.memberships[group].append((country, joined, left))
        self.names = read_data("demo_names.json")
        by_email = {u.email: u for u in User.objects.filter(is_demo=True).order_by("email")}
        self.users = {
            local: by_email[demo_email(local)]
            for local in ("secretariat", "expert", "wg-member", "focal-point-vn", "focal-point-th")
            if demo_email(local) in by_email
        }
        # An account already tied to a person (a real record) is left alone.
        linked = set(Person.objects.filter(user__in=list(self.users.values())).values_list("user_id", flat=True))
        self.users = {local: user for local, user in self.users.items() if user.pk not in linked}

    def members(self, group: str, day: dt.date) -> list[str]:
        return sorted(
            code
            for code, joined, left in self.memberships[group]
            if joined <= day and (left is None or left >= day) and code in self.countries
        )

    def focal_user(self, country: str) -> Any:
        return self.users.get(f"focal-point-{country.lower()}")


# --- fields, organisations, people -----------------------------------------------------------------


def _fields() -> dict[str, Field]:
    existing = {f.code: f for f in Field.objects.order_by("position", "code")}
    for spec in read_fields():
        if spec["code"] not in existing:
            existing[spec["code"]] = group_services.field_create(actor=None, **spec, is_demo=True)
    return {code: existing[code] for code in TOPICS}


def _organisations(rng: random.Random, scale: int, world: World) -> list[Organisation]:
    rows: list[Organisation] = []
    used: set[str] = set()
    for index in range(ORGANISATIONS_PER_SCALE * scale):
        # The first ones are Japanese: the providers of the know-how packages.
        code = "JP" if index < 4 else _pick(rng, COUNTRY_WEIGHTS)
        country = world.countries[code]
        city_en, city_ja = rng.choice(world.names["countries"][code]["cities"])
        name_en, name_ja, acronym, alternatives, kind = rng.choice(ORGANISATION_TEMPLATES)
        if index < 4:
            name_en, name_ja, acronym, alternatives, kind = ORGANISATION_TEMPLATES[4 if index % 2 else 2]
        values = {
            "country": country.name_en,
            "country_ja": country.name_ja or country.name_en,
            "cc": code,
            "city": city_en,
            "city_ja": city_ja,
            "city3": _ascii(city_en)[:3].upper(),
        }
        name_en = name_en.format(**values)
        if name_en in used:
            continue  # one record per organisation: a second draw of the same one is skipped
        used.add(name_en)
        rows.append(
            Organisation(
                name_ja=name_ja.format(**values),
                name_en=name_en,
                acronym=acronym.format(**values),
                kind=kind,
                country=country,
                alternative_names=[a.format(**values) for a in alternatives],
                source=NETWORK_SOURCE,
                is_demo=True,
            )
        )
    return directory_services.organisation_bulk_create(actor=None, organisations=rows)


def _person(
    rng: random.Random, world: World, code: str, index: int, domain: str, *, visibility: str, user: Any = None
) -> Person:
    spec = world.names["countries"][code]
    family_en, family_ja = rng.choice(spec["family"])
    given_en, given_ja = rng.choice(spec["given"])
    single = spec["order"] == "single"
    name_en = f"{given_en} {family_en}" if spec["order"] == "given_first" else f"{family_en} {given_en}"
    given_first_ja = spec["ja_order"] == "given_first" and not single
    first, second = (given_ja, family_ja) if given_first_ja else (family_ja, given_ja)
    name_ja = f"{first}{spec['ja_sep']}{second}" if code == "JP" or rng.random() < 0.6 else ""
    email = ""
    if rng.random() < 0.9:
        email = f"{_ascii(name_en).replace(' ', '.').replace('-', '')}.{index}@{domain}"
    phone = f"{PHONE_PREFIXES[code]} {rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    return Person(
        name_ja=name_ja,
        name_en=name_en,
        family_name="" if single else family_en,
        given_name=name_en if single else given_en,
        honorific=rng.choice(["", "", "Dr.", "Prof."]) if domain == EXPERT_MAIL_DOMAIN else "",
        country_id=code,
        email=email,
        phone=phone if rng.random() < 0.6 else "",
        user=user,
        visibility=visibility,
        source=NETWORK_SOURCE,
        is_demo=True,
    )


# --- experts -----------------------------------------------------------------------------------------


def _orcid(index: int) -> str:
    digits = f"00090{index:010d}"
    return "-".join((digits + expert_services.orcid_check_digit(digits))[i : i + 4] for i in range(0, 16, 4))


def _experts(
    rng: random.Random, scale: int, world: World, fields: dict[str, Field], organisations: list[Organisation]
) -> list[ExpertProfile]:
    by_country: dict[str, list[Organisation]] = defaultdict(list)
    for organisation in organisations:
        by_country[organisation.country_id].append(organisation)
    positions = world.names["positions"]
    count = EXPERTS_PER_SCALE * scale
    people, plans = [], []
    for index in range(count):
        # The first two are the demonstration accounts "expert" and "wg-member", Japanese and accepted.
        account = {0: "expert", 1: "wg-member"}.get(index)
        code = "JP" if account else _pick(rng, COUNTRY_WEIGHTS)
        people.append(
            _person(
                rng, world, code, index, EXPERT_MAIL_DOMAIN, visibility=Visibility.MEMBERS,
                user=world.users.get(account) if account else None,
            )
        )  # fmt: skip
        primary = _pick(rng, FIELD_WEIGHTS)
        chosen = [primary]
        if rng.random() < 0.4:
            second = _pick(rng, FIELD_WEIGHTS)
            if second != primary:
                chosen.append(second)
        topics = rng.sample(TOPICS[primary], k=rng.randint(2, 4))
        if len(chosen) > 1:
            topics.append(rng.choice(TOPICS[chosen[1]]))
        pool = by_country.get(code) or organisations
        plans.append((code, chosen, topics, rng.choice(pool), rng.choice(pool) if rng.random() < 0.3 else None))
    people = directory_services.person_bulk_create(actor=None, people=people)

    affiliations, profiles, field_links = [], [], []
    for index, (person, (code, _chosen, topics, current, earlier)) in enumerate(zip(people, plans, strict=True)):
        started = _day_between(rng, dt.date(2008, 4, 1), dt.date(2025, 4, 1))
        position = rng.choice(positions)
        affiliations.append(_affiliation(person, current, position, started, None))
        if earlier is not None:
            began = started - dt.timedelta(days=rng.randrange(3 * 365, 10 * 365))
            affiliations.append(
                _affiliation(person, earlier, rng.choice(positions), began, started - dt.timedelta(days=1))
            )
        state = NominationState.ACCEPTED if index < 2 else _pick(rng, {"accepted": 85, "nominated": 10, "declined": 5})
        listed = index < 2 or (state == NominationState.ACCEPTED and rng.random() < 0.55)
        nominated_on = _day_between(rng, dt.date(2016, 1, 1), TODAY - dt.timedelta(days=30))
        keywords = [form for topic in topics for form in topic]
        languages = ["en", LANGUAGES[code]] + (["ja"] if code != "JP" and rng.random() < 0.15 else [])
        profiles.append(
            ExpertProfile(
                person=person,
                keywords=expert_services.keywords_normalise(keywords),
                languages=expert_services.languages_clean(languages),
                orcid=_orcid(index) if rng.random() < 0.4 else None,
                biography_ja=f"{current.name_ja or current.name_en}の{position['ja']}。専門は{topics[0][0]}。",
                biography_en=f"{position['en']} at {current.name_en}; works on {topics[0][1]}.",
                listed_publicly=listed,
                listing_consent_on=_day_between(rng, nominated_on, TODAY) if listed else None,
                state=state,
                nominated_by=world.focal_user(code),
                decided_on=(
                    None
                    if state == NominationState.NOMINATED
                    else min(TODAY, nominated_on + dt.timedelta(rng.randint(7, 60)))
                ),
                visibility=Visibility.SECRETARIAT if rng.random() < 0.05 and index >= 2 else Visibility.MEMBERS,
                is_demo=True,
            )
        )
    directory_services.affiliation_bulk_create(actor=None, affiliations=affiliations)
    profiles = _bulk(ExpertProfile, profiles)
    through = ExpertProfile.fields.through
    for profile, (_code, chosen, _topics, _c, _e) in zip(profiles, plans, strict=True):
        field_links += [through(expertprofile_id=profile.pk, field_id=fields[code].pk) for code in chosen]
    through.objects.bulk_create(field_links, batch_size=BATCH)

    publications = []
    for index, (profile, (code, _chosen, topics, _c, _e)) in enumerate(zip(profiles, plans, strict=True)):
        if rng.random() >= 0.3:
            continue
        city = rng.choice(world.names["countries"][code]["cities"])[0]
        for number in range(1, rng.randint(1, 2) + 1):
            year = rng.randint(2012, 2026)
            publications.append(
                Publication(
                    expert=profile,
                    title=f"{topics[0][1].capitalize()} in {city}: evidence from {year - 1}",
                    year=year,
                    doi=f"{DOI_PREFIX}/cleanasia-demo.e{index}.{number}",
                    is_demo=True,
                )
            )
    _bulk(Publication, publications)
    return profiles


def _affiliation(person: Person, organisation: Organisation, position: dict[str, str], start, end) -> Affiliation:
    return Affiliation(
        person=person,
        organisation=organisation,
        position_ja=position["ja"],
        position_en=position["en"],
        started_on=start,
        ended_on=end,
        source=NETWORK_SOURCE,
        is_demo=True,
    )


# --- working groups --------------------------------------------------------------------------------


def _reporting_years() -> dict[int, ReportingPeriod]:
    """The yearly reporting periods FY2023–FY2026 (Japanese fiscal years), created where missing."""
    existing = {
        p.fiscal_year: p
        for p in ReportingPeriod.objects.filter(
            kind=PeriodKind.YEAR, number=1, fiscal_year__range=(FIRST_REPORT_FY, OPEN_FY)
        )
    }
    new = []
    for year in range(FIRST_REPORT_FY, OPEN_FY + 1):
        if year in existing:
            continue
        ends = dt.date(year + 1, 3, 31)
        new.append(
            ReportingPeriod(
                kind=PeriodKind.YEAR,
                fiscal_year=year,
                number=1,
                starts_on=dt.date(year, 4, 1),
                ends_on=ends,
                due_on=dt.date(year + 1, 6, 30),
                state=PeriodState.OPEN if year == OPEN_FY else PeriodState.CLOSED,
                is_demo=True,
            )
        )
    for period in _bulk(ReportingPeriod, new):
        existing[period.fiscal_year] = period
    return existing


def _groups(
    rng: random.Random, world: World, fields: dict[str, Field], experts: list[ExpertProfile]
) -> tuple[list[WorkingGroup], int, int, int]:
    """The groups with members, work plans and annual reports; returns the groups and the counts."""
    accepted: dict[str, list[Person]] = defaultdict(list)
    for expert in experts:
        if expert.state == NominationState.ACCEPTED and expert.person.user_id is None:
            accepted[expert.person.country_id].append(expert.person)
    used: dict[str, int] = defaultdict(int)

    def next_person(code: str) -> Person | None:
        pool = accepted.get(code) or []
        if used[code] >= len(pool):
            return None
        used[code] += 1
        return pool[used[code] - 1]

    wg_person = next((e.person for e in experts if e.person.user_id and e.person.user_id == getattr(
        world.users.get("wg-member"), "pk", None)), None)  # fmt: skip
    periods = _reporting_years()
    secretariat = world.users.get("secretariat")
    groups, members, items, reports = [], 0, 0, []
    previous_term, current_term = dt.date(2022, 4, 1), dt.date(2024, 4, 1)
    for position, (code, membership, chair, co_chair, name_ja, name_en) in enumerate(GROUPS):
        group = group_services.working_group_create(
            actor=None,
            field=fields[code],
            code=f"demo-wg-{code}",
            name_ja=name_ja,
            name_en=name_en,
            terms_of_reference_ja=f"{name_ja}は、{fields[code].name_ja}分野の共同研究・研修・政策対話を推進する。",
            terms_of_reference_en=(
                f"The {name_en} advances joint research, training and policy dialogue in "
                f"{(fields[code].name_en or code).lower()}."
            ),
            public_summary_ja=f"{name_ja}（デモデータ）。",
            public_summary_en=f"{name_en} (demonstration data).",
            chair_countries=[chair],
            co_chair_countries=[co_chair],
            established_on=dt.date(2015, 4, 1) + dt.timedelta(days=91 * position),
            membership_group=world.groups[membership],
            publishes_members=position % 2 == 0,
            publishes_reports=position % 3 == 0,
            visibility=Visibility.PUBLIC,
            is_demo=True,
        )
        groups.append(group)
        for country in world.members(membership, current_term):
            role = {chair: GroupRole.CHAIR, co_chair: GroupRole.CO_CHAIR}.get(country, GroupRole.MEMBER)
            if country in world.members(membership, previous_term) and rng.random() < 0.5:
                person = next_person(country)
                if person is not None:
                    group_services.group_member_add(
                        actor=None, group=group, person=person, role=role, country=country,
                        started_on=previous_term, ended_on=current_term - dt.timedelta(days=1), is_demo=True,
                    )  # fmt: skip
                    members += 1
            person = wg_person if (code == "air" and country == "JP" and wg_person) else next_person(country)
            if person is not None:
                group_services.group_member_add(
                    actor=None, group=group, person=person, role=role, country=country, started_on=current_term,
                    is_demo=True,
                )  # fmt: skip
                members += 1
        # An observer from outside the membership group (Japan in the ASEAN groups, Timor-Leste before it joined).
        outsider = "JP" if membership == "asean" else "US"
        observer = next_person(outsider)
        if observer is not None:
            group_services.group_member_add(
                actor=None, group=group, person=observer, role=GroupRole.OBSERVER, country=outsider,
                started_on=current_term, is_demo=True,
            )  # fmt: skip
            members += 1
        for number, (title_ja, title_en, status, due) in enumerate(WORK_PLAN):
            item = group_services.work_plan_item_create(
                actor=None,
                group=group,
                title_ja=f"{title_ja}（{fields[code].name_ja}）",
                title_en=f"{title_en} ({(fields[code].name_en or code).lower()})",
                due_on=due,
                status=status,
                position=number,
                is_demo=True,
            )
            group_services.work_plan_item_link_measure(actor=None, item=item, measure=group.measure)
            items += 1
        owner = None
        if code == "air" and wg_person is not None:
            measure = group_services.working_group_report_owner_set(
                actor=None, group=group, user=world.users["wg-member"]
            )
            owner = measure.owner
        reports += _annual_reports(group, periods, FY2025_REPORTS[position], owner or secretariat, secretariat)
    _bulk(ProgressReport, reports)
    return groups, members, items, len(reports)


def _annual_reports(group: WorkingGroup, periods, fy2025: str | None, writer: Any, secretariat: Any) -> list:
    reports = []
    for year, period in sorted(periods.items()):
        state = "approved" if year < LAST_CLOSED_FY else fy2025 if year == LAST_CLOSED_FY else "draft"
        if state is None or writer is None:
            continue
        submitted = dt.datetime.combine(period.due_on - dt.timedelta(days=10), dt.time(9), tzinfo=dt.UTC)
        if year == LAST_CLOSED_FY and state != "approved":
            submitted = dt.datetime(2026, 8, 20, 9, tzinfo=dt.UTC)  # late: the report is overdue
        sent = state != "draft"
        reports.append(
            ProgressReport(
                measure_id=group.measure_id,
                period=period,
                state=state,
                narrative_ja=f"{group.name_ja}の{year}年度の活動報告（デモデータ）。",
                narrative_en=f"Annual report of the {group.name_en} for FY{year} (demonstration data).",
                rating="on_track",
                submitted_by=writer if sent else None,
                submitted_at=submitted if sent else None,
                decided_by=secretariat if state in ("approved", "returned") else None,
                decided_at=submitted + dt.timedelta(days=14) if state in ("approved", "returned") else None,
                secretariat_comment="Please add the workshop's results." if state == "returned" else "",
                is_demo=True,
            )
        )
    return reports


# --- research --------------------------------------------------------------------------------------


def _projects(
    rng: random.Random,
    scale: int,
    world: World,
    fields: dict[str, Field],
    groups: list[WorkingGroup],
    organisations: list[Organisation],
) -> tuple[list[ResearchProject], int, int, int]:
    group_of = {g.field_id: g for g in groups}
    projects, plans = [], []
    for index in range(PROJECTS_PER_SCALE * scale):
        code = _pick(rng, FIELD_WEIGHTS)
        field = fields[code]
        topic_ja, topic_en = rng.choice(TOPICS[code])
        lead = rng.choice(organisations)
        partners = [o for o in rng.sample(organisations, k=rng.randint(1, 3)) if o.pk != lead.pk]
        starts = _day_between(rng, dt.date(2016, 4, 1), dt.date(2027, 3, 31))
        ends = starts + dt.timedelta(days=365 * rng.randint(2, 5) - 1)
        if starts > TODAY:
            status = ProjectStatus.PROPOSED
        elif ends < TODAY:
            status = ProjectStatus.COMPLETED
        else:
            status = ProjectStatus.SUSPENDED if rng.random() < 0.1 else ProjectStatus.ONGOING
        place_en = world.countries[partners[0].country_id if partners else lead.country_id].name_en
        place_ja = world.countries[partners[0].country_id if partners else lead.country_id].name_ja or place_en
        projects.append(
            ResearchProject(
                code=f"demo-rp-{index + 1:05d}",
                title_ja=f"{place_ja}における{topic_ja}に関する共同研究",
                title_en=f"Joint research on {topic_en} in {place_en}",
                summary_ja=f"{topic_ja}の現状と対策を各国の研究機関と共同で調べる（デモデータ）。",
                summary_en=f"Partner institutes study {topic_en} and how to address it (demonstration data).",
                field=field,
                working_group=group_of.get(field.pk) if rng.random() < 0.8 else None,
                lead_organisation=lead,
                starts_on=starts,
                ends_on=ends,
                funder=rng.choice(FUNDERS),
                funding_amount=Decimal(rng.randint(5, 120) * 1_000_000),
                funding_currency="JPY",
                status=status,
                visibility=_pick(rng, VISIBILITY_WEIGHTS),
                is_demo=True,
            )
        )
        plans.append((partners, topic_en, place_en))
    projects = _bulk(ResearchProject, projects)
    partner_through = ResearchProject.partner_organisations.through
    country_through = ResearchProject.countries.through
    partner_rows, country_rows, outputs, milestones, links = [], [], [], [], []
    project_type = ContentType.objects.get_for_model(ResearchProject)
    measure_of = {g.pk: g.measure_id for g in groups}
    for project, (partners, topic_en, place_en) in zip(projects, plans, strict=True):
        partner_rows += [partner_through(researchproject_id=project.pk, organisation_id=o.pk) for o in partners]
        countries = dict.fromkeys(o.country_id for o in (project.lead_organisation, *partners) if o.country_id)
        country_rows += [country_through(researchproject_id=project.pk, country_id=c) for c in countries]
        span = (project.ends_on - project.starts_on).days
        for number in range(1, rng.randint(3, 5) + 1):
            due = project.starts_on + dt.timedelta(days=span * number // 6)
            done = due + dt.timedelta(days=rng.randint(-20, 40)) if due < TODAY and rng.random() < 0.85 else None
            milestones.append(
                ResearchMilestone(
                    project=project,
                    title_ja=f"マイルストーン{number}",
                    title_en=f"Milestone {number}",
                    due_on=due,
                    done_on=min(done, TODAY) if done else None,
                    is_demo=True,
                )
            )
        if project.status in (ProjectStatus.ONGOING, ProjectStatus.COMPLETED, ProjectStatus.SUSPENDED):
            latest = min(project.ends_on, TODAY)
            for number in range(1, rng.randint(1, 4 if project.status == ProjectStatus.COMPLETED else 2) + 1):
                kind = _pick(rng, {OutputKind.PUBLICATION: 5, OutputKind.DATASET: 2, OutputKind.POLICY_BRIEF: 2,
                                   OutputKind.OTHER: 1})  # fmt: skip
                published = _day_between(rng, project.starts_on + dt.timedelta(days=180), latest)
                outputs.append(
                    ResearchOutput(
                        project=project,
                        kind=kind,
                        title=OUTPUT_TITLES[kind].format(
                            topic=topic_en.capitalize(), place=place_en, year=published.year
                        ),
                        doi=f"{DOI_PREFIX}/cleanasia-demo.{project.code}.{number}"
                        if kind in (OutputKind.PUBLICATION, OutputKind.DATASET)
                        else "",
                        published_on=min(published, latest),
                        is_demo=True,
                    )
                )
        if project.working_group_id:
            links.append(
                MeasureLink(
                    measure_id=measure_of[project.working_group_id],
                    relation=MeasureLinkRelation.ADVANCES,
                    target_type=project_type,
                    target_id=project.pk,
                )
            )
    partner_through.objects.bulk_create(partner_rows, batch_size=BATCH)
    country_through.objects.bulk_create(country_rows, batch_size=BATCH)
    _bulk(ResearchMilestone, milestones)
    _bulk(ResearchOutput, outputs)
    MeasureLink.objects.bulk_create(links, batch_size=BATCH)
    return projects, len(outputs), len(milestones), len(links)


# --- training --------------------------------------------------------------------------------------


def _programmes(fields: dict[str, Field], groups: list[WorkingGroup]) -> list[TrainingProgramme]:
    group_of = {g.field_id: g for g in groups}
    programmes = []
    for code, field in fields.items():
        topic_ja, topic_en = TOPICS[code][0]
        for number, (kind_ja, kind_en, level) in enumerate(PROGRAMME_KINDS, start=1):
            programmes.append(
                training_services.programme_create(
                    actor=None,
                    code=f"demo-tp-{code}-{number}",
                    field=field,
                    level=level,
                    title_ja=f"{topic_ja}{kind_ja}",
                    title_en=kind_en.format(topic=topic_en),
                    description_ja=f"{topic_ja}について学ぶ研修（デモデータ）。",
                    description_en=f"A course on {topic_en} (demonstration data).",
                    working_group=group_of.get(field.pk),
                    language="ja" if (code, number) == ("waste-3r", 2) else "en",
                    mode=TrainingMode.IN_PERSON,
                    visibility=Visibility.PUBLIC,
                    is_demo=True,
                )
            )
    return programmes


def _sessions(rng: random.Random, scale: int, world: World, programmes: list[TrainingProgramme]) -> list:
    """Sessions of five days (Monday to Friday) from 2015 to early 2027; the last twelfth upcoming."""
    count = -(-TRAINEES_PER_SCALE * scale // TRAINEES_PER_SESSION)
    first, last = dt.date(2015, 1, 5), dt.date(2026, 10, 26)
    sessions = []
    upcoming = max(1, count // 12)
    for index in range(count):
        if index >= count - upcoming:
            monday = dt.date(2027, 1, 11) + dt.timedelta(weeks=(index - (count - upcoming)) % 8)
        else:
            day = _day_between(rng, first, last)
            monday = day - dt.timedelta(days=day.weekday())
        programme = programmes[index % len(programmes)]
        host = rng.choice(["JP", *world.members("asean", monday)])
        online = monday.year in (2020, 2021)
        venue_ja, venue_en = rng.choice(VENUES)
        city_en, city_ja = rng.choice(world.names["countries"][host]["cities"])
        sessions.append(
            training_services.session_create(
                actor=None,
                programme=programme,
                starts_on=monday,
                ends_on=monday + dt.timedelta(days=SESSION_DAYS - 1),
                title_ja=f"{programme.title_ja}（{monday.year}年）",
                title_en=f"{programme.title_en} ({monday:%B %Y})",
                venue_ja="オンライン" if online else f"{city_ja}、{venue_ja}",
                venue_en="Online" if online else f"{venue_en}, {city_en}",
                host_country=None if online else world.countries[host],
                mode=TrainingMode.ONLINE if online else TrainingMode.IN_PERSON,
                call_opens_on=monday - dt.timedelta(days=90),
                # The upcoming sessions (from January 2027) have their call open on TODAY.
                call_closes_on=monday - dt.timedelta(days=28),
                quota_per_country=3,
                is_demo=True,
            )
        )
    return sessions


def _certificate_code(rng: random.Random, used: set[str]) -> str:
    alphabet, length, group = (
        training_services.CODE_ALPHABET,
        training_services.CODE_LENGTH,
        training_services.CODE_GROUP,
    )
    while True:
        raw = "".join(rng.choice(alphabet) for _i in range(length))
        code = "-".join(raw[i : i + group] for i in range(0, length, group))
        if code not in used:
            used.add(code)
            return code


def _training(rng: random.Random, scale: int, world: World, fields, groups) -> dict[str, int]:
    programmes = _programmes(fields, groups)
    sessions = _sessions(rng, scale, world, programmes)
    total = TRAINEES_PER_SCALE * scale
    # Per session: its nominations (country, returning person or None for a new one, gender, state).
    plan: list[tuple[TrainingSession, str, int | None, str, str]] = []
    alumni: dict[str, list[int]] = defaultdict(list)  # country -> indexes of new people already nominated
    people_plan: list[str] = []  # country of each new trainee
    ordered = sorted(sessions, key=lambda s: (s.starts_on, s.pk))
    for index, session in enumerate(ordered):
        wanted = total // len(ordered) + (1 if index < total % len(ordered) else 0)
        countries = world.members("asean", session.starts_on)
        slots = [c for c in countries for _i in range(session.quota_per_country)]
        rng.shuffle(slots)
        held = session.ends_on < TODAY
        taken: set[int] = set()
        for country in slots[:wanted]:
            returning = None
            if alumni[country] and rng.random() < 0.1:
                candidate = rng.choice(alumni[country])
                if candidate not in taken:
                    returning = candidate
            if returning is None:
                returning = len(people_plan)
                people_plan.append(country)
                alumni[country].append(returning)
            taken.add(returning)
            if held:
                state = _pick(rng, {TraineeState.SELECTED: 85, TraineeState.NOT_SELECTED: 7,
                                    TraineeState.WITHDRAWN: 5, TraineeState.WAITLISTED: 3})  # fmt: skip
            else:
                state = _pick(rng, {TraineeState.NOMINATED: 6, TraineeState.SELECTED: 3, TraineeState.WAITLISTED: 1})
            gender = _pick(rng, {Gender.FEMALE: 46, Gender.MALE: 44, Gender.OTHER: 2, Gender.UNDISCLOSED: 8})
            plan.append((session, country, returning, gender, state))
    people = directory_services.person_bulk_create(
        actor=None,
        people=[
            _person(rng, world, code, index, TRAINEE_MAIL_DOMAIN, visibility=Visibility.SECRETARIAT)
            for index, code in enumerate(people_plan)
        ],
    )
    nominations = [
        TraineeNomination(
            session=session,
            person=people[person_index],
            country_id=country,
            gender=gender,
            state=state,
            nominated_by=world.focal_user(country),
            motivation="Works on this topic at a national agency and will share the results with colleagues.",
            is_demo=True,
        )
        for session, country, person_index, gender, state in plan
    ]
    nominations = _bulk(TraineeNomination, nominations)

    attendance, scores, certificates, used_codes = [], [], [], set()
    for nomination in nominations:
        session = nomination.session
        if nomination.state != TraineeState.SELECTED or session.ends_on >= TODAY:
            continue
        weak = rng.random() < 0.06  # a trainee who missed much of the course: no certificate
        attended = 0
        for offset in range(SESSION_DAYS):
            if weak:
                status = _pick(rng, {AttendanceStatus.PRESENT: 4, AttendanceStatus.ABSENT: 4,
                                     AttendanceStatus.EXCUSED: 2})  # fmt: skip
            else:
                status = _pick(rng, {AttendanceStatus.PRESENT: 92, AttendanceStatus.LATE: 6,
                                     AttendanceStatus.EXCUSED: 1, AttendanceStatus.ABSENT: 1})  # fmt: skip
            attended += status in training_services.ATTENDED
            attendance.append(
                AttendanceRecord(
                    nomination=nomination,
                    day=session.starts_on + dt.timedelta(days=offset),
                    status=status,
                    is_demo=True,
                )
            )
        pre = rng.randint(25, 80)
        post = min(100, pre + rng.randint(-5, 35))
        scores.append(AssessmentScore(nomination=nomination, kind=AssessmentKind.PRE, score=Decimal(pre), is_demo=True))
        scores.append(
            AssessmentScore(nomination=nomination, kind=AssessmentKind.POST, score=Decimal(max(0, post)), is_demo=True)
        )
        if attended >= training_services.days_required(session):
            certificates.append(
                Certificate(
                    nomination=nomination,
                    code=_certificate_code(rng, used_codes),
                    name_at_issue=training_services.name_in_session_language(nomination.person, session),
                    issued_on=min(TODAY, session.ends_on + dt.timedelta(days=7)),
                    is_demo=True,
                )
            )
    _bulk(AttendanceRecord, attendance, history=False)  # see the module docstring
    _bulk(AssessmentScore, scores)
    certificates = _bulk(Certificate, certificates)
    revoked = [c for c in certificates if rng.random() < 0.03]
    for certificate in revoked:
        certificate.revoked_on = min(TODAY, certificate.issued_on + dt.timedelta(days=rng.randint(20, 200)))
        certificate.revocation_reason = rng.choice(REVOCATION_REASONS)
    if revoked:
        bulk_update_with_history(
            revoked,
            Certificate,
            ["revoked_on", "revocation_reason"],
            batch_size=BATCH,
            custom_historical_attrs={
                "action_code": training_policy.CERTIFICATE_REVOKED,
                "request_id": current_request_id(),
            },
        )
    tokens, responses = _survey(rng, nominations)
    return {
        "programmes": len(programmes),
        "sessions": len(sessions),
        "trainees": len(people),
        "nominations": len(nominations),
        "attendance records": len(attendance),
        "test scores": len(scores),
        "certificates": len(certificates),
        "revoked certificates": len(revoked),
        "survey tokens": tokens,
        "survey responses": responses,
    }


def _survey(rng: random.Random, nominations: list[TraineeNomination]) -> tuple[int, int]:
    """Tokens (hashes only, shuffled) for the selected trainees of held sessions; about 70 % answered.

    As with the service, nothing ties a token or an answer to a trainee."""
    selected: dict[int, tuple[TrainingSession, int]] = {}
    for nomination in nominations:
        if nomination.state == TraineeState.SELECTED and nomination.session.ends_on < TODAY:
            session, count = selected.get(nomination.session_id, (nomination.session, 0))
            selected[nomination.session_id] = (session, count + 1)
    tokens, responses = [], []
    for _pk, (session, count) in sorted(selected.items()):
        rows = []
        for _i in range(count):
            used = rng.random() < 0.7
            day = min(TODAY, session.ends_on + dt.timedelta(days=rng.randint(0, 10))) if used else None
            rows.append(
                SurveyToken(
                    session=session,
                    token_hash=training_services.token_hash(f"demo-{rng.getrandbits(128):032x}"),
                    used_on=day,
                )
            )
            if used:
                overall = _pick(rng, {5: 45, 4: 35, 3: 14, 2: 4, 1: 2})
                responses.append(
                    SurveyResponse(
                        session=session,
                        answers={
                            "overall": overall,
                            "content": max(1, min(5, overall + rng.choice([-1, 0, 0, 1]))),
                            "relevance": max(1, min(5, overall + rng.choice([-1, 0, 0]))),
                            "organisation": max(1, min(5, overall + rng.choice([-1, 0, 1]))),
                            "comment": "" if rng.random() < 0.8 else "More field visits, please.",
                        },
                        submitted_on=day,
                    )
                )
        rng.shuffle(rows)
        tokens += rows
    rng.shuffle(responses)
    SurveyToken.objects.bulk_create(tokens, batch_size=BATCH)
    SurveyResponse.objects.bulk_create(responses, batch_size=BATCH)
    return len(tokens), len(responses)


# --- know-how packages and needs ---------------------------------------------------------------------


def _packages(rng: random.Random, world: World, fields, providers: list[Organisation]) -> tuple[int, int, int]:
    cases = 0
    for spec in PACKAGES:
        code, kind, codes, title_ja, title_en, problem_ja, problem_en, conditions, cost_min, cost_max, n = spec
        package = package_services.package_create(
            actor=None,
            code=code,
            kind=kind,
            fields=[fields[c] for c in codes],
            title_ja=title_ja,
            title_en=title_en,
            problem_ja=problem_ja,
            problem_en=problem_en,
            fits_where_ja="条件欄を参照。",
            fits_where_en="See the structured conditions.",
            conditions=conditions,
            cost_min=Decimal(cost_min),
            cost_max=Decimal(cost_max),
            cost_currency="JPY",
            cobenefit_evidence_ja="導入事例で汚染物質と温室効果ガスの同時削減が報告されている。" if n > 2 else "",
            cobenefit_evidence_en="Cases report cuts in pollutants and greenhouse gases together." if n > 2 else "",
            providers=rng.sample(providers, k=min(len(providers), 2)),
            visibility=Visibility.PUBLIC,
            is_demo=True,
        )
        for country in rng.sample(sorted(COUNTRY_CONDITIONS), k=n):
            year = rng.randint(2012, 2025)
            package_services.case_add(
                actor=None,
                package=package,
                country=world.countries[country],
                title_ja=f"{world.countries[country].name_ja}での{title_ja}の導入",
                title_en=f"{title_en} in {world.countries[country].name_en}",
                summary_ja="自治体と協力して導入した（デモデータ）。",
                summary_en="Introduced with a local government (demonstration data).",
                year=year,
                source="Demonstration data.",
                is_demo=True,
            )
            cases += 1
    needs = 0
    for country, (population, income, coastal, industrial) in sorted(COUNTRY_CONDITIONS.items()):
        for field_code, title_ja, title_en in rng.sample(NEEDS, k=2):
            need = package_services.need_submit(
                actor=None,
                country=world.countries[country],
                field=fields[field_code],
                title_ja=f"{title_ja}（{world.countries[country].name_ja}）",
                title_en=f"{title_en} ({world.countries[country].name_en})",
                description_en="Registered by the country's focal point (demonstration data).",
                conditions={
                    "urban_population": population,
                    "income": income,
                    "coastal": coastal,
                    "industrial": industrial,
                },
                budget_max=Decimal(rng.choice([50, 200, 1000, 5000]) * 1_000_000),
                budget_currency="JPY",
                visibility=Visibility.SECRETARIAT,
                is_demo=True,
            )
            status = _pick(rng, {NeedStatus.SUBMITTED: 3, NeedStatus.ACKNOWLEDGED: 2, NeedStatus.MATCHED: 1})
            if status != NeedStatus.SUBMITTED:
                package_services.need_set_status(actor=None, need=need, expected_version=need.version, status=status)
            needs += 1
    return len(PACKAGES), cases, needs


# --- the generator -----------------------------------------------------------------------------------


def generate(rng: random.Random, scale: int, stdout: TextIO) -> dict[str, Any]:
    """Create the network's demonstration data (see the module docstring)."""
    world = World()
    fields = _fields()
    own = _organisations(rng, scale, world)
    # The registry's demonstration organisations (directory's and the network's), never real ones.
    organisations = list(Organisation.objects.filter(is_demo=True).order_by("pk"))
    with core_search.suspended():  # the experts are indexed once, in bulk, at the end
        experts = _experts(rng, scale, world, fields, organisations)
        groups, members, items, reports = _groups(rng, world, fields, experts)
    projects, outputs, milestones, links = _projects(rng, scale, world, fields, groups, organisations)
    training = _training(rng, scale, world, fields, groups)
    providers = [o for o in organisations if o.country_id == "JP"]
    packages, cases, needs = _packages(rng, world, fields, providers)
    (tally,) = core_search.index_querysets([ExpertProfile.objects.filter(is_demo=True)])
    return {
        "fields": len(fields),
        "working groups": len(groups),
        "members": members,
        "work plan items": items,
        "annual reports": reports,
        "organisations": len(own),
        "experts": len(experts),
        "research projects": len(projects),
        "outputs": outputs,
        "milestones": milestones,
        "measure links": links + items,
        **training,
        "packages": packages,
        "cases": cases,
        "needs": needs,
        "search entries": tally.entries,
    }


# Deleted in this order (dependants first) by `_delete_demo_rows`; the registry then removes their history rows.
DELETION_ORDER = [
    Certificate,
    AssessmentScore,
    AttendanceRecord,
    TraineeNomination,
    TrainingSession,
    TrainingProgramme,
    CountryNeed,
    PackageCase,
    KnowHowPackage,
    ResearchMilestone,
    ResearchOutput,
    ResearchProject,
    WorkPlanItem,
    WorkingGroupMember,
    WorkingGroup,
    Publication,
    ExpertProfile,
    Field,
]


def _delete_demo_rows() -> int:
    """Remove the network's demonstration rows: index entries and measure links first, then the records,
    the people and organisations it added to the directory, its groups' annual reports.

    The groups' measures and meeting series go with them (their history rows with the progress and
    meetings modules' resets, which run after this one, as do the yearly reporting periods).
    """
    removed = 0
    with core_search.suspended():
        with core_search.bulk_load():
            removed += core_search.remove_queryset(ExpertProfile.objects.filter(is_demo=True))
        for model in (WorkPlanItem, ResearchProject):
            links = MeasureLink.objects.filter(
                target_type=ContentType.objects.get_for_model(model),
                target_id__in=list(model.objects.filter(is_demo=True).values_list("pk", flat=True)),
            )
            removed += links.delete()[0]
        sessions = TrainingSession.objects.filter(is_demo=True)
        removed += SurveyToken.objects.filter(session__in=sessions).delete()[0]
        removed += SurveyResponse.objects.filter(session__in=sessions).delete()[0]
        group_measures = WorkingGroup.objects.filter(is_demo=True).values("measure_id")
        removed += ProgressReport.objects.filter(is_demo=True, measure_id__in=group_measures).delete()[0]
        group_rows = WorkingGroup.objects.filter(is_demo=True)
        measure_ids = list(group_rows.exclude(measure=None).values_list("measure_id", flat=True))
        series_ids = list(group_rows.exclude(meeting_series=None).values_list("meeting_series_id", flat=True))
        # The affiliations of the network's people go without signals: each one's post_delete would re-index
        # the person's (already removed) expert entry, a dozen queries apiece.
        # By the people's ids, in chunks, without a join: PostgreSQL planned the joined form as a nested loop
        # over the whole table (minutes at scale 1).
        people = list(Person.objects.filter(is_demo=True, source=NETWORK_SOURCE).values_list("pk", flat=True))
        for start in range(0, len(people), DELETE_CHUNK):
            affiliations = Affiliation.objects.filter(is_demo=True, person_id__in=people[start : start + DELETE_CHUNK])
            removed += affiliations._raw_delete(affiliations.db)
        # The people go after the records that protect them, the groups' measures and series after the
        # groups, the fields last.
        steps = [model.objects.filter(is_demo=True) for model in DELETION_ORDER if model is not Field]
        steps += [
            Person.objects.filter(is_demo=True, source=NETWORK_SOURCE),
            Measure.objects.filter(is_demo=True, pk__in=measure_ids),
            MeetingSeries.objects.filter(is_demo=True, pk__in=series_ids),
            Field.objects.filter(is_demo=True),
        ]
        for qs in steps:
            try:
                removed += qs.delete()[0]
            except (ProtectedError, RestrictedError) as exc:
                objs = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
                blockers = sorted({str(obj._meta.verbose_name) for obj in objs})
                raise DemoDataError(
                    f"Cannot remove the demonstration {qs.model._meta.verbose_name_plural} of the network: real "
                    f"records ({', '.join(blockers)}) refer to them. Remove or re-point those first."
                ) from exc
        organisations = Organisation.objects.filter(is_demo=True, source=NETWORK_SOURCE)
        try:
            removed += organisations.delete()[0]
        except (ProtectedError, RestrictedError) as exc:
            raise DemoDataError(
                "Cannot remove the network's demonstration organisations: real records refer to them. "
                "Remove or re-point those first."
            ) from exc
    return removed


assert set(search_registrations.MODELS) == {ExpertProfile}  # the reset removes exactly these entries
register("network", generate, models=DELETION_ORDER, before_reset=_delete_demo_rows)
