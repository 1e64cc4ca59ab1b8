"""API of meeting documents: metadata (list and detail), downloads by permission, uploads by the secretariat.

Reads go through the documents policy (meeting, distribution, embargo): what
the caller may not see is a 404 like what does not exist. A download is
checked and logged exactly as on the pages (views.documents.serve_document),
with the same language fallback (English, then the original language) said
in the `X-Language-Fallback` header. Writes call services.documents; files
are checked by content (services.uploads) before anything is stored.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cleanasia.api.permissions import PolicyPermission
from cleanasia.api.schema import problem_responses
from cleanasia.core.permissions import CHANGE, VIEW

from ..models import Distribution, Document, DocumentFile, DocumentType, DownloadLog, Meeting, SuffixKind
from ..policies.documents import VIEW_DOWNLOADS
from ..selectors import documents as selectors
from ..services import documents as services
from ..views.documents import LANGUAGE_CHOICES, serve_document

# --- serializers --------------------------------------------------------------------------------------------


class DocumentFileSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(help_text=_("Downloads this language version (logged)."))

    class Meta:
        model = DocumentFile
        fields = [
            "language",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "scan_status",
            "download_url",
        ]

    def get_download_url(self, obj: DocumentFile) -> str:
        request = self.context.get("request")
        url = reverse("meeting-document-download", args=[obj.document_id], request=request)
        return f"{url}?language={obj.language}"


class DocumentSerializer(serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)
    concerns = serializers.SlugRelatedField(slug_field="symbol", read_only=True, help_text=_("Symbol concerned."))
    replaced_by = serializers.SlugRelatedField(
        slug_field="symbol", read_only=True, help_text=_("Symbol of the revision that replaces this document.")
    )
    is_current = serializers.SerializerMethodField(help_text=_("False once a revision has replaced it."))
    files = DocumentFileSerializer(many=True, read_only=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "meeting",
            "symbol",
            "base_symbol",
            "suffix_kind",
            "suffix_number",
            "concerns",
            "replaced_by",
            "is_current",
            "corrected_languages",
            "doc_type",
            "title_ja",
            "title_en",
            "original_language",
            "distribution",
            "embargo_until",
            "issued_on",
            "minutes_state",
            "adopted_on",
            "files",
            "version",
            "is_demo",
        ]

    def get_is_current(self, obj: Document) -> bool:
        return obj.replaced_by_id is None


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date and time with its UTC offset (an embargo must never be ambiguous)."""

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            raise serializers.ValidationError(_("Give the UTC offset too, e.g. 2026-10-09T14:00:00+07:00."))
        return super().enforce_timezone(value)


class DocumentCreateBody(serializers.Serializer):
    """POST /meeting-documents/ (secretariat): JSON, or multipart with a first language version in `file`."""

    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    suffix_kind = serializers.ChoiceField(choices=SuffixKind.choices, default=SuffixKind.NONE, allow_blank=True)
    concerns = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), allow_null=True, default=None, help_text=_("Id of the document concerned.")
    )
    doc_type = serializers.ChoiceField(choices=DocumentType.choices, allow_blank=True, default="")
    symbol = serializers.CharField(
        max_length=80, allow_blank=True, default="", help_text=_("Empty: numbered from the series' scheme.")
    )
    title_ja = serializers.CharField(max_length=500, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=500, allow_blank=True, default="")
    original_language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, default="en")
    distribution = serializers.ChoiceField(
        choices=Distribution.choices,
        allow_null=True,
        default=None,
        help_text=_("Default: that of the document concerned; limited for an original."),
    )
    embargo_until = AwareDateTimeField(allow_null=True, default=None)
    issued_on = serializers.DateField(allow_null=True, default=None)
    corrected_languages = serializers.ListField(child=serializers.ChoiceField(choices=LANGUAGE_CHOICES), default=list)
    file = serializers.FileField(required=False, help_text=_("A first language version (multipart only)."))
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, default="en", help_text=_("Language of `file`."))


class UploadBody(serializers.Serializer):
    """POST /meeting-documents/{id}/files/ (secretariat, multipart)."""

    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    file = serializers.FileField()


class DownloadLogSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()
    served_language = serializers.CharField(source="document_file.language", read_only=True)

    class Meta:
        model = DownloadLog
        fields = ["at", "user", "requested_language", "served_language"]

    def get_user(self, obj: DownloadLog) -> str | None:
        return obj.user.email if obj.user_id else None


# --- filters and renderers ----------------------------------------------------------------------------------


class DocumentFilterSet(django_filters.FilterSet):
    meeting = django_filters.NumberFilter(field_name="meeting_id", label=_("Id of the meeting."))
    type = django_filters.ChoiceFilter(field_name="doc_type", choices=DocumentType.choices, label=_("Type."))
    symbol = django_filters.CharFilter(
        method="filter_symbol",
        label=_("A symbol: that document and every document issued under the same original (any case)."),
    )

    class Meta:
        model = Document
        fields = ["meeting", "type", "symbol"]

    def filter_symbol(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        parsed_base = value.strip()
        try:
            parsed_base = services.parse_symbol(parsed_base).base
        except ValueError:
            return queryset.none()
        return queryset.filter(Q(symbol__iexact=value.strip()) | Q(base_symbol__iexact=parsed_base))


class AnyFileRenderer(BaseRenderer):
    """Lets a download be asked for with any Accept header (the file's own type is sent)."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


# --- the endpoint --------------------------------------------------------------------------------------------

LANGUAGE_PARAMETER = OpenApiParameter(
    "language",
    OpenApiTypes.STR,
    description="ja or en (default: en). A missing version falls back to English, then the original language; "
    "the X-Language-Fallback header then says so.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List meeting documents",
        description="Documents the caller may see: general documents of meetings they see, out of embargo; "
        "limited ones for the focal points of invited countries and the meeting's participants; all for the "
        "secretariat. Filter by meeting, type or symbol (a symbol lists its whole family: original, "
        "revisions, addenda, corrigenda).",
    ),
    retrieve=extend_schema(summary="One meeting document, with its language versions"),
)
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meeting documents with UN-style symbols (EAS-EMM/3/INF.2/Rev.1) and their language versions."""

    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    permission_classes = [PolicyPermission]
    policy_actions = {"download": VIEW, "files": CHANGE, "downloads": VIEW_DOWNLOADS}
    filterset_class = DocumentFilterSet
    search_fields: list[str] = []
    ordering_fields = ["symbol", "issued_on", "id"]
    ordering = ["symbol"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet:
        return selectors.documents_qs(self.request.user)

    def respond(self, document: Document, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=document.pk)
        return Response(self.get_serializer(fresh).data, status=status)

    @extend_schema(
        summary="Issue a meeting document (secretariat)",
        request={"multipart/form-data": DocumentCreateBody, "application/json": DocumentCreateBody},
        responses={201: DocumentSerializer, **problem_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = DocumentCreateBody(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(body.validated_data)
        upload, language = data.pop("file", None), data.pop("language")
        document = services.document_create(actor=request.user, files={language: upload} if upload else None, **data)
        return self.respond(document, status=201)

    @extend_schema(
        summary="Upload a language version (secretariat)",
        description="Multipart: `language` and `file`. The file's type is checked from its content (PDF, DOCX, "
        "XLSX, PPTX, ODT, plain text; programs refused) and, where configured, scanned for viruses. "
        "Uploading a language again replaces its file.",
        request={"multipart/form-data": UploadBody},
        responses={201: DocumentSerializer, **problem_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="files")
    def files(self, request: Request, pk: str | None = None) -> Response:
        document = self.get_object()
        body = UploadBody(data=request.data)
        body.is_valid(raise_exception=True)
        services.document_file_upload(
            actor=request.user,
            document=document,
            language=body.validated_data["language"],
            upload=body.validated_data["file"],
        )
        return self.respond(document, status=201)

    @extend_schema(
        summary="Download a language version",
        parameters=[LANGUAGE_PARAMETER],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            **problem_responses(404),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONRenderer, BrowsableAPIRenderer, AnyFileRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def download(self, request: Request, pk: str | None = None):
        document = self.get_object()
        language = (request.query_params.get("language") or services.FALLBACK_LANGUAGE)[:8]
        return serve_document(request.user, document, language)

    @extend_schema(
        summary="Download log of a document (secretariat)",
        responses={200: DownloadLogSerializer(many=True), **problem_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def downloads(self, request: Request, pk: str | None = None) -> Response:
        document = self.get_object()
        page = self.paginate_queryset(selectors.download_log_for(user=request.user, document=document))
        return self.get_paginated_response(DownloadLogSerializer(page, many=True).data)


def register(router: Any) -> None:
    router.register("meeting-documents", DocumentViewSet, basename="meeting-document")
