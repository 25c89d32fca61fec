"""The map nodes stored with each snapshot (services.map_nodes_store)."""

import pytest

from governance import services
from governance.models import MapNode, Snapshot
from stakeholders.models import Department
from tests.factories import DepartmentFactory, SeatFactory

pytestmark = pytest.mark.django_db


def _nodes() -> dict[str, tuple]:
    return {
        key: (parent, depth, rep, children, count)
        for key, parent, depth, rep, children, count in MapNode.objects.values_list(
            "department__key",
            "parent__department__key",
            "depth",
            "representation",
            "children",
            "subtree_count",
        )
    }


def test_each_snapshot_stores_where_every_active_department_sits():
    top = DepartmentFactory(key="top")
    SeatFactory(department=top, person__department=top)
    DepartmentFactory(key="team", parent=top)
    DepartmentFactory(key="old", parent=top, active=False)
    services.snapshot_take()
    assert _nodes() == {
        "top": (None, 0, "direct", 1, 2),
        "team": ("top", 1, "proxy", 0, 1),
    }


def test_storing_unchanged_map_nodes_writes_nothing(django_assert_num_queries):
    top = DepartmentFactory(key="top")
    DepartmentFactory.create_batch(3, parent=top)
    services.map_nodes_store(representation={})
    with django_assert_num_queries(2):  # the departments and the stored nodes, read
        services.map_nodes_store(representation={})


def test_archiving_and_moving_update_only_the_nodes_concerned():
    top = DepartmentFactory(key="top")
    DepartmentFactory(key="other")
    team = DepartmentFactory(key="team", parent=top)
    DepartmentFactory(key="squad", parent=team)
    services.map_nodes_store(representation={})
    Department.objects.filter(key="team").update(active=False)
    Department.objects.filter(key="other").update(parent=top)
    services.map_nodes_store(representation={"top": "direct"})
    assert _nodes() == {
        "top": (None, 0, "direct", 2, 3),
        "other": ("top", 1, "unknown", 0, 1),
        "squad": ("top", 1, "unknown", 0, 1),  # lifted over its archived parent
    }


def test_a_newer_registry_with_the_same_result_still_refreshes_the_map():
    DepartmentFactory(key="a")
    DepartmentFactory(key="b")
    first = services.snapshot_take()
    # Nodes out of date (a move the score does not see) are stored again with the
    # next snapshot of a newer registry, though the result is the same.
    MapNode.objects.all().delete()
    services.snapshot_request()
    assert services.snapshot_take().pk == first.pk
    assert set(_nodes()) == {"a", "b"}
    assert Snapshot.objects.count() == 1
