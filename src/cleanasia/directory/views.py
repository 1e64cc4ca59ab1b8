"""Staff pages of the directory: countries and groups over time, organisations, people.

Every list goes through `core.permissions.visible`, so each reader sees only the
rows their role allows, and every page runs a fixed number of queries whatever
the number of rows (select_related, one count and one page per list).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cleanasia.core import permissions
from cleanasia.core.views.forms import paginate

from .forms import GroupMembersForm, SearchForm
from .models import Affiliation, Country, CountryGroup, GroupMembership, Organisation, Person
from .permissions import can_see_contact_details


def search(qs: QuerySet, term: str, fields: list[str]) -> QuerySet:
    if not term:
        return qs
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": term})
    return qs.filter(condition)


class CountriesView(LoginRequiredMixin, TemplateView):
    """Groups with their current size, and the members of a chosen group on a chosen day (GET form)."""

    template_name = "directory/countries.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request, user = self.request, self.request.user
        today = timezone.localdate()
        current = Q(memberships__joined_on__lte=today) & (
            Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gte=today)
        )
        groups = permissions.visible(CountryGroup.objects.order_by("code"), user)
        context["groups"] = groups.annotate(member_count=Count("memberships", filter=current))
        form = GroupMembersForm(request.GET or None, groups=groups)
        context["form"] = form
        group = form.cleaned_data.get("group") if form.is_bound and form.is_valid() else None
        if group is not None:
            day = form.day()
            context.update(
                group=group,
                day=day,
                memberships=permissions.visible(
                    GroupMembership.objects.active_on(day).filter(group=group).select_related("country"), user
                ).order_by("country__name_en"),
            )
        else:
            search_form = SearchForm(request.GET or None, label=_("Name or ISO code"))
            term = search_form.cleaned_data["q"] if search_form.is_valid() else ""
            countries = search(
                permissions.visible(Country.objects.order_by("name_en"), user), term, ["name_ja", "name_en", "code"]
            )
            context["page_obj"], context["query_without_page"] = paginate(request, countries)
            context["search_form"] = search_form
        return context


class GroupDetailView(LoginRequiredMixin, TemplateView):
    """A group and every membership it has had, with dates and sources."""

    template_name = "directory/group_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        group = permissions.get_visible_or_404(CountryGroup.objects.all(), user, code=kwargs["code"])
        memberships = permissions.visible(group.memberships.select_related("country"), user).order_by(
            "joined_on", "country__name_en"
        )
        today = timezone.localdate()
        context.update(
            group=group,
            memberships=memberships,
            today=today,
            current_count=sum(
                1 for m in memberships if m.joined_on <= today and (m.left_on is None or m.left_on >= today)
            ),
        )
        return context


class OrganisationsView(LoginRequiredMixin, TemplateView):
    """Organisations the user may see, searchable by any of their names or acronym."""

    template_name = "directory/organisations.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None, label=_("Name, former name or acronym"))
        term = form.cleaned_data["q"] if form.is_valid() else ""
        qs = permissions.visible(Organisation.objects.select_related("country", "parent"), self.request.user)
        qs = search(qs, term, ["name_ja", "name_en", "acronym", "alternative_names"]).order_by("name_en", "id")
        context["form"] = form
        context["page_obj"], context["query_without_page"] = paginate(self.request, qs)
        return context


class PeopleView(LoginRequiredMixin, TemplateView):
    """People whose records the user may see; contact details are never listed here."""

    template_name = "directory/people.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None, label=_("Name"))
        term = form.cleaned_data["q"] if form.is_valid() else ""
        qs = permissions.visible(Person.objects.all(), self.request.user).select_related("country")
        # Names only: searching by e-mail would reveal contact details to those who may not see them.
        qs = search(qs, term, ["name_ja", "name_en", "family_name", "given_name"]).order_by("name_en", "id")
        context["form"] = form
        context["page_obj"], context["query_without_page"] = paginate(self.request, qs)
        return context


class PersonDetailView(LoginRequiredMixin, TemplateView):
    """One person (404 when not visible); contact details for the secretariat and the person only."""

    template_name = "directory/person_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person = permissions.get_visible_or_404(Person.objects.select_related("country"), user, pk=kwargs["pk"])
        affiliations = permissions.visible(
            Affiliation.objects.filter(person=person).select_related("organisation"), user
        ).order_by("-started_on", "id")
        context.update(
            person=person,
            affiliations=affiliations,
            show_contact=can_see_contact_details(user, person),
            may_see_history=permissions.can(user, permissions.VIEW_HISTORY, person),
        )
        return context
