"""The map's tree layout (governance/map_layout.py): pure, no database."""

from governance.map_layout import Placement, TreeRow, active_parents, folded, others, place


def _row(id, parent=None, *, name=None, headcount=10, active=True):
    return TreeRow(
        id=id, parent_id=parent, name=name or f"D{id}", headcount=headcount, active=active,
        key=f"d{id}",
    )  # fmt: skip


def _by_id(placements: list[Placement]) -> dict[int, Placement]:
    return {p.department_id: p for p in placements}


def test_archived_levels_are_skipped_and_their_children_lifted():
    rows = [_row(1), _row(2, 1, active=False), _row(3, 2), _row(4, active=False), _row(5, 4)]
    assert active_parents(rows) == {1: None, 3: 1, 5: None}


def test_a_parent_cycle_of_archived_departments_ends_at_the_top_level():
    rows = [_row(1, 2, active=False), _row(2, 1, active=False), _row(3, 1)]
    assert active_parents(rows) == {3: None}


def test_placements_list_parents_before_children_sorted_by_name():
    rows = [
        _row(1, name="Sales"),
        _row(2, name="marketing"),
        _row(3, 1, name="B"),
        _row(4, 1, name="a"),
    ]
    placements = place(rows, {})
    assert [p.department_id for p in placements] == [2, 1, 4, 3]
    assert [p.depth for p in placements] == [0, 0, 1, 1]


def test_subtree_totals_add_up_the_active_departments_below():
    rows = [
        _row(1, headcount=100),
        _row(2, 1, headcount=20),
        _row(3, 2, headcount=5),
        _row(4, 1, headcount=7, active=False),
        _row(5, 4, headcount=3),
    ]
    representation = {"d1": "direct", "d2": "proxy", "d3": "proxy", "d5": "none"}
    top = _by_id(place(rows, representation))[1]
    assert top.children == 2  # d2, and d5 lifted over the archived d4
    assert (top.subtree_count, top.subtree_headcount) == (4, 128)
    assert (top.subtree_direct, top.subtree_proxy, top.subtree_none) == (1, 2, 1)


def test_a_department_missing_from_the_assessment_is_not_assessed_yet():
    placement = place([_row(1)], {})[0]
    assert placement.representation == "unknown"
    assert (placement.subtree_direct, placement.subtree_proxy, placement.subtree_none) == (0, 0, 0)


def test_folded_totals_leave_out_the_node_itself():
    node = {
        "headcount": 100, "representation": "direct", "subtree_count": 4,
        "subtree_headcount": 128, "subtree_direct": 1, "subtree_proxy": 2, "subtree_none": 1,
    }  # fmt: skip
    assert folded(node) == {"count": 3, "headcount": 28, "direct": 0, "proxy": 2, "none": 1}


def test_smaller_units_are_every_root_less_the_kept_ones():
    totals = {
        "subtree_count": 10, "subtree_headcount": 500, "subtree_direct": 3,
        "subtree_proxy": 4, "subtree_none": 3,
    }  # fmt: skip
    kept = [
        {"subtree_count": 6, "subtree_headcount": 400, "subtree_direct": 2,
         "subtree_proxy": 3, "subtree_none": 1},
    ]  # fmt: skip
    assert others(totals, kept) == {
        "count": 4,
        "headcount": 100,
        "direct": 1,
        "proxy": 1,
        "none": 2,
    }
