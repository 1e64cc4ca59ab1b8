"""Every write of joint training: programmes and sessions, nominations and selection, attendance, tests,
the anonymous survey and certificates; and the public check of a certificate's code.

Views, the API and commands call these functions. Each takes the acting user
(`actor=None` is the system: loaders, the demo seeder), checks the policy
(PermissionDenied), validates (ValidationError naming the field), writes in
one transaction and marks the history row with its action code
(policies.training). Edits of programmes and sessions carry the version the
user started from and are refused when stale.

Nothing is deleted: a nomination is withdrawn or declined, a certificate is
revoked with its reason (kept in its history), attendance and scores are
corrected in place with their earlier values in the history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from cleanasia.core.concurrency import versioned_update
from cleanasia.core.history import mark_action
from cleanasia.core.models import Visibility
from cleanasia.core.pdf import render_pdf
from cleanasia.core.permissions import ADD, CHANGE, can, is_secretariat
from cleanasia.directory.models import Person
from cleanasia.directory.services import person_create

from ..models import (
    AssessmentKind,
    AssessmentScore,
    AttendanceRecord,
    AttendanceStatus,
    Certificate,
    Gender,
    SurveyResponse,
    TraineeNomination,
    TraineeState,
    TrainingLevel,
    TrainingMode,
    TrainingProgramme,
    TrainingSession,
)
from ..policies import training as policy

PROGRAMME_FIELDS = frozenset(
    {
        "code",
        "title_ja",
        "title_en",
        "description_ja",
        "description_en",
        "field",
        "working_group",
        "level",
        "language",
        "mode",
        "visibility",
        "audience_groups",
    }
)
SESSION_FIELDS = frozenset(
    {
        "title_ja",
        "title_en",
        "starts_on",
        "ends_on",
        "venue_ja",
        "venue_en",
        "host_country",
        "mode",
        "call_opens_on",
        "call_closes_on",
        "quota_per_country",
        "visibility",
        "audience_groups",
    }
)
TRAINEE_PERSON_FIELDS = frozenset({"name_ja", "name_en", "family_name", "given_name", "honorific", "email", "phone"})
PROGRAMME_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
PDF_LANGUAGES = ("ja", "en")

# Where a nomination may go from each state. Withdrawn is final (the focal point nominates someone else in
# the freed place); a declined one may still be withdrawn, which frees its place in the country's quota.
TRANSITIONS: dict[str, frozenset[str]] = {
    TraineeState.NOMINATED: frozenset(
        {TraineeState.SELECTED, TraineeState.WAITLISTED, TraineeState.NOT_SELECTED, TraineeState.WITHDRAWN}
    ),
    TraineeState.WAITLISTED: frozenset({TraineeState.SELECTED, TraineeState.NOT_SELECTED, TraineeState.WITHDRAWN}),
    TraineeState.SELECTED: frozenset({TraineeState.WAITLISTED, TraineeState.NOT_SELECTED, TraineeState.WITHDRAWN}),
    TraineeState.NOT_SELECTED: frozenset({TraineeState.SELECTED, TraineeState.WAITLISTED, TraineeState.WITHDRAWN}),
    TraineeState.WITHDRAWN: frozenset(),
}

# A certificate of completion needs at least 4 days in 5 of the session attended (present or late): the usual
# threshold of training programmes, which lets a trainee miss one day of a five-day course (illness, travel)
# but not more. Excused days do not count: the certificate says what the trainee followed, not why not.
REQUIRED_ATTENDANCE = (4, 5)
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)

# Verification codes are read off paper and typed in: no 0/O or 1/I to confuse. 12 characters of 32 are 60
# bits, far beyond guessing, printed in groups of four.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_GROUP = 4

CERTIFICATE_TEMPLATE = "network/training/certificate_pdf.html"
VALID, REVOKED, UNKNOWN = "valid", "revoked", "unknown"


# --- helpers ------------------------------------------------------------------------------------


def _require(actor: Any, action: str, obj: Any, message: Any) -> None:
    """Refuse what the policies do not allow; `None` is the system (loaders, commands)."""
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(message)


def _save_changed(instance: Any, *, actor: Any, action_code: str) -> Any:
    instance.version += 1
    mark_action(instance, action_code, actor=actor)
    instance.save()
    return instance


def _save_new(instance: Any, *, actor: Any, action_code: str) -> Any:
    instance.full_clean()
    mark_action(instance, action_code, actor=actor)
    instance.save()
    return instance


def _day(value: dt.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _is_day(value: Any) -> bool:
    # A datetime is a date too, but a day field given a moment is a mistake worth naming.
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _unknown_fields(changes: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})


def _require_title(values: dict[str, Any]) -> None:
    if not (values.get("title_ja") or "").strip() and not (values.get("title_en") or "").strip():
        raise ValidationError({"title_ja": _("Give the title in Japanese or in English.")})


def _in_language(obj: Any, name: str, language: str) -> str:
    """A translated field in `language`, falling back to the other language."""
    other = "en" if language == "ja" else "ja"
    return getattr(obj, f"{name}_{language}", "") or getattr(obj, f"{name}_{other}", "") or ""


# --- programmes ---------------------------------------------------------------------------------


def _check_programme(values: dict[str, Any], *, programme: TrainingProgramme | None = None) -> None:
    code = values.get("code") or ""
    if not PROGRAMME_CODE.match(code):
        raise ValidationError(
            {"code": _("Use lower-case letters, digits and hyphens for the code, for example aq-monitoring.")}
        )
    clash = TrainingProgramme.objects.filter(code=code)
    if programme is not None:
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another programme already has this code; choose another.")})
    _require_title(values)
    field = values.get("field")
    if field is None:
        raise ValidationError({"field": _("Choose the programme's field.")})
    if not field.is_active and (programme is None or programme.field_id != field.pk):
        raise ValidationError({"field": _("This field is no longer in use; choose another.")})
    if values.get("level") not in TrainingLevel.values:
        raise ValidationError({"level": _("Choose introductory, intermediate or advanced.")})
    if values.get("mode") not in TrainingMode.values:
        raise ValidationError({"mode": _("Choose in person, online or hybrid.")})
    if not LANGUAGE_CODE.match(values.get("language") or ""):
        raise ValidationError(
            {"language": _("Give the language of instruction as its ISO code, for example en, ja or th.")}
        )
    if values.get("visibility") not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who may see the programme.")})


def programme_create(
    *,
    actor: Any,
    code: str,
    field: Any,
    level: str,
    title_ja: str = "",
    title_en: str = "",
    description_ja: str = "",
    description_en: str = "",
    working_group: Any = None,
    language: str = "en",
    mode: str = TrainingMode.IN_PERSON,
    visibility: str = Visibility.SECRETARIAT,
    audience_groups: Iterable[Any] = (),
    is_demo: bool = False,
    action_code: str = policy.PROGRAMME_CREATED,
) -> TrainingProgramme:
    """Create a training programme (a course that runs in sessions); seen by the secretariat until published."""
    _require(actor, ADD, TrainingProgramme, _("Only the secretariat creates training programmes."))
    values = {
        "code": code,
        "title_ja": title_ja,
        "title_en": title_en,
        "field": field,
        "level": level,
        "language": language,
        "mode": mode,
        "visibility": visibility,
    }
    _check_programme(values)
    with transaction.atomic():
        programme = TrainingProgramme(
            **values,
            description_ja=description_ja,
            description_en=description_en,
            working_group=working_group,
            is_demo=is_demo,
        )
        _save_new(programme, actor=actor, action_code=action_code)
        programme.audience_groups.set(list(audience_groups))
    return programme


def programme_update(
    *,
    actor: Any,
    programme: TrainingProgramme,
    expected_version: int,
    changes: dict[str, Any],
    action_code: str = policy.PROGRAMME_UPDATED,
) -> TrainingProgramme:
    """Change a programme (`audience_groups` allowed among the changes); refused when stale."""
    _require(actor, CHANGE, programme, _("Only the secretariat changes training programmes."))
    _unknown_fields(changes, PROGRAMME_FIELDS)
    changes = dict(changes)
    groups = changes.pop("audience_groups", None)
    merged = {
        name: changes.get(name, getattr(programme, name))
        for name in ("code", "title_ja", "title_en", "field", "level", "language", "mode", "visibility")
    }
    _check_programme(merged, programme=programme)
    with transaction.atomic():
        # An m2m-only edit still makes a new version, so that history and concurrency see it.
        programme = versioned_update(
            actor=actor, instance=programme, expected_version=expected_version, changes=changes, action_code=action_code
        )
        if groups is not None:
            programme.audience_groups.set(list(groups))
    return programme


# --- sessions -----------------------------------------------------------------------------------


def _check_session(values: dict[str, Any]) -> None:
    for name in ("starts_on", "ends_on"):
        if not _is_day(values.get(name)):
            raise ValidationError({name: _("Give the day as a date.")})
    if values["ends_on"] < values["starts_on"]:
        raise ValidationError({"ends_on": _("The last day cannot come before the first day.")})
    opens, closes = values.get("call_opens_on"), values.get("call_closes_on")
    for name, value in (("call_opens_on", opens), ("call_closes_on", closes)):
        if value is not None and not _is_day(value):
            raise ValidationError({name: _("Give the day as a date.")})
    if opens is not None and closes is not None and closes < opens:
        raise ValidationError({"call_closes_on": _("The call cannot close before it opens.")})
    if closes is not None and closes > values["starts_on"]:
        raise ValidationError({"call_closes_on": _("The call for applications must close by the session's first day.")})
    quota = values.get("quota_per_country")
    if not isinstance(quota, int) or isinstance(quota, bool) or quota < 1:
        raise ValidationError({"quota_per_country": _("Give the number of places per country: at least 1.")})
    if values.get("mode") not in TrainingMode.values:
        raise ValidationError({"mode": _("Choose in person, online or hybrid.")})
    if values.get("visibility") not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who may see the session.")})


def session_create(
    *,
    actor: Any,
    programme: TrainingProgramme,
    starts_on: dt.date,
    ends_on: dt.date,
    title_ja: str = "",
    title_en: str = "",
    venue_ja: str = "",
    venue_en: str = "",
    host_country: Any = None,
    mode: str | None = None,
    call_opens_on: dt.date | None = None,
    call_closes_on: dt.date | None = None,
    quota_per_country: int = 2,
    visibility: str | None = None,
    audience_groups: Iterable[Any] = (),
    is_demo: bool = False,
    action_code: str = policy.SESSION_CREATED,
) -> TrainingSession:
    """Schedule a session of a programme, with its call for applications and places per country.

    Without `mode` or `visibility`, the programme's are used.
    """
    _require(actor, ADD, TrainingSession, _("Only the secretariat schedules training sessions."))
    values = {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "call_opens_on": call_opens_on,
        "call_closes_on": call_closes_on,
        "quota_per_country": quota_per_country,
        "mode": mode or programme.mode,
        "visibility": visibility or programme.visibility,
    }
    _check_session(values)
    with transaction.atomic():
        session = TrainingSession(
            **values,
            programme=programme,
            title_ja=title_ja,
            title_en=title_en,
            venue_ja=venue_ja,
            venue_en=venue_en,
            host_country=host_country,
            is_demo=is_demo,
        )
        _save_new(session, actor=actor, action_code=action_code)
        session.audience_groups.set(list(audience_groups))
    return session


def session_update(
    *,
    actor: Any,
    session: TrainingSession,
    expected_version: int,
    changes: dict[str, Any],
    action_code: str = policy.SESSION_UPDATED,
) -> TrainingSession:
    """Change a session; refused when stale, when its new dates would leave recorded attendance outside
    them, or when its quota would fall below a country's nominations already made."""
    _require(actor, CHANGE, session, _("Only the secretariat changes training sessions."))
    _unknown_fields(changes, SESSION_FIELDS)
    changes = dict(changes)
    groups = changes.pop("audience_groups", None)
    merged = {
        name: changes.get(name, getattr(session, name))
        for name in (
            "starts_on",
            "ends_on",
            "call_opens_on",
            "call_closes_on",
            "quota_per_country",
            "mode",
            "visibility",
        )
    }
    _check_session(merged)
    outside = (
        AttendanceRecord.objects.filter(nomination__session=session)
        .exclude(day__range=(merged["starts_on"], merged["ends_on"]))
        .order_by("day")
        .first()
    )
    if outside is not None:
        name = "starts_on" if outside.day < merged["starts_on"] else "ends_on"
        raise ValidationError(
            {
                name: _(
                    "Attendance is recorded on %(day)s, which the new dates leave out. "
                    "Correct that attendance first, or keep the day within the session."
                )
                % {"day": _day(outside.day)}
            }
        )
    if merged["quota_per_country"] < session.quota_per_country:
        fullest = (
            TraineeNomination.objects.filter(session=session)
            .exclude(state=TraineeState.WITHDRAWN)
            .values("country_id", "country__name_en")
            .annotate(used=Count("pk"))
            .filter(used__gt=merged["quota_per_country"])
            .order_by("-used", "country__name_en")
            .first()
        )
        if fullest is not None:
            raise ValidationError(
                {
                    "quota_per_country": _(
                        "%(country)s already has %(count)s nominations for this session; keep at least "
                        "%(count)s places per country, or ask for nominations to be withdrawn first."
                    )
                    % {"country": fullest["country__name_en"], "count": fullest["used"]}
                }
            )
    with transaction.atomic():
        session = versioned_update(
            actor=actor, instance=session, expected_version=expected_version, changes=changes, action_code=action_code
        )
        if groups is not None:
            session.audience_groups.set(list(groups))
    return session


# --- nominations and selection ------------------------------------------------------------------


def call_open(session: TrainingSession, *, today: dt.date | None = None) -> bool:
    """Is the session's call for applications open today (a missing opening or closing day is no limit)?"""
    today = today or timezone.localdate()
    opens, closes = session.call_opens_on, session.call_closes_on
    return (opens is None or opens <= today) and (closes is None or today <= closes)


def _check_call(actor: Any, session: TrainingSession) -> None:
    """Focal points nominate while the call is open; the system and the secretariat also late (a
    replacement for a trainee who withdrew after the call closed)."""
    if actor is None or is_secretariat(actor) or call_open(session):
        return
    today = timezone.localdate()
    if session.call_opens_on is not None and today < session.call_opens_on:
        raise ValidationError(
            {
                "call_opens_on": _("The call for applications opens on %(day)s; nominate trainees from that day.")
                % {"day": _day(session.call_opens_on)}
            }
        )
    raise ValidationError(
        {
            "call_closes_on": _(
                "The call for applications closed on %(day)s. Ask the secretariat to add a late nomination."
            )
            % {"day": _day(session.call_closes_on)}
        }
    )


def _trainee_person(*, actor: Any, data: dict[str, Any], country: Any) -> Person:
    """The directory record of a trainee given by name: an existing person with the same e-mail address
    (a returning trainee keeps one record and their alumni history), else a new one, seen only by the
    secretariat and the person (the nomination shows it to the focal point)."""
    unknown = sorted(set(data) - TRAINEE_PERSON_FIELDS)
    if unknown:
        raise ValidationError(
            {f"person_data.{name}": _("This cannot be set on a trainee's record.") for name in unknown}
        )
    values = {name: (data.get(name) or "").strip() for name in TRAINEE_PERSON_FIELDS}
    if values["email"]:
        existing = Person.objects.filter(email__iexact=values["email"]).order_by("pk").first()
        if existing is not None:
            return existing
    try:
        return person_create(
            actor=actor, country=country, visibility=Visibility.SECRETARIAT, action_code=policy.TRAINEE_ADDED, **values
        )
    except ValidationError as exc:
        raise ValidationError({f"person_data.{name}": errors for name, errors in exc.message_dict.items()}) from exc


def trainee_nominate(
    *,
    actor: Any,
    session: TrainingSession,
    person: Person | None = None,
    person_data: dict[str, Any] | None = None,
    country: Any,
    gender: str,
    motivation: str,
) -> TraineeNomination:
    """Nominate a trainee of `country` for a session: a person of the directory, or one given by
    `person_data` (name_ja/name_en, family_name, given_name, honorific, email, phone), who needs no account.

    By a focal point of `country` while the call is open, or by the secretariat;
    refused over the session's places per country (nominations not withdrawn)
    and for a person already nominated to the session.
    """
    _require(actor, policy.NOMINATE, session, _("Only a country's focal point or the secretariat nominates trainees."))
    if actor is not None and not is_secretariat(actor):
        own = policy.focal_countries(actor)
        if country.pk not in own:
            raise ValidationError(
                {
                    "country": _(
                        "You are the focal point of %(own)s; only the focal point of %(country)s nominates its "
                        "trainees."
                    )
                    % {"own": ", ".join(sorted(own)), "country": country.name_en}
                }
            )
    if (person is None) == (person_data is None):
        raise ValidationError(
            {"person": _("Choose the trainee in the directory, or give their name to add them (not both).")}
        )
    if gender not in Gender.values:
        raise ValidationError({"gender": _("Choose female, male, another gender or prefers not to say.")})
    _check_call(actor, session)
    with transaction.atomic():
        # Locking the session serialises its nominations, so two focal points cannot both take the last place.
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        used = TraineeNomination.objects.filter(session=session, country=country).exclude(state=TraineeState.WITHDRAWN)
        if used.count() >= session.quota_per_country:
            raise ValidationError(
                {
                    "country": _(
                        "%(country)s has used its quota of %(quota)s places per country for this session. "
                        "Withdraw one of its nominations to nominate someone else."
                    )
                    % {"country": country.name_en, "quota": session.quota_per_country}
                }
            )
        if person is None:
            person = _trainee_person(actor=actor, data=person_data or {}, country=country)
        earlier = TraineeNomination.objects.filter(session=session, person=person).first()
        if earlier is not None:
            raise ValidationError(
                {
                    "person": _("%(name)s is already nominated for this session (%(state)s).")
                    % {"name": person.name, "state": earlier.get_state_display().lower()}
                }
            )
        nomination = TraineeNomination(
            session=session,
            person=person,
            country=country,
            gender=gender,
            motivation=(motivation or "").strip(),
            nominated_by=actor if policy.signed_in(actor) else None,
        )
        _save_new(nomination, actor=actor, action_code=policy.TRAINEE_NOMINATED)
    return nomination


def _move(
    *, actor: Any, nomination: TraineeNomination, target: str, permission: str, message: Any, action_code: str
) -> TraineeNomination:
    _require(actor, permission, nomination, message)
    with transaction.atomic():
        locked = TraineeNomination.objects.select_for_update().get(pk=nomination.pk)
        if target not in TRANSITIONS[locked.state]:
            raise ValidationError(
                {
                    "state": _("A nomination that is %(current)s cannot become %(new)s.")
                    % {
                        "current": locked.get_state_display().lower(),
                        "new": TraineeState(target).label.lower(),
                    }
                }
            )
        certificate = Certificate.objects.filter(nomination=locked, revoked_on__isnull=True).first()
        if certificate is not None:
            raise ValidationError(
                {"state": _("This trainee holds certificate %(code)s; revoke it first.") % {"code": certificate.code}}
            )
        locked.state = target
        _save_changed(locked, actor=actor, action_code=action_code)
    return locked


def trainee_select(*, actor: Any, nomination: TraineeNomination) -> TraineeNomination:
    """The secretariat selects a nominated (or waitlisted, or earlier declined) trainee."""
    return _move(
        actor=actor,
        nomination=nomination,
        target=TraineeState.SELECTED,
        permission=policy.DECIDE,
        message=_("Only the secretariat selects trainees."),
        action_code=policy.TRAINEE_SELECTED,
    )


def trainee_waitlist(*, actor: Any, nomination: TraineeNomination) -> TraineeNomination:
    """The secretariat puts a trainee on the waiting list."""
    return _move(
        actor=actor,
        nomination=nomination,
        target=TraineeState.WAITLISTED,
        permission=policy.DECIDE,
        message=_("Only the secretariat puts trainees on the waiting list."),
        action_code=policy.TRAINEE_WAITLISTED,
    )


def trainee_decline(*, actor: Any, nomination: TraineeNomination) -> TraineeNomination:
    """The secretariat does not select a trainee (the place stays counted until the nomination is withdrawn)."""
    return _move(
        actor=actor,
        nomination=nomination,
        target=TraineeState.NOT_SELECTED,
        permission=policy.DECIDE,
        message=_("Only the secretariat decides on nominations."),
        action_code=policy.TRAINEE_DECLINED,
    )


def trainee_withdraw(*, actor: Any, nomination: TraineeNomination) -> TraineeNomination:
    """Withdraw a nomination (its country's focal point or the secretariat); frees the country's place."""
    return _move(
        actor=actor,
        nomination=nomination,
        target=TraineeState.WITHDRAWN,
        permission=policy.WITHDRAW,
        message=_("Only the nominating country's focal point or the secretariat withdraws a nomination."),
        action_code=policy.TRAINEE_WITHDRAWN,
    )


# --- attendance and tests -----------------------------------------------------------------------


def _selected(nomination: TraineeNomination, what: Any) -> TraineeNomination:
    current = TraineeNomination.objects.select_related("session", "person").get(pk=nomination.pk)
    if current.state != TraineeState.SELECTED:
        raise ValidationError(
            {
                "nomination": _("%(what)s are recorded for selected trainees only; %(name)s is %(state)s.")
                % {"what": what, "name": current.person.name, "state": current.get_state_display().lower()}
            }
        )
    return current


def attendance_record(*, actor: Any, nomination: TraineeNomination, day: dt.date, status: str) -> AttendanceRecord:
    """Record (or correct) a selected trainee's attendance on one day of the session; one record per day."""
    _require(actor, policy.RECORD, nomination, _("Only the secretariat records attendance."))
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choose present, late, excused or absent.")})
    if not _is_day(day):
        raise ValidationError({"day": _("Give the day as a date.")})
    nomination = _selected(nomination, _("Attendance days"))
    session = nomination.session
    if not session.starts_on <= day <= session.ends_on:
        raise ValidationError(
            {
                "day": _(
                    "%(day)s is outside the session, which runs from %(first)s to %(last)s. "
                    "Record attendance for a day of the session."
                )
                % {"day": _day(day), "first": _day(session.starts_on), "last": _day(session.ends_on)}
            }
        )
    with transaction.atomic():
        record = AttendanceRecord.objects.select_for_update().filter(nomination=nomination, day=day).first()
        if record is None:
            record = AttendanceRecord(nomination=nomination, day=day, status=status)
            return _save_new(record, actor=actor, action_code=policy.ATTENDANCE_RECORDED)
        if record.status != status:
            record.status = status
            _save_changed(record, actor=actor, action_code=policy.ATTENDANCE_CHANGED)
    return record


def _decimal(value: Any, name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({name: _("Give a number, for example 72.5.")}) from exc
    if not number.is_finite():
        raise ValidationError({name: _("Give a number, for example 72.5.")})
    return number


def assessment_record(
    *, actor: Any, nomination: TraineeNomination, kind: str, score: Any, max_score: Any = 100
) -> AssessmentScore:
    """Record (or correct) a selected trainee's pre- or post-test score, out of `max_score`."""
    _require(actor, policy.RECORD, nomination, _("Only the secretariat records test scores."))
    if kind not in AssessmentKind.values:
        raise ValidationError({"kind": _("Choose the pre-test or the post-test.")})
    score, max_score = _decimal(score, "score"), _decimal(max_score, "max_score")
    if max_score <= 0:
        raise ValidationError({"max_score": _("The maximum score must be above zero.")})
    if not 0 <= score <= max_score:
        raise ValidationError(
            {"score": _("A score lies between 0 and the maximum, %(max)s.") % {"max": f"{max_score.normalize():f}"}}
        )
    nomination = _selected(nomination, _("Test scores"))
    with transaction.atomic():
        record = AssessmentScore.objects.select_for_update().filter(nomination=nomination, kind=kind).first()
        if record is None:
            record = AssessmentScore(nomination=nomination, kind=kind, score=score, max_score=max_score)
            return _save_new(record, actor=actor, action_code=policy.ASSESSMENT_RECORDED)
        if (record.score, record.max_score) != (score, max_score):
            record.score, record.max_score = score, max_score
            record.full_clean()
            _save_changed(record, actor=actor, action_code=policy.ASSESSMENT_CHANGED)
    return record


def attendance_grid_save(
    *, actor: Any, session: TrainingSession, entries: Iterable[tuple[TraineeNomination, dt.date, str]]
) -> int:
    """Record a grid of (trainee, day, status) of one session at once: all or nothing. A refused cell
    names the trainee and the day. Returns the number of cells recorded."""
    _require(actor, policy.RECORD, TraineeNomination, _("Only the secretariat records attendance."))
    entries = list(entries)
    with transaction.atomic():
        for nomination, day, status in entries:
            if nomination.session_id != session.pk:
                raise ValidationError({"nomination": _("This trainee is not nominated for this session.")})
            try:
                attendance_record(actor=actor, nomination=nomination, day=day, status=status)
            except ValidationError as exc:
                raise ValidationError(
                    {
                        name: [
                            _("%(name)s, %(day)s: %(error)s")
                            % {"name": nomination.person.name, "day": _day(day) if _is_day(day) else day, "error": m}
                            for m in messages
                        ]
                        for name, messages in exc.message_dict.items()
                    }
                ) from exc
    return len(entries)


class ScoreEntryError(ValidationError):
    """A refused score of a grid, with the trainee and the test it belongs to (so a page shows it there)."""

    def __init__(self, error: ValidationError, nomination: TraineeNomination, kind: str):
        super().__init__(error.message_dict if hasattr(error, "error_dict") else error.messages)
        self.error, self.nomination, self.kind = error, nomination, kind


def assessment_scores_save(
    *,
    actor: Any,
    session: TrainingSession,
    max_score: Any,
    entries: Iterable[tuple[TraineeNomination, str, Any]],
) -> int:
    """Record the pre- and post-test scores (trainee, kind, score) of one session out of `max_score`: all or
    nothing; a refused score raises ScoreEntryError saying whose and which test. Returns the number saved."""
    _require(actor, policy.RECORD, TraineeNomination, _("Only the secretariat records test scores."))
    entries = list(entries)
    with transaction.atomic():
        for nomination, kind, score in entries:
            if nomination.session_id != session.pk:
                raise ValidationError({"nomination": _("This trainee is not nominated for this session.")})
            try:
                assessment_record(actor=actor, nomination=nomination, kind=kind, score=score, max_score=max_score)
            except ValidationError as exc:
                raise ScoreEntryError(exc, nomination, kind) from exc
    return len(entries)


# --- anonymous survey ---------------------------------------------------------------------------


def _survey_token_model() -> Any:
    return policy.SurveyToken


def token_hash(token: str) -> str:
    """Tokens are 192 random bits: a plain SHA-256 is enough to keep them unreadable in the database."""
    return hashlib.sha256(token.encode()).hexdigest()


def survey_tokens_issue(*, actor: Any, session: TrainingSession) -> list[tuple[TraineeNomination, str]]:
    """One one-time survey token per selected trainee, once per session.

    The pairs (trainee, token) exist only in the returned list, for handing
    each trainee their link; the database keeps only the hashes, in random
    order, with no link to anyone, and an answer keeps only its session and
    day, so an answer cannot be traced back to its trainee.
    """
    _require(actor, policy.SURVEY, session, _("Only the secretariat hands out the survey."))
    token_model = _survey_token_model()
    trainees = list(
        TraineeNomination.objects.filter(session=session, state=TraineeState.SELECTED).select_related("person")
    )
    if not trainees:
        raise ValidationError({"session": _("No trainee is selected for this session yet; select them first.")})
    with transaction.atomic():
        TrainingSession.objects.select_for_update().get(pk=session.pk)
        if token_model.objects.filter(session=session).exists():
            raise ValidationError(
                {"session": _("The survey of this session was already handed out; each trainee answers it once.")}
            )
        pairs = [(nomination, secrets.token_urlsafe(24)) for nomination in trainees]
        rows = [token_model(session=session, token_hash=token_hash(token)) for _n, token in pairs]
        # Shuffled, so that the order of the rows does not follow the order of the trainees.
        secrets.SystemRandom().shuffle(rows)
        token_model.objects.bulk_create(rows)
    return pairs


def survey_response_submit(*, token: str, answers: dict[str, Any]) -> SurveyResponse:
    """Record an anonymous answer with a one-time token. No actor on purpose: who answered is never kept."""
    token_model = _survey_token_model()
    if not isinstance(answers, dict) or not answers:
        raise ValidationError({"answers": _("Answer at least one question before sending the survey.")})
    today = timezone.localdate()
    with transaction.atomic():
        found = token_model.objects.select_for_update().filter(token_hash=token_hash((token or "").strip())).first()
        if found is None:
            raise ValidationError(
                {"token": _("This survey link is not valid. Check that it was copied whole, or ask the secretariat.")}
            )
        if found.used_on is not None:
            raise ValidationError({"token": _("This survey link was already used; each link answers once.")})
        found.used_on = today
        found.save(update_fields=["used_on"])
        return SurveyResponse.objects.create(session_id=found.session_id, answers=answers, submitted_on=today)


# --- certificates -------------------------------------------------------------------------------


def session_days(session: TrainingSession) -> int:
    return (session.ends_on - session.starts_on).days + 1


def days_required(session: TrainingSession) -> int:
    """The days a trainee must attend for a certificate (4 in 5, rounded up: 4 of 5 days, 3 of 3)."""
    share, whole = REQUIRED_ATTENDANCE
    return -(-session_days(session) * share // whole)


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def normalise_code(code: str) -> str:
    """A code as typed (lower case, spaces, missing or extra hyphens) in its printed form; "" when it
    cannot be one."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(raw) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return ""
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def verification_path(code: str) -> str:
    """The public page that checks a certificate (the route the pages round adds)."""
    return f"/verify/{code}"


def verification_url(code: str) -> str:
    return f"{settings.CLEANASIA_SITE_URL}{verification_path(code)}"


def name_in_session_language(person: Person, session: TrainingSession) -> str:
    """The trainee's name as the directory writes it in the programme's language (English for a language
    the directory does not hold)."""
    language = "ja" if session.programme.language == "ja" else "en"
    return _in_language(person, "name", language)


def certificate_issue(*, actor: Any, nomination: TraineeNomination) -> Certificate:
    """Issue the certificate of a selected trainee who attended enough days (REQUIRED_ATTENDANCE).

    The name is copied as it is now, in the session's language: a later change
    of the directory record does not change an issued certificate.
    """
    _require(actor, ADD, Certificate, _("Only the secretariat issues certificates."))
    with transaction.atomic():
        nomination = (
            TraineeNomination.objects.select_for_update()
            .select_related("session__programme", "person")
            .get(pk=nomination.pk)
        )
        if nomination.state != TraineeState.SELECTED:
            raise ValidationError(
                {
                    "nomination": _("Certificates go to selected trainees only; %(name)s is %(state)s.")
                    % {"name": nomination.person.name, "state": nomination.get_state_display().lower()}
                }
            )
        earlier = Certificate.objects.filter(nomination=nomination).first()
        if earlier is not None:
            raise ValidationError(
                {
                    "nomination": _("%(name)s already has certificate %(code)s for this session.")
                    % {"name": nomination.person.name, "code": earlier.code}
                }
            )
        session = nomination.session
        attended = nomination.attendance.filter(status__in=ATTENDED).count()
        needed = days_required(session)
        if attended < needed:
            raise ValidationError(
                {
                    "attendance": _(
                        "%(name)s attended %(attended)s of the session's %(days)s days (present or late); "
                        "a certificate needs at least %(needed)s."
                    )
                    % {
                        "name": nomination.person.name,
                        "attended": attended,
                        "days": session_days(session),
                        "needed": needed,
                    }
                }
            )
        code = new_certificate_code()
        while Certificate.objects.filter(code=code).exists():
            code = new_certificate_code()
        certificate = Certificate(
            nomination=nomination,
            code=code,
            name_at_issue=name_in_session_language(nomination.person, session),
            issued_on=timezone.localdate(),
        )
        _save_new(certificate, actor=actor, action_code=policy.CERTIFICATE_ISSUED)
    return certificate


def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate: it stays, answers "revoked" with the day, and keeps the reason in its history."""
    _require(actor, CHANGE, certificate, _("Only the secretariat revokes certificates."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked; the reason is kept in its history.")})
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_on is not None:
            raise ValidationError(
                {
                    "certificate": _("This certificate was already revoked on %(day)s.")
                    % {"day": _day(locked.revoked_on)}
                }
            )
        locked.revoked_on = timezone.localdate()
        locked.revocation_reason = reason
        _save_changed(locked, actor=actor, action_code=policy.CERTIFICATE_REVOKED)
    return locked


def certificate_verify(code: str) -> dict[str, Any]:
    """The public answer for a code: valid (name, programme, dates), revoked (the day, never the reason,
    nor the name), or unknown. Anyone may ask; the code is the only key."""
    normalised = normalise_code(code)
    certificate = (
        Certificate.objects.select_related("nomination__session__programme").filter(code=normalised).first()
        if normalised
        else None
    )
    if certificate is None:
        return {"status": UNKNOWN, "code": normalised or (code or "").strip()[:40]}
    if certificate.revoked_on is not None:
        return {"status": REVOKED, "code": certificate.code, "revoked_on": certificate.revoked_on}
    session = certificate.nomination.session
    return {
        "status": VALID,
        "code": certificate.code,
        "name": certificate.name_at_issue,
        "programme": session.programme.title,
        "session": session.title,
        "starts_on": session.starts_on,
        "ends_on": session.ends_on,
        "issued_on": certificate.issued_on,
    }


def certificate_pdf(certificate: Certificate, language: str) -> bytes:
    """The certificate as an A4 PDF in `language` ("ja" or "en"), with its code and verification address.

    The caller checks that the reader may see the certificate (policy VIEW).
    """
    if language not in PDF_LANGUAGES:
        raise ValidationError({"language": _("Choose Japanese or English for the certificate.")})
    if certificate.revoked_on is not None:
        raise ValidationError(
            {
                "certificate": _("This certificate was revoked on %(day)s; it is no longer printed.")
                % {"day": _day(certificate.revoked_on)}
            }
        )
    nomination = TraineeNomination.objects.select_related(
        "session__programme__field", "session__host_country", "country"
    ).get(pk=certificate.nomination_id)
    session = nomination.session
    programme = session.programme
    context = {
        "certificate": certificate,
        "name": certificate.name_at_issue,
        "programme_title": _in_language(programme, "title", language),
        "session_title": _in_language(session, "title", language),
        "field_name": _in_language(programme.field, "name", language),
        "venue": _in_language(session, "venue", language),
        "host_country": _in_language(session.host_country, "name", language) if session.host_country else "",
        "starts_on": session.starts_on,
        "ends_on": session.ends_on,
        "days": session_days(session),
        "issued_on": certificate.issued_on,
        "code": certificate.code,
        "verification_path": verification_path(certificate.code),
        "verification_url": verification_url(certificate.code),
    }
    return render_pdf(CERTIFICATE_TEMPLATE, context, language=language)
