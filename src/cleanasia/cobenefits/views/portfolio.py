"""The co-benefit portfolio: totals of the latest evaluation of each project by country, sector, measure, goal
and year, charts, the "two axes" scatter (GHG against a local pollutant) and the rows as CSV.

Two variants of the same page: the staff page (signed in; what the reader may see, by the policies) and the
public page (public projects only, whoever reads it). Filters are GET parameters, so a filtered view can be
shared and downloaded.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from cleanasia.core.charts import bar_chart

from .. import portfolio as selectors
from ..charts import scatter_chart
from ..models import Sector
from ..services import species_label

NO_STORE = "private, no-store"
YEAR_MIN, YEAR_MAX = 1990, 2100

GROUPING_TITLES = {
    "country": (
        gettext_lazy("By country"),
        gettext_lazy("Country"),
        gettext_lazy("Reductions by country (t)"),
        gettext_lazy("CO2e reduction by country (t CO2e)"),
    ),
    "sector": (
        gettext_lazy("By sector"),
        gettext_lazy("Sector"),
        gettext_lazy("Reductions by sector (t)"),
        gettext_lazy("CO2e reduction by sector (t CO2e)"),
    ),
    "measure": (gettext_lazy("By measure"), gettext_lazy("Measure"), gettext_lazy("Reductions by measure (t)"), ""),
    "goal": (
        gettext_lazy("By goal of the framework"),
        gettext_lazy("Goal"),
        gettext_lazy("Reductions by goal of the framework (t)"),
        "",
    ),
    "year": (gettext_lazy("By year"), gettext_lazy("Year"), gettext_lazy("Reductions by year (t)"), ""),
}


class PortfolioFilterForm(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    sector = forms.ChoiceField(
        label=gettext_lazy("Sector"), required=False, choices=[("", gettext_lazy("All sectors")), *Sector.choices]
    )
    year_from = forms.IntegerField(
        label=gettext_lazy("From year"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    year_to = forms.IntegerField(label=gettext_lazy("To year"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    pollutant = forms.ChoiceField(
        label=gettext_lazy("Pollutant against the GHG reduction"),
        required=False,
        choices=selectors.pollutant_choices,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", _("All countries")),
            *((c.code, c.name or c.code) for c in selectors.filter_countries(user=user)),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first is not None and last is not None and first > last:
            self.add_error("year_to", _("The last year cannot come before the first."))
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is dropped and shown with its error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def _csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


class PortfolioMixin:
    """What both variants share: the reader (the public variant reads as the public), the form and the data."""

    public = False
    template_name = "cobenefits/portfolio/portfolio.html"

    def reader(self, request: HttpRequest) -> Any:
        return AnonymousUser() if self.public else request.user

    def url_name(self, suffix: str = "") -> str:
        return ("cobenefits:portfolio" if self.public else "cobenefits_staff:portfolio") + suffix

    def portfolio(self, request: HttpRequest) -> tuple[PortfolioFilterForm, dict[str, Any], dict[str, Any]]:
        user = self.reader(request)
        form = PortfolioFilterForm(request.GET or None, user=user)
        filters = form.filters()
        data = selectors.portfolio_for(
            user=user,
            country=filters.get("country"),
            sector=filters.get("sector"),
            year_from=filters.get("year_from"),
            year_to=filters.get("year_to"),
        )
        return form, filters, data


def _cells(values: dict[str, float], species: list[str]) -> list[float | None]:
    """CO2e reduction, then each species' reduction (None: not in these evaluations)."""
    return [values.get("co2e_reduction", 0.0), *(values.get(f"{s}_reduction") for s in species)]


def _groupings(data: dict[str, Any], species: list[str]) -> list[dict[str, Any]]:
    sections = []
    unit = _("t CO2e")
    for by, (title, heading, caption, chart_title) in GROUPING_TITLES.items():
        grouping = data["groupings"][by]
        groups = [{**g, "cells": _cells(g["values"], species)} for g in grouping["groups"]]
        section: dict[str, Any] = {
            "by": by,
            "id": f"by-{by}",
            "title": title,
            "heading": heading,
            "caption": caption,
            "groups": groups,
            "overlap": grouping["overlap"].get("co2e_reduction", 0.0),
            "shared": grouping["shared"],
            "linked": by in selectors.LINKED,
        }
        if chart_title:
            section["chart"] = bar_chart(
                str(chart_title),
                [g["label"] for g in groups],
                [(_("CO2e reduction"), [round(g["values"].get("co2e_reduction", 0.0), 2) for g in groups])],
                unit=unit,
            )
        sections.append(section)
    return sections


class PortfolioView(PortfolioMixin, View):
    """The public portfolio: public projects only."""

    public = True

    def get(self, request: HttpRequest) -> HttpResponse:
        form, filters, data = self.portfolio(request)
        pollutant = filters.get("pollutant") or (
            selectors.DEFAULT_POLLUTANT
            if selectors.DEFAULT_POLLUTANT in data["pollutants"] or not data["pollutants"]
            else data["pollutants"][0]
        )
        pollutant_name = species_label(pollutant)
        species = [
            s for s in ("co2", "ch4", "n2o", *selectors.POLLUTANTS) if any(s in p["species"] for p in data["projects"])
        ]
        totals = [
            {"label": species_label(s), **{side: data["total"].get(f"{s}_{side}") for side in selectors.SIDES}}
            for s in species
        ]
        totals.append({"label": _("CO2e"), **{side: data["total"].get(f"co2e_{side}") for side in selectors.SIDES}})
        scatter = scatter_chart(
            _("GHG reduction against %(pollutant)s reduction, per project") % {"pollutant": pollutant_name},
            selectors.scatter_points(data, pollutant),
            x_label=_("GHG reduction (t CO2e)"),
            y_label=_("%(pollutant)s reduction (t)") % {"pollutant": pollutant_name},
        )
        query = request.GET.urlencode()
        context = {
            "public": self.public,
            "base_template": "core/base.html" if self.public else "core/staff_base.html",
            "totals": totals,
            "total_cells": _cells(data["total"], species),
            "form": form,
            "filters": {k: v for k, v in filters.items() if k != "pollutant"},
            "data": data,
            "species": [(s, species_label(s)) for s in species],
            "sections": _groupings(data, species),
            "scatter": scatter,
            "pollutant": pollutant,
            "pollutant_name": pollutant_name,
            "left_out": len(data["projects"]) - len(scatter.points),
            "page_url": reverse(self.url_name()),
            "csv_url": reverse(self.url_name("-csv")) + (f"?{query}" if query else ""),
        }
        return render(request, self.template_name, context)


class PortfolioCsvView(PortfolioMixin, View):
    """The rows the public portfolio adds up, with the same filters: one line per project and year."""

    public = True

    def get(self, request: HttpRequest) -> HttpResponse:
        _form, _filters, data = self.portfolio(request)
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so that spreadsheets read the Japanese titles as UTF-8
        writer = csv.writer(buffer)
        for row in selectors.csv_rows(data):
            writer.writerow([_csv_cell(value) for value in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        name = "cobenefits-portfolio-public.csv" if self.public else "cobenefits-portfolio.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        if not self.public:
            response["Cache-Control"] = NO_STORE
        return response


class StaffPortfolioView(LoginRequiredMixin, PortfolioView):
    """The staff portfolio: every project the signed-in reader may see."""

    public = False


class StaffPortfolioCsvView(LoginRequiredMixin, PortfolioCsvView):
    public = False
