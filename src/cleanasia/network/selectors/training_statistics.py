"""Reads of the training statistics page, the alumni records and the survey results, in a fixed number of
queries whatever the number of rows.

The figures build on `selectors.training.trained_for` (who counts as trained,
the learning gain of each trainee) and follow its rules: gains as shares of
the maximum, a group's gain shown outside the secretariat only when at least
MIN_GROUP_FOR_GAIN trainees sat both tests. On these pages a focal point sees
the figures of their own countries only: gender and scores of another
country's trainees are personal data of that country's nominations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from cleanasia.core.permissions import is_secretariat, visible
from cleanasia.directory.models import Country

from ..models import (
    AttendanceRecord,
    Field,
    Gender,
    SurveyResponse,
    TraineeNomination,
    TraineeState,
    TrainingSession,
)
from ..policies.training import focal_countries
from .training import ATTENDED, MIN_GROUP_FOR_GAIN, _label, _language, trained_for

GROUPINGS = ("by_country", "by_field", "by_year", "by_gender", "by_session")
SURVEY_SCALE = (1, 2, 3, 4, 5)


def sees_statistics(user: Any) -> bool:
    """The secretariat sees every country's figures, a focal point their own countries'; nobody else."""
    return is_secretariat(user) or bool(focal_countries(user))


def _trained(*, user: Any, year: int | None, field: Field | None, country: Country | None) -> QuerySet:
    trained = trained_for(user=user, year=year, field=field, country=country)
    if not is_secretariat(user):
        trained = trained.filter(country_id__in=focal_countries(user))
    return trained


_MEASURES = {
    "trainees": Count("pk"),
    "people": Count("person", distinct=True),
    "scored": Count("gain"),
    "mean_gain": Avg("gain"),
}


def statistics_for(
    *, user: Any, year: int | None = None, field: Field | None = None, country: Country | None = None
) -> dict[str, Any]:
    """People trained and learning gain in total and by country, field, year, gender and session (six
    queries). Each row: key, label, trainees (trainings delivered), people (different persons), scored
    (trainees who sat both tests), gain (their mean gain as a share of the maximum, or None)."""
    language = _language()
    secretariat = is_secretariat(user)
    trained = _trained(user=user, year=year, field=field, country=country)

    def measures(row: dict[str, Any]) -> dict[str, Any]:
        shown = row["scored"] and (secretariat or row["scored"] >= MIN_GROUP_FOR_GAIN)
        return {
            "trainees": row["trainees"],
            "people": row["people"],
            "scored": row["scored"],
            "gain": row["mean_gain"] if shown else None,
        }

    def grouped(*keys: str, order: tuple[str, ...]) -> list[dict[str, Any]]:
        return list(trained.values(*keys).annotate(**_MEASURES).order_by(*order))

    field_prefix = "session__programme__field__"
    programme = "session__programme__"
    by_session = [
        {
            "key": row["session_id"],
            "label": f"{_label(row, programme + 'title', language)} ({row['session__starts_on']:%Y-%m-%d})",
            "programme": row["session__programme__code"],
            **measures(row),
        }
        for row in grouped(
            "session_id",
            "session__starts_on",
            f"{programme}code",
            f"{programme}title_en",
            f"{programme}title_ja",
            order=(f"{programme}code", "session__starts_on", "session_id"),
        )
    ]
    return {
        "total": measures(trained.aggregate(**_MEASURES)),
        "by_country": [
            {"key": row["country_id"], "label": _label(row, "country__name", language), **measures(row)}
            for row in grouped("country_id", "country__name_en", "country__name_ja", order=("country__name_en",))
        ],
        "by_field": [
            {"key": row[f"{field_prefix}code"], "label": _label(row, f"{field_prefix}name", language), **measures(row)}
            for row in grouped(
                f"{field_prefix}code",
                f"{field_prefix}name_en",
                f"{field_prefix}name_ja",
                f"{field_prefix}position",
                order=(f"{field_prefix}position", f"{field_prefix}code"),
            )
        ],
        "by_year": [
            {"key": row["year"], "label": str(row["year"]), **measures(row)} for row in grouped("year", order=("year",))
        ],
        "by_gender": [
            {"key": row["gender"], "label": str(Gender(row["gender"]).label), **measures(row)}
            for row in grouped("gender", order=("gender",))
        ],
        "by_session": by_session,
    }


def statistics_years(*, user: Any) -> list[int]:
    """The years in which sessions the user may see started, newest first (one query)."""
    years = (
        visible(TrainingSession.objects.all(), user)
        .annotate(year=ExtractYear("starts_on"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return list(years)


def statistics_countries(*, user: Any) -> QuerySet[Country]:
    """The countries a user may filter by: those with nominations (the secretariat), their own (a focal point)."""
    if is_secretariat(user):
        return Country.objects.filter(pk__in=TraineeNomination.objects.values("country_id")).order_by("name_en")
    return Country.objects.filter(pk__in=focal_countries(user)).order_by("name_en")


# --- alumni -----------------------------------------------------------------------------------------


def alumni_for(
    *,
    user: Any,
    query: str = "",
    country: Country | None = None,
    year: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[TraineeNomination]:
    """People who completed a training: selected, the session over, present or late on at least one day;
    the ones the user may see (the secretariat all, a focal point their countries', a trainee their own),
    newest session first, with person, country, programme and certificate (one query per page)."""
    today = today or timezone.localdate()
    attended = AttendanceRecord.objects.filter(nomination=OuterRef("pk"), status__in=ATTENDED)
    qs = (
        visible(TraineeNomination.objects.all(), user)
        .filter(state=TraineeState.SELECTED, session__ends_on__lt=today)
        .filter(Exists(attended))
        .select_related("person", "country", "session__programme__field", "certificate")
        .order_by("-session__starts_on", "person__name_en", "pk")
    )
    query = (query or "").strip()
    if query:
        qs = qs.filter(
            Q(person__name_en__icontains=query)
            | Q(person__name_ja__icontains=query)
            | Q(person__family_name__icontains=query)
            | Q(person__given_name__icontains=query)
            | Q(session__programme__title_en__icontains=query)
            | Q(session__programme__title_ja__icontains=query)
            | Q(session__programme__code__icontains=query)
        )
    if country is not None:
        qs = qs.filter(country=country)
    if year is not None:
        qs = qs.filter(session__starts_on__year=year)
    return qs


# --- survey results ---------------------------------------------------------------------------------


def survey_results_for(*, user: Any, session: TrainingSession, questions: list[str]) -> dict[str, Any]:
    """The anonymous answers of a session summed up for the secretariat: per question the number of
    answers, the mean and the count of each score; the comments in a fixed order that says nothing about
    who wrote them (alphabetical). One query; nothing for anyone else."""
    answers = list(visible(SurveyResponse.objects.filter(session=session), user).values_list("answers", flat=True))
    per_question = []
    for code in questions:
        scores = [a.get(code) for a in answers if isinstance(a.get(code), int) and a.get(code) in SURVEY_SCALE]
        per_question.append(
            {
                "code": code,
                "answers": len(scores),
                "mean": sum(scores) / len(scores) if scores else None,
                "distribution": [scores.count(value) for value in SURVEY_SCALE],
            }
        )
    comments = sorted(
        (a["comment"].strip() for a in answers if isinstance(a.get("comment"), str) and a["comment"].strip()),
        key=str.casefold,
    )
    return {"responses": len(answers), "questions": per_question, "comments": comments}
