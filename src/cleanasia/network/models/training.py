"""Joint training: programmes, sessions with a call and per-country quotas, nominated trainees (who may
have no account), attendance per day, pre- and post-tests, an anonymous survey, certificates.

A certificate keeps the name as it was at issue and a verification code anyone
can check on a public page; revoking keeps the certificate and its reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanasia.core.history import historied
from cleanasia.core.models import DomainModel, VisibilityControlled


class TrainingLevel(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class TrainingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class TrainingProgramme(DomainModel, VisibilityControlled):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    field = models.ForeignKey(
        "network.Field", on_delete=models.PROTECT, related_name="training_programmes", verbose_name=_("field")
    )
    working_group = models.ForeignKey(
        "network.WorkingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_programmes",
        verbose_name=_("working group"),
    )
    level = models.CharField(_("level"), max_length=12, choices=TrainingLevel.choices)
    language = models.CharField(_("language of instruction"), max_length=8, default="en")
    mode = models.CharField(_("mode"), max_length=10, choices=TrainingMode.choices, default=TrainingMode.IN_PERSON)

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title or self.code


class TrainingSession(DomainModel, VisibilityControlled):
    """One run of a programme: dates, venue, the call for applications and the quota per country."""

    programme = models.ForeignKey(
        TrainingProgramme, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)  # translated
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)  # translated
    host_country = models.ForeignKey(
        "directory.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("host")
    )
    mode = models.CharField(_("mode"), max_length=10, choices=TrainingMode.choices, default=TrainingMode.IN_PERSON)
    call_opens_on = models.DateField(_("call opens"), null=True, blank=True)
    call_closes_on = models.DateField(_("call closes"), null=True, blank=True)
    quota_per_country = models.PositiveSmallIntegerField(_("places per country"), default=2)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="network_session_period_ordered",
                violation_error_message=_("A session cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(call_opens_on__isnull=True)
                | Q(call_closes_on__isnull=True)
                | Q(call_closes_on__gte=models.F("call_opens_on")),
                name="network_session_call_ordered",
                violation_error_message=_("A call cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.starts_on:%Y-%m-%d}"


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another gender")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class TraineeState(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("Waiting list")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TraineeNomination(DomainModel):
    """A person nominated by their country's focal point for a session; the secretariat selects."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("session")
    )
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="training_nominations", verbose_name=_("trainee")
    )
    country = models.ForeignKey(
        "directory.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("nominating country")
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED)
    state = models.CharField(_("state"), max_length=12, choices=TraineeState.choices, default=TraineeState.NOMINATED)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    motivation = models.TextField(_("motivation"), blank=True)

    history = historied()

    class Meta:
        verbose_name = _("trainee nomination")
        verbose_name_plural = _("trainee nominations")
        ordering = ["session", "country", "person__name_en"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="network_nomination_unique")]

    def __str__(self) -> str:
        return f"{self.person} — {self.session}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class AttendanceRecord(DomainModel):
    nomination = models.ForeignKey(
        TraineeNomination, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("trainee")
    )
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=8, choices=AttendanceStatus.choices)

    history = historied()

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["nomination", "day"]
        constraints = [models.UniqueConstraint(fields=["nomination", "day"], name="network_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.nomination} {self.day:%Y-%m-%d}: {self.get_status_display()}"


class AssessmentKind(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class AssessmentScore(DomainModel):
    """A trainee's pre- or post-test score; the learning gain is post minus pre, as shares of the maximum."""

    nomination = models.ForeignKey(
        TraineeNomination, on_delete=models.CASCADE, related_name="scores", verbose_name=_("trainee")
    )
    kind = models.CharField(_("test"), max_length=4, choices=AssessmentKind.choices)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    max_score = models.DecimalField(_("out of"), max_digits=6, decimal_places=2, default=100)

    history = historied()

    class Meta:
        verbose_name = _("test score")
        verbose_name_plural = _("test scores")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "kind"], name="network_assessment_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=models.F("max_score")),
                name="network_assessment_in_range",
                violation_error_message=_("A score lies between 0 and the maximum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination}: {self.get_kind_display()} {self.score}/{self.max_score}"


class SurveyResponse(models.Model):
    """An anonymous satisfaction survey answer: tied to the session only, never to the person."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("session")
    )
    answers = models.JSONField(_("answers"), default=dict)
    submitted_on = models.DateField(_("submitted on"))  # the day only: a time would help re-identify

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.session} — {self.submitted_on:%Y-%m-%d}"


class SurveyToken(models.Model):
    """A one-time token of the anonymous survey: only its hash and the day it was used, never whom it was
    given to (services.training.survey_tokens_issue stores the rows shuffled)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="survey_tokens", verbose_name=_("session")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    used_on = models.DateField(_("used on"), null=True, blank=True)  # the day only, like SurveyResponse.submitted_on

    class Meta:
        verbose_name = _("survey token")
        verbose_name_plural = _("survey tokens")

    def __str__(self) -> str:
        return f"{self.session} — {'used' if self.used_on else 'unused'}"


class Certificate(DomainModel):
    nomination = models.OneToOneField(
        TraineeNomination, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("trainee")
    )
    code = models.CharField(_("verification code"), max_length=24, unique=True)
    name_at_issue = models.CharField(_("name as issued"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    history = historied()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | ~Q(revocation_reason=""),
                name="network_certificate_revocation_reasoned",
                violation_error_message=_("A revocation needs its reason."),
            )
        ]

    def __str__(self) -> str:
        return self.code
