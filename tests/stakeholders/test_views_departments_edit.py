"""Adding, editing, archiving and restoring departments on the web."""

import pytest
from django.urls import reverse

from governance import services as governance_services
from stakeholders.models import Department
from tests.factories import DepartmentFactory, PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db

LIST = "/departments/"
NEW = "/departments/new/"


def edit(key: str) -> str:
    return f"/departments/{key}/edit/"


def archive(key: str) -> str:
    return f"/departments/{key}/archive/"


def restore(key: str) -> str:
    return f"/departments/{key}/restore/"


def form_data(**changes) -> dict:
    data = {
        "key": "social-emea",
        "name": "Social EMEA",
        "parent": "support",
        "kind": "team",
        "function": "marketing",
        "headcount": "12",
        "customer_facing": "on",
        "influence": "4",
        "interest": "5",
        "head": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def edit_data(department: Department, **changes) -> dict:
    data = {
        "key": department.key,
        "name": department.name,
        "parent": department.parent.key if department.parent_id else "",
        "kind": department.kind,
        "function": department.function,
        "headcount": str(department.headcount),
        "customer_facing": "on" if department.customer_facing else None,
        "influence": str(department.influence),
        "interest": str(department.interest),
        "head": department.head.username if department.head_id else "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_department_edit_urls_are_named():
    assert reverse("stakeholders:department-create") == NEW
    assert reverse("stakeholders:department-update", kwargs={"key": "hr"}) == edit("hr")
    assert reverse("stakeholders:department-archive", kwargs={"key": "hr"}) == archive("hr")
    assert reverse("stakeholders:department-restore", kwargs={"key": "hr"}) == restore("hr")


@pytest.mark.parametrize("url", [NEW, edit("hr"), archive("hr"), restore("hr")])
def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- New department ----------------------------------------------------------------------


def test_the_directory_offers_new_department_to_leads_only(client_for, lead, head_a, dept_a):
    assert f'href="{NEW}"' in client_for(lead).get(LIST).content.decode()
    assert f'href="{NEW}"' not in client_for(head_a).get(LIST).content.decode()


def test_lead_adds_a_department(client_for, lead, dept_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(lead).post(NEW, form_data(), follow=True)
    department = Department.objects.get(key="social-emea")
    assert department.parent == dept_a
    assert (department.headcount, department.customer_facing) == (12, True)
    assert response.redirect_chain[-1][0] == "/departments/social-emea/"
    assert "Added Social EMEA to the registry." in response.content.decode()
    assert department.history.get().history_user == lead
    assert callbacks  # a recompute was requested


def test_the_parent_is_suggested_from_the_departments(client_for, lead, dept_a, dept_b):
    response = client_for(lead).get(NEW, {"parent": "hr"})
    html = response.content.decode()
    assert response.context["form"]["parent"].value() == "hr"
    assert 'list="department-keys"' in html
    assert '<option value="support">Customer Support</option>' in html


def test_no_suggestions_above_the_limit(client_for, lead, dept_a, dept_b, monkeypatch):
    from stakeholders import selectors

    monkeypatch.setattr(selectors, "PARENT_SUGGESTIONS_LIMIT", 1)
    response = client_for(lead).get(NEW)
    assert response.context["parent_suggestions"] == []
    assert "<datalist" not in response.content.decode()


def test_bad_input_keeps_what_was_typed_and_writes_nothing(client_for, lead, dept_a):
    response = client_for(lead).post(
        NEW, form_data(key="social emea", parent="nowhere", headcount="-1")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"headcount"}  # the form's own check comes first
    response = client_for(lead).post(NEW, form_data(key="social emea", parent="nowhere"))
    form = response.context["form"]
    assert form.errors["key"] == ["A key has only letters, digits, - and _ (no spaces)."]
    assert form.errors["parent"] == ["No department has the key 'nowhere'."]
    assert form["name"].value() == "Social EMEA"
    assert Department.objects.count() == 1


@pytest.mark.parametrize("persona", ["head_a", "reader"])
def test_only_leads_may_add_departments(client_for, request, dept_a, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    assert Department.objects.count() == 1


def test_the_new_department_page_runs_a_fixed_number_of_queries(
    client_for, lead, make_company, django_assert_num_queries
):
    make_company(units=3, teams=3)
    client = client_for(lead)
    client.get(NEW)
    with django_assert_num_queries(4):
        client.get(NEW)


# --- Edit ----------------------------------------------------------------------------------


def test_department_page_offers_edit_and_archive_to_leads(client_for, lead, dept_a):
    html = client_for(lead).get("/departments/support/").content.decode()
    assert f'href="{edit("support")}"' in html
    assert f'href="{archive("support")}"' in html
    assert f'href="{NEW}?parent=support"' in html


def test_department_page_offers_edit_only_to_its_head(client_for, head_a, head_b, dept_a):
    html = client_for(head_a).get("/departments/support/").content.decode()
    assert f'href="{edit("support")}"' in html
    assert f'href="{archive("support")}"' not in html
    html = client_for(head_b).get("/departments/support/").content.decode()
    assert f'href="{edit("support")}"' not in html


def test_lead_moves_a_department(client_for, lead, dept_a, dept_b):
    response = client_for(lead).post(edit("hr"), edit_data(dept_b, parent="support", interest="1"))
    assert response.status_code == 302
    assert response["Location"] == "/departments/hr/"
    dept_b.refresh_from_db()
    assert (dept_b.parent, dept_b.interest) == (dept_a, 1)
    assert dept_b.history.first().history_user == lead


def test_moving_under_a_sub_department_is_refused(client_for, lead, dept_a, dept_a_child):
    response = client_for(lead).post(edit("support"), edit_data(dept_a, parent="support-emea"))
    assert response.status_code == 200
    assert (
        "cannot be moved under one of its own sub-departments"
        in (response.context["form"].errors["parent"][0])
    )
    dept_a.refresh_from_db()
    assert dept_a.parent is None


def test_the_key_field_is_fixed_on_edit(client_for, lead, dept_b):
    response = client_for(lead).post(edit("hr"), edit_data(dept_b, key="people", name="People"))
    assert response.status_code == 302
    dept_b.refresh_from_db()
    assert (dept_b.key, dept_b.name) == ("hr", "People")


def test_head_edits_the_descriptive_fields_only(client_for, head_a, dept_a, dept_b):
    client = client_for(head_a)
    form = client.get(edit("support")).context["form"]
    enabled = {name for name, field in form.fields.items() if not field.disabled}
    assert enabled == {"name", "headcount", "customer_facing"}
    # Fields the head may not change are disabled: what is posted for them is ignored.
    response = client.post(
        edit("support"), edit_data(dept_a, name="Care", headcount="99", parent="hr", influence="1")
    )
    assert response.status_code == 302
    dept_a.refresh_from_db()
    assert (dept_a.name, dept_a.headcount) == ("Care", 99)
    assert (dept_a.parent, dept_a.influence) == (None, 3)


@pytest.mark.parametrize("persona", ["head_b", "reader"])
def test_others_may_not_edit(client_for, request, dept_a, dept_b, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(edit("support")).status_code == 403
    assert client.post(edit("support"), edit_data(dept_a, name="X")).status_code == 403
    dept_a.refresh_from_db()
    assert dept_a.name == "Customer Support"


@pytest.mark.parametrize("url", [edit("nowhere"), archive("nowhere"), restore("nowhere")])
def test_an_unknown_department_is_not_found(client_for, lead, url):
    assert client_for(lead).get(url).status_code == 404


def test_the_edit_page_runs_a_fixed_number_of_queries(
    client_for, lead, make_company, django_assert_num_queries
):
    make_company(units=3, teams=3)
    client = client_for(lead)
    client.get(edit("bu-0"))
    with django_assert_num_queries(5):
        client.get(edit("bu-0"))


# --- Archive, restore ----------------------------------------------------------------------


def test_archive_asks_for_confirmation_naming_the_open_seats(client_for, lead, dept_a):
    SeatFactory(person=PersonFactory(department=dept_a), department=dept_a)
    response = client_for(lead).get(archive("support"))
    assert response.status_code == 200
    assert "1 open seat and nomination stay as they are" in response.content.decode()
    dept_a.refresh_from_db()
    assert dept_a.active


def test_lead_archives_and_restores_a_department(
    client_for, lead, dept_a, django_capture_on_commit_callbacks
):
    client = client_for(lead)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(archive("support"), follow=True)
    assert response.redirect_chain[-1][0] == "/departments/support/"
    assert "Archived Customer Support." in response.content.decode()
    assert f'href="{restore("support")}"' in response.content.decode()
    dept_a.refresh_from_db()
    assert not dept_a.active
    assert dept_a.history.first().history_user == lead
    assert callbacks
    response = client.post(restore("support"), follow=True)
    assert "Restored Customer Support." in response.content.decode()
    dept_a.refresh_from_db()
    assert dept_a.active


def test_restoring_an_active_department_says_why_not(client_for, lead, dept_a):
    response = client_for(lead).post(restore("support"), follow=True)
    assert "Customer Support is already active." in response.content.decode()


@pytest.mark.parametrize("persona", ["head_a", "reader"])
def test_only_leads_archive_and_restore(client_for, request, dept_a, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in (archive("support"), restore("support")):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    dept_a.refresh_from_db()
    assert dept_a.active


def test_the_archive_page_runs_a_fixed_number_of_queries(
    client_for, lead, make_company, django_assert_num_queries
):
    make_company(units=2, teams=5)
    client = client_for(lead)
    client.get(archive("bu-0"))
    # session, user, lead check, department, open seats, active sub-departments
    with django_assert_num_queries(6):
        client.get(archive("bu-0"))


@pytest.mark.parametrize("units", [2, 6])
def test_the_directory_for_a_lead_runs_a_fixed_number_of_queries(
    client_for, lead, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=4)
    governance_services.snapshot_take()
    client = client_for(lead)
    client.get(LIST)
    with django_assert_num_queries(6):
        client.get(LIST)


def test_a_department_cannot_be_given_the_reserved_key_new(client_for, lead):
    response = client_for(lead).post(NEW, form_data(key="new", parent=""))
    assert response.context["form"].errors["key"] == ["The key 'new' is reserved; choose another."]
    DepartmentFactory(key="support")
    assert client_for(lead).get(NEW).status_code == 200
