"""Pages of fields and working groups: the field list and form (secretariat), the group list, a group's
workspace (its members and the secretariat), the group form (stale edits refused), memberships, the work
plan, what the group publishes, and the public list and page of groups.

Views are thin: they parse a form, call the groups services and show a
ValidationError at its field; reads go through selectors/groups.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cleanasia.core import permissions
from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.models import Visibility
from cleanasia.core.permissions import require
from cleanasia.core.views.forms import add_service_errors, paginate, stale_context
from cleanasia.directory.models import Country, CountryGroup, Person
from cleanasia.measures.models import Measure

from ..models import Field, GroupRole, GroupStatus, WorkingGroup, WorkingGroupMember, WorkPlanItem, WorkPlanStatus
from ..policies.groups import SET_STATUS
from ..selectors import groups as selectors
from ..services import groups as services

# Each status has a symbol and a word; colour never carries the meaning alone (WCAG 1.4.1).
GROUP_STATUS_ICONS = {GroupStatus.ACTIVE: "●", GroupStatus.DORMANT: "◐", GroupStatus.CLOSED: "✕"}
ITEM_STATUS_ICONS = {
    WorkPlanStatus.PLANNED: "○",
    WorkPlanStatus.IN_PROGRESS: "◐",
    WorkPlanStatus.DONE: "✓",
    WorkPlanStatus.DROPPED: "✕",
}


def group_badge(group: WorkingGroup) -> dict[str, str]:
    status = GroupStatus(group.status)
    return {"value": status.value, "label": str(status.label), "icon": GROUP_STATUS_ICONS[status]}


def item_badge(item: WorkPlanItem) -> dict[str, str]:
    status = WorkPlanStatus(item.status)
    return {"value": status.value, "label": str(status.label), "icon": ITEM_STATUS_ICONS[status]}


def _group(request: HttpRequest, code: str, *related: str) -> WorkingGroup:
    """The group the user may see (404 otherwise), with its field and what `related` names."""
    return permissions.get_visible_or_404(
        WorkingGroup.objects.select_related("field", *related), request.user, code=code
    )


def _changes(form: forms.Form, instance: Any, names: tuple[str, ...], m2m: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields of the form that differ from the record as loaded (m2m compared as sets)."""
    changes = {
        name: form.cleaned_data[name]
        for name in names
        if name in form.cleaned_data and form.cleaned_data[name] != getattr(instance, name)
    }
    for name in m2m:
        wanted = list(form.cleaned_data.get(name) or [])
        if {obj.pk for obj in wanted} != {obj.pk for obj in getattr(instance, name).all()}:
            changes[name] = wanted
    return changes


class CountryChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Country) -> str:
        return f"{obj.name or obj.code} ({obj.code})"


def _countries(label: Any) -> CountryChoices:
    return CountryChoices(
        label=label,
        queryset=Country.objects.order_by("name_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


def _text(label: Any, max_length: int | None = None, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, max_length=max_length, required=False, widget=widget)


# --- forms -----------------------------------------------------------------------------------------


class FieldForm(forms.Form):
    """A field of the network; `version` makes a concurrent edit detectable."""

    NAMES = ("code", "name_ja", "name_en", "description_ja", "description_en", "position", "is_active")

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy("Lower-case letters, digits and hyphens, e.g. waste-3r."),
    )
    name_ja = _text(gettext_lazy("Name (Japanese)"), 200)
    name_en = _text(gettext_lazy("Name (English)"), 200)
    description_ja = _text(gettext_lazy("Description (Japanese)"), rows=3)
    description_en = _text(gettext_lazy("Description (English)"), rows=3)
    position = forms.IntegerField(label=gettext_lazy("Position in the list"), min_value=0, required=False)
    is_active = forms.BooleanField(
        label=gettext_lazy("In use"),
        required=False,
        initial=True,
        help_text=gettext_lazy("A field no longer in use stays on its records but is not offered for new ones."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"].required = True
            self.fields["position"].required = True


class GroupForm(forms.Form):
    """Creates or edits a working group. Its code (which names its measure and series) is fixed once it exists;
    a new group's meetings are a new working-level series of the membership group's countries."""

    TEXT = (
        "name_ja",
        "name_en",
        "terms_of_reference_ja",
        "terms_of_reference_en",
        "public_summary_ja",
        "public_summary_en",
    )
    OTHER = ("field", "established_on", "status")
    M2M = ("chair_countries", "co_chair_countries")

    field = forms.ModelChoiceField(label=gettext_lazy("Field"), queryset=Field.objects.none())
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=services.GROUP_CODE_MAX,
        help_text=gettext_lazy("Lower-case letters, digits and hyphens, e.g. wg-air. It cannot change later."),
    )
    name_ja = _text(gettext_lazy("Name (Japanese)"), 300)
    name_en = _text(gettext_lazy("Name (English)"), 300)
    terms_of_reference_ja = _text(gettext_lazy("Terms of reference (Japanese)"), rows=6)
    terms_of_reference_en = _text(gettext_lazy("Terms of reference (English)"), rows=6)
    public_summary_ja = _text(gettext_lazy("Public summary (Japanese)"), rows=3)
    public_summary_en = _text(gettext_lazy("Public summary (English)"), rows=3)
    chair_countries = _countries(gettext_lazy("Chair countries"))
    co_chair_countries = _countries(gettext_lazy("Co-chair countries"))
    established_on = forms.DateField(
        label=gettext_lazy("Established on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=GroupStatus.choices, initial=GroupStatus.ACTIVE)
    membership_group = forms.ModelChoiceField(
        label=gettext_lazy("Member countries"),
        queryset=CountryGroup.objects.order_by("code"),
        required=False,
        help_text=gettext_lazy(
            "The country group whose members take part (EAS…): the group's meeting series invites them."
        ),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may see the group"), choices=Visibility.choices, initial=Visibility.MEMBERS
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, group: WorkingGroup | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields = Field.objects.order_by("position", "code")
        # A group keeps its field even when the field is retired; new choices are fields in use.
        in_use = Q(is_active=True) if group is None else Q(is_active=True) | Q(pk=group.field_id)
        self.fields["field"].queryset = fields.filter(in_use)
        if group is not None:
            for name in ("code", "membership_group", "visibility"):
                del self.fields[name]
            self.fields["version"].required = True

    @classmethod
    def initial_for(cls, group: WorkingGroup) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(group, name) for name in cls.TEXT + cls.OTHER}
        initial["field"] = group.field_id
        for name in cls.M2M:
            initial[name] = list(getattr(group, name).all())
        initial["version"] = group.version
        return initial


class PublishForm(forms.Form):
    """What the group's public page shows, and who may see the group at all."""

    NAMES = ("publishes_members", "publishes_work_plan", "publishes_reports", "visibility")

    publishes_members = forms.BooleanField(
        label=gettext_lazy("Publish the current members (name, country and role; never contact details)"),
        required=False,
    )
    publishes_work_plan = forms.BooleanField(label=gettext_lazy("Publish the work plan"), required=False)
    publishes_reports = forms.BooleanField(label=gettext_lazy("Publish accepted annual reports"), required=False)
    visibility = forms.ChoiceField(label=gettext_lazy("Who may see the group"), choices=Visibility.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PersonField(forms.CharField):
    """A person of the directory, by their number or their e-mail address (no list of thousands of names)."""

    def clean(self, value: Any) -> Person | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        if text.isdigit():
            person = Person.objects.filter(pk=int(text)).first()
        else:
            person = Person.objects.filter(email__iexact=text).first() if "@" in text else None
        if person is None:
            raise ValidationError(
                _("No person of the directory has this number or e-mail address; add them to the directory first.")
            )
        return person


class MemberAddForm(forms.Form):
    person = PersonField(
        label=gettext_lazy("Person"),
        max_length=254,
        help_text=gettext_lazy("Their number in the directory, or their e-mail address."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=GroupRole.choices, initial=GroupRole.MEMBER)
    country = forms.ModelChoiceField(
        label=gettext_lazy("Country represented"),
        queryset=Country.objects.order_by("name_en"),
        required=False,
        help_text=gettext_lazy("Leave empty for the person's own country."),
    )
    started_on = forms.DateField(label=gettext_lazy("Term starts"), widget=forms.DateInput(attrs={"type": "date"}))
    ended_on = forms.DateField(
        label=gettext_lazy("Term ends"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MemberEndForm(forms.Form):
    ended_on = forms.DateField(
        label=gettext_lazy("Last day of the term"), widget=forms.DateInput(attrs={"type": "date"})
    )


class WorkPlanItemForm(forms.Form):
    NAMES = ("title_ja", "title_en", "description_ja", "description_en", "due_on", "status")

    title_ja = _text(gettext_lazy("Title (Japanese)"), 300)
    title_en = _text(gettext_lazy("Title (English)"), 300)
    description_ja = _text(gettext_lazy("Description (Japanese)"), rows=3)
    description_en = _text(gettext_lazy("Description (English)"), rows=3)
    due_on = forms.DateField(label=gettext_lazy("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=WorkPlanStatus.choices)
    measure = forms.ModelChoiceField(
        label=gettext_lazy("Measure it advances"),
        queryset=Measure.objects.none(),
        required=False,
        help_text=gettext_lazy("Optional: links the item to a measure of the progress module."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = permissions.visible(Measure.objects.order_by("code"), user)
        self.fields["measure"].label_from_instance = lambda m: f"{m.code} {m.title}"
        if editing:
            self.fields["version"].required = True


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=WorkPlanStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class GroupFilterForm(forms.Form):
    """Field, status, text and "my groups"; GET parameters, so a filtered list can be shared."""

    q = forms.CharField(label=gettext_lazy("Text in the code or name"), max_length=100, required=False)
    field = forms.ChoiceField(label=gettext_lazy("Field"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", gettext_lazy("All")), *GroupStatus.choices]
    )
    mine = forms.BooleanField(label=gettext_lazy("Only my groups"), required=False)

    def __init__(self, *args: Any, fields: list[Field], with_mine: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields")), *((f.code, str(f)) for f in fields)]
        if not with_mine:
            del self.fields["mine"]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


# --- fields ----------------------------------------------------------------------------------------


class FieldListView(LoginRequiredMixin, TemplateView):
    """The fields in their order, with their groups counted (retired ones too, marked)."""

    template_name = "network/groups/field_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            fields=list(selectors.field_list_for(user=user, active_only=False)),
            may_change=permissions.can(user, permissions.CHANGE, Field),
        )
        return context


class FieldFormView(LoginRequiredMixin, View):
    """Add a field, or edit one (a stale edit is refused, with what the other person changed)."""

    template_name = "network/groups/field_form.html"

    def _field(self, request: HttpRequest, pk: int | None) -> Field | None:
        require(request.user, permissions.CHANGE if pk else permissions.ADD, Field)
        if pk is None:
            return None
        field = Field.objects.filter(pk=pk).first()
        if field is None:
            raise Http404
        return field

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        field = self._field(request, pk)
        if field is None:
            form = FieldForm()
        else:
            initial = {name: getattr(field, name) for name in FieldForm.NAMES}
            form = FieldForm(initial={**initial, "version": field.version}, editing=True)
        return render(request, self.template_name, {"form": form, "field": field})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        field = self._field(request, pk)
        form = FieldForm(request.POST, editing=field is not None)
        context: dict[str, Any] = {"form": form, "field": field}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        data = form.cleaned_data
        try:
            if field is None:
                services.field_create(actor=request.user, **{name: data[name] for name in FieldForm.NAMES})
            else:
                services.field_update(
                    actor=request.user,
                    field=field,
                    expected_version=data["version"],
                    changes=_changes(form, field, FieldForm.NAMES),
                )
        except StaleEditError as exc:
            context.update(form=_rebound(FieldForm, request, exc, editing=True), stale=stale_context(form, exc))
            return render(request, self.template_name, context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("The field was saved."))
        return redirect("network:field-list")


def _rebound(form_class: type[forms.Form], request: HttpRequest, exc: StaleEditError, **kwargs: Any) -> forms.Form:
    """The user's input again, now carrying the current version, so that saving again is a deliberate choice."""
    data = request.POST.copy()
    data["version"] = str(exc.instance.version)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


# --- staff pages of groups -------------------------------------------------------------------------


class GroupListView(LoginRequiredMixin, TemplateView):
    """The groups the user may see, filtered by field, status, text and membership."""

    template_name = "network/groups/group_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        fields = list(selectors.field_list_for(user=user))
        form = GroupFilterForm(self.request.GET or None, fields=fields)
        filters = form.filters()
        page, query = paginate(self.request, selectors.group_list_for(user=user, filters=filters))
        for group in page.object_list:
            group.badge = group_badge(group)
        context.update(
            form=form,
            filtered=bool(filters),
            page_obj=page,
            query_without_page=query,
            may_create=permissions.can(user, permissions.ADD, WorkingGroup),
        )
        return context


class GroupWorkspaceView(LoginRequiredMixin, TemplateView):
    """A group's workspace: terms of reference, chairs, members with their terms, the work plan with its
    measures, the meetings and documents of its series, and its annual reports: for members and the
    secretariat (others who see the group get 403, and find what it publishes on its public page)."""

    template_name = "network/groups/workspace.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        data = selectors.group_workspace_for(user=user, code=kwargs["code"])
        group = data["group"]
        group.badge = group_badge(group)
        for item in data["work_plan"]:
            item.badge = item_badge(item)
        context.update(data)
        context.update(
            documents=selectors.group_documents_for(user=user, group=group),
            open_reports=[report for report in data["reports"] if report.state != "approved"],
        )
        return context


class GroupFormView(LoginRequiredMixin, View):
    """The secretariat creates a group (with its measure and meeting series) or edits one."""

    template_name = "network/groups/group_form.html"

    def _group(self, request: HttpRequest, code: str | None) -> WorkingGroup | None:
        if code is None:
            require(request.user, permissions.ADD, WorkingGroup)
            return None
        group = _group(request, code)
        require(request.user, permissions.CHANGE, group)
        return group

    def get(self, request: HttpRequest, code: str | None = None) -> HttpResponse:
        group = self._group(request, code)
        form = GroupForm() if group is None else GroupForm(initial=GroupForm.initial_for(group), group=group)
        return render(request, self.template_name, {"form": form, "group": group})

    def post(self, request: HttpRequest, code: str | None = None) -> HttpResponse:
        group = self._group(request, code)
        form = GroupForm(request.POST, group=group)
        context: dict[str, Any] = {"form": form, "group": group}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        data = form.cleaned_data
        try:
            if group is None:
                group = services.working_group_create(
                    actor=request.user,
                    code=data["code"],
                    membership_group=data["membership_group"],
                    visibility=data["visibility"],
                    **{name: data[name] for name in GroupForm.TEXT + GroupForm.OTHER + GroupForm.M2M},
                )
                messages.success(request, _("The working group was created, with its measure for annual reports."))
                return redirect("network:group-workspace", code=group.code)
            changes = _changes(form, group, GroupForm.TEXT + GroupForm.OTHER, GroupForm.M2M)
            if not changes and data["version"] == group.version:
                messages.info(request, _("Nothing was changed."))
                return redirect("network:group-workspace", code=group.code)
            services.working_group_update(
                actor=request.user, group=group, expected_version=data["version"], changes=changes
            )
        except StaleEditError as exc:
            context.update(form=_rebound(GroupForm, request, exc, group=group), stale=stale_context(form, exc))
            return render(request, self.template_name, context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("The working group was saved."))
        return redirect("network:group-workspace", code=group.code)


class GroupPublishView(LoginRequiredMixin, View):
    """Choose what the group's public page shows (members, work plan, accepted reports) and its level."""

    template_name = "network/groups/publish_form.html"

    def _group(self, request: HttpRequest, code: str) -> WorkingGroup:
        group = _group(request, code)
        require(request.user, permissions.CHANGE, group)
        return group

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        group = self._group(request, code)
        initial = {name: getattr(group, name) for name in PublishForm.NAMES}
        form = PublishForm(initial={**initial, "version": group.version})
        return render(request, self.template_name, self._context(form, group))

    @staticmethod
    def _context(form: forms.Form, group: WorkingGroup) -> dict[str, Any]:
        return {"form": form, "group": group, "here_label": _("What the public page shows")}

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        group = self._group(request, code)
        form = PublishForm(request.POST)
        context = self._context(form, group)
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            services.working_group_update(
                actor=request.user,
                group=group,
                expected_version=form.cleaned_data["version"],
                changes=_changes(form, group, PublishForm.NAMES),
            )
        except StaleEditError as exc:
            context.update(form=_rebound(PublishForm, request, exc), stale=stale_context(form, exc))
            return render(request, self.template_name, context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("The publication settings were saved."))
        return redirect("network:group-workspace", code=group.code)


class MemberAddView(LoginRequiredMixin, View):
    """Add a person to the group with a role and a term (secretariat)."""

    template_name = "network/groups/member_form.html"

    def _group(self, request: HttpRequest, code: str) -> WorkingGroup:
        group = _group(request, code, "meeting_series")
        require(request.user, permissions.CHANGE, group)
        return group

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        group = self._group(request, code)
        return render(request, self.template_name, self._context(MemberAddForm(), group))

    @staticmethod
    def _context(form: forms.Form, group: WorkingGroup) -> dict[str, Any]:
        return {"form": form, "group": group, "here_label": _("Add a member")}

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        group = self._group(request, code)
        form = MemberAddForm(request.POST)
        context = self._context(form, group)
        if form.is_valid():
            try:
                services.group_member_add(actor=request.user, group=group, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The member was added."))
                return redirect("network:group-workspace", code=group.code)
        return render(request, self.template_name, context, status=400)


class MemberEndView(LoginRequiredMixin, View):
    """End a member's term on a day (the record stays, with its history)."""

    template_name = "network/groups/member_end.html"

    def _member(self, request: HttpRequest, pk: int) -> WorkingGroupMember:
        member = permissions.get_visible_or_404(
            WorkingGroupMember.objects.select_related("group", "person", "country"), request.user, pk=pk
        )
        require(request.user, permissions.CHANGE, member)
        return member

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self._member(request, pk)
        return render(request, self.template_name, {"form": MemberEndForm(), "member": member})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self._member(request, pk)
        form = MemberEndForm(request.POST)
        if form.is_valid():
            try:
                services.group_member_end(actor=request.user, member=member, ended_on=form.cleaned_data["ended_on"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The term was ended."))
                return redirect("network:group-workspace", code=member.group.code)
        return render(request, self.template_name, {"form": form, "member": member}, status=400)


class WorkPlanItemFormView(LoginRequiredMixin, View):
    """Add an item to the group's work plan, or edit one (secretariat); either may link it to a measure."""

    template_name = "network/groups/item_form.html"

    def _load(self, request: HttpRequest, code: str | None, pk: int | None) -> tuple[WorkingGroup, WorkPlanItem | None]:
        if pk is None:
            group = _group(request, code)
            require(request.user, permissions.CHANGE, group)
            return group, None
        item = permissions.get_visible_or_404(
            WorkPlanItem.objects.select_related("group", "group__field"), request.user, pk=pk
        )
        require(request.user, permissions.CHANGE, item)
        return item.group, item

    def get(self, request: HttpRequest, code: str | None = None, pk: int | None = None) -> HttpResponse:
        group, item = self._load(request, code, pk)
        if item is None:
            form = WorkPlanItemForm(user=request.user, initial={"status": WorkPlanStatus.PLANNED})
        else:
            initial = {name: getattr(item, name) for name in WorkPlanItemForm.NAMES}
            form = WorkPlanItemForm(user=request.user, editing=True, initial={**initial, "version": item.version})
        return render(request, self.template_name, self._context(form, group, item))

    @staticmethod
    def _context(form: forms.Form, group: WorkingGroup, item: WorkPlanItem | None) -> dict[str, Any]:
        here = _("Edit a work-plan item") if item is not None else _("Add a work-plan item")
        return {"form": form, "group": group, "item": item, "here_label": here}

    def post(self, request: HttpRequest, code: str | None = None, pk: int | None = None) -> HttpResponse:
        group, item = self._load(request, code, pk)
        form = WorkPlanItemForm(request.POST, user=request.user, editing=item is not None)
        context = self._context(form, group, item)
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        data = form.cleaned_data
        try:
            if item is None:
                item = services.work_plan_item_create(
                    actor=request.user, group=group, **{name: data[name] for name in WorkPlanItemForm.NAMES}
                )
            else:
                item = services.work_plan_item_update(
                    actor=request.user,
                    item=item,
                    expected_version=data["version"],
                    changes=_changes(form, item, WorkPlanItemForm.NAMES),
                )
            if data["measure"] is not None:
                services.work_plan_item_link_measure(actor=request.user, item=item, measure=data["measure"])
        except StaleEditError as exc:
            rebound = _rebound(WorkPlanItemForm, request, exc, user=request.user, editing=True)
            context.update(form=rebound, stale=stale_context(form, exc))
            return render(request, self.template_name, context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("The work plan was saved."))
        return redirect("network:group-workspace", code=group.code)


class WorkPlanItemStatusView(LoginRequiredMixin, View):
    """Set an item's status (mark it done…): the group's chair and co-chairs, or the secretariat. POST only:
    the workspace carries the buttons."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = permissions.get_visible_or_404(WorkPlanItem.objects.select_related("group"), request.user, pk=pk)
        require(request.user, SET_STATUS, item)
        form = ItemStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a status; the page may be out of date, reload it."))
            return redirect("network:group-workspace", code=item.group.code)
        try:
            services.work_plan_item_set_status(
                actor=request.user,
                item=item,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        except StaleEditError as exc:
            messages.error(
                request,
                _("Someone else changed this item meanwhile (now: %(status)s); nothing was saved. Check and retry.")
                % {"status": WorkPlanStatus(exc.instance.status).label},
            )
            return redirect("network:group-workspace", code=item.group.code)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("network:group-workspace", code=item.group.code)
        messages.success(request, _("The status of the item was set."))
        return redirect("network:group-workspace", code=item.group.code)


# --- public pages ----------------------------------------------------------------------------------


class PublicGroupListView(TemplateView):
    """The working groups anyone may see, by field."""

    template_name = "network/groups/public_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        fields = list(selectors.field_list_for(user=user))
        form = GroupFilterForm(self.request.GET or None, fields=fields, with_mine=False)
        filters = form.filters()
        page, query = paginate(self.request, selectors.group_list_for(user=user, filters=filters))
        for group in page.object_list:
            group.badge = group_badge(group)
        context.update(form=form, filtered=bool(filters), page_obj=page, query_without_page=query)
        return context


class PublicGroupPageView(TemplateView):
    """A group's public page: what the group chooses to publish, the same for every reader."""

    template_name = "network/groups/public_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data = selectors.group_public_page_for(user=self.request.user, code=kwargs["code"])
        data["group"].badge = group_badge(data["group"])
        for item in data["work_plan"]:
            item.badge = item_badge(item)
        context.update(data)
        return context
