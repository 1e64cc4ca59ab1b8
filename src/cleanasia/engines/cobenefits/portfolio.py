"""Portfolio totals by any keys, never counting a project's reduction twice.

Input: result summaries, one row per project (and year, if given), with the project's own attributes
(country, sector…) and its numbers in `values`; and link rows tying a project to measures, goals or anything
else (a project may be linked to several). A row counts once in every group it belongs to: a project linked
to two measures appears under each measure, but once in a group that spans both (a goal holding both
measures) and once in the total. The sum of the groups can therefore exceed the total: `overlap` says by how
much, and each group lists its projects shared with other groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

UNLINKED = None  # the key value of a row whose project has no link of that kind


@dataclass(frozen=True)
class Group:
    key: Mapping[str, Any]
    values: Mapping[str, float]
    projects: tuple[str, ...]
    shared_projects: tuple[str, ...]  # also counted in another group

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": dict(self.key),
            "values": dict(self.values),
            "projects": list(self.projects),
            "shared_projects": list(self.shared_projects),
        }


@dataclass(frozen=True)
class Aggregation:
    by: tuple[str, ...]
    groups: tuple[Group, ...]
    total: Mapping[str, float]  # every row once
    projects: int
    overlap: Mapping[str, float]  # sum over groups − total

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": list(self.by),
            "groups": [g.to_dict() for g in self.groups],
            "total": dict(self.total),
            "projects": self.projects,
            "overlap": dict(self.overlap),
        }


def aggregate(
    rows: Iterable[Mapping[str, Any]],
    links: Iterable[Mapping[str, Any]] = (),
    *,
    by: Sequence[str],
    project_key: str = "project",
) -> Aggregation:
    """Group `rows` by the keys `by` (row attributes or link attributes), each row once per group."""
    linked: dict[Any, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    link_keys: set[str] = set()
    for link in links:
        for key, value in link.items():
            if key != project_key:
                linked[link[project_key]][key].add(value)
                link_keys.add(key)
    seen: set[tuple[Any, Any]] = set()
    sums: dict[tuple[Any, ...], dict[str, float]] = {}
    members: dict[tuple[Any, ...], set[Any]] = defaultdict(set)
    row_groups: dict[tuple[Any, ...], set[tuple[Any, Any]]] = defaultdict(set)
    total: dict[str, float] = defaultdict(float)
    projects: set[Any] = set()
    for row in rows:
        project = row[project_key]
        identity = (project, row.get("year"))
        if identity in seen:
            raise ValueError(f"row for project {project!r}, year {row.get('year')!r} given twice")
        seen.add(identity)
        projects.add(project)
        values = row.get("values", {})
        for name, value in values.items():
            total[name] += float(value)
        choices = []
        for key in by:
            if key in row:
                choices.append([row[key]])
            else:
                choices.append(sorted(linked[project].get(key, {UNLINKED}), key=repr))
        combinations = set(product(*choices))
        for combination in combinations:
            group = sums.setdefault(combination, defaultdict(float))
            members[combination].add(project)
            if len(combinations) > 1:
                row_groups[combination].add(identity)
            for name, value in values.items():
                group[name] += float(value)
    groups = tuple(
        Group(
            key=dict(zip(by, combination, strict=True)),
            values=dict(sums[combination]),
            projects=tuple(sorted(members[combination], key=repr)),
            shared_projects=tuple(sorted({p for p, _ in row_groups[combination]}, key=repr)),
        )
        for combination in sorted(sums, key=repr)
    )
    overlap = {name: sum(g.values.get(name, 0.0) for g in groups) - value for name, value in total.items()}
    return Aggregation(tuple(by), groups, dict(total), len(projects), overlap)
