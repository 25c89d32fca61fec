"""The database itself refuses what the registry must never hold, whatever code writes.

Each constraint of stakeholders/models.py and governance/models.py is broken once
(and, where it matters, a close call is shown to pass)."""

import datetime
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from governance.models import Attendance, Meeting, Policy
from stakeholders.models import (
    Department,
    ExpertiseTag,
    Person,
    Seat,
    SocialAccount,
)
from tests.factories import (
    AttendanceFactory,
    DepartmentFactory,
    MeetingFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    StakeholderGroupFactory,
)

pytestmark = pytest.mark.django_db


@contextmanager
def refused_by(constraint: str, *, columns: str | None = None):
    """The block's statement is refused by this very constraint, not by another one.

    PostgreSQL names the constraint in its message; SQLite names check constraints and
    unique indexes on expressions, but for a unique constraint over plain columns it
    lists the columns instead, and a positive integer column's own check comes first
    (`columns`)."""
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        yield
    message = str(refusal.value)
    assert constraint in message or (columns is not None and columns in message), message


# --- Department -------------------------------------------------------------------


def test_department_headcount_cannot_be_negative():
    department = DepartmentFactory()

    with refused_by("department_headcount_gte_0", columns="headcount"):
        Department.objects.filter(pk=department.pk).update(headcount=-1)


@pytest.mark.parametrize("field", ["influence", "interest"])
@pytest.mark.parametrize("value", [0, 6])
def test_department_influence_and_interest_stay_between_1_and_5(field, value):
    department = DepartmentFactory()

    with refused_by(f"department_{field}_1_5"):
        Department.objects.filter(pk=department.pk).update(**{field: value})


@pytest.mark.parametrize("field", ["influence", "interest"])
@pytest.mark.parametrize("value", [1, 5])
def test_department_influence_and_interest_may_be_1_or_5(field, value):
    department = DepartmentFactory()

    Department.objects.filter(pk=department.pk).update(**{field: value})

    department.refresh_from_db()
    assert getattr(department, field) == value


def test_a_department_cannot_be_its_own_parent():
    department = DepartmentFactory()

    with refused_by("department_not_own_parent"):
        Department.objects.filter(pk=department.pk).update(parent=F("pk"))


def test_department_kind_must_be_a_known_kind():
    with refused_by("department_kind_valid"):
        DepartmentFactory(kind="division")


def test_department_function_must_be_a_known_function():
    with refused_by("department_function_valid"):
        DepartmentFactory(function="social")


def test_department_keys_are_unique():
    DepartmentFactory(key="mkt")

    with refused_by("stakeholders_department_key", columns="stakeholders_department.key"):
        DepartmentFactory(key="mkt")


# --- Person, tags and groups ------------------------------------------------------


def test_person_emails_are_unique_ignoring_case():
    PersonFactory(email="ana@acme.test")

    with refused_by("person_email_unique_ci"):
        PersonFactory(email="Ana@ACME.test")


def test_person_seniority_must_be_a_known_level():
    with refused_by("person_seniority_valid"):
        PersonFactory(seniority="intern")


def test_person_seniority_may_be_empty():
    person = PersonFactory(seniority=None)

    person.refresh_from_db()
    assert person.seniority is None


def test_expertise_tag_names_are_unique():
    ExpertiseTag.objects.create(name="seo")

    with refused_by("stakeholders_expertisetag_name", columns="stakeholders_expertisetag.name"):
        ExpertiseTag.objects.create(name="seo")


def test_stakeholder_group_kind_must_be_a_known_kind():
    with refused_by("stakeholder_group_kind_valid"):
        StakeholderGroupFactory(kind="investors")


def test_stakeholder_group_keys_are_unique():
    StakeholderGroupFactory(key="cap")

    with refused_by(
        "stakeholders_stakeholdergroup_key", columns="stakeholders_stakeholdergroup.key"
    ):
        StakeholderGroupFactory(key="cap")


# --- Seat -------------------------------------------------------------------------


def test_a_seat_needs_a_constituency():
    with refused_by("seat_exactly_one_constituency"):
        SeatFactory(department=None, group=None)


def test_a_seat_cannot_have_two_constituencies():
    with refused_by("seat_exactly_one_constituency"):
        SeatFactory(group=StakeholderGroupFactory())


@pytest.mark.parametrize(
    ("first", "second"),
    [("nominated", "approved"), ("approved", "approved"), ("nominated", "nominated")],
)
def test_one_open_seat_per_person_and_department(first, second):
    seat = SeatFactory(status=first)

    with refused_by(
        "seat_one_open_per_person_department",
        columns="stakeholders_seat.person_id, stakeholders_seat.department_id",
    ):
        SeatFactory(person=seat.person, department=seat.department, status=second)


def test_one_open_seat_per_person_and_group():
    group = StakeholderGroupFactory()
    seat = SeatFactory(department=None, group=group, status="approved")

    with refused_by(
        "seat_one_open_per_person_group",
        columns="stakeholders_seat.person_id, stakeholders_seat.group_id",
    ):
        SeatFactory(person=seat.person, department=None, group=group, status="nominated")


@pytest.mark.parametrize("closed", ["declined", "withdrawn", "ended"])
def test_closed_seats_do_not_count_against_the_open_one(closed):
    seat = SeatFactory(status="approved")

    SeatFactory(
        person=seat.person,
        department=seat.department,
        status=closed,
        term_end=datetime.date(2026, 6, 30),
    )

    statuses = Seat.objects.filter(person=seat.person, department=seat.department)
    assert sorted(statuses.values_list("status", flat=True)) == sorted(["approved", closed])


def test_the_same_person_may_hold_open_seats_in_two_constituencies():
    seat = SeatFactory(status="approved")

    SeatFactory(person=seat.person, department=DepartmentFactory(), status="approved")
    SeatFactory(person=seat.person, department=None, group=StakeholderGroupFactory())

    assert Seat.objects.filter(person=seat.person).count() == 3


def test_an_ended_seat_needs_a_term_end():
    with refused_by("seat_ended_has_term_end"):
        SeatFactory(status="ended", term_end=None)


def test_a_term_cannot_end_before_it_starts():
    with refused_by("seat_term_ends_after_start"):
        SeatFactory(term_start=datetime.date(2026, 2, 1), term_end=datetime.date(2026, 1, 31))


def test_a_term_may_end_on_the_day_it_starts():
    seat = SeatFactory(term_start=datetime.date(2026, 2, 1), term_end=datetime.date(2026, 2, 1))

    seat.refresh_from_db()
    assert seat.term_start == seat.term_end == datetime.date(2026, 2, 1)


def test_seat_status_must_be_a_known_status():
    with refused_by("seat_status_valid"):
        SeatFactory(status="pending")


def test_seat_role_must_be_a_known_role():
    with refused_by("seat_role_valid"):
        SeatFactory(role="chair")


# --- SocialAccount ----------------------------------------------------------------


def test_a_handle_is_unique_per_platform_ignoring_case():
    SocialAccountFactory(platform="x", handle="acme")

    with refused_by("social_account_handle_unique_ci"):
        SocialAccountFactory(platform="x", handle="ACME")


def test_the_same_handle_may_exist_on_two_platforms():
    SocialAccountFactory(platform="x", handle="acme")

    SocialAccountFactory(platform="linkedin", handle="acme")

    assert sorted(SocialAccount.objects.values_list("platform", flat=True)) == ["linkedin", "x"]


def test_a_handle_cannot_start_with_an_at_sign():
    with refused_by("social_account_handle_without_at"):
        SocialAccountFactory(handle="@acme")


def test_a_handle_cannot_be_empty():
    with refused_by("social_account_handle_without_at"):
        SocialAccountFactory(handle="")


def test_followers_cannot_be_negative():
    account = SocialAccountFactory()

    with refused_by("social_account_followers_gte_0", columns="followers"):
        SocialAccount.objects.filter(pk=account.pk).update(followers=-1)


@pytest.mark.parametrize(
    ("field", "value"), [("platform", "myspace"), ("status", "deleted"), ("purpose", "memes")]
)
def test_account_platform_status_and_purpose_must_be_known(field, value):
    with refused_by(f"social_account_{field}_valid"):
        SocialAccountFactory(**{field: value})


# --- Governance -------------------------------------------------------------------


def test_the_policy_is_a_single_row():
    Policy.load()

    with refused_by("policy_single_row"):
        Policy.objects.create(pk=2)


def test_a_meeting_date_and_title_are_unique():
    MeetingFactory(date=datetime.date(2026, 11, 3), title="COE monthly")

    with refused_by(
        "meeting_unique_date_title",
        columns="governance_meeting.date, governance_meeting.title",
    ):
        Meeting.objects.create(date=datetime.date(2026, 11, 3), title="COE monthly")


def test_two_meetings_may_share_a_date_with_other_titles():
    MeetingFactory(date=datetime.date(2026, 11, 3), title="COE monthly")

    Meeting.objects.create(date=datetime.date(2026, 11, 3), title="COE offsite")

    titles = Meeting.objects.filter(date=datetime.date(2026, 11, 3)).values_list("title", flat=True)
    assert sorted(titles) == ["COE monthly", "COE offsite"]


def test_attendance_is_one_row_per_person_and_meeting():
    row = AttendanceFactory()

    with refused_by(
        "attendance_one_row_per_person",
        columns="governance_attendance.meeting_id, governance_attendance.person_id",
    ):
        Attendance.objects.create(meeting=row.meeting, person=row.person, present=False)


def test_the_refused_statement_leaves_the_rest_of_the_transaction_usable():
    PersonFactory(email="ana@acme.test")

    with refused_by("person_email_unique_ci"):
        PersonFactory(email="ANA@acme.test")

    # The transaction goes on: a later statement in it is written and reads back.
    PersonFactory(email="bo@acme.test")
    assert sorted(Person.objects.values_list("email", flat=True)) == [
        "ana@acme.test",
        "bo@acme.test",
    ]
