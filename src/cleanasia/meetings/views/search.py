"""The search page of the meetings module: staff (as the signed-in user) and public (as the public).

The query and the type are in the URL, so a search can be bookmarked and shared;
the index and its permission filter are core.search's, the registrations
meetings/search.py's.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cleanasia.core.search import MAX_QUERY_LENGTH, hits, search

from .. import search as registrations

PAGE_SIZE = 20
TYPES = {model._meta.model_name: model for model in registrations.MODELS}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        help_text=_("Japanese or English, any part of a word or symbol: 環境大臣, air quality, EAS-EMM/3."),
        widget=forms.SearchInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    type = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All types"))] + [
            (name, capfirst(model._meta.verbose_name_plural)) for name, model in TYPES.items()
        ]


class SearchView(TemplateView):
    """Meetings, documents, outcomes and elements matching the query, that the reader may see."""

    template_name = "meetings/search/search.html"
    base_template = "core/base.html"
    namespace = "meetings_public"
    as_public = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        query, only = "", list(TYPES.values())
        if form.is_valid():
            query = form.cleaned_data["q"]
            if form.cleaned_data["type"]:
                only = [TYPES[form.cleaned_data["type"]]]
        # The public page links public pages, so it shows what the public may see, signed in or not.
        reader = AnonymousUser() if self.as_public else self.request.user
        entries = search(query, user=reader, only=only, language=(get_language() or "ja")[:2])
        page = Paginator(entries, PAGE_SIZE).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            form=form,
            query=query,
            page_obj=page,
            query_without_page=params.urlencode(),
            hits=hits(page.object_list, user=reader, query=query, namespace=self.namespace) if query else [],
            base_template=self.base_template,
            search_url_name=f"{self.namespace}:search",
        )
        return context


class StaffSearchView(LoginRequiredMixin, SearchView):
    base_template = "core/staff_base.html"
    namespace = "meetings"
    as_public = False
