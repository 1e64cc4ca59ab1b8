"""Agenda pages: the secretariat's editor (add, edit, move items; no scripts needed) and the printable
timetable, as a page with print styles and as a PDF. Times are in the meeting's time zone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cleanasia.core import permissions
from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.pdf import render_pdf
from cleanasia.core.views.forms import add_service_errors, stale_context

from ..models import AgendaItem, Document, Meeting
from ..selectors import meetings as selectors
from ..services import agenda as services
from .meetings import LocalDateTimeField, naive_local, status_badge


class DocumentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        return f"{obj.symbol} {obj.title}"


class MinutesChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        return f"{obj.symbol} {obj.title}"


class ParentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        return f"{obj.number}. {obj.title}"


class AgendaItemForm(forms.Form):
    """An agenda item; times as seen at the venue."""

    TEXT_FIELDS = (
        "number",
        "title_ja",
        "title_en",
        "presenters_ja",
        "presenters_en",
        "description_ja",
        "description_en",
    )
    OTHER_FIELDS = ("parent", "starts_at", "ends_at", "adopts_minutes")

    number = forms.CharField(label=gettext_lazy("Number"), max_length=12, help_text=gettext_lazy("1, 2, 3.a…"))
    parent = ParentChoice(
        label=gettext_lazy("Sub-item of"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=gettext_lazy("(a main item)"),
    )
    title_ja = forms.CharField(label=gettext_lazy("Title (Japanese)"), max_length=500, required=False)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=500, required=False)
    presenters_ja = forms.CharField(label=gettext_lazy("Presenters (Japanese)"), max_length=500, required=False)
    presenters_en = forms.CharField(label=gettext_lazy("Presenters (English)"), max_length=500, required=False)
    starts_at = LocalDateTimeField(label=gettext_lazy("Starts"), required=False)
    ends_at = LocalDateTimeField(label=gettext_lazy("Ends"), required=False)
    description_ja = forms.CharField(
        label=gettext_lazy("Description (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=gettext_lazy("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    documents = DocumentChoices(
        label=gettext_lazy("Documents"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    adopts_minutes = MinutesChoice(
        label=gettext_lazy("Minutes adopted under this item"),
        queryset=Document.objects.none(),
        required=False,
        help_text=gettext_lazy("For the item on the adoption of the minutes of an earlier meeting of the series."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, meeting: Meeting, item: AgendaItem | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.item = item
        main_items = AgendaItem.objects.filter(meeting=meeting, parent__isnull=True).order_by("position", "number")
        if item is not None:
            main_items = main_items.exclude(pk=item.pk)
            self.fields["version"].required = True
        self.fields["parent"].queryset = main_items
        self.fields["documents"].queryset = Document.objects.filter(meeting=meeting).order_by("symbol")
        self.fields["adopts_minutes"].queryset = selectors.minutes_to_adopt_choices(meeting=meeting)
        hint = _("Time at the venue (%(zone)s).") % {"zone": meeting.time_zone}
        self.fields["starts_at"].help_text = hint
        self.fields["ends_at"].help_text = hint

    @classmethod
    def initial_for(cls, item: AgendaItem) -> dict[str, Any]:
        zone = item.meeting.time_zone
        initial: dict[str, Any] = {name: getattr(item, name) or "" for name in cls.TEXT_FIELDS}
        initial.update(
            parent=item.parent,
            adopts_minutes=item.adopts_minutes,
            starts_at=naive_local(item.starts_at, zone),
            ends_at=naive_local(item.ends_at, zone),
            documents=list(item.documents.all()),
            version=item.version,
        )
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        zone = selectors.zone_of(self.meeting)
        for name in ("starts_at", "ends_at"):
            if data.get(name) is not None:
                data[name] = timezone.make_aware(data[name], zone)
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.TEXT_FIELDS + self.OTHER_FIELDS}

    def changes_for(self, item: AgendaItem) -> dict[str, Any]:
        text = set(self.TEXT_FIELDS)
        changes = {
            name: value
            for name, value in self.values().items()
            if value != (getattr(item, name) or "" if name in text else getattr(item, name))
        }
        wanted = list(self.cleaned_data["documents"])
        if {d.pk for d in wanted} != {d.pk for d in item.documents.all()}:
            changes["documents"] = wanted
        return changes


def _meeting_to_edit(request: HttpRequest, pk: int) -> Meeting:
    meeting = selectors.meeting_get_for(user=request.user, pk=pk)
    if not permissions.can(request.user, permissions.CHANGE, meeting):
        raise PermissionDenied
    return meeting


class AgendaEditView(LoginRequiredMixin, View):
    """The agenda editor: the items in order with Move up / Move down, and a form to add an item."""

    template_name = "meetings/meetings/agenda_edit.html"

    def _render(self, request: HttpRequest, meeting: Meeting, form: AgendaItemForm, status: int = 200):
        context = {"meeting": meeting, "agenda": selectors.agenda_for(user=request.user, meeting=meeting), "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = _meeting_to_edit(request, pk)
        return self._render(request, meeting, AgendaItemForm(meeting=meeting))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = _meeting_to_edit(request, pk)
        if "move" in request.POST:
            return self._move(request, meeting)
        form = AgendaItemForm(request.POST, meeting=meeting)
        if form.is_valid():
            try:
                services.agenda_item_create(
                    actor=request.user, meeting=meeting, documents=form.cleaned_data["documents"], **form.values()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The item was added to the agenda."))
                return redirect("meetings:agenda-edit", pk=meeting.pk)
        return self._render(request, meeting, form, status=400)

    def _move(self, request: HttpRequest, meeting: Meeting) -> HttpResponse:
        """Swap an item with its previous or next sibling."""
        item = get_object_or_404(AgendaItem, meeting=meeting, pk=request.POST.get("item") or 0)
        siblings = list(
            AgendaItem.objects.filter(meeting=meeting, parent=item.parent_id)
            .order_by("position", "number", "pk")
            .values_list("pk", flat=True)
        )
        index = siblings.index(item.pk)
        other = index - 1 if request.POST["move"] == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
            services.agenda_items_reorder(actor=request.user, meeting=meeting, parent=item.parent, order=siblings)
            messages.success(request, _("Item %(number)s was moved.") % {"number": item.number})
        return redirect(f"{request.path}#item-{item.pk}")


class AgendaItemEditView(LoginRequiredMixin, View):
    """Edit one agenda item; a stale edit is refused with what the other person changed."""

    template_name = "meetings/meetings/agenda_item_form.html"

    def _item(self, request: HttpRequest, pk: int) -> AgendaItem:
        item = permissions.get_visible_or_404(
            AgendaItem.objects.select_related("meeting", "meeting__series", "parent", "adopts_minutes"),
            request.user,
            pk=pk,
        )
        if not permissions.can(request.user, permissions.CHANGE, item):
            raise PermissionDenied
        return item

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self._item(request, pk)
        form = AgendaItemForm(initial=AgendaItemForm.initial_for(item), meeting=item.meeting, item=item)
        return render(request, self.template_name, {"form": form, "item": item, "meeting": item.meeting})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self._item(request, pk)
        meeting = item.meeting
        form = AgendaItemForm(request.POST, meeting=meeting, item=item)
        context: dict[str, Any] = {"form": form, "item": item, "meeting": meeting}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        changes = form.changes_for(item)
        if not changes and form.cleaned_data["version"] == item.version:
            messages.info(request, _("Nothing was changed."))
            return redirect("meetings:agenda-edit", pk=meeting.pk)
        try:
            services.agenda_item_update(
                actor=request.user, item=item, expected_version=form.cleaned_data["version"], changes=changes
            )
        except StaleEditError as exc:
            data = request.POST.copy()
            data["version"] = str(exc.instance.version)
            rebound = AgendaItemForm(data, meeting=meeting, item=exc.instance)
            rebound.is_valid()
            fields = AgendaItemForm.TEXT_FIELDS + AgendaItemForm.OTHER_FIELDS
            context.update(form=rebound, stale=stale_context(rebound, exc, fields))
            return render(request, self.template_name, context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("The agenda item was saved."))
        return redirect("meetings:agenda-edit", pk=meeting.pk)


def _timetable_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    meeting = selectors.meeting_get_for(user=request.user, pk=pk)
    meeting.badge = status_badge(meeting)
    agenda = selectors.agenda_for(user=request.user, meeting=meeting)
    return {"meeting": meeting, "agenda": agenda}


class MeetingAgendaView(LoginRequiredMixin, TemplateView):
    """The timetable as a page that prints cleanly (navigation hidden, one table, page breaks avoided)."""

    template_name = "meetings/meetings/agenda_print.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_timetable_context(self.request, kwargs["pk"]))
        return context


class MeetingAgendaPdfView(LoginRequiredMixin, View):
    """The timetable as a PDF in the page's language (Japanese font embedded)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = _timetable_context(request, pk)
        language = (get_language() or "ja")[:2]
        pdf = render_pdf("meetings/meetings/agenda_pdf.html", context, language=language)
        meeting = context["meeting"]
        name = f"{meeting.series.code}-{meeting.ordinal}-agenda-{language}.pdf"
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
