"""The people services: person_create, person_update, person_leave, person_rejoin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stakeholders import services
from stakeholders.models import Person, SeatStatus
from stakeholders.services import PersonDetails
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    SeatFactory,
    StakeholderGroupFactory,
)

pytestmark = pytest.mark.django_db


def details(**changes) -> PersonDetails:
    values = {
        "email": "Ana.Ruiz@Acme.test",
        "name": "Ana Ruiz",
        "title": "Community manager",
        "seniority": "manager",
        "department": None,
        "expertise": ("Community", "crisis response"),
    }
    values.update(changes)
    return PersonDetails(**values)


def snapshot_of(person: Person) -> tuple:
    person.refresh_from_db()
    return (
        person.email,
        person.name,
        person.title,
        person.seniority,
        person.department_id,
        person.active,
        sorted(person.expertise.values_list("name", flat=True)),
        person.history.count(),
    )


# --- person_create ---------------------------------------------------------------------


def test_lead_creates_a_person_with_a_lower_case_email_and_tags(
    lead, dept_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        person = services.person_create(actor=lead, details=details(department=dept_a))
    assert person.email == "ana.ruiz@acme.test"
    assert person.department == dept_a
    assert sorted(person.expertise.values_list("name", flat=True)) == [
        "community",
        "crisis-response",
    ]
    assert person.history.get().history_user == lead
    assert callbacks  # a recompute was requested


def test_lead_may_create_someone_outside_the_company(lead):
    assert services.person_create(actor=lead, details=details()).department is None


def test_head_creates_a_person_in_a_department_below_theirs(head_a, dept_a_child):
    person = services.person_create(actor=head_a, details=details(department=dept_a_child))
    assert person.department == dept_a_child


@pytest.mark.parametrize("where", ["elsewhere", "outside"])
def test_head_cannot_create_a_person_outside_their_departments(head_a, dept_a, dept_b, where):
    department = dept_b if where == "elsewhere" else None
    with pytest.raises(ValidationError) as raised:
        services.person_create(actor=head_a, details=details(department=department))
    assert "department" in raised.value.message_dict
    assert not Person.objects.exists()


def test_reader_cannot_create_a_person(reader):
    with pytest.raises(ValidationError):
        services.person_create(actor=reader, details=details())
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "email", ["ana.ruiz@acme.test", "ANA.RUIZ@ACME.TEST", " Ana.Ruiz@acme.test "]
)
def test_duplicate_email_ignoring_case_is_refused(lead, email):
    PersonFactory(email="ana.ruiz@acme.test", name="Ana the first")
    with pytest.raises(ValidationError) as raised:
        services.person_create(actor=lead, details=details(email=email, name="Someone else"))
    assert "already in the registry (Ana the first)" in str(raised.value.message_dict["email"])
    assert Person.objects.count() == 1


def test_unknown_seniority_is_refused(lead):
    with pytest.raises(ValidationError) as raised:
        services.person_create(actor=lead, details=details(seniority="intern"))
    assert "unknown seniority “intern”" in str(raised.value.message_dict["seniority"])
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("field", "changes"), [("name", {"name": "  "}), ("email", {"email": "nope"})]
)
def test_missing_name_or_bad_email_is_refused(lead, field, changes):
    with pytest.raises(ValidationError) as raised:
        services.person_create(actor=lead, details=details(**changes))
    assert field in raised.value.message_dict
    assert not Person.objects.exists()


def test_nobody_is_placed_in_an_archived_department(lead):
    archived = DepartmentFactory(active=False, name="Old team")
    with pytest.raises(ValidationError) as raised:
        services.person_create(actor=lead, details=details(department=archived))
    assert "Old team is archived" in str(raised.value.message_dict["department"])


# --- person_update ---------------------------------------------------------------------


def test_lead_changes_the_email_and_the_record_keeps_the_history(lead, dept_a, dept_b):
    person = PersonFactory(email="old@acme.test", department=dept_a)
    services.person_update(
        actor=lead, person=person, details=details(email="New@Acme.test", department=dept_b)
    )
    person.refresh_from_db()
    assert person.email == "new@acme.test"
    assert person.department == dept_b
    assert person.history.first().history_user == lead


def test_changing_only_the_case_of_ones_own_email_is_fine(lead):
    person = PersonFactory(email="ana.ruiz@acme.test")
    services.person_update(actor=lead, person=person, details=details(email="ANA.RUIZ@acme.test"))
    person.refresh_from_db()
    assert person.email == "ana.ruiz@acme.test"


def test_update_to_anothers_email_changes_nothing(lead):
    PersonFactory(email="taken@acme.test")
    person = PersonFactory(email="ana@acme.test")
    before = snapshot_of(person)
    with pytest.raises(ValidationError) as raised:
        services.person_update(actor=lead, person=person, details=details(email="TAKEN@acme.test"))
    assert "email" in raised.value.message_dict
    assert snapshot_of(person) == before


def test_head_moves_a_person_among_their_departments(head_a, dept_a, dept_a_child):
    person = PersonFactory(department=dept_a)
    services.person_update(actor=head_a, person=person, details=details(department=dept_a_child))
    person.refresh_from_db()
    assert person.department == dept_a_child


def test_head_cannot_move_a_person_to_another_department(head_a, dept_a, dept_b):
    person = PersonFactory(department=dept_a)
    before = snapshot_of(person)
    with pytest.raises(ValidationError) as raised:
        services.person_update(actor=head_a, person=person, details=details(department=dept_b))
    assert "department" in raised.value.message_dict
    assert snapshot_of(person) == before


def test_head_cannot_edit_people_of_other_departments(head_a, dept_a, dept_b):
    person = PersonFactory(department=dept_b)
    before = snapshot_of(person)
    with pytest.raises(ValidationError):
        services.person_update(actor=head_a, person=person, details=details(department=dept_b))
    assert snapshot_of(person) == before


def test_a_person_may_stay_in_their_archived_department(lead):
    archived = DepartmentFactory(active=False)
    person = PersonFactory(department=archived)
    services.person_update(actor=lead, person=person, details=details(department=archived))
    person.refresh_from_db()
    assert person.name == "Ana Ruiz"


# --- person_leave, person_rejoin ---------------------------------------------------------


def test_leaving_makes_a_person_inactive_and_keeps_their_seats(
    head_a, dept_a, django_capture_on_commit_callbacks
):
    person = PersonFactory(department=dept_a)
    seat = SeatFactory(person=person, department=dept_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        leaving = services.person_leave(actor=head_a, person=person)
    person.refresh_from_db()
    seat.refresh_from_db()
    assert not person.active
    assert seat.status == SeatStatus.APPROVED  # the departed_member finding is the point
    assert leaving.ended_seats == ()
    assert person.history.first().history_user == head_a
    assert callbacks


def test_lead_may_end_their_seats_on_leaving(lead, dept_a):
    person = PersonFactory(department=dept_a)
    approved = SeatFactory(person=person, department=dept_a)
    pending = SeatFactory(
        person=person, department=None, group=StakeholderGroupFactory(), status="nominated"
    )
    leaving = services.person_leave(actor=lead, person=person, end_seats=True)
    approved.refresh_from_db()
    pending.refresh_from_db()
    assert [seat.pk for seat in leaving.ended_seats] == [approved.pk]
    assert approved.status == SeatStatus.ENDED and approved.term_end is not None
    assert approved.history.first().history_user == lead
    assert pending.status == SeatStatus.NOMINATED


def test_head_cannot_end_seats_on_leaving_and_nothing_changes(head_a, dept_a):
    person = PersonFactory(department=dept_a)
    seat = SeatFactory(person=person, department=dept_a)
    with pytest.raises(ValidationError) as raised:
        services.person_leave(actor=head_a, person=person, end_seats=True)
    assert "end_seats" in raised.value.message_dict
    person.refresh_from_db()
    seat.refresh_from_db()
    assert person.active and seat.status == SeatStatus.APPROVED


def test_a_seat_that_cannot_end_leaves_the_person_active(lead, dept_a):
    person = PersonFactory(department=dept_a)
    SeatFactory(
        person=person,
        department=dept_a,
        term_start=timezone.localdate() + datetime.timedelta(days=10),
    )
    with pytest.raises(ValidationError):
        services.person_leave(actor=lead, person=person, end_seats=True)
    person.refresh_from_db()
    assert person.active


def test_leaving_twice_is_refused(lead):
    person = PersonFactory(active=False)
    with pytest.raises(ValidationError) as raised:
        services.person_leave(actor=lead, person=person)
    assert raised.value.code == "illegal_transition"


def test_head_cannot_mark_people_of_other_departments_as_left(head_a, dept_a, dept_b):
    person = PersonFactory(department=dept_b)
    with pytest.raises(ValidationError):
        services.person_leave(actor=head_a, person=person)
    person.refresh_from_db()
    assert person.active


def test_rejoining_makes_a_person_active_again_with_the_actor_in_history(
    head_a, dept_a, django_capture_on_commit_callbacks
):
    person = PersonFactory(department=dept_a, active=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.person_rejoin(actor=head_a, person=person)
    person.refresh_from_db()
    assert person.active
    assert person.history.first().history_user == head_a
    assert callbacks


def test_rejoining_someone_who_never_left_is_refused(lead):
    person = PersonFactory()
    with pytest.raises(ValidationError) as raised:
        services.person_rejoin(actor=lead, person=person)
    assert raised.value.code == "illegal_transition"


def test_reader_cannot_mark_anyone_as_back(reader):
    person = PersonFactory(active=False)
    with pytest.raises(ValidationError):
        services.person_rejoin(actor=reader, person=person)
    person.refresh_from_db()
    assert not person.active


# --- who may change the e-mail of someone who signs in ----------------------------------


def test_head_cannot_change_the_e_mail_of_a_person_who_signs_in(head_a, dept_a):
    person = PersonFactory(email="dan@acme.test", department=dept_a, user=head_a)
    before = snapshot_of(person)
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(
            actor=head_a,
            person=person,
            details=details(email="admin@acme.test", department=dept_a),
        )
    assert "only a COE lead can change their e-mail" in excinfo.value.message_dict["email"][0]
    assert snapshot_of(person) == before


def test_head_may_keep_the_e_mail_of_a_person_who_signs_in_in_another_case(head_a, dept_a):
    person = PersonFactory(email="dan@acme.test", department=dept_a, user=head_a)
    services.person_update(
        actor=head_a, person=person, details=details(email="Dan@Acme.test", department=dept_a)
    )
    person.refresh_from_db()
    assert person.name == "Ana Ruiz"


def test_lead_changes_the_e_mail_of_a_person_who_signs_in(lead, head_a, dept_a):
    person = PersonFactory(email="dan@acme.test", department=dept_a, user=head_a)
    services.person_update(
        actor=lead, person=person, details=details(email="daniel@acme.test", department=dept_a)
    )
    person.refresh_from_db()
    assert person.email == "daniel@acme.test"


def test_head_changes_the_e_mail_of_a_person_without_a_sign_in(head_a, dept_a):
    person = PersonFactory(email="old@acme.test", department=dept_a, user=None)
    services.person_update(
        actor=head_a, person=person, details=details(email="new@acme.test", department=dept_a)
    )
    person.refresh_from_db()
    assert person.email == "new@acme.test"
