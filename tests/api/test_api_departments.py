"""Writing departments and stakeholder groups through the API: the same services and
access helpers as the web pages."""

import pytest

from stakeholders.models import Department, StakeholderGroup
from tests.factories import StakeholderGroupFactory

pytestmark = pytest.mark.django_db

DEPARTMENTS = "/api/departments/"
GROUPS = "/api/groups/"


def body(**changes) -> dict:
    data = {
        "key": "social-emea",
        "name": "Social EMEA",
        "parent": "support",
        "kind": "team",
        "function": "marketing",
        "headcount": 12,
        "customer_facing": True,
        "influence": 4,
        "interest": 5,
        "head": None,
    }
    data.update(changes)
    return data


# --- departments ---------------------------------------------------------------------------


def test_lead_adds_a_department(api_for, lead, dept_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_for(lead).post(DEPARTMENTS, body(head="head_a"), format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {
        "key": "social-emea",
        "name": "Social EMEA",
        "parent": "support",
        "kind": "team",
        "function": "marketing",
        "headcount": 12,
        "customer_facing": True,
        "influence": 4,
        "interest": 5,
        "head": "head_a",
        "active": True,
    }
    assert Department.objects.get(key="social-emea").history.get().history_user == lead
    assert callbacks


def test_a_refused_department_is_a_400_naming_the_fields(api_for, lead, dept_a):
    response = api_for(lead).post(
        DEPARTMENTS, body(key="support", parent="nowhere", head="ghost"), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"key", "parent", "head"}
    response = api_for(lead).post(DEPARTMENTS, body(interest=9), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"interest"}
    assert Department.objects.count() == 1


@pytest.mark.parametrize("persona", ["head_a", "reader"])
def test_only_leads_add_departments(api_for, request, dept_a, persona):
    response = api_for(request.getfixturevalue(persona)).post(DEPARTMENTS, body(), format="json")
    assert response.status_code == 403
    assert Department.objects.count() == 1


def test_anonymous_writes_get_401(api_for, dept_a):
    assert api_for(None).post(DEPARTMENTS, body(), format="json").status_code == 401
    assert api_for(None).patch(f"{DEPARTMENTS}support/", {}, format="json").status_code == 401


def test_lead_replaces_a_department_with_put(api_for, lead, dept_a, dept_b):
    response = api_for(lead).put(
        f"{DEPARTMENTS}hr/", body(key="hr", name="People", parent="support"), format="json"
    )
    assert response.status_code == 200, response.content
    dept_b.refresh_from_db()
    assert (dept_b.name, dept_b.parent, dept_b.head, dept_b.function) == (
        "People",
        dept_a,
        None,
        "marketing",
    )


def test_the_key_cannot_change(api_for, lead, dept_b):
    response = api_for(lead).patch(f"{DEPARTMENTS}hr/", {"key": "people"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["key"]


def test_a_cycle_is_refused(api_for, lead, dept_a, dept_a_child):
    response = api_for(lead).patch(
        f"{DEPARTMENTS}support/", {"parent": "support-emea"}, format="json"
    )
    assert response.status_code == 400
    assert "own sub-departments" in response.json()["parent"][0]
    dept_a.refresh_from_db()
    assert dept_a.parent is None


def test_head_patches_the_fields_they_may_change(api_for, head_a, dept_a):
    response = api_for(head_a).patch(
        f"{DEPARTMENTS}support/", {"name": "Care", "headcount": 99}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Care"
    dept_a.refresh_from_db()
    assert (dept_a.name, dept_a.headcount, dept_a.head) == ("Care", 99, dept_a.head)
    assert dept_a.history.first().history_user == head_a


def test_head_may_not_patch_what_leads_decide(api_for, head_a, dept_a, dept_b):
    response = api_for(head_a).patch(
        f"{DEPARTMENTS}support/", {"parent": "hr", "influence": 5}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "influence": ["Only COE leads change a department's influence."],
        "parent": ["Only COE leads change a department's parent."],
    }


@pytest.mark.parametrize("persona", ["head_b", "reader"])
def test_others_may_not_change_a_department(api_for, request, dept_a, dept_b, persona):
    client = api_for(request.getfixturevalue(persona))
    assert client.patch(f"{DEPARTMENTS}support/", {"name": "X"}, format="json").status_code == 403
    assert client.put(f"{DEPARTMENTS}support/", body(key="support"), format="json").status_code == (
        403
    )


def test_an_unknown_department_is_a_404(api_for, lead):
    assert api_for(lead).patch(f"{DEPARTMENTS}nowhere/", {}, format="json").status_code == 404


# --- stakeholder groups ------------------------------------------------------------------


def test_lead_adds_and_changes_a_group(api_for, lead):
    client = api_for(lead)
    response = client.post(GROUPS, {"key": "cap", "name": "Panel", "kind": "customers"})
    assert response.status_code == 201, response.content
    assert response.json() == {"key": "cap", "name": "Panel", "kind": "customers"}
    response = client.patch(f"{GROUPS}cap/", {"name": "Customer panel"}, format="json")
    assert response.json() == {"key": "cap", "name": "Customer panel", "kind": "customers"}
    response = client.put(f"{GROUPS}cap/", {"key": "cap", "name": "P"}, format="json")
    assert response.json() == {"key": "cap", "name": "P", "kind": "other"}
    assert StakeholderGroup.objects.get().history.first().history_user == lead


def test_a_refused_group_is_a_400_naming_the_field(api_for, lead):
    StakeholderGroupFactory(key="cap")
    response = api_for(lead).post(GROUPS, {"key": "Cap", "name": "Again"})
    assert response.status_code == 400
    assert list(response.json()) == ["key"]
    response = api_for(lead).patch(f"{GROUPS}cap/", {"key": "other"}, format="json")
    assert list(response.json()) == ["key"]


@pytest.mark.parametrize("persona", ["head_a", "reader"])
def test_only_leads_write_groups(api_for, request, dept_a, persona):
    StakeholderGroupFactory(key="cap", name="Panel")
    client = api_for(request.getfixturevalue(persona))
    assert client.post(GROUPS, {"key": "x", "name": "X"}).status_code == 403
    assert client.patch(f"{GROUPS}cap/", {"name": "X"}, format="json").status_code == 403
    assert StakeholderGroup.objects.get().name == "Panel"


def test_an_unknown_group_is_a_404(api_for, lead):
    assert api_for(lead).patch(f"{GROUPS}nowhere/", {}, format="json").status_code == 404


# --- archive, restore ----------------------------------------------------------------------


def test_lead_archives_and_restores_a_department(api_for, lead, dept_a):
    client = api_for(lead)
    response = client.post(f"{DEPARTMENTS}support/archive/")
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    assert client.post(f"{DEPARTMENTS}support/archive/").status_code == 409
    response = client.post(f"{DEPARTMENTS}support/restore/")
    assert response.json()["active"] is True
    dept_a.refresh_from_db()
    assert dept_a.active
    assert dept_a.history.first().history_user == lead


@pytest.mark.parametrize("persona", ["head_a", "reader"])
def test_only_leads_archive_through_the_api(api_for, request, dept_a, persona):
    client = api_for(request.getfixturevalue(persona))
    assert client.post(f"{DEPARTMENTS}support/archive/").status_code == 403
    dept_a.refresh_from_db()
    assert dept_a.active


def test_archiving_an_unknown_department_is_a_404(api_for, lead):
    assert api_for(lead).post(f"{DEPARTMENTS}nowhere/archive/").status_code == 404
