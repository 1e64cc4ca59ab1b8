"""The questions of the anonymous satisfaction survey, the check of an answer, and what the pages may know of
the one-time tokens (whether a token is open, how many were handed out and used).

Tokens are read only here and in services.training (policies.training gives
them to nobody): a page learns whether one token is open, or how many a
session has, never a list of them. Handing out and recording go through
services.training (survey_tokens_issue, survey_response_submit).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ..models import SurveyResponse, SurveyToken, TrainingSession
from .training import survey_response_submit, token_hash

SCALE = (1, 2, 3, 4, 5)  # 1 = very dissatisfied … 5 = very satisfied
QUESTIONS: list[tuple[str, Any]] = [
    ("overall", _("Overall, how satisfied are you with the training?")),
    ("content", _("How useful was the content for your work?")),
    ("trainers", _("How clear and helpful were the trainers?")),
    ("organisation", _("How well was the training organised (venue, schedule, materials)?")),
]
QUESTION_CODES = [code for code, _label in QUESTIONS]
COMMENT_MAX = 2000

OPEN, USED, UNKNOWN = "open", "used", "unknown"


def survey_token_state(token: str) -> tuple[str, TrainingSession | None]:
    """Whether a survey link may still be answered: (OPEN, its session), (USED, its session) or
    (UNKNOWN, None). One query."""
    found = (
        SurveyToken.objects.filter(token_hash=token_hash((token or "").strip()))
        .select_related("session__programme")
        .first()
    )
    if found is None:
        return UNKNOWN, None
    return (USED if found.used_on else OPEN), found.session


def survey_token_counts(session: TrainingSession) -> dict[str, int]:
    """How many links a session's survey handed out and how many were answered (one query)."""
    counts = SurveyToken.objects.filter(session=session).aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used_on__isnull=False))
    )
    return {"issued": counts["issued"], "used": counts["used"], "unused": counts["issued"] - counts["used"]}


def survey_answer(*, token: str, scores: dict[str, Any], comment: str = "") -> SurveyResponse:
    """Check an answer (each score a whole number from 1 to 5, at least one given; a comment of at most
    COMMENT_MAX characters) and record it anonymously with its one-time token."""
    errors: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    for code, value in scores.items():
        if code not in QUESTION_CODES:
            errors[code] = _("This question is not part of the survey.")
        elif value in (None, ""):
            continue
        elif isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            errors[code] = _("Choose a score from 1 (very dissatisfied) to 5 (very satisfied).")
        else:
            answers[code] = value
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = _("Keep the comment to %(max)d characters at most.") % {"max": COMMENT_MAX}
    if errors:
        raise ValidationError(errors)
    if not answers:
        raise ValidationError({"overall": _("Give at least the overall score before sending the survey.")})
    if comment:
        answers["comment"] = comment
    return survey_response_submit(token=token, answers=answers)
