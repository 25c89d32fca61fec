"""Reads for the meeting pages: who is expected at a meeting, and what was recorded.

"Expected" is scoring's definition (DESIGN.md, governance/scoring.py): a counting
seat (a stakeholder group's, or an active department's) with status approved or
ended, whose start (term_start, else the decision date) is empty or on or before
the meeting's date and whose term_end is empty or on or after it. The chair of a
person who has left is still expected: it stayed empty.

Kept apart from governance/selectors.py (the dashboard's reads) only so that the
two could be written at the same time; they can be merged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from coe.pagination import PAGE_SIZE, page_of
from governance import read_memo
from governance.models import Attendance, Meeting
from stakeholders.models import Person, Seat, SeatStatus

MEETINGS_PER_PAGE = PAGE_SIZE
# The attendance form is one page of a meeting's people: a usual COE (up to 50 people)
# fits on one, so a lead ticks and saves once; a list a person reads keeps PAGE_SIZE.
# Not more: the page is drawn for every lead who opens it (issue 15 measured 200 rows
# at 6× a trivial page under load).
ATTENDANCE_PAGE_SIZE = 50


def expected_seats(day) -> QuerySet[Seat]:
    """The one rule of who is expected at a meeting on `day` (a date, or an OuterRef to a
    meeting's date): approved or ended seats, started by then (their term start, else
    the day they were decided), not ended before, for a counting constituency (an
    active department, or a group). Scoring applies the same rule to its facts."""
    return (
        Seat.objects.filter(status__in=(SeatStatus.APPROVED, SeatStatus.ENDED))
        .filter(Q(department__active=True) | Q(group__isnull=False))
        .annotate(start=Coalesce("term_start", TruncDate("decided_at")))
        .filter(Q(start__isnull=True) | Q(start__lte=day))
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=day))
    )


def meeting_people(meeting: Meeting) -> QuerySet[Person]:
    """The people expected at the meeting, once each (whatever their number of seats), by
    name then id; each with `recorded_present`: True or False when their attendance is
    recorded, None when not yet.

    A queryset, so that the attendance page is filtered, counted and sliced by the
    database: a large company expects tens of thousands of people at a meeting."""
    recorded = Attendance.objects.filter(meeting=meeting, person=OuterRef("pk")).order_by()
    return (
        Person.objects.filter(pk__in=expected_seats(meeting.date).order_by().values("person_id"))
        .annotate(recorded_present=Subquery(recorded.values("present")[:1]))
        .order_by("name", "id")
    )


def expected_people_count(meeting: Meeting) -> int:
    """How many people were expected at the meeting (one query)."""
    return expected_seats(meeting.date).order_by().values("person_id").distinct().count()


def expected_person_ids(meeting: Meeting, *, generation: int) -> list[int]:
    """The ids of the people expected at the meeting, by name then id: its attendance
    form's order. Remembered until the registry changes (read_memo; `generation` read
    before anything else): sorting tens of thousands of people by name is the page's
    dearest read, and a page of the form is then a slice of this list (one query)."""
    return read_memo.remembered(
        ("meeting-people", generation, meeting.pk, meeting.date),
        lambda: list(
            Person.objects.filter(
                pk__in=expected_seats(meeting.date).order_by().values("person_id")
            )
            .order_by("name", "id")
            .values_list("pk", flat=True)
        ),
    )


@dataclass
class ExpectedPerson:
    """One checkbox on the attendance form: a person with their expected seats."""

    person: Person
    seats: list[Seat] = field(default_factory=list)
    present: bool = False
    recorded: bool = False

    @property
    def constituencies(self) -> str:
        return ", ".join(str(seat.constituency) for seat in self.seats)


def attendance_page(meeting: Meeting, people: QuerySet[Person], page_number) -> Page:
    """A page of `people` (meeting_people, filtered) as ExpectedPerson entries with their
    expected seats (three queries: the count, the page, its people's seats)."""
    page = page_of(people, ATTENDANCE_PAGE_SIZE, page_number)
    page.object_list = _expected_people(meeting, list(page.object_list))
    return page


def attendance_page_of_ids(meeting: Meeting, person_ids: list[int], page_number) -> Page:
    """A page of everyone expected, from their ids in order (expected_person_ids), as
    ExpectedPerson entries (two queries: the page's people, their seats)."""
    page = page_of(person_ids, ATTENDANCE_PAGE_SIZE, page_number)
    ids = list(page.object_list)
    found = {person.pk: person for person in meeting_people(meeting).filter(pk__in=ids)}
    page.object_list = _expected_people(meeting, [found[i] for i in ids if i in found])
    return page


def _expected_people(meeting: Meeting, persons: list[Person]) -> list[ExpectedPerson]:
    """The people of a page (from meeting_people) with their seats expected at the
    meeting (one query)."""
    entries = {
        person.pk: ExpectedPerson(
            person=person,
            present=bool(person.recorded_present),
            recorded=person.recorded_present is not None,
        )
        for person in persons
    }
    if entries:
        seats = (
            expected_seats(meeting.date)
            .filter(person_id__in=list(entries))
            .select_related("department", "group")
            .order_by("person_id", "id")
        )
        for seat in seats:
            entries[seat.person_id].seats.append(seat)
    return list(entries.values())


@dataclass(frozen=True)
class MeetingFigures:
    """The meeting-wide figures of its page: people expected, present, recorded."""

    expected: int
    present: int
    recorded: int

    @property
    def taken(self) -> bool:
        return self.recorded > 0


def meeting_figures(meeting: Meeting, *, expected: int | None = None) -> MeetingFigures:
    """The meeting's figures: present and recorded from its stored counts (else counted,
    one query), expected counted (one query) unless the caller knows it already."""
    counts_of([meeting])
    return MeetingFigures(
        expected=expected_people_count(meeting) if expected is None else expected,
        present=meeting.present_count,
        recorded=meeting.recorded_count,
    )


def attendance_rows(meeting: Meeting) -> QuerySet[Attendance]:
    """The recorded attendance of a meeting with its people, by person id (the order of
    the (meeting, person) index: a page costs no sort of the meeting's rows)."""
    return Attendance.objects.filter(meeting=meeting).select_related("person").order_by("person_id")


def is_future(meeting: Meeting) -> bool:
    return meeting.date > timezone.localdate()


def untaken_past_meetings(today: datetime.date) -> QuerySet[Meeting]:
    """Meetings on or before today whose attendance nobody has taken yet, oldest first:
    until it is, the score leaves them out."""
    return (
        Meeting.objects.filter(date__lte=today)
        .exclude(Exists(Attendance.objects.filter(meeting_id=OuterRef("pk"))))
        .order_by("date", "title")
    )


def meeting_list() -> QuerySet[Meeting]:
    """Meetings, newest first (the filters are governance.filters.MeetingFilterSet)."""
    return Meeting.objects.order_by("-date", "title")


def meeting_page(meetings: QuerySet[Meeting], page_number: str | int | None) -> Page:
    """A page of meetings with how many were present and how many rows were recorded
    (two queries; three when a meeting of the page has no stored counts).

    The counts are those stored when the attendance was recorded (Meeting.counts); only
    the meetings without them are counted here: counting every attendance row of every
    meeting costs a scan of the company's attendance."""
    page = page_of(meetings, MEETINGS_PER_PAGE, page_number)
    page.object_list = counts_of(list(page.object_list))
    return page


def counts_of(meetings: list[Meeting]) -> list[Meeting]:
    """Set `present_count` and `recorded_count` on each meeting: its stored counts, or
    counted for those without (one query, only when there are such meetings)."""
    unstored = [m.pk for m in meetings if not (m.counts and "recorded" in m.counts)]
    live = (
        {
            row["meeting_id"]: row
            for row in Attendance.objects.filter(meeting_id__in=unstored)
            .order_by()
            .values("meeting_id")
            .annotate(present=Count("pk", filter=Q(present=True)), recorded=Count("pk"))
        }
        if unstored
        else {}
    )
    for meeting in meetings:
        counts = live.get(meeting.pk, {}) if meeting.pk in unstored else meeting.counts
        meeting.present_count = counts.get("present", 0)
        meeting.recorded_count = counts.get("recorded", 0)
    return meetings
