"""The database itself refuses what the registry must never hold, whatever code writes.

Each constraint of stakeholders/models.py and governance/models.py is broken once
(and, where it matters, a close call is shown to pass)."""

import datetime

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


# --- Department -------------------------------------------------------------------


def test_department_headcount_cannot_be_negative():
    department = DepartmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.filter(pk=department.pk).update(headcount=-1)


@pytest.mark.parametrize("field", ["influence", "interest"])
@pytest.mark.parametrize("value", [0, 6])
def test_department_influence_and_interest_stay_between_1_and_5(field, value):
    department = DepartmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
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

    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.filter(pk=department.pk).update(parent=F("pk"))


def test_department_kind_must_be_a_known_kind():
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentFactory(kind="division")


def test_department_function_must_be_a_known_function():
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentFactory(function="social")


def test_department_keys_are_unique():
    DepartmentFactory(key="mkt")

    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentFactory(key="mkt")


# --- Person, tags and groups ------------------------------------------------------


def test_person_emails_are_unique_ignoring_case():
    PersonFactory(email="ana@acme.test")

    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(email="Ana@ACME.test")


def test_person_seniority_must_be_a_known_level():
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(seniority="intern")


def test_person_seniority_may_be_empty():
    assert PersonFactory(seniority=None).seniority is None


def test_expertise_tag_names_are_unique():
    ExpertiseTag.objects.create(name="seo")

    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertiseTag.objects.create(name="seo")


def test_stakeholder_group_kind_must_be_a_known_kind():
    with pytest.raises(IntegrityError), transaction.atomic():
        StakeholderGroupFactory(kind="investors")


def test_stakeholder_group_keys_are_unique():
    StakeholderGroupFactory(key="cap")

    with pytest.raises(IntegrityError), transaction.atomic():
        StakeholderGroupFactory(key="cap")


# --- Seat -------------------------------------------------------------------------


def test_a_seat_needs_a_constituency():
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatFactory(department=None, group=None)


def test_a_seat_cannot_have_two_constituencies():
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatFactory(group=StakeholderGroupFactory())


@pytest.mark.parametrize(
    ("first", "second"),
    [("nominated", "approved"), ("approved", "approved"), ("nominated", "nominated")],
)
def test_one_open_seat_per_person_and_department(first, second):
    seat = SeatFactory(status=first)

    with pytest.raises(IntegrityError), transaction.atomic():
        SeatFactory(person=seat.person, department=seat.department, status=second)


def test_one_open_seat_per_person_and_group():
    group = StakeholderGroupFactory()
    seat = SeatFactory(department=None, group=group, status="approved")

    with pytest.raises(IntegrityError), transaction.atomic():
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
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatFactory(status="ended", term_end=None)


def test_a_term_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatFactory(term_start=datetime.date(2026, 2, 1), term_end=datetime.date(2026, 1, 31))


def test_a_term_may_end_on_the_day_it_starts():
    seat = SeatFactory(term_start=datetime.date(2026, 2, 1), term_end=datetime.date(2026, 2, 1))

    seat.refresh_from_db()
    assert seat.term_start == seat.term_end == datetime.date(2026, 2, 1)


def test_seat_status_must_be_a_known_status():
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatFactory(status="pending")


def test_seat_role_must_be_a_known_role():
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatFactory(role="chair")


# --- SocialAccount ----------------------------------------------------------------


def test_a_handle_is_unique_per_platform_ignoring_case():
    SocialAccountFactory(platform="x", handle="acme")

    with pytest.raises(IntegrityError), transaction.atomic():
        SocialAccountFactory(platform="x", handle="ACME")


def test_the_same_handle_may_exist_on_two_platforms():
    SocialAccountFactory(platform="x", handle="acme")

    SocialAccountFactory(platform="linkedin", handle="acme")

    assert sorted(SocialAccount.objects.values_list("platform", flat=True)) == ["linkedin", "x"]


def test_a_handle_cannot_start_with_an_at_sign():
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialAccountFactory(handle="@acme")


def test_a_handle_cannot_be_empty():
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialAccountFactory(handle="")


def test_followers_cannot_be_negative():
    account = SocialAccountFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        SocialAccount.objects.filter(pk=account.pk).update(followers=-1)


@pytest.mark.parametrize(
    ("field", "value"), [("platform", "myspace"), ("status", "deleted"), ("purpose", "memes")]
)
def test_account_platform_status_and_purpose_must_be_known(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialAccountFactory(**{field: value})


# --- Governance -------------------------------------------------------------------


def test_the_policy_is_a_single_row():
    Policy.load()

    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.create(pk=2)


def test_a_meeting_date_and_title_are_unique():
    MeetingFactory(date=datetime.date(2026, 11, 3), title="COE monthly")

    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(date=datetime.date(2026, 11, 3), title="COE monthly")


def test_two_meetings_may_share_a_date_with_other_titles():
    MeetingFactory(date=datetime.date(2026, 11, 3), title="COE monthly")

    Meeting.objects.create(date=datetime.date(2026, 11, 3), title="COE offsite")

    titles = Meeting.objects.filter(date=datetime.date(2026, 11, 3)).values_list("title", flat=True)
    assert sorted(titles) == ["COE monthly", "COE offsite"]


def test_attendance_is_one_row_per_person_and_meeting():
    row = AttendanceFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=row.meeting, person=row.person, present=False)


def test_the_refused_statement_leaves_the_rest_of_the_transaction_usable():
    PersonFactory(email="ana@acme.test")

    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(email="ANA@acme.test")

    assert Person.objects.count() == 1
    assert Seat.objects.count() == 0
