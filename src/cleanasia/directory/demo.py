"""Demonstration organisations, people and affiliations in the ASEAN and East Asia Summit countries.

Invented but plausible: organisations such as "Institute for Environmental
Studies of Da Nang" / 「ダナン環境研究所」, people combined from per-country name
parts (data/demo_names.json). Every row is `is_demo` and shown with the DEMO
badge; affiliations only ever point at demonstration organisations, so no
invented person appears on a real ministry's page.

Per unit of scale: 40 organisations, 400 people, about 520 affiliations. Rows
are inserted in bulk with their history rows, so `--scale 100` (40,000
people) takes seconds, not hours.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from typing import Any, TextIO

from cleanasia.core.demo import DemoDataError, register
from cleanasia.core.models import Visibility

from . import services
from .models import Affiliation, Country, Organisation, Person
from .reference import read_data

ORGANISATIONS_PER_SCALE = 40
PEOPLE_PER_SCALE = 400
DEMO_SOURCE = "Demonstration data: invented by `cleanasia seed_demo`, not a real record."
PEOPLE_MAIL_DOMAIN = "people.demo.cleanasia.invalid"

# How many demonstration records each country gets, relatively (the initiative's focus is ASEAN and Japan).
COUNTRY_WEIGHTS = {
    "JP": 6, "VN": 4, "TH": 4, "ID": 3, "MY": 3, "PH": 3, "CN": 3, "KR": 3, "IN": 2, "KH": 2,
    "LA": 2, "MM": 2, "SG": 2, "BN": 1, "TL": 1, "AU": 1, "NZ": 1, "US": 1, "RU": 1,
}  # fmt: skip
VISIBILITY_WEIGHTS = {Visibility.PUBLIC: 5, Visibility.MEMBERS: 3, Visibility.SECRETARIAT: 2}
HONORIFICS = ["", "", "", "Dr.", "Prof."]
FIRST_DAY, LAST_DAY = dt.date(2005, 1, 1), dt.date(2024, 12, 31)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _countries() -> dict[str, Country]:
    countries = {c.code: c for c in Country.objects.filter(code__in=COUNTRY_WEIGHTS).order_by("code")}
    if len(countries) != len(COUNTRY_WEIGHTS):
        raise DemoDataError("Countries are missing: run `cleanasia load_reference` first.")
    return countries


def _organisations(rng: random.Random, count: int, names: dict[str, Any], countries: dict[str, Country]) -> list:
    used: Counter[str] = Counter()
    templates = names["organisation_templates"]
    rows = []
    for _i in range(count):
        code = _pick(rng, COUNTRY_WEIGHTS)
        city_en, city_ja = rng.choice(names["countries"][code]["cities"])
        template = rng.choice(templates)
        name_en = template["en"].format(city=city_en)
        name_ja = template["ja"].format(city=city_ja)
        used[name_en] += 1
        if used[name_en] > 1:  # a second institute of the same kind in the same city
            name_en, name_ja = f"{name_en}, Branch {used[name_en]}", f"{name_ja}第{used[name_en]}分所"
        # One in ten non-Japanese organisations has no Japanese name yet: pages then show the marker.
        if code != "JP" and rng.random() < 0.1:
            name_ja = ""
        rows.append(
            Organisation(
                name_ja=name_ja,
                name_en=name_en,
                kind=template["kind"],
                country=countries[code],
                source=DEMO_SOURCE,
                is_demo=True,
            )
        )
    return rows


def _person(rng: random.Random, index: int, code: str, spec: dict[str, Any], country: Country) -> Person:
    family_en, family_ja = rng.choice(spec["family"])
    given_en, given_ja = rng.choice(spec["given"])
    single = spec["order"] == "single"  # Myanmar: no family name, the two parts make one name
    name_en = f"{given_en} {family_en}" if spec["order"] == "given_first" else f"{family_en} {given_en}"
    given_first_ja = spec["ja_order"] == "given_first" and not single
    first, second = (given_ja, family_ja) if given_first_ja else (family_ja, given_ja)
    name_ja = f"{first}{spec['ja_sep']}{second}"
    # Japanese people are always written in Japanese; others only sometimes, so the fallback marker shows.
    if code != "JP" and rng.random() >= 0.6:
        name_ja = ""
    email = ""
    if rng.random() < 0.4:
        email = f"{_ascii(name_en).replace(' ', '.').replace('-', '')}.{index}@{PEOPLE_MAIL_DOMAIN}"
    return Person(
        name_ja=name_ja,
        name_en=name_en,
        family_name="" if single else family_en,
        given_name=name_en if single else given_en,
        honorific=rng.choice(HONORIFICS),
        country=country,
        email=email,
        visibility=_pick(rng, VISIBILITY_WEIGHTS),
        source=DEMO_SOURCE,
        is_demo=True,
    )


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _affiliations(
    rng: random.Random, people: list[Person], organisations: list[Organisation], positions: list[dict[str, str]]
) -> list[Affiliation]:
    by_country: dict[str, list[Organisation]] = {}
    for organisation in organisations:
        by_country.setdefault(organisation.country_id, []).append(organisation)
    rows = []
    for person in people:
        pool = by_country.get(person.country_id) or organisations
        current = rng.choice(pool)
        started = _day(rng, FIRST_DAY, LAST_DAY)
        position = rng.choice(positions)
        rows.append(_affiliation(person, current, position, started, None))
        if rng.random() < 0.3:  # a previous post, ending the day before the current one began
            earlier = rng.choice(pool)
            began = started - dt.timedelta(days=rng.randrange(2 * 365, 8 * 365))
            rows.append(_affiliation(person, earlier, rng.choice(positions), began, started - dt.timedelta(days=1)))
    return rows


def _affiliation(person: Person, organisation: Organisation, position: dict[str, str], start, end) -> Affiliation:
    return Affiliation(
        person=person,
        organisation=organisation,
        position_ja=position["ja"],
        position_en=position["en"],
        started_on=start,
        ended_on=end,
        source=DEMO_SOURCE,
        is_demo=True,
    )


def generate(rng: random.Random, scale: int, stdout: TextIO) -> dict[str, Any]:
    """Create 40 x scale organisations, 400 x scale people and their affiliations."""
    names = read_data("demo_names.json")
    countries = _countries()
    organisations = services.organisation_bulk_create(
        actor=None, organisations=_organisations(rng, ORGANISATIONS_PER_SCALE * scale, names, countries)
    )
    people = []
    for index in range(PEOPLE_PER_SCALE * scale):
        code = _pick(rng, COUNTRY_WEIGHTS)
        people.append(_person(rng, index, code, names["countries"][code], countries[code]))
    people = services.person_bulk_create(actor=None, people=people)
    affiliations = services.affiliation_bulk_create(
        actor=None, affiliations=_affiliations(rng, people, organisations, names["positions"])
    )
    return {"organisations": len(organisations), "people": len(people), "affiliations": len(affiliations)}


register("directory", generate, models=[Affiliation, Person, Organisation])
