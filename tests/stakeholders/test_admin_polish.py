"""The admin as a finished product: its own header, plain names, friendly messages for
the database's rules, keys fixed once created, no department cycles, and seat statuses
that change only through the seat workflow."""

import pytest
from django.urls import reverse

from stakeholders import services
from stakeholders.models import ImportBatch, Seat, SeatStatus
from tests.factories import DepartmentFactory, PersonFactory, StakeholderGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client_for, admin_user):
    return client_for(admin_user)


def form_data(response) -> dict:
    """The POST data of an admin change form as it was shown, inlines included."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.extend(formset.forms)
        forms.append(formset.management_form)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = value.pk if hasattr(value, "pk") else value
    return data


def test_admin_pages_carry_the_roundtable_header_and_title(admin_client_):
    html = admin_client_.get(reverse("admin:index")).content.decode()
    assert "Roundtable administration" in html
    assert "<title>Registry, scoring and accounts | Roundtable administration</title>" in html


def test_import_batches_are_called_import_batches(admin_client_):
    assert ImportBatch._meta.verbose_name_plural == "import batches"
    assert "Import batches" in admin_client_.get(reverse("admin:index")).content.decode()


def test_saving_a_seat_without_constituency_says_so_in_words(admin_client_):
    person = PersonFactory()
    response = admin_client_.post(
        reverse("admin:stakeholders_seat_add"),
        {
            "person": person.pk,
            "role": "core",
            "nominated_at_0": "2026-01-01",
            "nominated_at_1": "10:00:00",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose either a department or a stakeholder group" in html
    assert "seat_exactly_one_constituency" not in html
    assert not Seat.objects.exists()


def test_department_key_is_read_only_once_created(admin_client_):
    department = DepartmentFactory(key="support", name="Support")
    url = reverse("admin:stakeholders_department_change", args=[department.pk])
    shown = admin_client_.get(url)
    assert 'name="key"' not in shown.content.decode()
    data = form_data(shown) | {"key": "renamed", "name": "Support desk"}
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    department.refresh_from_db()
    assert (department.key, department.name) == ("support", "Support desk")


def test_department_key_is_chosen_when_adding(admin_client_):
    html = admin_client_.get(reverse("admin:stakeholders_department_add")).content.decode()
    assert 'name="key"' in html


def test_group_key_is_read_only_once_created(admin_client_):
    group = StakeholderGroupFactory()
    url = reverse("admin:stakeholders_stakeholdergroup_change", args=[group.pk])
    assert 'name="key"' not in admin_client_.get(url).content.decode()


def test_department_cannot_be_moved_under_its_own_sub_department(admin_client_):
    top = DepartmentFactory(name="Operations")
    middle = DepartmentFactory(name="Logistics", parent=top)
    bottom = DepartmentFactory(name="Warehouse", parent=middle)
    url = reverse("admin:stakeholders_department_change", args=[top.pk])
    data = form_data(admin_client_.get(url)) | {"parent": bottom.pk}
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "Warehouse is below Operations" in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None


def test_seat_status_cannot_be_edited_in_the_change_form(admin_client_, head_a, dept_a):
    seat = services.seat_nominate(
        actor=head_a, person=PersonFactory(department=dept_a), department=dept_a
    )
    url = reverse("admin:stakeholders_seat_change", args=[seat.pk])
    shown = admin_client_.get(url)
    assert 'name="status"' not in shown.content.decode()
    response = admin_client_.post(url, form_data(shown) | {"status": "approved"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.status == SeatStatus.NOMINATED


def test_admin_action_approves_through_the_seat_workflow(admin_client_, admin_user, head_a, dept_a):
    seat = services.seat_nominate(
        actor=head_a, person=PersonFactory(department=dept_a), department=dept_a
    )
    response = admin_client_.post(
        reverse("admin:stakeholders_seat_changelist"),
        {"action": "approve", "_selected_action": [seat.pk]},
        follow=True,
    )
    assert "Approved 1 seat." in response.content.decode()
    seat.refresh_from_db()
    assert seat.status == SeatStatus.APPROVED
    assert seat.decided_by == admin_user
    assert seat.term_start is not None


def test_admin_action_refuses_an_illegal_transition_with_the_workflows_message(
    admin_client_, head_a, dept_a
):
    seat = services.seat_nominate(
        actor=head_a, person=PersonFactory(department=dept_a), department=dept_a
    )
    response = admin_client_.post(
        reverse("admin:stakeholders_seat_changelist"),
        {"action": "end", "_selected_action": [seat.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "is still pending" in html
    assert "Ended 1 seat" not in html
    seat.refresh_from_db()
    assert seat.status == SeatStatus.NOMINATED


def test_department_cannot_be_its_own_parent_in_the_admin(admin_client_):
    department = DepartmentFactory(name="Operations")
    url = reverse("admin:stakeholders_department_change", args=[department.pk])
    data = form_data(admin_client_.get(url)) | {"parent": department.pk}
    response = admin_client_.post(url, data)
    assert "A department cannot be its own parent." in response.content.decode()
    department.refresh_from_db()
    assert department.parent is None
