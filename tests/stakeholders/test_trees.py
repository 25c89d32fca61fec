"""The parent-link walk the bundle and spreadsheet imports share (stakeholders/trees.py)."""

from stakeholders.trees import walk_up


def test_a_walk_to_the_top_finds_no_cycle_and_settles_what_it_walked():
    settled: set[str] = set()
    walk, cycle = walk_up("team", {"team": "dept", "dept": "top", "top": None}, settled)
    assert (walk, cycle) == (["team", "dept", "top"], [])
    assert settled == {"team", "dept", "top"}


def test_a_walk_stops_at_a_settled_key():
    settled = {"dept"}
    walk, cycle = walk_up("team", {"team": "dept", "dept": "a", "a": "dept"}, settled)
    assert (walk, cycle) == (["team"], [])
    assert settled == {"dept", "team"}


def test_a_walk_into_a_loop_returns_the_loop_from_the_key_met_twice_and_settles_nothing():
    settled: set[str] = set()
    parent_of = {"leaf": "a", "a": "b", "b": "c", "c": "a"}
    walk, cycle = walk_up("leaf", parent_of, settled)
    assert walk == ["leaf", "a", "b", "c"]
    assert cycle == ["a", "b", "c"]
    assert settled == set()


def test_a_key_that_is_its_own_parent_is_a_cycle_of_one():
    assert walk_up("x", {"x": "x"}, set()) == (["x"], ["x"])


def test_an_unknown_parent_ends_the_walk_like_the_top():
    assert walk_up("x", {"x": "gone"}, set()) == (["x", "gone"], [])
