"""A head's rights reach the departments they head and everything below them, found
by one recursive query (never the whole department table), and a head's pages run a
fixed number of queries whatever the size of the company."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stakeholders import access
from stakeholders.models import Department, Person
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_a_heads_departments_are_those_they_head_and_everything_below(head_a, make_company):
    units = make_company(units=2, teams=2)
    Department.objects.filter(pk=units[0].pk).update(head=head_a)
    deep = DepartmentFactory(key="deep", parent=Department.objects.get(key="bu-0-1"))
    expected = {
        units[0].pk,
        deep.pk,
        *Department.objects.filter(parent=units[0]).values_list("pk", flat=True),
    }
    assert access.headed_department_ids(head_a) == expected


def test_a_heads_access_check_is_one_query_that_does_not_read_every_department(
    head_a, make_company
):
    units = make_company(units=4, teams=3)
    Department.objects.filter(pk=units[0].pk).update(head=head_a)
    with CaptureQueriesContext(connection) as queries:
        ids = access.headed_department_ids(head_a)
        access.headed_department_ids(head_a)  # asked again in the request: no query
    assert len(queries) == 1
    assert "WITH RECURSIVE" in queries[0]["sql"]
    assert len(ids) == 4 < Department.objects.count()


def test_someone_who_heads_nothing_has_no_departments_in_one_query(
    reader, make_company, django_assert_num_queries
):
    make_company(units=2, teams=2)
    with django_assert_num_queries(1):
        assert access.headed_department_ids(reader) == frozenset()


def _pages() -> dict[str, str]:
    team = Person.objects.filter(department__key="bu-0-1").first()
    return {
        "department edit": reverse("stakeholders:department-update", args=["bu-0-1"]),
        "nominate": reverse("stakeholders:seat-nominate", args=["bu-0"]),
        "person edit": reverse("stakeholders:person-update", args=[team.pk]),
        "person page": reverse("stakeholders:person-detail", args=[team.pk]),
        "account add": reverse("stakeholders:account-create"),
    }


# The same at both sizes. Before the tree was walked in the database each was one
# higher (the head's departments, then every department's parent link), the nomination
# page two (the people it offers walked the whole tree again): 7, 8, 9, 11 and 7.
HEAD_PAGE_QUERIES = {
    "department edit": 6,
    "nominate": 6,
    "person edit": 8,
    "person page": 10,
    "account add": 6,
}


@pytest.mark.parametrize("units", [2, 6])
@pytest.mark.parametrize("page", sorted(HEAD_PAGE_QUERIES))
def test_a_heads_pages_run_a_fixed_number_of_queries(
    client_for, head_a, make_company, django_assert_num_queries, units, page
):
    made = make_company(units=units, teams=3)
    Department.objects.filter(pk=made[0].pk).update(head=head_a)
    client = client_for(head_a)
    url = _pages()[page]
    assert client.get(url).status_code == 200
    with django_assert_num_queries(HEAD_PAGE_QUERIES[page]):
        assert client.get(url).status_code == 200
