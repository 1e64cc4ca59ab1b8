"""Who sees and changes joint training, and the action codes of its services (see core.permissions).

- TrainingProgramme, TrainingSession: read by their visibility level (a
  session also needs its programme to be readable); besides, a focal point
  sees the sessions (and their programmes) their country nominated to, and a
  trainee the sessions they are nominated to, whatever the level. The
  secretariat creates and changes them. A focal point nominates for the
  sessions they may see (their own country only: the service checks).
- TraineeNomination and the personal data under it (gender, motivation,
  attendance, test scores, certificates): the secretariat, the focal points
  of the nominating country and the trainee (person.user) only. Nobody else,
  not even another signed-in member, sees that a person was nominated.
- The secretariat selects, waitlists and declines, records attendance and
  tests, issues and revokes certificates and hands out survey tokens; the
  nominating country's focal point (or the secretariat) withdraws.
- Certificates are checked by anyone by their code only (services.training.
  certificate_verify); no list of certificates is public.
- Survey answers are anonymous and for the secretariat only; survey tokens
  (hashes) are nobody's to read.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action
from cleanasia.core.permissions import (
    DELETE,
    VIEW,
    PermissionPolicy,
    is_secretariat,
    register_policy,
    visibility_filter,
)

from ..models import (
    AssessmentScore,
    AttendanceRecord,
    Certificate,
    SurveyResponse,
    SurveyToken,
    TraineeNomination,
    TrainingProgramme,
    TrainingSession,
)
from .common import focal_countries, signed_in

NOMINATE = "nominate"  # put a trainee forward for a session
DECIDE = "decide"  # select, waitlist, decline
WITHDRAW = "withdraw"
RECORD = "record"  # attendance and test scores
SURVEY = "survey"  # hand out the anonymous survey's tokens
VIEW_PERSONAL = "view_personal_data"  # gender, motivation, attendance, scores, certificate

# Action codes written on history rows, with their labels (translated when displayed).
PROGRAMME_CREATED = "network.training.programme.created"
PROGRAMME_UPDATED = "network.training.programme.updated"
SESSION_CREATED = "network.training.session.created"
SESSION_UPDATED = "network.training.session.updated"
TRAINEE_ADDED = "network.training.trainee.added"
TRAINEE_NOMINATED = "network.training.nomination.created"
TRAINEE_SELECTED = "network.training.nomination.selected"
TRAINEE_WAITLISTED = "network.training.nomination.waitlisted"
TRAINEE_DECLINED = "network.training.nomination.declined"
TRAINEE_WITHDRAWN = "network.training.nomination.withdrawn"
ATTENDANCE_RECORDED = "network.training.attendance.recorded"
ATTENDANCE_CHANGED = "network.training.attendance.changed"
ASSESSMENT_RECORDED = "network.training.assessment.recorded"
ASSESSMENT_CHANGED = "network.training.assessment.changed"
CERTIFICATE_ISSUED = "network.training.certificate.issued"
CERTIFICATE_REVOKED = "network.training.certificate.revoked"

for _code, _label in (
    (PROGRAMME_CREATED, _("Training programme created")),
    (PROGRAMME_UPDATED, _("Training programme changed")),
    (SESSION_CREATED, _("Training session created")),
    (SESSION_UPDATED, _("Training session changed")),
    (TRAINEE_ADDED, _("Trainee added to the directory")),
    (TRAINEE_NOMINATED, _("Trainee nominated")),
    (TRAINEE_SELECTED, _("Trainee selected")),
    (TRAINEE_WAITLISTED, _("Trainee put on the waiting list")),
    (TRAINEE_DECLINED, _("Trainee not selected")),
    (TRAINEE_WITHDRAWN, _("Nomination withdrawn")),
    (ATTENDANCE_RECORDED, _("Attendance recorded")),
    (ATTENDANCE_CHANGED, _("Attendance corrected")),
    (ASSESSMENT_RECORDED, _("Test score recorded")),
    (ASSESSMENT_CHANGED, _("Test score corrected")),
    (CERTIFICATE_ISSUED, _("Certificate issued")),
    (CERTIFICATE_REVOKED, _("Certificate revoked")),
):
    register_action(_code, _label)


def nomination_filter(user: Any, prefix: str = "") -> Q | None:
    """The Q limiting nominations (or rows under one, through `prefix`, e.g. "nomination__") to what `user`
    may see: their country's as a focal point, their own as a trainee. None: all (the secretariat)."""
    if is_secretariat(user):
        return None
    if not signed_in(user):
        return Q(pk__in=[])
    condition = Q(**{f"{prefix}person__user": user})
    countries = focal_countries(user)
    if countries:
        condition |= Q(**{f"{prefix}country_id__in": countries})
    return condition


def _own_session_ids(user: Any) -> QuerySet | None:
    """Sessions a user sees whatever their level: those their country or they themselves are nominated to."""
    condition = nomination_filter(user)
    if condition is None or not signed_in(user):
        return None
    return TraineeNomination.objects.filter(condition).values("session_id")


def programme_filter(user: Any) -> Q | None:
    if is_secretariat(user):
        return None
    condition = visibility_filter(user, TrainingProgramme)
    own = _own_session_ids(user)
    if own is not None:
        condition |= Q(pk__in=TrainingSession.objects.filter(pk__in=own).values("programme_id"))
    return condition


def session_filter(user: Any) -> Q | None:
    if is_secretariat(user):
        return None
    condition = visibility_filter(user, TrainingSession) & Q(
        programme__in=TrainingProgramme.objects.filter(visibility_filter(user, TrainingProgramme)).values("pk")
    )
    own = _own_session_ids(user)
    if own is not None:
        condition |= Q(pk__in=own)
    return condition


def _filtered(qs: QuerySet, condition: Q | None) -> QuerySet:
    return qs if condition is None else qs.filter(condition)


def _exists(policy: PermissionPolicy, obj: models.Model, user: Any) -> bool:
    return policy.visible(obj.__class__._default_manager.filter(pk=obj.pk), user).exists()


class TrainingProgrammePolicy(PermissionPolicy):
    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return _filtered(qs, programme_filter(user))

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == DELETE:
            return False  # a programme with sessions is history; nothing is deleted
        if action == VIEW:
            return obj is None or is_secretariat(user) or _exists(self, obj, user)
        return is_secretariat(user)


class TrainingSessionPolicy(PermissionPolicy):
    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return _filtered(qs, session_filter(user))

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == DELETE:
            return False
        if is_secretariat(user):
            return True
        if action == VIEW:
            return obj is None or _exists(self, obj, user)
        if action == NOMINATE:
            return bool(focal_countries(user)) and (obj is None or _exists(self, obj, user))
        return False


class TraineeNominationPolicy(PermissionPolicy):
    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return _filtered(qs, nomination_filter(user))

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == DELETE:
            return False  # a nomination is withdrawn, never deleted
        if is_secretariat(user):
            return True
        if not signed_in(user):
            return False
        if obj is None:
            return action == VIEW or (action == WITHDRAW and bool(focal_countries(user)))
        # Read from the row itself, without a query, when the person was selected with the nomination.
        own_country = obj.country_id in focal_countries(user)
        if action in (VIEW, VIEW_PERSONAL):
            return own_country or obj.person.user_id == user.pk
        if action == WITHDRAW:
            return own_country
        return False


class _UnderNominationPolicy(PermissionPolicy):
    """Attendance, test scores, certificates: seen with their nomination; written by the secretariat."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return _filtered(qs, nomination_filter(user, "nomination__"))

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action == DELETE:
            return False
        if is_secretariat(user):
            return True
        if action == VIEW:
            return signed_in(user) and (obj is None or _exists(self, obj, user))
        return False


class SecretariatOnlyPolicy(PermissionPolicy):
    """Anonymous survey answers: the secretariat reads them (in aggregate on pages)."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return qs if is_secretariat(user) else qs.none()

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        return is_secretariat(user) and action != DELETE


class NobodyPolicy(PermissionPolicy):
    """Survey token hashes: only the services touch them (a reader could match use days to answers)."""

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        return qs.none()

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        return False


register_policy(TrainingProgramme, TrainingProgrammePolicy())
register_policy(TrainingSession, TrainingSessionPolicy())
register_policy(TraineeNomination, TraineeNominationPolicy())
register_policy(AttendanceRecord, _UnderNominationPolicy())
register_policy(AssessmentScore, _UnderNominationPolicy())
register_policy(Certificate, _UnderNominationPolicy())
register_policy(SurveyResponse, SecretariatOnlyPolicy())
register_policy(SurveyToken, NobodyPolicy())
