"""The roster (`/roster/`): current seats with attendance, and recent meetings."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import read_memo
from governance import services as governance_services
from stakeholders import services
from stakeholders.models import Department
from tests.factories import (
    AttendanceFactory,
    DepartmentFactory,
    MeetingFactory,
    PersonFactory,
    SeatFactory,
    StakeholderGroupFactory,
)

pytestmark = pytest.mark.django_db

URL = "/roster/"
TODAY = timezone.localdate()


def seats(response) -> list:
    return [row[0] for row in response.context["rows"]]


def test_roster_url_is_named():
    assert reverse("governance:roster") == URL


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302


def test_roster_lists_current_seats_by_role_then_constituency(client_for, reader):
    sales = DepartmentFactory(key="sales", name="Sales")
    legal = DepartmentFactory(key="legal", name="Legal")
    panel = StakeholderGroupFactory(key="panel", name="Customer panel", kind="customers")
    core_legal = SeatFactory(person=PersonFactory(department=legal), department=legal)
    core_sales = SeatFactory(person=PersonFactory(department=sales), department=sales)
    lead_sales = SeatFactory(person=PersonFactory(department=sales), department=sales, role="lead")
    advisor = SeatFactory(person=PersonFactory(department=None), department=None, group=panel,
                          role="advisor")  # fmt: skip
    response = client_for(reader).get(URL)
    assert seats(response) == [lead_sales, core_legal, core_sales, advisor]
    summary = {row["role"]: row for row in response.context["summary"]}
    assert summary["core"]["total"] == 2 and summary["advisor"]["groups"] == 1


def test_roster_leaves_out_seats_that_are_not_current(client_for, reader):
    dept = DepartmentFactory(key="ops")
    SeatFactory(person=PersonFactory(department=dept), department=dept, status="nominated")
    SeatFactory(person=PersonFactory(department=dept, active=False), department=dept)
    SeatFactory(
        person=PersonFactory(department=dept),
        department=dept,
        status="ended",
        term_end=TODAY - datetime.timedelta(days=1),
    )
    SeatFactory(
        person=PersonFactory(department=dept),
        department=dept,
        term_start=TODAY + datetime.timedelta(days=5),
    )
    archived = DepartmentFactory(key="gone", active=False)
    SeatFactory(person=PersonFactory(department=archived), department=archived)
    current = SeatFactory(person=PersonFactory(department=dept), department=dept)
    assert seats(client_for(reader).get(URL)) == [current]


def test_roster_shows_each_seats_attendance_since_it_started(client_for, reader):
    dept = DepartmentFactory(key="ops")
    seat = SeatFactory(
        person=PersonFactory(department=dept), department=dept, term_start=datetime.date(2026, 2, 1)
    )
    before = MeetingFactory(date=datetime.date(2026, 1, 10), title="Before")
    AttendanceFactory(meeting=before, person=seat.person, present=True)
    for day, present in [(3, True), (4, False), (5, True)]:
        meeting = MeetingFactory(date=datetime.date(2026, day, 10), title="Monthly")
        AttendanceFactory(meeting=meeting, person=seat.person, present=present)
    response = client_for(reader).get(URL)
    assert response.context["rows"] == [(seat, 2, 3)]
    assert "67%" in response.content.decode()


@pytest.mark.parametrize("stored", [False, True], ids=["sorted live", "stored roster"])
def test_roster_filters(client_for, reader, stored):
    sales = DepartmentFactory(key="sales", name="Sales")
    panel = StakeholderGroupFactory(key="panel", name="Customer panel")
    ana = SeatFactory(person=PersonFactory(name="Ana Ruiz", department=sales), department=sales)
    group_seat = SeatFactory(
        person=PersonFactory(department=None), department=None, group=panel, role="advisor"
    )
    if stored:
        governance_services.snapshot_take()
    client = client_for(reader)
    assert seats(client.get(URL, {"q": "ruiz"})) == [ana]
    assert seats(client.get(URL, {"role": "advisor"})) == [group_seat]
    assert seats(client.get(URL, {"constituency": "group"})) == [group_seat]
    assert seats(client.get(URL, {"constituency": "department"})) == [ana]
    assert b"No current seat matches these filters." in client.get(URL, {"q": "zzz"}).content


def test_roster_empty_state(client_for, reader):
    response = client_for(reader).get(URL)
    assert b"Nobody holds a seat yet." in response.content
    assert b"No meeting recorded yet." in response.content


def test_meetings_summary_counts_expected_seats_and_who_came(client_for, reader):
    dept = DepartmentFactory(key="ops")
    early = SeatFactory(
        person=PersonFactory(department=dept), department=dept, term_start=datetime.date(2026, 1, 1)
    )
    late = SeatFactory(
        person=PersonFactory(department=dept), department=dept, term_start=datetime.date(2026, 6, 1)
    )
    guest = PersonFactory(department=None)
    march = MeetingFactory(date=datetime.date(2026, 3, 3), title="March")
    AttendanceFactory(meeting=march, person=early.person, present=True)
    AttendanceFactory(meeting=march, person=guest, present=True)
    july = MeetingFactory(date=datetime.date(2026, 7, 7), title="July")
    AttendanceFactory(meeting=july, person=early.person, present=False)
    AttendanceFactory(meeting=july, person=late.person, present=True)
    response = client_for(reader).get(URL)
    summary = {m.title: (m.expected, m.holders_present, m.present_count)
               for m in response.context["meetings"]}  # fmt: skip
    assert summary == {"March": (1, 1, 2), "July": (2, 1, 1)}
    assert reverse("governance:meeting-detail", kwargs={"meeting_id": march.pk}) in (
        response.content.decode()
    )


def test_a_holder_counts_only_for_a_seat_that_was_itself_expected_at_the_meeting(
    client_for, reader
):
    """Each condition (counting constituency, started, not ended) holds for one and the
    same seat: an archived department's old seat and a seat that starts later do not
    add up to an expected one."""
    archived = DepartmentFactory(key="old", active=False)
    active = DepartmentFactory(key="new")
    person = PersonFactory(department=active)
    SeatFactory(person=person, department=archived, term_start=datetime.date(2026, 1, 1))
    SeatFactory(person=person, department=active, term_start=datetime.date(2026, 6, 1))
    march = MeetingFactory(date=datetime.date(2026, 3, 3), title="March")
    AttendanceFactory(meeting=march, person=person, present=True)
    july = MeetingFactory(date=datetime.date(2026, 7, 7), title="July")
    AttendanceFactory(meeting=july, person=person, present=True)
    response = client_for(reader).get(URL)
    summary = {m.title: (m.expected, m.holders_present, m.present_count)
               for m in response.context["meetings"]}  # fmt: skip
    assert summary == {"March": (0, 0, 1), "July": (1, 1, 1)}


def test_roster_refuses_post(client_for, lead):
    assert client_for(lead).post(URL).status_code == 405


@pytest.mark.parametrize("units", [2, 8])
def test_roster_runs_a_fixed_number_of_queries(
    client_for, reader, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=2)
    client = client_for(reader)
    client.get(URL)
    read_memo.forget_all()
    # session, user, lead group, the registry generation, the latest snapshot (none),
    # count and page of seats, summary, attendance (2), terms ending soon, meetings and
    # the seat holders present at them (attendance written by the factories: no stored
    # counts)
    with django_assert_num_queries(13):
        response = client.get(URL)
    assert len(response.context["rows"]) == units + 1
    # Once their counts are stored (as attendance_record does), no attendance is counted.
    governance_services.meeting_counts_backfill()
    read_memo.forget_all()
    with django_assert_num_queries(12):
        stored = client.get(URL)
    # The page's rows, the meetings and the terms ending soon are remembered until the
    # registry changes: session, user, lead group, generation, snapshot (none) and the
    # seats per role (no snapshot holds them yet).
    with django_assert_num_queries(6):
        again = client.get(URL)
    assert again.context["rows"] == stored.context["rows"]
    summary = [
        (m.pk, m.expected, m.present_count, m.holders_present, m.taken)
        for m in stored.context["meetings"]
    ]
    assert summary == [
        (m.pk, m.expected, m.present_count, m.holders_present, m.taken)
        for m in response.context["meetings"]
    ]


@pytest.mark.parametrize("units", [2, 8])
def test_roster_reads_the_current_snapshots_stored_roster(
    client_for, reader, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=2)
    governance_services.meeting_counts_backfill()
    client = client_for(reader)
    live = client.get(URL)
    live_roles = client.get(URL, {"role": "lead"})
    governance_services.snapshot_take()
    client.get(URL)
    # session, user, lead group, the latest snapshot, the registry generation, count and
    # page of the stored roster, its seats, attendance (2), terms ending soon, meetings:
    # no sort of the company's current seats, no count per role
    read_memo.forget_all()
    with django_assert_num_queries(12):
        stored = client.get(URL)
    assert stored.context["rows"] == live.context["rows"]
    assert stored.context["summary"] == live.context["summary"]
    assert stored.context["page"].paginator.count == live.context["page"].paginator.count
    assert client.get(URL, {"role": "lead"}).context["rows"] == live_roles.context["rows"]


def test_roster_reads_seats_live_after_a_change_until_the_next_snapshot(
    client_for, reader, lead, make_company
):
    make_company(units=2, teams=1)
    governance_services.snapshot_take()
    client = client_for(reader)
    before = client.get(URL).context["page"].paginator.count
    seat = SeatFactory(
        person=PersonFactory(), department=Department.objects.get(key="bu-1"), status="nominated"
    )
    services.seat_approve(actor=lead, seat=seat)  # raises the registry generation
    assert client.get(URL).context["page"].paginator.count == before + 1


def test_the_recent_meetings_follow_a_seat_that_changes_who_was_expected(client_for, reader, lead):
    meeting = MeetingFactory(date=datetime.date(2026, 3, 2), title="COE monthly")
    holder = SeatFactory(term_start=datetime.date(2026, 1, 1)).person
    governance_services.attendance_record(actor=lead, meeting=meeting, present=[holder.pk])
    client = client_for(reader)
    before = client.get(URL).context["meetings"][0]
    assert (before.expected, before.holders_present) == (1, 1)
    # A seat approved today with a start before the meeting: its chair was expected then.
    late = SeatFactory(status="nominated", term_start=datetime.date(2026, 2, 1))
    services.seat_approve(actor=lead, seat=late, term_start=datetime.date(2026, 2, 1))
    governance_services.snapshot_recompute()  # what the worker runs after the change
    after = client.get(URL).context["meetings"][0]
    assert (after.expected, after.holders_present) == (2, 1)
