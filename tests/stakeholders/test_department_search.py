"""Issue 15: the people and account lists' department pickers search as you type, so
those pages weigh the same whatever the number of departments."""

import pytest
from django.urls import reverse

from tests.factories import DepartmentFactory, PersonFactory, SocialAccountFactory

SEARCH = "/department-search.json"


def test_search_url():
    assert reverse("stakeholders:department-search") == SEARCH


def test_search_finds_departments_by_name_or_key(client_for, reader):
    DepartmentFactory(key="fin", name="Finance")
    DepartmentFactory(key="ops", name="Operations")
    client = client_for(reader)
    assert client.get(SEARCH, {"q": "fina"}).json() == {
        "results": [{"value": "fin", "text": "Finance"}]
    }
    assert client.get(SEARCH, {"q": "OPS"}).json()["results"][0]["value"] == "ops"


def test_search_returns_at_most_twenty_in_one_query(client_for, reader, django_assert_num_queries):
    DepartmentFactory.create_batch(30)
    client = client_for(reader)
    client.get(SEARCH)
    with django_assert_num_queries(3):  # session, user, departments
        results = client.get(SEARCH, {"q": ""}).json()["results"]
    assert len(results) == 20


def test_search_needs_a_signed_in_user(client):
    assert client.get(SEARCH).status_code == 302


@pytest.mark.parametrize("path", ["/people/", "/social/"])
def test_list_page_does_not_grow_with_the_departments(path, client_for, reader):
    for i in range(5):
        department = DepartmentFactory(key=f"d{i}")
        PersonFactory(department=department)
        SocialAccountFactory(owner=department)
    client = client_for(reader)
    small = len(client.get(path).content)
    for i in range(5, 50):
        DepartmentFactory(key=f"d{i}", name=f"Department number {i}")
    large = len(client.get(path).content)
    assert large < small * 1.05
