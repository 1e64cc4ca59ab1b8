"""The directory's reference data: countries, country groups, organisations and people.

Countries come from pycountry (ISO 3166-1): English names with the small
override map in data/country_names.json, Japanese names from pycountry's own
gettext catalogue, official names as pycountry gives them. Countries follow
pycountry: a newer pycountry updates them.

Groups, memberships, organisations and people come from the JSON files in
data/, each row with its source. For these, loading never overwrites a
secretariat edit: a record is updated from the file only while its latest
history row is the loader's own (`*.loaded`); a record someone edited since is
kept as it is and reported. Records are found by natural keys: group code;
(group, country, joined_on); (country, English name) for organisations and
people, or the English name the loader last wrote, so a renamed record is still
recognised; (person, organisation, start date) for affiliations.

`load_reference()` is idempotent: a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
import gettext
import json
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.db import models, transaction

from cleanasia.core.reference import Tally, last_action, sync_existing  # noqa: F401  (re-exported)

from . import services
from .models import Affiliation, Country, CountryGroup, GroupMembership, Organisation, Person

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_data(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# --- countries ---------------------------------------------------------------


@cache
def _japanese_catalogue() -> gettext.NullTranslations:
    # pycountry ships the iso-codes translations; the msgids are the ISO English names.
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"])


def country_rows() -> list[dict[str, str]]:
    """One dict per ISO 3166-1 country: code, alpha3, numeric, name_en, name_ja, official_name."""
    overrides = {code: entry["name"] for code, entry in read_data("country_names.json")["names_en"].items()}
    ja = _japanese_catalogue()
    rows = []
    for country in pycountry.countries:
        translated = ja.gettext(country.name)
        rows.append(
            {
                "code": country.alpha_2,
                "alpha3": country.alpha_3,
                "numeric": country.numeric,
                "name_en": overrides.get(country.alpha_2) or getattr(country, "common_name", None) or country.name,
                # gettext answers the msgid itself when the catalogue has no entry: leave ja empty then,
                # so that pages show the English name with the "not yet translated" marker.
                "name_ja": "" if translated == country.name else translated,
                "official_name": getattr(country, "official_name", "") or "",
            }
        )
    return sorted(rows, key=lambda row: row["code"])


def load_countries() -> Tally:
    """Create or update every ISO 3166-1 country from pycountry (countries have no history: pycountry rules)."""
    tally = Tally("countries")
    existing = {c.code: c for c in Country.objects.all()}
    new, changed = [], []
    fields = ["alpha3", "numeric", "name_en", "name_ja", "official_name"]
    for row in country_rows():
        current = existing.get(row["code"])
        if current is None:
            new.append(Country(**row))
            continue
        if all(getattr(current, f) == row[f] for f in fields):
            tally.unchanged += 1
            continue
        for f in fields:
            setattr(current, f, row[f])
        changed.append(current)
    Country.objects.bulk_create(new)
    Country.objects.bulk_update(changed, fields)
    tally.created, tally.updated = len(new), len(changed)
    return tally


def _find_by_loaded_name(model: type[models.Model], loaded_code: str, country: Country | None, name_en: str) -> Any:
    """The record whose current English name is `name_en`, or that the loader once wrote with that name."""
    found = model._default_manager.filter(is_demo=False, country=country, name_en=name_en).order_by("pk").first()
    if found is not None:
        return found
    pk = (
        model.history.filter(action_code=loaded_code, name_en=name_en, country_id=country.pk if country else None)  # type: ignore[attr-defined]
        .order_by("-history_id")
        .values_list("id", flat=True)
        .first()
    )
    return model._default_manager.filter(pk=pk).first() if pk else None


# --- country groups and memberships ---------------------------------------------


def load_country_groups() -> tuple[Tally, Tally]:
    groups_tally, members_tally = Tally("country groups"), Tally("group memberships")
    countries = {c.code: c for c in Country.objects.all()}
    for row in read_data("country_groups.json")["groups"]:
        wanted = {k: row[k] for k in ("name_ja", "name_en", "description_ja", "description_en", "source")}
        group = CountryGroup.objects.filter(code=row["code"]).first()
        if group is None:
            group = services.country_group_create(
                actor=None, code=row["code"], action_code=services.GROUP_LOADED, **wanted
            )
            groups_tally.created += 1
        else:
            group = sync_existing(
                groups_tally,
                group,
                wanted,
                loaded_code=services.GROUP_LOADED,
                update=lambda **kw: services.country_group_update(group=group, **kw),  # noqa: B023 (called at once)
                describe=f"group {row['code']}",
            )
        for member in row["memberships"]:
            _load_membership(members_tally, group, countries[member["country"]], member)
    return groups_tally, members_tally


def _load_membership(tally: Tally, group: CountryGroup, country: Country, row: dict[str, Any]) -> None:
    joined_on = _date(row["joined_on"])
    wanted = {"left_on": _date(row.get("left_on")), "note": row.get("note", ""), "source": row["source"]}
    membership = GroupMembership.objects.filter(group=group, country=country, joined_on=joined_on).first()
    describe = f"{group.code} membership of {country.code} from {joined_on}"
    if membership is None:
        try:
            services.group_membership_add(
                actor=None,
                group=group,
                country=country,
                joined_on=joined_on,
                action_code=services.MEMBERSHIP_LOADED,
                **wanted,
            )
        except ValidationError as exc:
            # Overlaps a membership the secretariat recorded differently: theirs stands.
            tally.kept.append(f"{describe}: not loaded ({'; '.join(exc.messages)})")
            return
        tally.created += 1
        return
    sync_existing(
        tally,
        membership,
        wanted,
        loaded_code=services.MEMBERSHIP_LOADED,
        update=lambda **kw: services.group_membership_update(membership=membership, **kw),
        describe=describe,
    )


# --- organisations -----------------------------------------------------------------


def load_organisations() -> tuple[Tally, dict[str, Organisation]]:
    """Load data/organisations.json; returns the tally and the organisations by their key in the file."""
    tally = Tally("organisations")
    by_key: dict[str, Organisation] = {}
    countries = {c.code: c for c in Country.objects.all()}
    for row in read_data("organisations.json")["organisations"]:
        country = countries[row["country"]] if row["country"] else None
        wanted = {
            "name_ja": row["name_ja"],
            "name_en": row["name_en"],
            "acronym": row["acronym"],
            "kind": row["kind"],
            "country": country,
            "parent": by_key[row["parent"]] if row["parent"] else None,
            "website": row["website"],
            "alternative_names": row["alternative_names"],
            "source": row["source"],
        }
        organisation = _find_by_loaded_name(Organisation, services.ORGANISATION_LOADED, country, row["name_en"])
        if organisation is None:
            organisation = services.organisation_create(actor=None, action_code=services.ORGANISATION_LOADED, **wanted)
            tally.created += 1
        else:
            organisation = sync_existing(
                tally,
                organisation,
                wanted,
                loaded_code=services.ORGANISATION_LOADED,
                update=lambda organisation=organisation, **kw: services.organisation_update(
                    organisation=organisation, **kw
                ),
                describe=f"organisation {row['key']}",
            )
        by_key[row["key"]] = organisation
    return tally, by_key


# --- people and their affiliations ---------------------------------------------------


def load_people(organisations: dict[str, Organisation]) -> tuple[Tally, Tally]:
    people_tally, affiliations_tally = Tally("people"), Tally("affiliations")
    countries = {c.code: c for c in Country.objects.all()}
    for row in read_data("people.json")["people"]:
        country = countries[row["country"]] if row["country"] else None
        wanted = {
            "name_ja": row["name_ja"],
            "name_en": row["name_en"],
            "family_name": row["family_name"],
            "given_name": row["given_name"],
            "honorific": row["honorific"],
            "country": country,
            "visibility": row["visibility"],
            "source": row["source"],
        }
        person = _find_by_loaded_name(Person, services.PERSON_LOADED, country, row["name_en"])
        if person is None:
            person = services.person_create(actor=None, action_code=services.PERSON_LOADED, **wanted)
            people_tally.created += 1
        else:
            person = sync_existing(
                people_tally,
                person,
                wanted,
                loaded_code=services.PERSON_LOADED,
                update=lambda person=person, **kw: services.person_update(person=person, **kw),
                describe=f"person {row['key']}",
            )
        for item in row["affiliations"]:
            _load_affiliation(affiliations_tally, person, organisations[item["organisation"]], item)
    return people_tally, affiliations_tally


def _load_affiliation(tally: Tally, person: Person, organisation: Organisation, row: dict[str, Any]) -> None:
    started_on = _date(row["started_on"])
    wanted = {
        "position_ja": row["position_ja"],
        "position_en": row["position_en"],
        "ended_on": _date(row["ended_on"]),
        "source": row["source"],
    }
    affiliation = Affiliation.objects.filter(person=person, organisation=organisation, started_on=started_on).first()
    if affiliation is None:
        services.affiliation_add(
            actor=None,
            person=person,
            organisation=organisation,
            started_on=started_on,
            action_code=services.AFFILIATION_LOADED,
            **wanted,
        )
        tally.created += 1
        return
    sync_existing(
        tally,
        affiliation,
        wanted,
        loaded_code=services.AFFILIATION_LOADED,
        update=lambda **kw: services.affiliation_update(affiliation=affiliation, **kw),
        describe=f"affiliation of {person.name_en} with {organisation.name_en}",
    )


def load_reference() -> list[Tally]:
    """Load all of the directory's reference data in one transaction; returns what was done, per kind."""
    with transaction.atomic():
        countries = load_countries()
        groups, memberships = load_country_groups()
        organisations, by_key = load_organisations()
        people, affiliations = load_people(by_key)
    return [countries, groups, memberships, organisations, people, affiliations]
