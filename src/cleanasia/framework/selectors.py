"""Reads of the policy framework. It is public reference data, so no per-user filter applies."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .models import FrameworkNode


@dataclass
class TreeNode:
    """A node with its children, for rendering; built in Python from one query."""

    node: FrameworkNode
    depth: int
    children: list[TreeNode] = field(default_factory=list)
    base_level: int = 2  # the heading level of the roots (h1 is the page's)

    @property
    def heading_level(self) -> int:
        return min(self.base_level + self.depth, 6)

    def nest_under_heading(self) -> None:
        """Shift this subtree's headings one level down, for a group heading above it."""
        self.base_level += 1
        for child in self.children:
            child.nest_under_heading()

    @property
    def leaves(self) -> list[TreeNode]:
        return [c for c in self.children if not c.children]

    @property
    def branches(self) -> list[TreeNode]:
        return [c for c in self.children if c.children]


def framework_tree() -> list[TreeNode]:
    """The whole framework as a forest of TreeNodes, in position order, with a single query.

    The framework is public reference data (ReferenceDataPolicy), so no per-user filter applies.
    """
    nodes = list(FrameworkNode.objects.order_by("position", "code"))
    by_parent: dict[int | None, list[FrameworkNode]] = defaultdict(list)
    for node in nodes:
        by_parent[node.parent_id].append(node)

    def build(node: FrameworkNode, depth: int) -> TreeNode:
        return TreeNode(node=node, depth=depth, children=[build(c, depth + 1) for c in by_parent[node.pk]])

    return [build(root, 0) for root in by_parent[None]]
