"""Reads of joint training for pages, exports and the API, always through the policies, in a fixed number of
queries whatever the number of rows.

"Trained" in the statistics means selected and present (or late) on at least
one day of the session: a selected trainee who never came was not trained.
The learning gain of a trainee is their post-test share of the maximum minus
their pre-test share (so tests out of different maxima compare); a group's
gain is the mean over its trainees who sat both tests. Outside the
secretariat, a group's gain is shown only when at least MIN_GROUP_FOR_GAIN
trainees sat both tests: the mean of one or two people would tell their scores.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone, translation

from cleanasia.core.permissions import is_secretariat, visible
from cleanasia.directory.models import Country

from ..models import (
    AssessmentKind,
    AssessmentScore,
    AttendanceRecord,
    AttendanceStatus,
    Gender,
    TraineeNomination,
    TraineeState,
    TrainingProgramme,
    TrainingSession,
)
from ..policies.training import focal_countries

MIN_GROUP_FOR_GAIN = 3
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


def _language() -> str:
    return "ja" if (translation.get_language() or "en").startswith("ja") else "en"


def _label(row: dict[str, Any], prefix: str, language: str) -> str:
    other = "en" if language == "ja" else "ja"
    return row.get(f"{prefix}_{language}") or row.get(f"{prefix}_{other}") or ""


# --- programmes and sessions ---------------------------------------------------------------------


def programmes_for(*, user: Any, field: Any = None) -> list[TrainingProgramme]:
    """The programmes the user may see, with their field (one query)."""
    qs = visible(TrainingProgramme.objects.all(), user).select_related("field", "working_group")
    if field is not None:
        qs = qs.filter(field=field)
    return list(qs)


def sessions_for(
    *, user: Any, programme: TrainingProgramme | None = None, call_open_on: dt.date | None = None
) -> list[TrainingSession]:
    """The sessions the user may see (of one programme; with `call_open_on`, those whose call is open that
    day), with programme, field and host (one query)."""
    qs = visible(TrainingSession.objects.all(), user).select_related("programme__field", "host_country")
    if programme is not None:
        qs = qs.filter(programme=programme)
    if call_open_on is not None:
        qs = qs.filter(
            Q(call_opens_on__isnull=True) | Q(call_opens_on__lte=call_open_on),
            Q(call_closes_on__isnull=True) | Q(call_closes_on__gte=call_open_on),
        )
    return list(qs)


# --- nominations --------------------------------------------------------------------------------


def nominations_for(*, user: Any, session: TrainingSession) -> list[TraineeNomination]:
    """The nominations of a session the user may see (the secretariat all, a focal point their country's,
    a trainee their own), with person, country, certificate, attendance and scores (three queries)."""
    return list(
        visible(TraineeNomination.objects.filter(session=session), user)
        .select_related("person", "country", "nominated_by", "certificate")
        .prefetch_related("attendance", "scores")
        .order_by("country__name_en", "person__name_en", "pk")
    )


def quota_usage_for(*, user: Any, session: TrainingSession) -> list[dict[str, Any]]:
    """Places used per country against the session's quota (nominations not withdrawn), with how many are
    selected and waitlisted: every country with nominations for the secretariat, a focal point's own
    countries (also those without any yet). Two queries."""
    language = _language()
    rows = {
        row["country_id"]: row
        for row in visible(TraineeNomination.objects.filter(session=session), user)
        .values("country_id", "country__name_en", "country__name_ja")
        .annotate(
            used=Count("pk", filter=~Q(state=TraineeState.WITHDRAWN)),
            selected=Count("pk", filter=Q(state=TraineeState.SELECTED)),
            waitlisted=Count("pk", filter=Q(state=TraineeState.WAITLISTED)),
        )
        .order_by()
    }
    own = focal_countries(user) if not is_secretariat(user) else set()
    for country in Country.objects.filter(code__in=own - set(rows)):
        rows[country.code] = {
            "country_id": country.code,
            "country__name_en": country.name_en,
            "country__name_ja": country.name_ja,
            "used": 0,
            "selected": 0,
            "waitlisted": 0,
        }
    quota = session.quota_per_country
    usage = [
        {
            "country": row["country_id"],
            "country_name": _label(row, "country__name", language),
            "quota": quota,
            "used": row["used"],
            "remaining": max(quota - row["used"], 0),
            "selected": row["selected"],
            "waitlisted": row["waitlisted"],
        }
        for row in rows.values()
    ]
    return sorted(usage, key=lambda row: (row["country_name"], row["country"]))


def alumni_records_for(*, user: Any, person: Any, today: dt.date | None = None) -> list[TraineeNomination]:
    """A person's trainings the user may see: sessions they were selected for that have ended, newest
    first, with programme, field and certificate (one query)."""
    today = today or timezone.localdate()
    return list(
        visible(TraineeNomination.objects.filter(person=person), user)
        .filter(state=TraineeState.SELECTED, session__ends_on__lt=today)
        .select_related("session__programme__field", "session__host_country", "country", "certificate")
        .order_by("-session__starts_on", "pk")
    )


# --- statistics ---------------------------------------------------------------------------------


def _share(kind: str) -> Subquery:
    """A trainee's score in one test as a share of its maximum (NULL when not sat)."""
    scores = AssessmentScore.objects.filter(nomination=OuterRef("pk"), kind=kind).annotate(
        share=Cast(F("score"), FloatField()) / Cast(F("max_score"), FloatField())
    )
    return Subquery(scores.values("share")[:1], output_field=FloatField())


def trained_for(
    *, user: Any, year: int | None = None, field: Any = None, country: Any = None
) -> QuerySet[TraineeNomination]:
    """Selected trainees who attended at least one day, of the sessions the user may see, each annotated with
    `year` (of the session's start) and `gain` (post share minus pre share; NULL without both tests)."""
    sessions = visible(TrainingSession.objects.all(), user).values("pk")
    attended = AttendanceRecord.objects.filter(nomination=OuterRef("pk"), status__in=ATTENDED)
    qs = (
        TraineeNomination.objects.filter(state=TraineeState.SELECTED, session__in=sessions)
        .filter(Exists(attended))
        .annotate(year=ExtractYear("session__starts_on"), gain=_share(AssessmentKind.POST) - _share(AssessmentKind.PRE))
    )
    if year is not None:
        qs = qs.filter(year=year)
    if field is not None:
        qs = qs.filter(session__programme__field=field)
    if country is not None:
        qs = qs.filter(country=country)
    return qs


_MEASURES = {
    "trainees": Count("pk"),
    "people": Count("person", distinct=True),
    "scored": Count("gain"),
    "mean_gain": Avg("gain"),
}


def training_statistics(
    *, user: Any, year: int | None = None, field: Any = None, country: Any = None
) -> dict[str, Any]:
    """People trained and learning gain, in total and by country, field, year and gender (five queries).

    Each group gives `trainees` (trainings delivered), `people` (different
    persons), `scored` (trainees who sat both tests) and `gain` (their mean
    learning gain as a share of the maximum, e.g. 0.25 for 25 points out of
    100; None when nobody in the group sat both tests or, outside the
    secretariat, fewer than MIN_GROUP_FOR_GAIN did).
    """
    language = _language()
    secretariat = is_secretariat(user)
    trained = trained_for(user=user, year=year, field=field, country=country)

    def measures(row: dict[str, Any]) -> dict[str, Any]:
        shown = row["scored"] and (secretariat or row["scored"] >= MIN_GROUP_FOR_GAIN)
        return {
            "trainees": row["trainees"],
            "people": row["people"],
            "scored": row["scored"],
            "gain": row["mean_gain"] if shown else None,
        }

    def grouped(*keys: str, order: str) -> list[dict[str, Any]]:
        return list(trained.values(*keys).annotate(**_MEASURES).order_by(order))

    by_country = [
        {"key": row["country_id"], "label": _label(row, "country__name", language), **measures(row)}
        for row in grouped("country_id", "country__name_en", "country__name_ja", order="country__name_en")
    ]
    field_keys = ("session__programme__field__code", "session__programme__field__name_en")
    by_field = [
        {
            "key": row["session__programme__field__code"],
            "label": _label(row, "session__programme__field__name", language),
            **measures(row),
        }
        for row in grouped(
            *field_keys, "session__programme__field__name_ja", order="session__programme__field__position"
        )
    ]
    by_year = [
        {"key": row["year"], "label": str(row["year"]), **measures(row)} for row in grouped("year", order="year")
    ]
    by_gender = [
        {"key": row["gender"], "label": str(Gender(row["gender"]).label), **measures(row)}
        for row in grouped("gender", order="gender")
    ]
    total = trained.aggregate(**_MEASURES)
    return {
        "total": measures(total),
        "by_country": by_country,
        "by_field": by_field,
        "by_year": by_year,
        "by_gender": by_gender,
    }
