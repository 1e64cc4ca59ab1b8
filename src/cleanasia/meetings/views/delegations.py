"""Pages of invitations, delegations and participants lists.

Staff pages: the secretariat's invitations and review list, the focal point's
registration form (a formset of participants), the invitation link, the
participants list and its files. Public pages: the list of consenting
participants of a public meeting. Every write goes through
services.delegations; who sees what through the policies.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from cleanasia.core import permissions
from cleanasia.core.concurrency import StaleEditError
from cleanasia.core.models import Visibility
from cleanasia.core.views.forms import add_service_errors
from cleanasia.directory.models import Country, Organisation, Person

from ..exports import participants as files
from ..models import Delegation, DelegationState, Invitation, Meeting, ParticipantRole
from ..policies.delegations import ACCEPT, DECIDE, INVITE, REGISTER
from ..selectors import delegations as selectors
from ..services import delegations as services

LANGUAGE_CHOICES = [("en", gettext_lazy("English")), ("ja", gettext_lazy("Japanese"))]


# --- forms -------------------------------------------------------------------------------------


class ParticipantForm(forms.Form):
    """One participant of the registration form; the service checks the rules."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The initial role makes an untouched blank row unchanged, so that it is skipped.
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=ParticipantRole.choices, initial=ParticipantRole.DELEGATE
    )
    honorific = forms.CharField(
        label=gettext_lazy("Honorific"), required=False, max_length=40, help_text=gettext_lazy("H.E., Dr, Mr, Ms…")
    )
    given_name = forms.CharField(label=gettext_lazy("Given name"), required=False, max_length=120)
    family_name = forms.CharField(label=gettext_lazy("Family name"), max_length=120)
    name_local = forms.CharField(label=gettext_lazy("Name in the local script"), required=False, max_length=200)
    job_title = forms.CharField(label=gettext_lazy("Title"), required=False, max_length=300)
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Organisation"), coerce=int, empty_value=None, required=False, choices=[]
    )
    organisation_name = forms.CharField(
        label=gettext_lazy("Organisation, if not in the list"), required=False, max_length=300
    )
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Telephone"), required=False, max_length=60)
    dietary_needs = forms.CharField(label=gettext_lazy("Dietary needs"), required=False, max_length=300)
    access_needs = forms.CharField(label=gettext_lazy("Access needs"), required=False, max_length=300)
    consent_public_listing = forms.BooleanField(
        label=gettext_lazy("Agrees to be listed by name and organisation in the public list of participants"),
        required=False,
    )
    consent_keep_for_next = forms.BooleanField(
        label=gettext_lazy("Agrees that these details are kept to register them for the next meeting of the series"),
        required=False,
    )

    def __init__(self, *args: Any, delegation: Delegation, organisations: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        if delegation.country_id:
            self.fields["role"].choices = [c for c in ParticipantRole.choices if c[0] != ParticipantRole.OBSERVER]
        self.fields["organisation"].choices = [("", "—"), *organisations]

    def row(self) -> dict[str, Any]:
        """The cleaned form as a row for services.delegation_participants_save (ids resolved by the view)."""
        data = self.cleaned_data
        row: dict[str, Any] = {name: data.get(name) for name in services.PARTICIPANT_FIELDS if name in data}
        row["id"] = data.get("id")
        row["delete"] = bool(data.get("DELETE"))
        return row


def organisation_choices(delegation: Delegation) -> list[tuple[int, str]]:
    """The organisations a participant may belong to: the country's and the international ones (one query)."""
    if delegation.country_id:
        organisations = Organisation.objects.filter(Q(country_id=delegation.country_id) | Q(country__isnull=True))
    else:
        organisations = Organisation.objects.filter(pk=delegation.organisation_id)
    return [
        (org.pk, f"{org.name} ({org.acronym})" if org.acronym else str(org.name))
        for org in organisations.order_by("name_en")
    ]


def resolve_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Organisation and person ids of the form rows as records (two queries for the whole form)."""
    org_ids = {row.get("organisation") for row in rows} - {None}
    person_ids = {row.get("person") for row in rows} - {None}
    organisations = Organisation.objects.in_bulk(org_ids) if org_ids else {}
    people = Person.objects.in_bulk(person_ids) if person_ids else {}
    for row in rows:
        if "organisation" in row:
            row["organisation"] = organisations.get(row["organisation"])
        if "person" in row:
            row["person"] = people.get(row["person"])
    return rows


ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=2, can_delete=True, max_num=60)


class DelegationVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    secretariat_comment = forms.CharField(
        label=gettext_lazy("What should the focal point change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    country = forms.ModelChoiceField(
        label=gettext_lazy("Country (if the invitee represents one)"), queryset=Country.objects.none(), required=False
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the invitation"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = meeting.invited_countries.order_by("name_en")


def add_formset_errors(saved_forms: list[forms.Form], top: forms.Form, exc: ValidationError) -> None:
    """Errors named "participants.<row>.<field>" go to that row's field; the rest to the top of the page."""
    if not hasattr(exc, "error_dict"):
        top.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "participants" and parts[1].isdigit() and int(parts[1]) < len(saved_forms):
            form = saved_forms[int(parts[1])]
            form.add_error(parts[2] if parts[2] in form.fields else None, errors)
        else:
            top.add_error(None, errors)


# --- helpers -------------------------------------------------------------------------------------


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return permissions.get_visible_or_404(Meeting.objects.select_related("series", "host_country"), request.user, pk=pk)


def _delegation(request: HttpRequest, pk: int) -> Delegation:
    return permissions.get_visible_or_404(
        Delegation.objects.select_related("meeting__series", "country", "organisation", "submitted_by", "decided_by"),
        request.user,
        pk=pk,
    )


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang") or (request.LANGUAGE_CODE or "en")[:2]
    return language if language in ("ja", "en") else "en"


def _file_response(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_stem(meeting: Meeting, kind: str) -> str:
    return slugify(f"{meeting.series.code}-{meeting.ordinal}-{kind}")


# --- invitations -------------------------------------------------------------------------------


class InvitationListView(LoginRequiredMixin, View):
    """The secretariat invites a meeting's focal points, or one address, and sees who accepted."""

    template_name = "meetings/delegations/invitations.html"

    def _render(self, request: HttpRequest, meeting: Meeting, form: InvitationForm, status: int = 200):
        context = {
            "meeting": meeting,
            "invitations": selectors.invitations_for(user=request.user, meeting=meeting),
            "form": form,
        }
        return render(request, self.template_name, context, status=status)

    def _setup(self, request: HttpRequest, meeting_pk: int) -> Meeting:
        meeting = _meeting(request, meeting_pk)
        if not permissions.can(request.user, INVITE, Invitation):
            raise PermissionDenied
        return meeting

    def get(self, request: HttpRequest, meeting_pk: int) -> HttpResponse:
        meeting = self._setup(request, meeting_pk)
        return self._render(request, meeting, InvitationForm(meeting=meeting))

    def post(self, request: HttpRequest, meeting_pk: int) -> HttpResponse:
        meeting = self._setup(request, meeting_pk)
        if "focal_points" in request.POST:
            try:
                created = services.invitations_create_for_focal_points(actor=request.user, meeting=meeting)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("%(n)d focal point(s) invited; each receives an e-mail in their language.") % {"n": len(created)},
                )
            return redirect("meetings:invitation-list", meeting_pk=meeting.pk)
        form = InvitationForm(request.POST, meeting=meeting)
        if form.is_valid():
            try:
                invitation = services.invitation_create(actor=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(email)s was invited.") % {"email": invitation.email})
                return redirect("meetings:invitation-list", meeting_pk=meeting.pk)
        return self._render(request, meeting, form, status=400)


class InvitationAcceptView(LoginRequiredMixin, View):
    """The link of an invitation e-mail: works only for the account whose address was invited."""

    template_name = "meetings/delegations/invitation_accept.html"

    def _invitation(self, token: str) -> Invitation:
        return get_object_or_404(
            Invitation.objects.select_related("meeting__series", "country", "organisation"), token=token
        )

    def _render(self, request: HttpRequest, invitation: Invitation, refusal: str = "", status: int = 200):
        user = request.user
        register_url = ""
        if invitation.country_id and invitation.country_id in getattr(user, "focal_point_countries", set()):
            register_url = reverse(
                "meetings:delegation-register",
                kwargs={"meeting_pk": invitation.meeting_id, "country": invitation.country_id},
            )
        context = {
            "invitation": invitation,
            "meeting": invitation.meeting,
            "refusal": refusal,
            "register_url": register_url,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        invitation = self._invitation(token)
        if not permissions.can(request.user, ACCEPT, invitation):
            return self._refuse(request, invitation)
        return self._render(request, invitation)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        invitation = self._invitation(token)
        try:
            services.invitation_accept(actor=request.user, invitation=invitation)
        except PermissionDenied:
            return self._refuse(request, invitation)
        messages.success(request, _("You accepted the invitation. Thank you."))
        return redirect("meetings:invitation-accept", token=token)

    def _refuse(self, request: HttpRequest, invitation: Invitation) -> HttpResponse:
        refusal = _(
            "This invitation was sent to another e-mail address (%(address)s). You are signed in as %(you)s. "
            "Sign in with the account of the invited address, or ask the secretariat to invite your own address."
        ) % {"address": services.mask_email(invitation.email), "you": request.user.email}
        return self._render(request, invitation, refusal=refusal, status=403)


# --- delegations ----------------------------------------------------------------------------------


class DelegationListView(LoginRequiredMixin, View):
    """A meeting's delegations: the secretariat's review list; a focal point's own, with a link to register."""

    template_name = "meetings/delegations/list.html"

    def get(self, request: HttpRequest, meeting_pk: int) -> HttpResponse:
        meeting = _meeting(request, meeting_pk)
        delegations = selectors.delegations_for(user=request.user, meeting=meeting)
        section = selectors.meeting_section(meeting=meeting, user=request.user)
        context = {
            "meeting": meeting,
            "delegations": delegations,
            "section": section,
            "may_decide": permissions.can(request.user, DECIDE, Delegation),
            "may_invite": permissions.can(request.user, INVITE, Invitation),
            "return_form": ReturnForm(),
        }
        return render(request, self.template_name, context)


class DelegationRegisterView(LoginRequiredMixin, View):
    """Start a country's registration (its focal point): GET asks, POST creates and opens the form."""

    template_name = "meetings/delegations/register.html"

    def _setup(self, request: HttpRequest, meeting_pk: int, country: str) -> tuple[Meeting, Country]:
        meeting = _meeting(request, meeting_pk)
        return meeting, get_object_or_404(Country, pk=country.upper())

    def get(self, request: HttpRequest, meeting_pk: int, country: str) -> HttpResponse:
        meeting, country_obj = self._setup(request, meeting_pk, country)
        existing = Delegation.objects.filter(meeting=meeting, country=country_obj).first()
        if existing is not None and permissions.can(request.user, "view", existing):
            return redirect("meetings:delegation-edit", pk=existing.pk)
        form = forms.Form()
        return render(request, self.template_name, {"meeting": meeting, "country": country_obj, "form": form})

    def post(self, request: HttpRequest, meeting_pk: int, country: str) -> HttpResponse:
        meeting, country_obj = self._setup(request, meeting_pk, country)
        form = forms.Form(request.POST)
        try:
            delegation = services.delegation_create(actor=request.user, meeting=meeting, country=country_obj)
        except ValidationError as exc:
            add_service_errors(form, exc)
            context = {"meeting": meeting, "country": country_obj, "form": form}
            return render(request, self.template_name, context, status=400)
        return redirect("meetings:delegation-edit", pk=delegation.pk)


class DelegationEditView(LoginRequiredMixin, View):
    """The registration form of a delegation (formset of participants), read-only once submitted."""

    template_name = "meetings/delegations/edit.html"

    def _may_edit(self, request: HttpRequest, delegation: Delegation) -> bool:
        user = request.user
        if not permissions.can(user, REGISTER, delegation):
            return False
        if permissions.is_secretariat(user):
            return True
        return delegation.state in services.EDITABLE_STATES and services.registration_open(delegation.meeting)

    @staticmethod
    def _form_kwargs(delegation: Delegation) -> dict[str, Any]:
        return {"delegation": delegation, "organisations": organisation_choices(delegation)}

    def _initial(self, delegation: Delegation, copy: bool) -> list[dict[str, Any]]:
        rows = []
        plain = [name for name in services.PARTICIPANT_FIELDS if name not in ("organisation", "person")]
        for p in selectors.protocol_ordered(delegation.participants.all()):
            row = {name: getattr(p, name) for name in plain}
            row.update(id=p.pk, person=p.person_id, organisation=p.organisation_id)
            rows.append(row)
        if copy:
            for row in services.participants_to_copy(delegation=delegation):
                row.update(person=row["person"].pk if row.get("person") else None)
                row.update(organisation=row["organisation"].pk if row.get("organisation") else None)
                rows.append(row)
        return rows

    def _render(self, request, delegation, formset, top, may_edit, status=200, stale=None) -> HttpResponse:
        user = request.user
        may_decide = delegation.state == DelegationState.SUBMITTED and permissions.can(user, DECIDE, delegation)
        rows = [
            selectors.participant_row(p, user=user, language=selectors.current_language())
            for p in selectors.protocol_ordered(permissions.visible(delegation.participants.all(), user))
        ]
        earlier = services.previous_meeting(delegation.meeting) if may_edit else None
        context = {
            "delegation": delegation,
            "meeting": delegation.meeting,
            "formset": formset,
            "top": top,
            "may_edit": may_edit,
            "may_decide": may_decide,
            "may_submit": may_edit and delegation.state in services.EDITABLE_STATES,
            "return_form": ReturnForm(),
            "rows": rows,
            "sees_personal": any(r["personal"] for r in rows),
            "previous_meeting": earlier,
            "stale": stale,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        delegation = _delegation(request, pk)
        may_edit = self._may_edit(request, delegation)
        formset = None
        if may_edit:
            initial = self._initial(delegation, copy=request.GET.get("copy") == "previous")
            formset = ParticipantFormSet(prefix="p", initial=initial, form_kwargs=self._form_kwargs(delegation))
        top = DelegationVersionForm(initial={"version": delegation.version})
        return self._render(request, delegation, formset, top, may_edit)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        delegation = _delegation(request, pk)
        if not permissions.can(request.user, REGISTER, delegation):
            raise PermissionDenied
        formset = ParticipantFormSet(request.POST, prefix="p", form_kwargs=self._form_kwargs(delegation))
        top = DelegationVersionForm(request.POST)
        if not (formset.is_valid() and top.is_valid()):
            return self._render(request, delegation, formset, top, True, status=400)
        saved_forms = [form for form in formset.forms if form.has_changed() or form.cleaned_data.get("id")]
        rows = resolve_rows([form.row() for form in saved_forms])
        try:
            delegation = services.delegation_participants_save(
                actor=request.user, delegation=delegation, expected_version=top.cleaned_data["version"], rows=rows
            )
            if "submit" in request.POST:
                delegation = services.delegation_submit(actor=request.user, delegation=delegation)
        except StaleEditError as exc:
            fresh = _delegation(request, pk)
            top = DelegationVersionForm(request.POST)
            top.is_valid()
            top.add_error(None, str(exc.args[0]))
            return self._render(request, fresh, formset, top, True, status=409, stale=exc)
        except ValidationError as exc:
            add_formset_errors(saved_forms, top, exc)
            return self._render(request, _delegation(request, pk), formset, top, True, status=400)
        if delegation.state == DelegationState.SUBMITTED:
            messages.success(request, _("The registration was submitted to the secretariat."))
        else:
            messages.success(request, _("The registration was saved as a draft."))
        return redirect("meetings:delegation-edit", pk=delegation.pk)


class DelegationDecideView(LoginRequiredMixin, View):
    """POST: the secretariat approves a submitted registration or returns it with a comment."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        delegation = _delegation(request, pk)
        if not permissions.can(request.user, DECIDE, delegation):
            raise PermissionDenied
        try:
            if request.POST.get("decision") == "approve":
                services.delegation_approve(actor=request.user, delegation=delegation)
                messages.success(request, _("The registration was approved; the focal point is told by e-mail."))
            else:
                services.delegation_return(
                    actor=request.user, delegation=delegation, comment=request.POST.get("secretariat_comment", "")
                )
                messages.success(request, _("The registration was returned to the focal point."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        if request.POST.get("back_to") == "delegation":
            return redirect("meetings:delegation-edit", pk=delegation.pk)
        return redirect("meetings:delegation-list", meeting_pk=delegation.meeting_id)


# --- participants lists ------------------------------------------------------------------------------


class ParticipantListView(LoginRequiredMixin, View):
    """The participants of a meeting as the user may see them (contact details only where allowed)."""

    template_name = "meetings/delegations/participants.html"

    def get(self, request: HttpRequest, meeting_pk: int) -> HttpResponse:
        meeting = _meeting(request, meeting_pk)
        rows = selectors.participant_rows(user=request.user, meeting=meeting, language=selectors.current_language())
        context = {
            "meeting": meeting,
            "rows": rows,
            "sees_personal": any(r["personal"] for r in rows),
            "may_download": permissions.is_secretariat(request.user),
            "is_public_meeting": meeting.visibility == Visibility.PUBLIC,
        }
        return render(request, self.template_name, context)


class ParticipantFileView(LoginRequiredMixin, View):
    """The secretariat's participants list as Excel or PDF (?public=1: only the consenting, name and
    organisation), and name cards."""

    kind = "xlsx"

    def get(self, request: HttpRequest, meeting_pk: int) -> HttpResponse:
        meeting = _meeting(request, meeting_pk)
        if not permissions.is_secretariat(request.user):
            raise PermissionDenied
        language = _language(request)
        public = request.GET.get("public") == "1"
        rows = selectors.participant_rows(user=request.user, meeting=meeting, language=language, public=public)
        return _participants_file(self.kind, meeting, rows, language=language, public=public)


def _participants_file(kind: str, meeting: Meeting, rows: list[dict], *, language: str, public: bool) -> HttpResponse:
    variant = "public" if public else "full"
    if kind == "xlsx":
        return _file_response(
            files.participants_xlsx(meeting=meeting, rows=rows, language=language, public=public),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{_file_stem(meeting, 'participants-' + variant)}-{language}.xlsx",
        )
    if kind == "pdf":
        return _file_response(
            files.participants_pdf(meeting=meeting, rows=rows, language=language, public=public),
            content_type="application/pdf",
            filename=f"{_file_stem(meeting, 'participants-' + variant)}-{language}.pdf",
        )
    if kind == "namecards":
        return _file_response(
            files.name_cards_pdf(meeting=meeting, rows=rows, language=language),
            content_type="application/pdf",
            filename=f"{_file_stem(meeting, 'name-cards')}-{language}.pdf",
        )
    raise Http404


# --- public ---------------------------------------------------------------------------------------------


def _public_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = _meeting(request, pk)
    if meeting.visibility != Visibility.PUBLIC:
        raise Http404
    return meeting


class PublicParticipantListView(View):
    """The public list of participants: only for a public meeting, only those who consented."""

    template_name = "meetings/delegations/public_participants.html"

    def get(self, request: HttpRequest, meeting_pk: int) -> HttpResponse:
        meeting = _public_meeting(request, meeting_pk)
        rows = selectors.participant_rows(
            user=request.user, meeting=meeting, language=selectors.current_language(), public=True
        )
        return render(request, self.template_name, {"meeting": meeting, "rows": rows})


class PublicParticipantFileView(View):
    """The public list as Excel or PDF."""

    kind = "pdf"

    def get(self, request: HttpRequest, meeting_pk: int) -> HttpResponse:
        meeting = _public_meeting(request, meeting_pk)
        language = _language(request)
        rows = selectors.participant_rows(user=request.user, meeting=meeting, language=language, public=True)
        return _participants_file(self.kind, meeting, rows, language=language, public=True)
