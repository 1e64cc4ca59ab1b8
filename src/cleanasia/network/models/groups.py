"""Working groups per field: terms of reference, chairs, members with terms, a work plan.

A group's annual report to the secretariat goes through the progress module's
reporting cycle (not a second copy of it): each group is tied to the measure
that carries its work, and its report is that measure's progress report for
the fiscal year.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanasia.core.history import historied
from cleanasia.core.models import DomainModel, VisibilityControlled


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    CLOSED = "closed", _("Closed")


class GroupRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class WorkingGroup(DomainModel, VisibilityControlled):
    """An expert working group of one field. Its workspace is for its members and the secretariat; the
    public page shows what the group chooses to publish (the `publishes_*` switches)."""

    field = models.ForeignKey(
        "network.Field", on_delete=models.PROTECT, related_name="working_groups", verbose_name=_("field")
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)  # translated
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)  # translated
    public_summary = models.TextField(_("public summary"), blank=True)  # translated
    chair_countries = models.ManyToManyField(
        "directory.Country", blank=True, related_name="chaired_working_groups", verbose_name=_("chair countries")
    )
    co_chair_countries = models.ManyToManyField(
        "directory.Country", blank=True, related_name="co_chaired_working_groups", verbose_name=_("co-chair countries")
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=GroupStatus.choices, default=GroupStatus.ACTIVE)
    measure = models.OneToOneField(
        "measures.Measure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_group",
        verbose_name=_("measure"),
        help_text=_("The measure that carries the group's work; its progress reports are the group's annual reports."),
    )
    meeting_series = models.ForeignKey(
        "meetings.MeetingSeries",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups",
        verbose_name=_("meeting series"),
    )
    publishes_members = models.BooleanField(_("publish the members"), default=False)
    publishes_work_plan = models.BooleanField(_("publish the work plan"), default=True)
    publishes_reports = models.BooleanField(_("publish accepted annual reports"), default=False)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["field__position", "code"]

    def __str__(self) -> str:
        return self.name or self.code


class WorkingGroupMember(DomainModel):
    """A person's membership of a group, with role and term; past terms stay (nothing is deleted)."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group"))
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="group_memberships", verbose_name=_("person")
    )
    country = models.ForeignKey(
        "directory.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country represented"),
    )
    role = models.CharField(_("role"), max_length=10, choices=GroupRole.choices, default=GroupRole.MEMBER)
    started_on = models.DateField(_("term starts"))
    ended_on = models.DateField(_("term ends"), null=True, blank=True)

    history = historied()

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        ordering = ["group", "role", "person__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person", "started_on"], name="network_member_term_unique"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="network_member_term_ordered",
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.group}"


class WorkPlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class WorkPlanItem(DomainModel):
    """An item of a group's work plan; it links to the measures it advances through measures.MeasureLink."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="work_plan", verbose_name=_("group"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=WorkPlanStatus.choices, default=WorkPlanStatus.PLANNED
    )

    class Meta:
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan items")
        ordering = ["group", "position", "pk"]

    def __str__(self) -> str:
        return self.title
