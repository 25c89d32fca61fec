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
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from coe.pagination import PAGE_SIZE, page_of
from governance.models import Attendance, Meeting
from stakeholders.models import Person, Seat, SeatStatus

MEETINGS_PER_PAGE = PAGE_SIZE


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


def seats_expected_at(day: datetime.date) -> QuerySet[Seat]:
    """The seats expected at a meeting on `day`, with their people, by name."""
    return (
        expected_seats(day)
        .select_related("person", "department", "group")
        .order_by("person__name", "person_id", "id")
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


def meeting_expected_people(meeting: Meeting) -> list[ExpectedPerson]:
    """The people expected at the meeting, by name, with what was recorded (2 queries)."""
    people: dict[int, ExpectedPerson] = {}
    for seat in seats_expected_at(meeting.date):
        entry = people.setdefault(seat.person_id, ExpectedPerson(person=seat.person))
        entry.seats.append(seat)
    recorded = dict(Attendance.objects.filter(meeting=meeting).values_list("person_id", "present"))
    for person_id, entry in people.items():
        entry.recorded = person_id in recorded
        entry.present = bool(recorded.get(person_id))
    return list(people.values())


def is_taken(meeting: Meeting) -> bool:
    """Whether the meeting's attendance has been taken (at least one row, for anyone)."""
    return Attendance.objects.filter(meeting=meeting).exists()


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
    meetings = list(page.object_list)
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
    page.object_list = meetings
    return page
