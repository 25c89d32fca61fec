"""The stakeholder map's tree layout: pure functions, no ORM, no Django.

`place` turns the department rows into one `Placement` per active department: its
nearest active ancestor (archived levels are skipped, their children lifted), its
depth, and the totals of its subtree. The snapshot service stores the placements
(`MapNode`) so that `/map/data.json` reads one branch, level by level, with small
indexed queries; before the first snapshot the selectors compute them in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

REPRESENTATIONS = ("direct", "proxy", "none")


@dataclass(frozen=True, slots=True)
class TreeRow:
    id: int
    parent_id: int | None
    name: str
    headcount: int
    active: bool
    key: str


@dataclass(frozen=True, slots=True)
class Placement:
    department_id: int
    parent_id: int | None  # the nearest active ancestor
    depth: int
    representation: str  # direct | proxy | none | unknown
    children: int  # active departments placed directly below
    subtree_count: int  # this department and every active one below it
    subtree_headcount: int
    subtree_direct: int
    subtree_proxy: int
    subtree_none: int


def active_parents(rows: list[TreeRow]) -> dict[int, int | None]:
    """Each active department's nearest active ancestor (None: top level)."""
    parent_of = {row.id: row.parent_id for row in rows}
    active = {row.id for row in rows if row.active}
    result: dict[int, int | None] = {}
    for dept_id in active:
        parent = parent_of.get(dept_id)
        seen = {dept_id}
        while parent is not None and parent not in active and parent not in seen:
            seen.add(parent)
            parent = parent_of.get(parent)
        result[dept_id] = parent if parent in active and parent != dept_id else None
    return result


def place(rows: Iterable[TreeRow], representation: Mapping[str, str]) -> list[Placement]:
    """The placement of every active department, parents before children (by name)."""
    rows = list(rows)
    by_id = {row.id: row for row in rows}
    parents = active_parents(rows)
    children: dict[int | None, list[int]] = defaultdict(list)
    for dept_id, parent in parents.items():
        children[parent].append(dept_id)
    for ids in children.values():
        ids.sort(key=lambda i: (by_id[i].name.lower(), i))

    order: list[tuple[int, int]] = []  # (id, depth), breadth-first
    frontier, depth = list(children.get(None, ())), 0
    while frontier:
        order += [(node, depth) for node in frontier]
        frontier = [kid for node in frontier for kid in children.get(node, ())]
        depth += 1

    reps = {node: representation.get(by_id[node].key, "unknown") for node in parents}
    column = {name: 2 + index for index, name in enumerate(REPRESENTATIONS)}
    totals: dict[int, list[int]] = {}
    for node, _ in reversed(order):
        total = [1, by_id[node].headcount, 0, 0, 0]
        if reps[node] in column:
            total[column[reps[node]]] += 1
        for kid in children.get(node, ()):
            below = totals[kid]
            for i in range(5):
                total[i] += below[i]
        totals[node] = total
    return [
        Placement(
            department_id=node,
            parent_id=parents[node],
            depth=depth,
            representation=reps[node],
            children=len(children.get(node, ())),
            subtree_count=totals[node][0],
            subtree_headcount=totals[node][1],
            subtree_direct=totals[node][2],
            subtree_proxy=totals[node][3],
            subtree_none=totals[node][4],
        )
        for node, depth in order
    ]


def folded(node: Mapping[str, Any]) -> dict[str, int]:
    """What the departments below a node hold (shown on a node whose children are
    left out): its subtree totals without the node itself."""
    return {
        "count": node["subtree_count"] - 1,
        "headcount": node["subtree_headcount"] - node["headcount"],
        **{
            name: node[f"subtree_{name}"] - (node["representation"] == name)
            for name in REPRESENTATIONS
        },
    }


def others(all_roots: Mapping[str, int], kept: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """The totals of the top-level units folded into one "smaller units" node: the
    totals of every root (`all_roots`, subtree_* sums) less those of the kept ones."""
    kept = list(kept)
    return {
        "count": all_roots["subtree_count"] - sum(n["subtree_count"] for n in kept),
        "headcount": all_roots["subtree_headcount"] - sum(n["subtree_headcount"] for n in kept),
        **{
            name: all_roots[f"subtree_{name}"] - sum(n[f"subtree_{name}"] for n in kept)
            for name in REPRESENTATIONS
        },
    }
