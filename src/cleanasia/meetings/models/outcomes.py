"""Outcomes of meetings split into elements with stable codes, and the follow-up of their action items.

An outcome (chair's summary, joint statement, decision/agreement, action
plan) is split into elements — paragraph, item, sub-item — each with a
stable code such as EAS-EMM/2/JS.05.b. Operational elements ask someone to
do something; action items are operational elements with owners, a lead,
a due date and a status. Updates (ElementUpdate) carry each item from
meeting to meeting until it is closed; its history is its updates plus the
change history of the element itself.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanasia.core.history import historied
from cleanasia.core.models import DomainModel, VisibilityControlled


class OutcomeKind(models.TextChoices):
    CHAIRS_SUMMARY = "chairs_summary", _("Chair's summary")
    JOINT_STATEMENT = "joint_statement", _("Joint statement")
    DECISION = "decision", _("Decision / agreement")
    ACTION_PLAN = "action_plan", _("Action plan")


OUTCOME_PREFIX = {
    OutcomeKind.CHAIRS_SUMMARY: "CS",
    OutcomeKind.JOINT_STATEMENT: "JS",
    OutcomeKind.DECISION: "DEC",
    OutcomeKind.ACTION_PLAN: "AP",
}


class OutcomeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    ACTIVE = "active", _("Active")
    AMENDED = "amended", _("Amended")
    SUPERSEDED = "superseded", _("Superseded")
    IMPLEMENTED = "implemented", _("Implemented")
    ELAPSED = "elapsed", _("Elapsed")


class Outcome(DomainModel, VisibilityControlled):
    """What a meeting adopted: its text (bilingual) and, through its elements, what it asks of whom."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OutcomeKind.choices)
    number = models.PositiveSmallIntegerField(_("number"), default=1, help_text=_("DEC.1, DEC.2… within the meeting"))
    code = models.CharField(_("code"), max_length=80, unique=True, help_text=_("e.g. EAS-EMM/2/JS"))
    title = models.CharField(_("title"), max_length=500)  # translated
    text = models.TextField(_("text"), blank=True)  # translated
    status = models.CharField(_("status"), max_length=16, choices=OutcomeStatus.choices, default=OutcomeStatus.DRAFT)
    adopted_on = models.DateField(_("adopted"), null=True, blank=True)
    document = models.ForeignKey(
        "meetings.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("document"),
    )
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amended_by", verbose_name=_("amends")
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["meeting", "kind", "number"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ElementKind(models.TextChoices):
    PARAGRAPH = "paragraph", _("Paragraph")
    ITEM = "item", _("Item")
    SUB_ITEM = "sub_item", _("Sub-item")


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class Addressee(models.TextChoices):
    ALL_PARTICIPANTS = "all", _("All participating countries")
    COUNTRIES = "countries", _("Named countries")
    SECRETARIAT = "secretariat", _("The secretariat")
    WORKING_GROUP = "working_group", _("A working group")
    ORGANISATIONS = "organisations", _("Partner organisations")


class Element(DomainModel):
    """A paragraph, item or sub-item of an outcome, with a stable code (EAS-EMM/2/JS.05.b).

    Operational elements carry a status; action items (is_action_item) also
    carry owners, a lead and a due date. An element may be superseded by a
    later one, or implement an earlier one.
    """

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="elements", verbose_name=_("outcome"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("within")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ElementKind.choices, default=ElementKind.PARAGRAPH)
    number = models.CharField(_("number"), max_length=12, help_text=_("05, b…"))
    code = models.CharField(_("code"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))  # translated
    is_operational = models.BooleanField(_("operational"), default=False)
    is_action_item = models.BooleanField(_("action item"), default=False)
    addressee = models.CharField(_("addressed to"), max_length=16, choices=Addressee.choices, blank=True)
    addressed_countries = models.ManyToManyField(
        "directory.Country", blank=True, related_name="addressed_elements", verbose_name=_("countries addressed")
    )
    addressed_organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="addressed_elements",
        verbose_name=_("organisations addressed"),
    )
    addressed_group = models.CharField(_("working group addressed"), max_length=200, blank=True)
    lead_country = models.ForeignKey(
        "directory.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_elements",
        verbose_name=_("lead country"),
    )
    lead_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_elements",
        verbose_name=_("lead organisation"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, blank=True, default="")
    status_note = models.TextField(_("status note"), blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    implements = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="implemented_by",
        verbose_name=_("implements"),
    )
    evidence_documents = models.ManyToManyField(
        "meetings.Document", blank=True, related_name="evidence_for", verbose_name=_("evidence")
    )

    class Meta:
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        ordering = ["outcome", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_action_item=False) | Q(is_operational=True),
                name="meetings_action_item_is_operational",
                violation_error_message=_("An action item is an operational element."),
            ),
        ]
        indexes = [
            models.Index(fields=["is_action_item", "status"], name="meetings_element_action_status"),
            models.Index(fields=["due_on"], name="meetings_element_due"),
        ]

    def __str__(self) -> str:
        return self.code


class ElementUpdate(DomainModel):
    """A status update of an operational element, by a focal point (for their country) or the secretariat.

    `meeting` is the meeting before which (or at which) the update was given;
    the status-of-action-items document of that meeting shows it.
    """

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="updates", verbose_name=_("element"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="element_updates",
        verbose_name=_("for the meeting"),
    )
    country = models.ForeignKey(
        "directory.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="element_updates",
        verbose_name=_("country"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="element_updates"
    )
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices)
    note = models.TextField(_("update"))
    language = models.CharField(_("language of the update"), max_length=8, default="en")
    new_due_on = models.DateField(_("new due date"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), db_index=True)

    history = historied()

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["element", "recorded_at"]
        indexes = [models.Index(fields=["element", "-recorded_at"], name="meetings_update_latest")]

    def __str__(self) -> str:
        return f"{self.element.code} {self.status} {self.recorded_at:%Y-%m-%d}"
