"""The co-benefit portfolio: the latest stored evaluation of each project a reader may see, as rows for the
engine's `aggregate`, and its totals by country, sector, measure, goal and year.

A stored evaluation keeps the engine's whole result document; `evaluation_rows` turns it back into the rows
`Evaluation.summary_rows` gives (one per year: {"project", "year", country, sector, "values"}), so the
portfolio adds up exactly what the engine computed. Measures and goals are links (a project may advance
several measures, under one goal or several): `aggregate` counts a project once in each group and once in the
total, and says by how much the groups overlap.

Everything goes through the policies (`selectors.latest_evaluations`, the visible measures); the aggregation
is cached per data generation and reader (core.cache, namespace CACHE_NAMESPACE, watched in apps.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cleanasia.core import cache
from cleanasia.core.permissions import access_fingerprint
from cleanasia.directory.models import Country
from cleanasia.engines.cobenefits.portfolio import UNLINKED, aggregate
from cleanasia.engines.cobenefits.result import POLLUTANTS, SPECIES
from cleanasia.framework.models import FrameworkNode, NodeKind

from . import selectors
from .models import Evaluation, Sector
from .services import species_label

CACHE_NAMESPACE = "cobenefits"
GROUPINGS = ("country", "sector", "measure", "goal", "year")
LINKED = ("measure", "goal")  # link keys: a project may have several
SIDES = ("baseline", "project", "reduction")
# The framework's top nodes: a measure's goal is the top node above its framework line.
TOP_KINDS = (NodeKind.GOAL, NodeKind.CROSS_CUTTING, NodeKind.FOUNDATION)
DEFAULT_POLLUTANT = "so2"


def pollutant_choices() -> list[tuple[str, str]]:
    """The local pollutants a reader may put against the GHG reduction (engine order)."""
    return [(code, species_label(code)) for code in POLLUTANTS]


def evaluation_rows(evaluation: Evaluation | Mapping[str, Any], project: str, **attributes: Any) -> list[dict]:
    """The rows `Evaluation.summary_rows` gives, rebuilt from a stored result document (one per year).

    `evaluation`: a stored Evaluation or its result document. Values: "<species>_<side>" for every species of
    the result and "co2e_<side>", side being baseline, project or reduction (t).
    """
    result = evaluation.result if isinstance(evaluation, Evaluation) else evaluation
    species = result.get("species", {})
    rows = []
    for i, year in enumerate(result.get("years", [])):
        values = {f"{name}_{side}": float(data[side][i]) for name, data in species.items() for side in SIDES}
        values |= {f"co2e_{side}": float(result["co2e"][side][i]) for side in SIDES}
        rows.append({"project": project, "year": year, **attributes, "values": values})
    return rows


def _goals_of(node_ids: Iterable[int]) -> dict[int, dict[str, Any] | None]:
    """Each framework node's top node (goal, cross-cutting goal or foundation): one query."""
    language = (get_language() or "en")[:2]
    nodes = {
        row["pk"]: {**row, "title": (row["title_ja"] if language == "ja" else row["title_en"]) or row["title_en"] or ""}
        for row in FrameworkNode.objects.values("pk", "parent_id", "kind", "code", "title_ja", "title_en")
    }
    found: dict[int, dict[str, Any] | None] = {}
    for pk in node_ids:
        node, seen, top = nodes.get(pk), set(), None
        while node is not None and node["pk"] not in seen:
            seen.add(node["pk"])
            if node["kind"] in TOP_KINDS:
                top = node
                break
            node = nodes.get(node["parent_id"]) if node["parent_id"] else None
        found[pk] = top
    return found


def _in_range(year: int, year_from: int | None, year_to: int | None) -> bool:
    return (year_from is None or year >= year_from) and (year_to is None or year <= year_to)


def _code(value: Any) -> str:
    return str(getattr(value, "code", value) or "").upper()


def portfolio_for(
    *,
    user: Any,
    country: Any = None,
    sector: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> dict[str, Any]:
    """`compute_portfolio`, kept per data generation for readers who see the same projects and measures."""
    key = ("portfolio", access_fingerprint(user), _code(country), sector or "", year_from, year_to, get_language())
    return cache.cached_aggregate(
        CACHE_NAMESPACE,
        key,
        lambda: compute_portfolio(user=user, country=country, sector=sector, year_from=year_from, year_to=year_to),
    )


def compute_portfolio(
    *,
    user: Any,
    country: Any = None,
    sector: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> dict[str, Any]:
    """The portfolio `user` may see, filtered by country (record or ISO code), sector and years (inclusive).

    Keys:
    - "rows": the aggregate rows (one per project and year in the range), "links": measure and goal links;
    - "projects": one entry per project with its latest evaluation: code, title, country, sector, evaluation
      number, years in range, totals ("<species>_<side>" and "co2e_<side>", t) over those years, measures
      and goals;
    - "total", "project_count", "groupings" ({by: {"groups": [...], "overlap": {...}, "shared": n}});
    - "years" (every year of the evaluations before the year filter), "countries" (codes and names of the
      visible projects, for the filter), "pollutants" (those some project's evaluation covers).
    Queries: evaluations, measures (two), framework nodes, countries: a fixed number.
    """
    evaluations = list(selectors.latest_evaluations(user=user).select_related("project__country"))
    countries = {e.project.country_id: e.project.country for e in evaluations}
    all_years = sorted({year for e in evaluations for year in e.result.get("years", [])})
    wanted_country = _code(country)
    if wanted_country:
        evaluations = [e for e in evaluations if e.project.country_id == wanted_country]
    if sector:
        evaluations = [e for e in evaluations if e.project.sector == sector]

    projects_by_pk = {e.project_id: e.project for e in evaluations}
    linked_measures = selectors.measures_for_projects(list(projects_by_pk), user)
    goals = _goals_of({item["measure"].framework_node_id for items in linked_measures.values() for item in items})

    sector_labels = dict(Sector.choices)
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    projects: list[dict[str, Any]] = []
    labels: dict[str, dict[Any, str]] = {"country": {}, "sector": {}, "measure": {}, "goal": {}, "year": {}}
    pollutants: set[str] = set()
    for evaluation in evaluations:
        project = evaluation.project
        own = [
            row
            for row in evaluation_rows(evaluation, project.code, country=project.country_id, sector=project.sector)
            if _in_range(row["year"], year_from, year_to)
        ]
        if not own:
            continue
        rows += own
        totals: dict[str, float] = {}
        for row in own:
            for name, value in row["values"].items():
                totals[name] = totals.get(name, 0.0) + value
            labels["year"][row["year"]] = str(row["year"])
        pollutants |= {s for s in evaluation.result.get("species", {}) if s in POLLUTANTS}
        measure_codes, goal_codes = [], []
        for item in linked_measures.get(project.pk, []):
            measure = item["measure"]
            goal = goals.get(measure.framework_node_id)
            link = {"project": project.code, "measure": measure.code}
            labels["measure"][measure.code] = f"{measure.code} {measure.title}"
            measure_codes.append(measure.code)
            if goal is not None:
                link["goal"] = goal["code"]
                labels["goal"][goal["code"]] = f"{goal['code']} {goal['title']}"
                if goal["code"] not in goal_codes:
                    goal_codes.append(goal["code"])
            links.append(link)
        labels["country"][project.country_id] = str(project.country)
        labels["sector"][project.sector] = str(sector_labels.get(project.sector, project.sector))
        projects.append(
            {
                "pk": project.pk,
                "code": project.code,
                "title": str(project),
                "country": project.country_id,
                "country_name": str(project.country),
                "sector": project.sector,
                "sector_label": labels["sector"][project.sector],
                "evaluation": evaluation.number,
                "evaluation_pk": evaluation.pk,
                "years": [row["year"] for row in own],
                "totals": totals,
                "species": sorted(evaluation.result.get("species", {})),
                "measures": measure_codes,
                "goals": goal_codes,
            }
        )

    groupings: dict[str, dict[str, Any]] = {}
    total: dict[str, float] = {}
    project_count = 0
    for by in GROUPINGS:
        result = aggregate(rows, links, by=(by,))
        total, project_count = dict(result.total), result.projects
        groups = []
        shared: set[str] = set()
        for group in result.groups:
            value = group.key[by]
            shared |= set(group.shared_projects)
            groups.append(
                {
                    "key": value,
                    "label": _("Not linked") if value is UNLINKED else labels[by].get(value, str(value)),
                    "values": dict(group.values),
                    "projects": list(group.projects),
                    "shared_projects": list(group.shared_projects),
                }
            )
        if by == "year":
            groups.sort(key=lambda g: g["key"])
        else:  # largest reduction first, the unlinked last
            groups.sort(key=lambda g: (g["key"] is UNLINKED, -g["values"].get("co2e_reduction", 0.0), str(g["key"])))
        groupings[by] = {"groups": groups, "overlap": dict(result.overlap), "shared": len(shared)}

    return {
        "rows": rows,
        "links": links,
        "projects": projects,
        "total": total,
        "project_count": project_count,
        "groupings": groupings,
        "years": all_years,
        "countries": sorted(((code, str(c)) for code, c in countries.items()), key=lambda pair: pair[1]),
        "pollutants": [code for code in POLLUTANTS if code in pollutants],
    }


def scatter_points(portfolio: Mapping[str, Any], pollutant: str) -> list[tuple[str, float, float]]:
    """(project title, t CO2e reduction, t pollutant reduction) for each project whose evaluation covers the
    pollutant, over the years in range."""
    key = f"{pollutant}_reduction"
    return [
        (f"{p['code']} {p['title']}", p["totals"].get("co2e_reduction", 0.0), p["totals"][key])
        for p in portfolio["projects"]
        if key in p["totals"]
    ]


def csv_rows(portfolio: Mapping[str, Any]) -> list[list[Any]]:
    """The aggregated rows as a table: one line per project and year (the reductions and CO2e of each side)."""
    projects = {p["code"]: p for p in portfolio["projects"]}
    species = list(SPECIES)
    header = [
        "project",
        "title",
        "country",
        "sector",
        "evaluation",
        "year",
        "co2e_baseline_t",
        "co2e_project_t",
        "co2e_reduction_t",
        *(f"{s}_reduction_t" for s in species),
        "measures",
        "goals",
    ]
    lines: list[list[Any]] = [header]
    for row in portfolio["rows"]:
        p = projects[row["project"]]
        values = row["values"]
        lines.append(
            [
                p["code"],
                p["title"],
                p["country"],
                p["sector"],
                p["evaluation"],
                row["year"],
                *(values.get(f"co2e_{side}") for side in SIDES),
                *(values.get(f"{s}_reduction", "") for s in species),
                " ".join(p["measures"]),
                " ".join(p["goals"]),
            ]
        )
    return lines


def filter_countries(*, user: Any) -> list[Country]:
    """Countries of the projects `user` may see (for the country filter), by name."""
    codes = selectors.projects_for(user=user).values("country_id")
    return list(Country.objects.filter(pk__in=codes).order_by("name_en"))
