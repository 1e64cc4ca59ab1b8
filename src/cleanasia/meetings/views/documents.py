"""Pages of meeting documents: a meeting's documents, the issue and edit forms, language versions, the
document page, downloads (staff and public), the minutes' states and the compilation of a series' minutes.

Thin: reads through selectors.documents, writes through services.documents,
permissions through the policies. What a reader may not see is a 404, never a 403.
Dates and times are shown and entered in the meeting's time zone.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.pdf import render_pdf
from cleanasia.core.permissions import ADD, CHANGE, can, get_visible_or_404
from cleanasia.core.views.forms import add_service_errors

from ..models import Distribution, Document, DocumentType, Meeting, MinutesState, SuffixKind
from ..policies.documents import public_document_filter
from ..selectors import documents as selectors
from ..selectors.documents import meeting_zone
from ..services import documents as services
from ..services.uploads import ACCEPTED_EXTENSIONS, max_upload_bytes

LANGUAGE_CHOICES = list(settings.LANGUAGES)


# --- forms ------------------------------------------------------------------------------------------------


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        own, other = ("ja", "en") if selectors.page_language() == "ja" else ("en", "ja")
        return f"{obj.symbol} — {getattr(obj, f'title_{own}') or getattr(obj, f'title_{other}')}"


def _upload_help() -> str:
    return _("%(types)s, at most %(mb)d MB. The type is checked from the file's content.") % {
        "types": ACCEPTED_EXTENSIONS,
        "mb": max_upload_bytes() // (1024 * 1024),
    }


class DocumentDetailsForm(forms.Form):
    """The details shared by the issue and the edit forms (embargo in the meeting's time zone)."""

    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=500, required=False)
    title_ja = forms.CharField(label=gettext_lazy("Title (Japanese)"), max_length=500, required=False)
    original_language = forms.ChoiceField(label=gettext_lazy("Original language"), choices=LANGUAGE_CHOICES)
    distribution = forms.ChoiceField(
        label=gettext_lazy("Distribution"),
        choices=Distribution.choices,
        initial=Distribution.LIMITED,
        help_text=gettext_lazy(
            "General: everyone, the public too. Limited: the secretariat, focal points of invited countries and "
            "the meeting's participants. Restricted: the secretariat only."
        ),
    )
    embargo_until = forms.DateTimeField(
        label=gettext_lazy("Embargoed until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("In the meeting's time zone. Until then only the secretariat sees the document."),
    )
    issued_on = forms.DateField(
        label=gettext_lazy("Issued"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    corrected_languages = forms.MultipleChoiceField(
        label=gettext_lazy("Language versions corrected (corrigendum)"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: the corrigendum concerns every language version."),
    )


class DocumentCreateForm(DocumentDetailsForm):
    suffix_kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=SuffixKind.choices, required=False, initial=SuffixKind.NONE
    )
    concerns = DocumentChoiceField(
        label=gettext_lazy("Document it adds to, corrects or revises"),
        queryset=Document.objects.none(),
        required=False,
        help_text=gettext_lazy("For an addendum, a corrigendum or a revision only."),
    )
    doc_type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        choices=[("", "—"), *DocumentType.choices],
        required=False,
        help_text=gettext_lazy("A supplement takes the type of the document it concerns."),
    )
    symbol = forms.CharField(
        label=gettext_lazy("Symbol"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("Leave empty to number the document from the series' symbol scheme."),
    )
    file = forms.FileField(label=gettext_lazy("First language version (file)"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language of the file"), choices=LANGUAGE_CHOICES)
    field_order = [
        "suffix_kind",
        "concerns",
        "doc_type",
        "symbol",
        "title_en",
        "title_ja",
        "original_language",
        "distribution",
        "embargo_until",
        "issued_on",
        "corrected_languages",
        "file",
        "language",
    ]

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concerns"].queryset = Document.objects.filter(meeting=meeting, replaced_by__isnull=True).order_by(
            "symbol"
        )
        self.fields["file"].help_text = _upload_help()


class DocumentEditForm(DocumentDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    doc_type = forms.ChoiceField(label=gettext_lazy("Type"), choices=DocumentType.choices)
    field_order = ["doc_type", "title_en", "title_ja"]

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if document.suffix_kind != SuffixKind.NONE:
            # The type is the concerned document's; only a corrigendum names languages.
            del self.fields["doc_type"]
        if document.suffix_kind != SuffixKind.CORRIGENDUM:
            del self.fields["corrected_languages"]

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class UploadForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=LANGUAGE_CHOICES)
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if document.corrected_languages:
            self.fields["language"].choices = [c for c in LANGUAGE_CHOICES if c[0] in document.corrected_languages]
        self.fields["file"].help_text = _upload_help()


class MinutesStateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    adopted_on = forms.DateField(
        label=gettext_lazy("Adopted on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Empty: today."),
    )


# --- a meeting's documents --------------------------------------------------------------------------------


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_visible_or_404(Meeting.objects.select_related("series"), request.user, pk=pk)


class DocumentListView(LoginRequiredMixin, TemplateView):
    """The documents of a meeting the user sees, by type, each family's current version first."""

    template_name = "meetings/documents/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = _meeting(self.request, kwargs["meeting_pk"])
        context.update(
            meeting=meeting,
            listing=selectors.meeting_documents_for(user=self.request.user, meeting=meeting),
            may_add=can(self.request.user, ADD, Document),
            zone=meeting_zone(meeting),
        )
        return context


class DocumentCreateView(LoginRequiredMixin, View):
    """Issue a document (an original or a supplement), with its first language version (the secretariat)."""

    template_name = "meetings/documents/form.html"

    def _setup(self, request: HttpRequest, meeting_pk: int) -> Meeting:
        meeting = _meeting(request, meeting_pk)
        if not can(request.user, ADD, Document):
            raise PermissionDenied
        return meeting

    def _render(self, request: HttpRequest, meeting: Meeting, form: forms.Form, status: int = 200) -> HttpResponse:
        context = {"meeting": meeting, "form": form, "creating": True, "zone": meeting_zone(meeting)}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, meeting_pk: int) -> HttpResponse:
        meeting = self._setup(request, meeting_pk)
        initial: dict[str, Any] = {"original_language": "en", "language": "en"}
        if kind := request.GET.get("kind"):
            initial["suffix_kind"] = kind
        concerned = (
            Document.objects.filter(meeting=meeting, pk=request.GET["concerns"]).first()
            if request.GET.get("concerns", "").isdigit()
            else None
        )
        if concerned is not None:
            # A supplement starts from what it concerns: its titles, language and distribution.
            initial.update(
                concerns=concerned.pk,
                title_en=concerned.title_en,
                title_ja=concerned.title_ja,
                original_language=concerned.original_language,
                language=concerned.original_language,
                distribution=concerned.distribution,
            )
        with timezone.override(meeting_zone(meeting)):
            return self._render(request, meeting, DocumentCreateForm(meeting=meeting, initial=initial))

    def post(self, request: HttpRequest, meeting_pk: int) -> HttpResponse:
        meeting = self._setup(request, meeting_pk)
        with timezone.override(meeting_zone(meeting)):
            form = DocumentCreateForm(request.POST, request.FILES, meeting=meeting)
            if form.is_valid():
                data = dict(form.cleaned_data)
                upload, language = data.pop("file"), data.pop("language")
                try:
                    document = services.document_create(
                        actor=request.user,
                        meeting=meeting,
                        files={language: upload} if upload else None,
                        **data,
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("%(symbol)s was issued.") % {"symbol": document.symbol})
                    return redirect("meetings:doc-detail", pk=document.pk)
            return self._render(request, meeting, form, status=400)


# --- one document -----------------------------------------------------------------------------------------


class DocumentDetailView(LoginRequiredMixin, TemplateView):
    """A document: details, language versions, supplements, revisions, adoption links, the download log."""

    template_name = "meetings/documents/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        document = selectors.document_get_for(user=user, pk=kwargs["pk"])
        may_change = can(user, CHANGE, document)
        is_minutes = document.doc_type == DocumentType.MINUTES
        context.update(
            document=document,
            meeting=document.meeting,
            zone=meeting_zone(document.meeting),
            may_change=may_change,
            is_minutes=is_minutes,
            adopted=is_minutes and document.minutes_state == MinutesState.ADOPTED,
            next_minutes_state=services.MINUTES_NEXT_STATE.get(document.minutes_state) if is_minutes else None,
            minutes_form=MinutesStateForm(initial={"version": document.version}) if may_change and is_minutes else None,
        )
        return context


class DocumentEditView(LoginRequiredMixin, View):
    """Edit a document's details; the form carries the version it started from (stale edits refused)."""

    template_name = "meetings/documents/form.html"

    def _setup(self, request: HttpRequest, pk: int) -> Document:
        document = get_visible_or_404(
            Document.objects.select_related("meeting", "meeting__series"), request.user, pk=pk
        )
        if not can(request.user, CHANGE, document):
            raise PermissionDenied
        return document

    def _render(self, request, document, form, status: int = 200, stale: dict | None = None) -> HttpResponse:
        context = {
            "meeting": document.meeting,
            "document": document,
            "form": form,
            "creating": False,
            "stale": stale,
            "zone": meeting_zone(document.meeting),
        }
        return render(request, self.template_name, context, status=status)

    @staticmethod
    def _initial(document: Document) -> dict[str, Any]:
        names = ("title_en", "title_ja", "doc_type", "original_language", "distribution", "issued_on")
        initial = {name: getattr(document, name) for name in names}
        initial.update(
            embargo_until=document.embargo_until,
            corrected_languages=document.corrected_languages,
            version=document.version,
        )
        return initial

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._setup(request, pk)
        with timezone.override(meeting_zone(document.meeting)):
            return self._render(request, document, DocumentEditForm(initial=self._initial(document), document=document))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._setup(request, pk)
        with timezone.override(meeting_zone(document.meeting)):
            form = DocumentEditForm(request.POST, document=document)
            if not form.is_valid():
                return self._render(request, document, form, status=400)
            try:
                services.document_update(
                    actor=request.user,
                    document=document,
                    expected_version=form.cleaned_data["version"],
                    changes=form.changes(),
                )
            except StaleEditError as exc:
                data = request.POST.copy()
                data["version"] = str(exc.instance.version)
                rebound = DocumentEditForm(data, document=exc.instance)
                rebound.is_valid()
                changes = [{"label": change.label, "value": change.new} for change in exc.changes]
                return self._render(
                    request, exc.instance, rebound, status=409, stale={"by": exc.by, "changes": changes}
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                return self._render(request, document, form, status=400)
        messages.success(request, _("The details of %(symbol)s were saved.") % {"symbol": document.symbol})
        return redirect("meetings:doc-detail", pk=document.pk)


class DocumentUploadView(LoginRequiredMixin, View):
    """Upload (or replace) one language version of a document (the secretariat)."""

    template_name = "meetings/documents/upload.html"

    def _setup(self, request: HttpRequest, pk: int) -> Document:
        document = get_visible_or_404(
            Document.objects.select_related("meeting").prefetch_related("files"), request.user, pk=pk
        )
        if not can(request.user, CHANGE, document):
            raise PermissionDenied
        return document

    def _render(self, request: HttpRequest, document: Document, form: forms.Form, status: int = 200) -> HttpResponse:
        context = {"document": document, "meeting": document.meeting, "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._setup(request, pk)
        initial = {"language": request.GET.get("language") or document.original_language}
        return self._render(request, document, UploadForm(initial=initial, document=document))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self._setup(request, pk)
        form = UploadForm(request.POST, request.FILES, document=document)
        if form.is_valid():
            try:
                version = services.document_file_upload(
                    actor=request.user,
                    document=document,
                    language=form.cleaned_data["language"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The %(language)s version of %(symbol)s was saved.")
                    % {"language": version.language, "symbol": document.symbol},
                )
                return redirect("meetings:doc-detail", pk=document.pk)
        return self._render(request, document, form, status=400)


# --- downloads --------------------------------------------------------------------------------------------


def serve_document(user: Any, document: Document, language: str) -> HttpResponse:
    """The `language` version of a document `user` may see (or the fallback, said in a header), logged.

    Shared by the staff and public pages and the API, so that every download is checked and logged alike.
    """
    version, fell_back = services.choose_language_version(document.files.all(), language, document.original_language)
    if version is None:
        raise Http404
    services.download_record(user=user, document_file=version, requested_language=language)
    extension = PurePath(version.original_name).suffix.lower() or PurePath(version.file.name).suffix.lower()
    filename = f"{document.symbol.replace('/', '_')}-{version.language}{extension}"
    response = FileResponse(version.file.open("rb"), as_attachment=True, filename=filename)
    response["Content-Type"] = version.content_type
    response["Content-Language"] = version.language
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if fell_back:
        # Says that the version asked for does not exist and which one came instead.
        response["X-Language-Fallback"] = f"requested={language}; served={version.language}"
    return response


class DocumentDownloadView(LoginRequiredMixin, View):
    """GET: a language version of a document the user may see; 404 for the rest."""

    def get(self, request: HttpRequest, pk: int, language: str) -> HttpResponse:
        qs = Document.objects.select_related("meeting").prefetch_related("files")
        return serve_document(request.user, get_visible_or_404(qs, request.user, pk=pk), language)


class PublicDocumentDownloadView(View):
    """GET: a language version of a general document of a public meeting, out of embargo; 404 for the rest."""

    def get(self, request: HttpRequest, pk: int, language: str) -> HttpResponse:
        qs = Document.objects.filter(public_document_filter()).prefetch_related("files")
        try:
            document = qs.get(pk=pk)
        except Document.DoesNotExist as exc:
            raise Http404 from exc
        return serve_document(request.user, document, language)


# --- minutes ----------------------------------------------------------------------------------------------


class MinutesTransitionView(LoginRequiredMixin, View):
    """POST: circulate draft minutes, or adopt circulated ones (the secretariat)."""

    to = MinutesState.CIRCULATED

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = get_visible_or_404(Document.objects.select_related("meeting"), request.user, pk=pk)
        if not can(request.user, CHANGE, document):
            raise PermissionDenied
        form = MinutesStateForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("meetings:doc-detail", pk=document.pk)
        version = form.cleaned_data["version"]
        try:
            if self.to == MinutesState.ADOPTED:
                services.minutes_adopt(
                    actor=request.user,
                    document=document,
                    expected_version=version,
                    adopted_on=form.cleaned_data.get("adopted_on"),
                )
                messages.success(request, _("The minutes %(symbol)s are adopted.") % {"symbol": document.symbol})
            else:
                services.minutes_circulate(actor=request.user, document=document, expected_version=version)
                messages.success(
                    request, _("The minutes %(symbol)s are circulated for comments.") % {"symbol": document.symbol}
                )
        except StaleEditError:
            messages.error(request, _("The minutes were changed by someone else meanwhile; check them and try again."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("meetings:doc-detail", pk=document.pk)


class MinutesCompilationView(LoginRequiredMixin, TemplateView):
    """Every adopted minutes of a series, in meeting order, with their symbols (as a page)."""

    template_name = "meetings/documents/compilation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        series = selectors.series_for_minutes(user=self.request.user, pk=kwargs["series_pk"])
        context.update(series=series, minutes=selectors.adopted_minutes_for(user=self.request.user, series=series))
        return context


class MinutesCompilationPdfView(LoginRequiredMixin, View):
    """The same compilation as one PDF, in the page's language (Japanese font embedded)."""

    def get(self, request: HttpRequest, series_pk: int) -> HttpResponse:
        series = selectors.series_for_minutes(user=request.user, pk=series_pk)
        minutes = selectors.adopted_minutes_for(user=request.user, series=series)
        language = selectors.page_language()
        pdf = render_pdf(
            "meetings/documents/compilation_pdf.html",
            {"series": series, "minutes": minutes, "generated": timezone.now()},
            language=language,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{series.code}-minutes-{language}.pdf"'
        return response


# --- public pages -----------------------------------------------------------------------------------------


class PublicDocumentListView(TemplateView):
    """The general documents of a public meeting, out of embargo, for everyone."""

    template_name = "meetings/documents/public_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting, listing = selectors.public_meeting_documents(meeting_pk=kwargs["meeting_pk"])
        context.update(meeting=meeting, listing=listing, zone=meeting_zone(meeting))
        return context
