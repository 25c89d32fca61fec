import datetime
import zoneinfo
from dataclasses import replace

import pytest
from django.utils import timezone

from bench.scale import generate
from governance.facts import QUERY_COUNT, load_facts
from governance.models import Policy
from governance.scoring import (
    AccountFact,
    DepartmentFact,
    Facts,
    PersonFact,
    SeatFact,
    assess,
    what_if_approved,
)
from stakeholders.models import Department, Person, Seat, SocialAccount
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


def read_one_by_one(loaded: Facts) -> Facts:
    """The loaded company read the plain way, one model object at a time: every
    department, person (with each tag's name), seat and account (with each manager's
    e-mail, resolved by the scoring rules themselves)."""
    departments = tuple(
        DepartmentFact(
            key=d.key,
            name=d.name,
            parent=d.parent.key if d.parent else None,
            function=d.function,
            headcount=d.headcount,
            customer_facing=d.customer_facing,
            active=d.active,
        )
        for d in Department.objects.select_related("parent").order_by("key")
    )
    people = tuple(
        PersonFact(
            email=p.email.lower(),
            seniority=p.seniority,
            department=p.department.key if p.department else None,
            tags=len({tag.name for tag in p.expertise.all()}),
            active=p.active,
        )
        for p in Person.objects.select_related("department")
        .prefetch_related("expertise")
        .order_by("id")
    )

    def local_day(moment):
        return timezone.localtime(moment).date() if moment else None

    seats = tuple(
        SeatFact(
            id=s.id,
            person=s.person.email.lower(),
            department=s.department.key if s.department else None,
            group=s.group.key if s.group else None,
            role=s.role,
            status=s.status,
            nominated_at=local_day(s.nominated_at),
            decided_at=local_day(s.decided_at),
            term_start=s.term_start,
            term_end=s.term_end,
        )
        for s in Seat.objects.select_related("person", "department", "group").order_by("id")
    )
    accounts = tuple(
        AccountFact(
            platform=a.platform,
            handle=a.handle.lower(),
            owner=a.owner.key if a.owner else None,
            status=a.status,
            last_post_at=a.last_post_at,
            managers=tuple(sorted(m.email.lower() for m in a.managers.all())),
        )
        for a in SocialAccount.objects.select_related("owner")
        .prefetch_related("managers")
        .order_by("id")
    )
    return replace(loaded, departments=departments, people=people, seats=seats, accounts=accounts)


@pytest.mark.django_db(transaction=True)
def test_loaded_facts_assess_a_generated_company_like_its_rows_read_one_by_one():
    # 200 departments, 2,000 people, 1,000 accounts, 500 seats, 24 meetings.
    as_of = datetime.date(2026, 11, 26)
    generate(200, as_of)
    loaded = load_facts(as_of=as_of)
    plain = read_one_by_one(loaded)
    assert len(loaded.people) == len(plain.people) == 2000
    assessment = assess(loaded, as_of)
    assert assessment.findings and assessment.recommendations and assessment.if_approved
    assert assessment == assess(plain, as_of)
    assert what_if_approved(loaded, as_of) == what_if_approved(plain, as_of)
