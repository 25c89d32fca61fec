"""The department tree walked in the database (DepartmentQuerySet): descendants,
ancestors and the cycle check, each one query. Run on SQLite by default and on
PostgreSQL with DATABASE_URL (the recursive SQL is written for both)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stakeholders.models import Department
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Two top levels: top (left, with leaf below it, and right) and other."""
    top = DepartmentFactory(key="top")
    left = DepartmentFactory(key="left", parent=top)
    right = DepartmentFactory(key="right", parent=top)
    leaf = DepartmentFactory(key="leaf", parent=left)
    other = DepartmentFactory(key="other")
    return {d.key: d for d in (top, left, right, leaf, other)}


def keys(queryset) -> set[str]:
    return set(queryset.values_list("key", flat=True))


def test_descendants_of_a_department_are_itself_and_everything_below_it(tree):
    assert keys(Department.objects.descendants_of(tree["top"])) == {
        "top",
        "left",
        "right",
        "leaf",
    }
    assert keys(Department.objects.descendants_of(tree["left"])) == {"left", "leaf"}
    assert keys(Department.objects.descendants_of(tree["leaf"])) == {"leaf"}


def test_descendants_without_self_leave_the_starting_departments_out(tree):
    assert keys(Department.objects.descendants_of(tree["top"], include_self=False)) == {
        "left",
        "right",
        "leaf",
    }


def test_descendants_of_several_departments_are_their_union(tree):
    found = Department.objects.descendants_of(tree["left"], tree["other"].pk)
    assert keys(found) == {"left", "leaf", "other"}


def test_descendants_of_nothing_are_nothing(tree):
    assert keys(Department.objects.descendants_of()) == set()


def test_descendants_are_one_query_whatever_the_depth(tree, django_assert_num_queries):
    chain = tree["leaf"]
    for depth in range(20):
        chain = DepartmentFactory(key=f"deep-{depth}", parent=chain)
    with django_assert_num_queries(1):
        assert len(keys(Department.objects.descendants_of(tree["top"]))) == 24


def test_the_departments_a_user_heads_come_with_everything_below_them(tree):
    head = UserFactory()
    Department.objects.filter(key__in=["left", "other"]).update(head=head)
    assert keys(Department.objects.headed_by(head)) == {"left", "leaf", "other"}
    assert keys(Department.objects.headed_by(UserFactory())) == set()


def test_ancestors_of_a_department_are_those_above_it(tree):
    assert keys(Department.objects.ancestors_of(tree["leaf"])) == {"left", "top"}
    assert keys(Department.objects.ancestors_of(tree["leaf"], include_self=True)) == {
        "leaf",
        "left",
        "top",
    }
    assert keys(Department.objects.ancestors_of(tree["top"])) == set()


def test_the_path_to_a_department_lists_its_ancestors_top_first_in_one_query(
    tree, django_assert_num_queries
):
    with django_assert_num_queries(1):
        path = Department.objects.path_to(tree["leaf"])
    assert [d.key for d in path] == ["top", "left"]
    assert Department.objects.path_to(tree["top"]) == []


def test_a_department_is_below_itself_and_its_ancestors_only(tree):
    below = Department.objects.is_below
    assert below(tree["leaf"], tree["top"])
    assert below(tree["leaf"], tree["leaf"])
    assert not below(tree["top"], tree["leaf"])
    assert not below(tree["right"], tree["left"])
    assert not below(tree["leaf"], tree["other"])


def test_a_cycle_in_the_rows_ends_the_walks_instead_of_looping(tree):
    # No entry point lets a cycle in; written behind their back, the walks still end.
    Department.objects.filter(key="top").update(parent=tree["leaf"])
    assert keys(Department.objects.descendants_of(tree["left"])) == {
        "left",
        "leaf",
        "top",
        "right",
    }
    assert keys(Department.objects.ancestors_of(tree["left"])) == {"top", "leaf", "left"}
    top = Department.objects.get(key="top")
    assert [d.key for d in Department.objects.path_to(top)] == ["left", "leaf"]


def test_the_walks_read_the_department_table_by_its_name():
    # The recursive SQL names the table; a renamed table would make every walk fail.
    assert Department._meta.db_table == "stakeholders_department"


def test_the_walk_is_a_recursive_query_on_this_database(tree):
    with CaptureQueriesContext(connection) as queries:
        list(Department.objects.descendants_of(tree["top"]))
    assert "WITH RECURSIVE" in queries.captured_queries[0]["sql"]
