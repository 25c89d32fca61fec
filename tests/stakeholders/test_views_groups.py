"""The stakeholder groups page (`/groups/`) with its add and edit forms."""

import datetime

import pytest
from django.urls import reverse

from stakeholders.models import StakeholderGroup
from tests.factories import PersonFactory, SeatFactory, StakeholderGroupFactory

pytestmark = pytest.mark.django_db

LIST = "/groups/"
NEW = "/groups/new/"


def edit(key: str) -> str:
    return f"/groups/{key}/edit/"


def test_group_urls_are_named():
    assert reverse("stakeholders:group-list") == LIST
    assert reverse("stakeholders:group-create") == NEW
    assert reverse("stakeholders:group-update", kwargs={"key": "cap"}) == edit("cap")


@pytest.mark.parametrize("url", [LIST, NEW, edit("cap")])
def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- The list ----------------------------------------------------------------------------


def test_everyone_sees_the_groups_with_their_current_seats(client_for, reader):
    panel = StakeholderGroupFactory(key="cap", name="Customer panel", kind="customers")
    StakeholderGroupFactory(key="ecouncil", name="Employee council", kind="employees")
    SeatFactory(person=PersonFactory(department=None), department=None, group=panel)
    SeatFactory(
        person=PersonFactory(department=None), department=None, group=panel, status="nominated"
    )
    SeatFactory(
        person=PersonFactory(department=None),
        department=None,
        group=panel,
        status="ended",
        term_end=datetime.date(2026, 2, 1),
    )
    response = client_for(reader).get(LIST)
    assert response.status_code == 200
    rows = [(g.key, g.name, g.get_kind_display(), g.seats_count) for g in response.context["page"]]
    assert rows == [
        ("cap", "Customer panel", "Customers", 1),
        ("ecouncil", "Employee council", "Employees", 0),
    ]
    html = response.content.decode()
    assert NEW not in html and edit("cap") not in html
    assert 'href="/groups/"' in html  # in the navigation


def test_leads_see_new_edit_and_nominate(client_for, lead):
    StakeholderGroupFactory(key="cap", name="Customer panel")
    html = client_for(lead).get(LIST).content.decode()
    assert f'href="{NEW}"' in html
    assert f'href="{edit("cap")}"' in html
    assert 'href="/groups/cap/nominate/"' in html


def test_the_empty_page_says_who_adds_groups(client_for, reader):
    response = client_for(reader).get(LIST)
    assert "Ask a COE lead" in response.content.decode()


def test_the_list_refuses_post(client_for, lead):
    assert client_for(lead).post(LIST).status_code == 405


@pytest.mark.parametrize("units", [2, 6])
def test_the_list_runs_a_fixed_number_of_queries(
    client_for, lead, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=1)
    for n in range(units):
        group = StakeholderGroupFactory(key=f"g{n}")
        SeatFactory(person=PersonFactory(department=None), department=None, group=group)
    client = client_for(lead)
    client.get(LIST)
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(response.context["page"]) == units + 1


# --- Add, edit ---------------------------------------------------------------------------


def test_lead_adds_a_group(client_for, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(lead).post(
            NEW, {"key": "cap", "name": "Customer panel", "kind": "customers"}, follow=True
        )
    group = StakeholderGroup.objects.get()
    assert (group.key, group.name, group.kind) == ("cap", "Customer panel", "customers")
    assert response.redirect_chain[-1][0] == LIST
    assert "Added the stakeholder group Customer panel." in response.content.decode()
    assert group.history.get().history_user == lead
    assert callbacks


def test_a_taken_key_is_refused_keeping_what_was_typed(client_for, lead):
    StakeholderGroupFactory(key="CAP")  # registered before keys had to be lower case
    response = client_for(lead).post(NEW, {"key": "cap", "name": "Panel two", "kind": "other"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["key"] == ["The key 'CAP' is already taken by another stakeholder group."]
    assert form["name"].value() == "Panel two"
    assert StakeholderGroup.objects.count() == 1


def test_lead_edits_a_group_but_not_its_key(client_for, lead):
    group = StakeholderGroupFactory(key="cap", name="Panel", kind="customers")
    client = client_for(lead)
    assert client.get(edit("cap")).context["form"]["name"].value() == "Panel"
    response = client.post(edit("cap"), {"key": "other", "name": "Panel 2", "kind": "partners"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.key, group.name, group.kind) == ("cap", "Panel 2", "partners")
    assert group.history.first().history_user == lead


def test_an_empty_name_is_refused(client_for, lead):
    group = StakeholderGroupFactory(key="cap", name="Panel")
    response = client_for(lead).post(edit("cap"), {"name": "", "kind": "other"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    group.refresh_from_db()
    assert group.name == "Panel"


@pytest.mark.parametrize("persona", ["head_a", "reader"])
def test_only_leads_add_and_edit_groups(client_for, request, dept_a, persona):
    StakeholderGroupFactory(key="cap", name="Panel")
    client = client_for(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"key": "x", "name": "X", "kind": "other"}).status_code == 403
    assert client.get(edit("cap")).status_code == 403
    assert client.post(edit("cap"), {"name": "X", "kind": "other"}).status_code == 403
    assert StakeholderGroup.objects.get().name == "Panel"


def test_an_unknown_group_is_not_found(client_for, lead):
    assert client_for(lead).get(edit("nowhere")).status_code == 404


def test_the_forms_run_a_fixed_number_of_queries(client_for, lead, django_assert_num_queries):
    StakeholderGroupFactory(key="cap")
    client = client_for(lead)
    client.get(NEW)
    with django_assert_num_queries(3):
        client.get(NEW)
    with django_assert_num_queries(4):
        client.get(edit("cap"))
