"""The people API's writes: POST /api/people/, PUT/PATCH /api/people/{id}/ and
POST /api/people/{id}/leave|rejoin/, through the same services and access helpers as
the people pages."""

import pytest

from stakeholders.models import Person, SeatStatus
from tests.factories import PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db

LIST = "/api/people/"


def one(pk: int) -> str:
    return f"/api/people/{pk}/"


def body(**changes) -> dict:
    data = {
        "email": "Ana.Ruiz@Acme.test",
        "name": "Ana Ruiz",
        "title": "Community manager",
        "seniority": "manager",
        "department": "support",
        "expertise": ["community", "crisis response"],
    }
    data.update(changes)
    return data


def test_a_head_adds_a_person_to_their_department(
    api_for, head_a, dept_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_for(head_a).post(LIST, body(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["email"] == "ana.ruiz@acme.test"
    assert data["department"] == "support"
    assert data["expertise"] == ["community", "crisis-response"]
    assert Person.objects.get().history.get().history_user == head_a
    assert callbacks


def test_a_reader_may_not_add_people(api_for, reader, dept_a):
    assert api_for(reader).post(LIST, body(), format="json").status_code == 403
    assert not Person.objects.exists()


def test_anonymous_calls_are_refused(api_for, dept_a):
    assert api_for(None).post(LIST, body(), format="json").status_code == 401


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("email", {"email": "ANA.RUIZ@acme.test"}),  # a duplicate, ignoring case
        ("seniority", {"seniority": "intern"}),
        ("department", {"department": "nowhere"}),
        ("department", {"department": "hr"}),  # not one head_a heads
        ("name", {"name": ""}),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(
    api_for, head_a, dept_a, dept_b, field, changes
):
    PersonFactory(email="ana.ruiz@acme.test", department=dept_a)
    response = api_for(head_a).post(LIST, body(**changes), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Person.objects.count() == 1


def test_a_lead_replaces_a_person_with_put(api_for, lead, dept_a, dept_b):
    ana = PersonFactory(email="ana@acme.test", department=dept_a)
    response = api_for(lead).put(
        one(ana.pk), body(email="Ana@New.test", department="hr"), format="json"
    )
    assert response.status_code == 200, response.content
    ana.refresh_from_db()
    assert (ana.email, ana.department) == ("ana@new.test", dept_b)
    assert ana.history.first().history_user == lead


def test_patch_changes_only_the_fields_sent(api_for, head_a, dept_a):
    ana = PersonFactory(email="ana@acme.test", name="Ana", department=dept_a, seniority="director")
    ana.expertise.create(name="crisis")
    response = api_for(head_a).patch(one(ana.pk), {"title": "Head of care"}, format="json")
    assert response.status_code == 200, response.content
    ana.refresh_from_db()
    assert (ana.title, ana.name, ana.seniority) == ("Head of care", "Ana", "director")
    assert response.json()["expertise"] == ["crisis"]


def test_a_head_may_not_change_people_of_other_departments(api_for, head_b, dept_a, dept_b):
    ana = PersonFactory(department=dept_a, name="Ana")
    response = api_for(head_b).patch(one(ana.pk), {"name": "Renamed"}, format="json")
    assert response.status_code == 403
    ana.refresh_from_db()
    assert ana.name == "Ana"


def test_an_unknown_person_is_a_404(api_for, lead):
    assert api_for(lead).patch(one(999), {"name": "x"}, format="json").status_code == 404


def test_a_taken_email_on_patch_is_a_400(api_for, lead):
    PersonFactory(email="taken@acme.test")
    ana = PersonFactory(email="ana@acme.test")
    response = api_for(lead).patch(one(ana.pk), {"email": "TAKEN@acme.test"}, format="json")
    assert response.status_code == 400 and "email" in response.json()
    ana.refresh_from_db()
    assert ana.email == "ana@acme.test"


def test_a_lead_marks_a_person_as_left_ending_their_seats_then_as_back(api_for, lead, dept_a):
    ana = PersonFactory(department=dept_a)
    seat = SeatFactory(person=ana, department=dept_a)
    api = api_for(lead)
    response = api.post(f"{one(ana.pk)}leave/", {"end_seats": True}, format="json")
    assert response.status_code == 200 and response.json()["active"] is False
    seat.refresh_from_db()
    assert seat.status == SeatStatus.ENDED
    assert api.post(f"{one(ana.pk)}leave/", {}, format="json").status_code == 409
    assert api.post(f"{one(ana.pk)}rejoin/").json()["active"] is True
    assert api.post(f"{one(ana.pk)}rejoin/").status_code == 409


def test_a_head_may_not_end_seats_when_someone_leaves(api_for, head_a, dept_a):
    ana = PersonFactory(department=dept_a)
    response = api_for(head_a).post(f"{one(ana.pk)}leave/", {"end_seats": True}, format="json")
    assert response.status_code == 400 and "end_seats" in response.json()
    ana.refresh_from_db()
    assert ana.active


def test_a_head_cannot_take_over_another_users_e_mail_through_their_own_person(
    api_for, head_a, dept_a
):
    person = PersonFactory(email="head.a@acme.test", department=dept_a, user=head_a)
    response = api_for(head_a).patch(one(person.pk), {"email": "admin@acme.test"}, format="json")
    assert response.status_code == 400, response.content
    assert "only a COE lead can change their e-mail" in str(response.json())
    person.refresh_from_db()
    assert person.email == "head.a@acme.test"
