"""Meetings and attendance services, and who is expected at a meeting (scoring's rule)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance import meeting_selectors, services
from governance.models import Attendance, Meeting
from tests.factories import (
    DepartmentFactory,
    MeetingFactory,
    PersonFactory,
    SeatFactory,
    StakeholderGroupFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 10)


def seat(**fields):
    department = fields.pop("department", None) or DepartmentFactory()
    fields.setdefault("person", PersonFactory(department=department))
    if "group" in fields:
        department = None
    return SeatFactory(department=department, **fields)


def expected_people(meeting) -> list[meeting_selectors.ExpectedPerson]:
    people = meeting_selectors.meeting_people(meeting)
    return meeting_selectors.attendance_page(meeting, people, 1).object_list


def expected_names(day=DAY) -> list[str]:
    meeting = MeetingFactory(date=day, title=f"Meeting {day}")
    return [entry.person.name for entry in expected_people(meeting)]


# --- who is expected ---------------------------------------------------------------


def test_an_approved_seat_started_on_or_before_the_date_is_expected():
    seat(person=PersonFactory(name="Started Before"), term_start=DAY - datetime.timedelta(1))
    seat(person=PersonFactory(name="Started That Day"), term_start=DAY)
    seat(person=PersonFactory(name="Starts After"), term_start=DAY + datetime.timedelta(1))
    assert expected_names() == ["Started Before", "Started That Day"]


def test_a_seat_without_term_start_starts_when_it_was_decided():
    decided = timezone.make_aware(datetime.datetime(2026, 6, 1, 12))
    seat(person=PersonFactory(name="Decided Earlier"), term_start=None, decided_at=decided)
    late = timezone.make_aware(datetime.datetime(2026, 6, 20, 12))
    seat(person=PersonFactory(name="Decided Later"), term_start=None, decided_at=late)
    seat(person=PersonFactory(name="No Start"), term_start=None)
    assert expected_names() == ["Decided Earlier", "No Start"]


def test_an_ended_seat_is_expected_until_its_term_end():
    start = DAY - datetime.timedelta(days=30)
    seat(
        person=PersonFactory(name="Ended That Day"), status="ended", term_start=start, term_end=DAY
    )
    seat(
        person=PersonFactory(name="Ended Before"),
        status="ended",
        term_start=start,
        term_end=DAY - datetime.timedelta(1),
    )
    assert expected_names() == ["Ended That Day"]


@pytest.mark.parametrize("status", ["nominated", "declined", "withdrawn"])
def test_seats_that_were_never_approved_are_not_expected(status):
    seat(status=status)
    assert expected_names() == []


def test_seats_of_archived_departments_are_not_expected_but_group_seats_are():
    seat(person=PersonFactory(name="Archived"), department=DepartmentFactory(active=False))
    seat(person=PersonFactory(name="Group Voice", department=None), group=StakeholderGroupFactory())
    assert expected_names() == ["Group Voice"]


def test_the_chair_of_someone_who_left_is_still_expected():
    seat(person=PersonFactory(name="Has Left", active=False))
    assert expected_names() == ["Has Left"]


def test_a_person_with_two_seats_is_expected_once():
    person = PersonFactory(name="Two Hats")
    seat(person=person, department=DepartmentFactory(name="First"))
    seat(person=person, department=DepartmentFactory(name="Second"))
    meeting = MeetingFactory(date=DAY)
    [entry] = expected_people(meeting)
    assert entry.constituencies == "First, Second"


# --- meeting_create ----------------------------------------------------------------


def test_lead_creates_a_meeting_recorded_with_its_author(lead):
    meeting = services.meeting_create(actor=lead, date=DAY, title="  COE monthly ")
    assert (meeting.date, meeting.title) == (DAY, "COE monthly")
    assert meeting.history.get().history_user == lead


def test_a_second_meeting_with_the_same_date_and_title_is_refused(lead):
    services.meeting_create(actor=lead, date=DAY, title="COE monthly")
    with pytest.raises(ValidationError) as error:
        services.meeting_create(actor=lead, date=DAY, title="coe MONTHLY")
    assert "There is already a meeting" in error.value.message_dict["title"][0]
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_only_leads_create_meetings(persona, request, dept_a):
    with pytest.raises(ValidationError, match="Only COE leads create meetings"):
        services.meeting_create(actor=request.getfixturevalue(persona), date=DAY, title="X")
    assert not Meeting.objects.exists()


# --- attendance_record ---------------------------------------------------------------


@pytest.fixture
def meeting():
    return MeetingFactory(date=DAY, title="COE monthly")


@pytest.fixture
def two_seats():
    return seat(person=PersonFactory(name="Ana")).person, seat(
        person=PersonFactory(name="Bo")
    ).person


def test_recording_attendance_writes_a_row_for_everyone_expected(lead, meeting, two_seats):
    ana, bo = two_seats
    assert services.attendance_record(actor=lead, meeting=meeting, present=[ana.pk]) == 2
    rows = dict(Attendance.objects.values_list("person__name", "present"))
    assert rows == {"Ana": True, "Bo": False}
    assert {row.history_user for row in Attendance.history.all()} == {lead}


def test_recording_attendance_stores_the_rosters_counts_of_the_meeting(lead, meeting, two_seats):
    ana, bo = two_seats
    services.attendance_record(actor=lead, meeting=meeting, present=[ana.pk])
    meeting.refresh_from_db()
    assert meeting.counts == {"expected": 2, "present": 1, "holders_present": 1, "recorded": 2}
    services.attendance_record(actor=lead, meeting=meeting, present=[ana.pk, bo.pk])
    meeting.refresh_from_db()
    assert meeting.counts == {"expected": 2, "present": 2, "holders_present": 2, "recorded": 2}


def test_recording_again_changes_only_what_changed(lead, meeting, two_seats):
    ana, bo = two_seats
    services.attendance_record(actor=lead, meeting=meeting, present=[ana.pk])
    assert services.attendance_record(actor=lead, meeting=meeting, present=[ana.pk, bo.pk]) == 1
    assert services.attendance_record(actor=lead, meeting=meeting, present=[ana.pk, bo.pk]) == 0
    assert Attendance.objects.filter(present=True).count() == 2


def test_someone_not_expected_cannot_be_marked_present(lead, meeting, two_seats):
    stranger = PersonFactory()
    with pytest.raises(ValidationError, match="Only people expected"):
        services.attendance_record(actor=lead, meeting=meeting, present=[stranger.pk])
    assert not Attendance.objects.exists()


# --- attendance_record among some people (a page of the meeting's form) ---------------


def test_recording_among_some_people_writes_only_their_rows(lead, meeting, two_seats):
    ana, bo = two_seats
    carl = seat(person=PersonFactory(name="Carl")).person
    services.attendance_record(actor=lead, meeting=meeting, present=[bo.pk], among=[bo.pk])
    assert dict(Attendance.objects.values_list("person__name", "present")) == {"Bo": True}
    # A second page: Ana absent (shown, unticked), Carl present; Bo keeps his row.
    written = services.attendance_record(
        actor=lead, meeting=meeting, present=[carl.pk], among=[ana.pk, carl.pk]
    )
    assert written == 2
    rows = dict(Attendance.objects.values_list("person__name", "present"))
    assert rows == {"Ana": False, "Bo": True, "Carl": True}
    meeting.refresh_from_db()
    assert (meeting.counts["present"], meeting.counts["recorded"]) == (2, 3)


def test_recording_among_changes_a_row_of_those_people_only(lead, meeting, two_seats):
    ana, bo = two_seats
    services.attendance_record(actor=lead, meeting=meeting, present=[ana.pk, bo.pk])
    assert services.attendance_record(actor=lead, meeting=meeting, present=[], among=[ana.pk]) == 1
    assert dict(Attendance.objects.values_list("person__name", "present")) == {
        "Ana": False,
        "Bo": True,
    }


def test_recording_among_someone_not_expected_is_refused_and_writes_nothing(
    lead, meeting, two_seats
):
    ana, _ = two_seats
    stranger = PersonFactory()
    with pytest.raises(
        ValidationError, match="Only people expected at the meeting can be recorded"
    ):
        services.attendance_record(
            actor=lead, meeting=meeting, present=[ana.pk], among=[ana.pk, stranger.pk]
        )
    assert not Attendance.objects.exists()


def test_someone_marked_present_must_be_among_those_recorded(lead, meeting, two_seats):
    ana, bo = two_seats
    with pytest.raises(ValidationError, match="Only the people being recorded"):
        services.attendance_record(actor=lead, meeting=meeting, present=[bo.pk], among=[ana.pk])
    assert not Attendance.objects.exists()


def test_recording_among_nobody_writes_nothing(lead, meeting, two_seats):
    assert services.attendance_record(actor=lead, meeting=meeting, present=[], among=[]) == 0
    assert not Attendance.objects.exists()


def test_attendance_of_a_future_meeting_is_refused(lead, two_seats):
    future = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="has not happened yet"):
        services.attendance_record(actor=lead, meeting=future, present=[])


def test_only_leads_record_attendance(head_a, meeting, two_seats):
    with pytest.raises(ValidationError, match="Only COE leads record attendance"):
        services.attendance_record(actor=head_a, meeting=meeting, present=[])


def test_recording_attendance_asks_for_a_recompute(lead, meeting, two_seats, monkeypatch):
    requested = []
    monkeypatch.setattr(services, "snapshot_request", lambda: requested.append(True))
    services.attendance_record(actor=lead, meeting=meeting, present=[])
    assert requested == [True]


def test_recorded_attendance_feeds_participation(lead, meeting, two_seats):
    ana, _ = two_seats
    services.attendance_record(actor=lead, meeting=meeting, present=[ana.pk])
    assessment = services.assessment_compute(as_of=DAY)
    assert assessment.components["participation"] == pytest.approx(0.5)


def test_a_new_meeting_does_not_move_the_score_until_its_attendance_is_taken(lead, two_seats):
    before = services.assessment_compute(as_of=DAY)
    meeting = services.meeting_create(actor=lead, date=DAY, title="Kick-off")
    after = services.assessment_compute(as_of=DAY)
    assert after.components == before.components
    assert "empty_chair" not in {f.code for f in after.findings}
    # "Nobody came" is an answer: it stores absent rows and the meeting counts.
    assert services.attendance_record(actor=lead, meeting=meeting, present=[]) == 2
    assert set(Attendance.objects.values_list("present", flat=True)) == {False}
    taken = services.assessment_compute(as_of=DAY)
    assert taken.components["participation"] == 0.0
