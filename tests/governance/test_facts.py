import datetime
import zoneinfo

import pytest

from governance.facts import QUERY_COUNT, load_facts
from governance.models import Policy
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


def build_company(size: int) -> None:
    root = DepartmentFactory(key="root")
    group = StakeholderGroupFactory()
    meeting = MeetingFactory()
    for i in range(size):
        department = DepartmentFactory(parent=root)
        person = PersonFactory(department=department, email=f"Member{i}@Acme.test")
        person.expertise.create(name=f"tag-{i}")
        SeatFactory(person=person)
        SeatFactory(person=person, department=None, group=group)
        account = SocialAccountFactory(owner=department, handle=f"Handle{i}")
        account.managers.add(person)
        AttendanceFactory(meeting=meeting, person=person)


@pytest.mark.parametrize("size", [2, 20])
def test_facts_load_in_a_fixed_number_of_queries_whatever_the_size(size, django_assert_num_queries):
    build_company(size)
    Policy.load()
    with django_assert_num_queries(QUERY_COUNT):
        facts = load_facts(as_of=datetime.date(2026, 11, 26))
    assert len(facts.departments) == size + 1
    assert len(facts.seats) == 2 * size
    assert len(facts.meetings) == 1


def test_facts_lower_case_emails_and_handles():
    build_company(1)
    facts = load_facts()
    assert facts.people[0].email == "member0@acme.test"
    assert facts.accounts[0].handle == "handle0"
    assert facts.accounts[0].active_managers == 1
    assert facts.meetings[0].present == frozenset({"member0@acme.test"})
    assert facts.people[0].tags == 1


def test_facts_give_departments_their_parent_key():
    build_company(1)
    by_key = {d.key: d for d in load_facts().departments}
    assert by_key["root"].parent is None
    assert {d.parent for k, d in by_key.items() if k != "root"} == {"root"}


def test_facts_convert_decision_times_to_the_local_date(settings):
    settings.TIME_ZONE = "America/New_York"
    new_york = zoneinfo.ZoneInfo("America/New_York")
    late_evening = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=new_york)
    SeatFactory(decided_at=late_evening, nominated_at=late_evening, term_start=None)
    seat = load_facts().seats[0]
    assert seat.decided_at == datetime.date(2026, 3, 1)
    assert seat.nominated_at == datetime.date(2026, 3, 1)


def test_facts_carry_the_policy_values():
    policy = Policy.load()
    policy.stale_days = 21
    policy.weight_voices = 0.25
    policy.save()
    facts = load_facts()
    assert facts.policy.stale_days == 21
    assert facts.policy.weight_voices == 0.25


def test_facts_as_of_a_date_keep_only_the_meetings_that_can_matter():
    person = PersonFactory()
    for month in range(1, 11):
        meeting = MeetingFactory(date=datetime.date(2026, month, 1))
        AttendanceFactory(meeting=meeting, person=person)
    MeetingFactory(date=datetime.date(2026, 12, 1))
    facts = load_facts(as_of=datetime.date(2026, 11, 26))
    assert [m.date.month for m in facts.meetings] == [5, 6, 7, 8, 9, 10]
    assert all(m.present == {person.email} for m in facts.meetings)


def test_facts_mark_meetings_without_any_attendance_row_as_not_taken():
    person = PersonFactory()
    taken = MeetingFactory(date=datetime.date(2026, 10, 1))
    AttendanceFactory(meeting=taken, person=person, present=False)
    MeetingFactory(date=datetime.date(2026, 11, 1))
    facts = load_facts()
    assert [(m.date.month, m.taken) for m in facts.meetings] == [(10, True), (11, False)]


def test_facts_as_of_a_date_keep_the_latest_taken_meetings_only():
    person = PersonFactory()
    for month in range(1, 11):
        meeting = MeetingFactory(date=datetime.date(2026, month, 1))
        if month % 2:
            AttendanceFactory(meeting=meeting, person=person, present=False)
    facts = load_facts(as_of=datetime.date(2026, 11, 26))
    assert [m.date.month for m in facts.meetings] == [1, 3, 5, 7, 9]
    assert all(m.taken for m in facts.meetings)
