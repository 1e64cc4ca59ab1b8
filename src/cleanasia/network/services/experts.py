"""Every write of the expert directory: nomination, acceptance, consent to a public listing, profile edits,
affiliations, publications, and the merge of duplicate records.

Each function takes the acting user (`actor=None` is the system), checks the
policy (PermissionDenied), validates (ValidationError naming the field), writes
in one transaction and marks the history row with its action code
(policies.experts).

One person, one record: an expert is a directory.Person with an ExpertProfile.
A nomination whose e-mail address (any case) or ORCID iD is already in the
directory is refused, naming the record it matches (`expert_duplicates` lists
them for the page, which offers the merge); `expert_merge` folds a duplicate
into the record kept. ORCID iDs are stored as 0000-0002-1825-0097 and their
check digit (ISO 7064 MOD 11-2) is verified. Organisations come from the one
registry: an affiliation names an existing organisation by any of its names,
acronym or alternative spellings before a new one is created.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import CHANGE, can, is_secretariat
from cleanasia.core.search import normalise
from cleanasia.directory import services as directory
from cleanasia.directory.models import Affiliation, Country, Organisation, Person

from ..models import ExpertProfile, Field, NominationState, Publication, TraineeNomination
from ..policies import experts as policy

# What a nomination form may give of a new person (contact details stay on the person, never public).
PERSON_FIELDS = ("name_ja", "name_en", "family_name", "given_name", "honorific", "country", "email", "phone")
# What an edit of the profile may change; the state and the consent have their own services.
EDITABLE = frozenset({"fields", "keywords", "languages", "orcid", "biography_ja", "biography_en", "visibility"})
# What an affiliation given with a nomination may say (see expert_affiliation_add).
AFFILIATION_FIELDS = frozenset(
    {
        "organisation",
        "organisation_name",
        "organisation_country",
        "position_ja",
        "position_en",
        "started_on",
        "ended_on",
    }
)

_ORCID_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)
_ORCID_COMPACT = re.compile(r"[0-9]{15}[0-9X]")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")
# Kana and CJK ideographs: a name written with them is the Japanese name.
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


# --- helpers --------------------------------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any, message: Any) -> None:
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def _save_changed(instance: Any, *, actor: Any, action_code: str) -> Any:
    instance.version += 1
    mark_action(instance, action_code, actor=actor)
    instance.save()
    return instance


def _person_of(record: ExpertProfile | Person) -> Person:
    return record.person if isinstance(record, ExpertProfile) else record


def _expert_of(person: Person) -> ExpertProfile | None:
    return ExpertProfile.objects.filter(person=person).first()


def _describe(person: Person) -> str:
    country = person.country.name_en if person.country_id else _("no country")
    return f"{person.name_en or person.name_ja} ({country})"


# --- identifiers and lists ------------------------------------------------------------------------


def orcid_check_digit(digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character of an ORCID iD's first 15 digits ("X" stands for 10)."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_normalise(value: str | None) -> str | None:
    """An ORCID iD as 0000-0002-1825-0097, however written (address, no hyphens, lower-case x, full-width
    digits); None when blank. A malformed iD or a wrong check digit is refused on `orcid`."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return None
    compact = _ORCID_PREFIX.sub("", text).replace("-", "").replace(" ", "").upper()
    if not _ORCID_COMPACT.fullmatch(compact):
        raise ValidationError(
            {
                "orcid": _(
                    "“%(value)s” is not an ORCID iD. An ORCID iD has sixteen characters in four groups, "
                    "such as 0000-0002-1825-0097 (the last may be X)."
                )
                % {"value": text}
            }
        )
    formatted = "-".join(compact[i : i + 4] for i in range(0, 16, 4))
    if orcid_check_digit(compact[:15]) != compact[15]:
        raise ValidationError(
            {
                "orcid": _(
                    "The ORCID iD %(value)s has a wrong check digit (its last character): a character was "
                    "probably mistyped. Copy the iD again from the expert's ORCID record."
                )
                % {"value": formatted}
            }
        )
    return formatted


def keywords_normalise(keywords: str | Iterable[str]) -> str:
    """Keywords one per line: width unified (NFKC), spaces collapsed, each once whatever its case."""
    items = keywords.splitlines() if isinstance(keywords, str) else list(keywords or ())
    kept: list[str] = []
    seen: set[str] = set()
    for item in items:
        keyword = " ".join(unicodedata.normalize("NFKC", str(item)).split())
        if keyword and keyword.casefold() not in seen:
            seen.add(keyword.casefold())
            kept.append(keyword)
    return "\n".join(kept)


def languages_clean(codes: str | Iterable[str]) -> list[str]:
    """ISO 639-1 codes, lower case, each once; an unknown code is refused on `languages`."""
    items = re.split(r"[\s,]+", codes) if isinstance(codes, str) else list(codes or ())
    found: list[str] = []
    for item in items:
        code = str(item).strip().lower()
        if not code:
            continue
        if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
            raise ValidationError(
                {
                    "languages": _("“%(code)s” is not a language code: use the two letters of ISO 639-1 (ja, en, vi).")
                    % {"code": item}
                }
            )
        if code not in found:
            found.append(code)
    return found


def fields_resolve(values: Iterable[Field | str]) -> list[Field]:
    """Fields given as records or codes; unknown codes and fields no longer in use are refused on `fields`."""
    items = list(values or ())
    codes = [v for v in items if not isinstance(v, Field)]
    found = {f.code: f for f in Field.objects.filter(code__in=codes)} if codes else {}
    unknown = [str(code) for code in codes if code not in found]
    if unknown:
        raise ValidationError(
            {
                "fields": _("Unknown field: %(codes)s. Choose among the network's fields.")
                % {"codes": ", ".join(unknown)}
            }
        )
    chosen = [v if isinstance(v, Field) else found[v] for v in items]
    retired = [str(f) for f in chosen if not f.is_active]
    if retired:
        raise ValidationError(
            {"fields": _("No longer in use: %(names)s. Choose a current field.") % {"names": ", ".join(retired)}}
        )
    return list(dict.fromkeys(chosen))


def _country(value: Country | str | None) -> Country | None:
    if value is None or isinstance(value, Country):
        return value
    code = str(value).strip().upper()
    if not code:
        return None
    country = Country.objects.filter(pk=code).first()
    if country is None:
        raise ValidationError(
            {"country": _("“%(code)s” is not a country code (ISO 3166-1, e.g. VN).") % {"code": value}}
        )
    return country


def _visibility(value: str) -> str:
    if value not in Visibility.values:
        raise ValidationError({"visibility": _("Choose public, signed-in members, named groups or secretariat only.")})
    return value


# --- duplicates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    """A record already in the directory that is the same person: its person, its expert profile (if any),
    and what matched ("email", "orcid")."""

    person: Person
    expert: ExpertProfile | None
    matched_on: tuple[str, ...]

    def message(self, field: str) -> str:
        what = _("this e-mail address") if field == "email" else _("this ORCID iD")
        if self.expert is None:
            return _(
                "%(person)s is already in the directory of people with %(what)s, though not as an expert: "
                "nominate that person rather than creating a second record of them."
            ) % {"person": _describe(self.person), "what": what}
        return _(
            "%(person)s is already in the expert directory with %(what)s (%(state)s, record %(id)s). "
            "A person is listed once: merge into that record instead of adding them again."
        ) % {
            "person": _describe(self.person),
            "what": what,
            "state": self.expert.get_state_display().lower(),
            "id": self.expert.pk,
        }


def expert_duplicates(
    *,
    person_data: Mapping[str, Any] | None = None,
    email: str = "",
    orcid: str | None = "",
    exclude: ExpertProfile | Person | None = None,
) -> list[Duplicate]:
    """Records of the same person: the same e-mail address (any case) on a directory person, or the same
    ORCID iD on an expert profile. `person_data` may carry the address; `exclude` (the record being edited)
    is left out. A malformed ORCID iD is refused on `orcid`."""
    address = str((person_data or {}).get("email") or email or "").strip()
    identifier = orcid_normalise(orcid)
    condition = Q()
    if address:
        condition |= Q(email__iexact=address)
    if identifier:
        condition |= Q(expert_profile__orcid=identifier)
    if not condition:
        return []
    people = Person.objects.filter(condition).select_related("country", "expert_profile").order_by("pk")
    if exclude is not None:
        people = people.exclude(pk=_person_of(exclude).pk)
    found = []
    for person in people:
        expert = getattr(person, "expert_profile", None)
        matched = []
        if address and person.email.casefold() == address.casefold():
            matched.append("email")
        if identifier and expert is not None and expert.orcid == identifier:
            matched.append("orcid")
        found.append(Duplicate(person=person, expert=expert, matched_on=tuple(matched)))
    return found


def _refuse_duplicates(duplicates: list[Duplicate]) -> None:
    errors = {
        field: [d.message(field) for d in duplicates if field in d.matched_on]
        for field in ("email", "orcid")
        if any(field in d.matched_on for d in duplicates)
    }
    if errors:
        raise ValidationError(errors)


# --- organisations from the one registry ----------------------------------------------------------


def organisation_matches(*, name: str, country: Country | None = None) -> list[Organisation]:
    """Organisations of the registry called `name` by any of their names, acronym or alternative spellings,
    compared width- and case-insensitively (NFKC, casefolded, spaces collapsed); of `country`, or without a
    country (international bodies), when a country is given.

    Normalised forms cannot be compared in SQL on both databases, so the names are compared here (one query).
    """
    wanted = normalise(name)
    if not wanted:
        return []
    candidates = Organisation.objects.all()
    if country is not None:
        candidates = candidates.filter(Q(country=country) | Q(country__isnull=True))
    ids = [
        pk
        for pk, name_ja, name_en, acronym, alternatives in candidates.values_list(
            "pk", "name_ja", "name_en", "acronym", "alternative_names"
        )
        if wanted in {normalise(str(n or "")) for n in (name_ja, name_en, acronym, *(alternatives or []))}
    ]
    return list(Organisation.objects.filter(pk__in=ids).select_related("country").order_by("pk"))


def organisation_find_or_create(*, actor: Any, name: str, country: Country | None) -> Organisation:
    """The registry's organisation called `name` (see organisation_matches), created in `country` if none is.

    Several matches are refused on `organisation_name`, naming them, so the user chooses.
    """
    name = " ".join(unicodedata.normalize("NFKC", name or "").split())
    if not name:
        raise ValidationError({"organisation_name": _("Choose the organisation or write its name.")})
    matches = organisation_matches(name=name, country=country)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValidationError(
            {
                "organisation_name": _(
                    "Several organisations of the registry are called “%(name)s”: %(matches)s. Choose one of them."
                )
                % {"name": name, "matches": "; ".join(f"{o} (#{o.pk})" for o in matches)}
            }
        )
    japanese = bool(_JAPANESE.search(name))
    return directory.organisation_create(
        actor=actor, name_ja=name if japanese else "", name_en="" if japanese else name, country=country
    )


def _affiliation_add(
    actor: Any,
    expert: ExpertProfile,
    *,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    organisation_country: Country | str | None = None,
    position_ja: str = "",
    position_en: str = "",
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
) -> Affiliation:
    if organisation is None:
        country = _country(organisation_country) if organisation_country is not None else expert.person.country
        organisation = organisation_find_or_create(actor=actor, name=organisation_name, country=country)
    return directory.affiliation_add(
        actor=actor,
        person=expert.person,
        organisation=organisation,
        position_ja=(position_ja or "").strip(),
        position_en=(position_en or "").strip(),
        started_on=started_on,
        ended_on=ended_on,
    )


def expert_affiliation_add(
    *,
    actor: Any,
    expert: ExpertProfile,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    organisation_country: Country | str | None = None,
    position_ja: str = "",
    position_en: str = "",
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
) -> Affiliation:
    """Add a position to an expert's affiliation history.

    The organisation is a registry record, or found by `organisation_name` among the organisations of
    `organisation_country` (by default the expert's country) and international ones, and created only when
    none is called so.
    """
    _require(actor, CHANGE, expert, _("Only the secretariat, the expert or their country's focal point changes it."))
    with transaction.atomic():
        return _affiliation_add(
            actor,
            expert,
            organisation=organisation,
            organisation_name=organisation_name,
            organisation_country=organisation_country,
            position_ja=position_ja,
            position_en=position_en,
            started_on=started_on,
            ended_on=ended_on,
        )


# --- nomination and decision ----------------------------------------------------------------------


def _clean_person_data(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(data) - set(PERSON_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set on a person.") for name in unknown})
    cleaned = {name: str(data.get(name) or "").strip() for name in PERSON_FIELDS if name != "country"}
    cleaned["country"] = _country(data.get("country"))
    return cleaned


def _check_nominating_country(actor: Any, country: Country) -> None:
    if actor is None or is_secretariat(actor):
        return
    own = policy.focal_countries(actor)
    if country.pk not in own:
        raise ValidationError(
            {
                "country": _(
                    "You are the focal point of %(own)s; experts of %(country)s are nominated by its own focal "
                    "point or by the secretariat."
                )
                % {"own": ", ".join(sorted(own)), "country": country.name_en}
            }
        )


def expert_nominate(
    *,
    actor: Any,
    person: Person | None = None,
    person_data: Mapping[str, Any] | None = None,
    fields: Iterable[Field | str] = (),
    keywords: str | Iterable[str] = (),
    languages: str | Iterable[str] = (),
    orcid: str | None = "",
    biography_ja: str = "",
    biography_en: str = "",
    listed_publicly: bool = False,
    affiliations: Iterable[Mapping[str, Any]] = (),
    visibility: str = Visibility.MEMBERS,
) -> ExpertProfile:
    """Nominate an expert: a person of the directory (`person`) or a new one (`person_data`: PERSON_FIELDS).

    A focal point nominates experts of their own country; the secretariat any. The
    same e-mail address or ORCID iD already in the directory is refused, naming the
    record it matches (merge rather than add twice). `listed_publicly` records the
    person's consent to a public listing, dated today. `visibility`: who among the
    signed-in members sees the expert once accepted. Errors in `affiliations` are
    named by row: "affiliations.0.organisation_name".
    """
    _require(actor, policy.NOMINATE, ExpertProfile, _("Only a country's focal point or the secretariat nominates."))
    if (person is None) == (person_data is None):
        raise ValidationError(
            {"person": _("Choose the person from the directory, or give the new expert's details (not both).")}
        )
    data = _clean_person_data(person_data) if person_data is not None else None
    country = person.country if person is not None else data["country"]
    if country is None:
        raise ValidationError(
            {"country": _("Give the expert's country: the focal points of that country look after the record.")}
        )
    _check_nominating_country(actor, country)
    if person is not None and (existing := _expert_of(person)) is not None:
        raise ValidationError(
            {
                "person": _("%(person)s is already in the expert directory (%(state)s).")
                % {"person": _describe(person), "state": existing.get_state_display().lower()}
            }
        )
    identifier = orcid_normalise(orcid)
    chosen_fields = fields_resolve(fields)
    values = {
        "keywords": keywords_normalise(keywords),
        "languages": languages_clean(languages),
        "biography_ja": (biography_ja or "").strip(),
        "biography_en": (biography_en or "").strip(),
        "visibility": _visibility(visibility),
    }
    rows = [dict(row) for row in affiliations]
    for index, row in enumerate(rows):
        unknown = sorted(set(row) - AFFILIATION_FIELDS)
        if unknown:
            raise ValidationError(
                {f"affiliations.{index}.{name}": _("This cannot be set on an affiliation.") for name in unknown}
            )
    _refuse_duplicates(
        expert_duplicates(email=person.email if person is not None else data["email"], orcid=identifier, exclude=person)
    )
    with transaction.atomic():
        if person is None:
            person = directory.person_create(actor=actor, **data)
        expert = ExpertProfile(
            person=person,
            orcid=identifier,
            listed_publicly=bool(listed_publicly),
            listing_consent_on=timezone.localdate() if listed_publicly else None,
            nominated_by=actor if policy.signed_in(actor) else None,
            **values,
        )
        expert.full_clean()
        mark_action(expert, policy.EXPERT_NOMINATED, actor=actor)
        expert.save()
        expert.fields.set(chosen_fields)
        for index, row in enumerate(rows):
            try:
                _affiliation_add(actor, expert, **row)
            except ValidationError as exc:
                raise ValidationError(
                    {f"affiliations.{index}.{name}": errors for name, errors in exc.message_dict.items()}
                ) from exc
    return expert


def _decide(actor: Any, expert: ExpertProfile, state: str, action_code: str) -> ExpertProfile:
    _require(actor, policy.DECIDE, expert, _("Only the secretariat accepts or declines nominated experts."))
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
        if locked.state != NominationState.NOMINATED:
            raise ValidationError(
                {
                    "state": _("This expert is already %(state)s; only a nomination is accepted or declined.")
                    % {"state": locked.get_state_display().lower()}
                }
            )
        locked.state = state
        locked.decided_on = timezone.localdate()
        return _save_changed(locked, actor=actor, action_code=action_code)


def expert_accept(*, actor: Any, expert: ExpertProfile) -> ExpertProfile:
    """Accept a nominated expert into the directory (the secretariat); dated today."""
    return _decide(actor, expert, NominationState.ACCEPTED, policy.EXPERT_ACCEPTED)


def expert_decline(*, actor: Any, expert: ExpertProfile) -> ExpertProfile:
    """Decline a nomination (the secretariat); the record stays, with its history, and is never listed."""
    return _decide(actor, expert, NominationState.DECLINED, policy.EXPERT_DECLINED)


# --- consent, edits, publications -----------------------------------------------------------------


def expert_consent_set(*, actor: Any, expert: ExpertProfile, listed: bool) -> ExpertProfile:
    """Record the expert's answer to a public listing, dated today: given (`listed`) or withdrawn.

    The expert decides; the secretariat records a consent given on paper. The
    history keeps every answer with its date and who recorded it.
    """
    _require(
        actor,
        policy.SET_CONSENT,
        expert,
        _("Only the expert (or the secretariat, recording the expert's answer) decides on a public listing."),
    )
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
        locked.listed_publicly = bool(listed)
        locked.listing_consent_on = timezone.localdate()
        code = policy.EXPERT_CONSENT_GIVEN if listed else policy.EXPERT_CONSENT_WITHDRAWN
        return _save_changed(locked, actor=actor, action_code=code)


def expert_update(
    *, actor: Any, expert: ExpertProfile, expected_version: int, changes: Mapping[str, Any]
) -> ExpertProfile:
    """Change an expert's fields, keywords, languages, ORCID iD, biography or (the secretariat) visibility;
    refused with StaleEditError if someone changed the profile since `expected_version`."""
    _require(actor, CHANGE, expert, _("Only the secretariat, the expert or their country's focal point changes it."))
    changes = dict(changes)
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise ValidationError({name: _("This cannot be changed here.") for name in unknown})
    if "visibility" in changes:
        if actor is not None and not is_secretariat(actor):
            raise PermissionDenied(_("Only the secretariat sets who may see an expert."))
        _visibility(changes["visibility"])
    chosen_fields = fields_resolve(changes.pop("fields")) if "fields" in changes else None
    if "keywords" in changes:
        changes["keywords"] = keywords_normalise(changes["keywords"])
    if "languages" in changes:
        changes["languages"] = languages_clean(changes["languages"])
    if "orcid" in changes:
        changes["orcid"] = orcid_normalise(changes["orcid"])
        same = [d for d in expert_duplicates(orcid=changes["orcid"], exclude=expert) if "orcid" in d.matched_on]
        _refuse_duplicates(same)
    for name in ("biography_ja", "biography_en"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    with transaction.atomic():
        updated = versioned_update(
            actor=actor,
            instance=expert,
            expected_version=expected_version,
            changes=changes,
            action_code=policy.EXPERT_UPDATED,
        )
        if chosen_fields is not None:
            updated.fields.set(chosen_fields)
    return updated


def doi_normalise(value: str) -> str:
    """A DOI as 10.xxxx/yyyy (an address or "doi:" prefix removed); blank stays blank; refused on `doi`."""
    text = _DOI_PREFIX.sub("", unicodedata.normalize("NFKC", value or "").strip())
    if text and not _DOI.fullmatch(text):
        raise ValidationError(
            {"doi": _("“%(value)s” is not a DOI: a DOI starts with 10. (10.1000/xyz123).") % {"value": value}}
        )
    return text


def publication_add(
    *,
    actor: Any,
    expert: ExpertProfile,
    title: str,
    year: int | None = None,
    doi: str = "",
    url: str = "",
    citation: str = "",
) -> Publication:
    """Add a publication to an expert's list; the same DOI twice is refused."""
    _require(actor, CHANGE, expert, _("Only the secretariat, the expert or their country's focal point changes it."))
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give the publication's title.")})
    doi = doi_normalise(doi)
    if doi and expert.publications.filter(doi__iexact=doi).exists():
        raise ValidationError({"doi": _("This expert's list already has the publication %(doi)s.") % {"doi": doi}})
    publication = Publication(
        expert=expert, title=title, year=year, doi=doi, url=(url or "").strip(), citation=(citation or "").strip()
    )
    publication.full_clean()
    with transaction.atomic():
        mark_action(publication, policy.PUBLICATION_ADDED, actor=actor)
        publication.save()
    return publication


def publication_update(
    *, actor: Any, publication: Publication, expected_version: int, changes: Mapping[str, Any]
) -> Publication:
    """Change a publication's title, year, DOI, address or citation; refused with StaleEditError if someone
    changed it since `expected_version`, and on `doi` if the expert's list has that DOI on another entry."""
    expert = publication.expert
    _require(actor, CHANGE, expert, _("Only the secretariat, the expert or their country's focal point changes it."))
    changes = dict(changes)
    unknown = sorted(set(changes) - {"title", "year", "doi", "url", "citation"})
    if unknown:
        raise ValidationError({name: _("This cannot be changed here.") for name in unknown})
    if "title" in changes:
        changes["title"] = " ".join((changes["title"] or "").split())
        if not changes["title"]:
            raise ValidationError({"title": _("Give the publication's title.")})
    if "doi" in changes:
        changes["doi"] = doi_normalise(changes["doi"])
        others = expert.publications.exclude(pk=publication.pk)
        if changes["doi"] and others.filter(doi__iexact=changes["doi"]).exists():
            raise ValidationError(
                {"doi": _("This expert's list already has the publication %(doi)s.") % {"doi": changes["doi"]}}
            )
    for name in ("url", "citation"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    return versioned_update(
        actor=actor,
        instance=publication,
        expected_version=expected_version,
        changes=changes,
        action_code=policy.PUBLICATION_UPDATED,
    )


# --- merging duplicates ---------------------------------------------------------------------------

# Filled on the kept person from the merged one where the kept one has none.
MERGED_PERSON_FIELDS = ("name_ja", "name_en", "family_name", "given_name", "honorific", "country", "email", "phone")


def _check_mergeable(kept: Person, merged: Person) -> None:
    if kept.user_id and merged.user_id:
        raise ValidationError(
            {
                "merge": _(
                    "Both records have a platform account. An administrator first closes the account the person "
                    "no longer uses; then merge the records."
                )
            }
        )
    sessions = (
        TraineeNomination.objects.filter(person=merged, session__in=kept.training_nominations.values("session"))
        .select_related("session__programme")
        .order_by("pk")
    )
    clash = [str(n.session) for n in sessions]
    if clash:
        raise ValidationError(
            {
                "merge": _(
                    "Both records are nominated for the same training session (%(sessions)s). Withdraw one of "
                    "the two nominations first, then merge."
                )
                % {"sessions": "; ".join(clash)}
            }
        )


def _merge_people(actor: Any, kept: Person, merged: Person) -> None:
    """Fill the kept person's blanks; the merged one keeps its name but loses its contact details and account
    (the kept record has them now; the history keeps the old values) and is seen by the secretariat only."""
    for name in MERGED_PERSON_FIELDS:
        if not getattr(kept, name) and getattr(merged, name):
            setattr(kept, name, getattr(merged, name))
    account_id = merged.user_id if kept.user_id is None else None
    merged.email = ""
    merged.phone = ""
    merged.user = None
    merged.visibility = Visibility.SECRETARIAT
    # The merged person is saved first: the account can belong to one person only.
    _save_changed(merged, actor=actor, action_code=policy.EXPERT_MERGED_AWAY)
    merged.audience_groups.clear()
    if account_id is not None:
        kept.user_id = account_id
    _save_changed(kept, actor=actor, action_code=policy.EXPERT_MERGED)


def _merge_profiles(
    actor: Any, kept: Person, kept_expert: ExpertProfile | None, merged_expert: ExpertProfile | None
) -> ExpertProfile:
    """The kept person's profile with what only the merged profile had; the merged profile is deleted (its
    history stays). A merged profile on a person without one simply moves."""
    assert kept_expert is not None or merged_expert is not None
    if merged_expert is None:
        return kept_expert
    if kept_expert is None:
        merged_expert.person = kept
        return _save_changed(merged_expert, actor=actor, action_code=policy.EXPERT_MERGED)
    for publication in merged_expert.publications.all():
        publication.expert = kept_expert
        _save_changed(publication, actor=actor, action_code=policy.EXPERT_MERGED)
    fields = list(merged_expert.fields.all())
    taken = {
        "orcid": merged_expert.orcid if not kept_expert.orcid else kept_expert.orcid,
        "biography_ja": kept_expert.biography_ja or merged_expert.biography_ja,
        "biography_en": kept_expert.biography_en or merged_expert.biography_en,
        "keywords": keywords_normalise([*kept_expert.keywords.splitlines(), *merged_expert.keywords.splitlines()]),
        "languages": list(dict.fromkeys([*kept_expert.languages, *merged_expert.languages])),
        "nominated_by": kept_expert.nominated_by or merged_expert.nominated_by,
    }
    if kept_expert.listing_consent_on is None and merged_expert.listing_consent_on is not None:
        taken.update(listed_publicly=merged_expert.listed_publicly, listing_consent_on=merged_expert.listing_consent_on)
    if kept_expert.state != NominationState.ACCEPTED and merged_expert.state == NominationState.ACCEPTED:
        taken.update(state=NominationState.ACCEPTED, decided_on=merged_expert.decided_on)
    # Deleted before the kept profile takes its ORCID iD, which is unique.
    mark_action(merged_expert, policy.EXPERT_MERGED_AWAY, actor=actor)
    merged_expert.delete()
    for name, value in taken.items():
        setattr(kept_expert, name, value)
    kept_expert.full_clean()
    _save_changed(kept_expert, actor=actor, action_code=policy.EXPERT_MERGED)
    kept_expert.fields.add(*fields)
    return kept_expert


def _move_records(actor: Any, kept: Person, merged: Person) -> None:
    """Affiliations, working-group terms and training nominations of the merged person go to the kept one.

    A working-group term the kept person already has (same group, same start) is the same fact twice: the
    merged copy is deleted, its history kept.
    """
    for affiliation in merged.affiliations.all():
        affiliation.person = kept
        _save_changed(affiliation, actor=actor, action_code=policy.EXPERT_MERGED)
    terms = set(kept.group_memberships.values_list("group_id", "started_on"))
    for member in merged.group_memberships.all():
        if (member.group_id, member.started_on) in terms:
            mark_action(member, policy.EXPERT_MERGED_AWAY, actor=actor)
            member.delete()
            continue
        member.person = kept
        _save_changed(member, actor=actor, action_code=policy.EXPERT_MERGED)
    for nomination in merged.training_nominations.all():
        nomination.person = kept
        _save_changed(nomination, actor=actor, action_code=policy.EXPERT_MERGED)


def expert_merge(*, actor: Any, keep: ExpertProfile | Person, merge: ExpertProfile | Person) -> ExpertProfile:
    """Fold the duplicate `merge` into `keep` (the secretariat); each is an expert or a directory person, and
    at least one of them an expert.

    The kept person and profile take what only the duplicate had (names, contact
    details, ORCID iD, biography, a dated consent, an acceptance) and the union of
    keywords, languages and fields; the duplicate's affiliations, working-group
    terms, training nominations and publications move over. The duplicate person
    stays, without contact details or account and seen by the secretariat only;
    its profile is deleted. Both records' histories keep every step.
    """
    _require(actor, policy.MERGE, ExpertProfile, _("Only the secretariat merges duplicate records."))
    keep_person, merge_person = _person_of(keep), _person_of(merge)
    if keep_person.pk == merge_person.pk:
        raise ValidationError({"merge": _("Choose two different records to merge.")})
    with transaction.atomic():
        locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[keep_person.pk, merge_person.pk])}
        kept, merged = locked[keep_person.pk], locked[merge_person.pk]
        kept_expert, merged_expert = _expert_of(kept), _expert_of(merged)
        if kept_expert is None and merged_expert is None:
            raise ValidationError(
                {"keep": _("Neither record is in the expert directory: merge people in the directory.")}
            )
        _check_mergeable(kept, merged)
        _merge_people(actor, kept, merged)
        expert = _merge_profiles(actor, kept, kept_expert, merged_expert)
        _move_records(actor, kept, merged)
    return ExpertProfile.objects.select_related("person").get(pk=expert.pk)
