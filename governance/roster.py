"""Reads of the roster page (`/roster/`): the latest snapshot's stored roster (its order),
each seat's attendance and the recent meetings with their counts.

Governance's, not the registry's: it composes the registry's seats with meetings,
attendance and the stored roster (governance's models). The registry's own reads of the
seats (roster_seats, roster_summary, roster_text_q) stay in stakeholders.selectors.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.paginator import Page
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone

from coe.pagination import LIST_COUNT_LIMIT, PAGE_SIZE, page_of
from governance import read_memo
from governance.meeting_selectors import expected_seats
from governance.models import Attendance, Meeting, RosterEntry
from stakeholders import terms
from stakeholders.models import Seat, SeatStatus
from stakeholders.selectors import SubqueryCount

if TYPE_CHECKING:
    from governance.selectors import StoredRoster
    from stakeholders.filters import SeatFilterSet


ROSTER_PAGE_SIZE = PAGE_SIZE
# The recent meetings the roster shows, with their stored counts (refreshed after each
# recompute: governance.services.meeting_counts_refresh).
RECENT_MEETINGS = 12


def roster_rows(
    filters: SeatFilterSet,
    *,
    stored: StoredRoster | None,
    page_number: str | None,
    as_of: datetime.date,
    generation: int,
) -> tuple[Page, list[tuple[Seat, int, int]]]:
    """A page of the roster and its rows (seat, meetings present, meetings expected):
    in the stored roster's order while it is current, else sorted live (in the seconds
    after a change, until its recompute is stored). The same for everyone: remembered
    until the registry changes (read_memo; `generation` read first)."""
    key = (
        "roster-rows",
        generation,
        as_of,
        stored.snapshot_id if stored is not None else None,
        read_memo.query_key(filters.data),
        page_number,
    )
    return read_memo.remembered(
        key, lambda: _roster_rows(filters, stored=stored, page_number=page_number, as_of=as_of)
    )


def _roster_rows(filters, *, stored, page_number, as_of):
    if stored is not None:
        entries = roster_entries(filters, snapshot_id=stored.snapshot_id)
        page = page_of(entries, ROSTER_PAGE_SIZE, page_number, count_limit=LIST_COUNT_LIMIT)
        page.object_list = roster_page_seats(list(page.object_list))
    else:
        page = page_of(filters.qs, ROSTER_PAGE_SIZE, page_number, count_limit=LIST_COUNT_LIMIT)
    seats = list(page.object_list)
    attendance = seat_attendance(seats, as_of=as_of)
    return page, [(seat, *attendance[seat.pk]) for seat in seats]


def roster_entries(filters: SeatFilterSet, *, snapshot_id: int) -> QuerySet:
    """The seat ids of a stored roster (governance's RosterEntry) in the roster's order,
    kept to the seats the roster's filters select (the seat FilterSet, the one
    definition of those filters): read a page at a time by an index."""
    entries = RosterEntry.objects.filter(snapshot_id=snapshot_id)
    if filters.is_set:
        # The stored roster holds only current seats: the filters apply to any seat, so
        # that the database need not work out again which seats are current (a pass over
        # every seat's holder) to keep the few the text names.
        filters.errors  # noqa: B018 -- validates, as FilterSet.qs does before filtering
        matching = filters.filter_queryset(Seat.objects.order_by())
        entries = entries.filter(seat_id__in=matching.values("pk"))
    return entries.order_by("position").values_list("seat_id", flat=True)


def roster_page_seats(seat_ids: list[int]) -> list[Seat]:
    """The seats of a page of the stored roster, in its order (one query)."""
    seats = Seat.objects.select_related("person", "person__department", "department", "group")
    by_id = {seat.pk: seat for seat in seats.filter(pk__in=seat_ids)}
    return [by_id[seat_id] for seat_id in seat_ids if seat_id in by_id]


def seat_start(seat: Seat) -> datetime.date | None:
    if seat.term_start is not None:
        return seat.term_start
    return timezone.localdate(seat.decided_at) if seat.decided_at else None


def seat_attendance(seats: list[Seat], *, as_of: datetime.date) -> dict[int, tuple[int, int]]:
    """(present, expected) meetings per seat, from its start to T (two queries)."""
    if not seats:
        return {}
    meetings = list(
        Meeting.objects.filter(date__lte=as_of).order_by("date", "title").values_list("id", "date")
    )
    present = set(
        Attendance.objects.filter(
            present=True,
            person_id__in=sorted({seat.person_id for seat in seats}),
            meeting__date__lte=as_of,
        ).values_list("meeting_id", "person_id")
    )
    result: dict[int, tuple[int, int]] = {}
    for seat in seats:
        start = seat_start(seat)
        end = min(seat.term_end or as_of, as_of)
        expected = [mid for mid, day in meetings if (start is None or day >= start) and day <= end]
        result[seat.pk] = (
            sum(1 for mid in expected if (mid, seat.person_id) in present),
            len(expected),
        )
    return result


def roster_shared(*, as_of: datetime.date, generation: int) -> dict[str, list]:
    """The roster's recent meetings and the terms ending soon: the same for everyone,
    remembered until the registry changes (read_memo; `generation` read first)."""
    return read_memo.remembered(
        ("roster", as_of, generation),
        lambda: {
            "meetings": meetings_summary(as_of=as_of),
            "ending_soon": list(terms.seats_ending_soon(as_of)),
        },
    )


def meetings_summary(*, as_of: datetime.date, limit: int = RECENT_MEETINGS) -> list[Meeting]:
    """The latest meetings on or before T, each with its expected seats, how many of
    their holders were present, and everyone marked present (one query; two when a
    meeting shown has no stored counts).

    A meeting whose attendance was recorded carries its counts (Meeting.counts); the
    others are counted here, only them: the CASE leaves the subqueries unrun for a
    meeting with stored counts."""
    unstored = Q(counts__isnull=True)
    meetings = list(
        Meeting.objects.filter(date__lte=as_of)
        .annotate(
            live_expected=Case(
                When(unstored, then=SubqueryCount(expected_seats(OuterRef("date")).values("pk")))
            ),
            live_present=Case(
                When(
                    unstored,
                    then=SubqueryCount(
                        Attendance.objects.filter(meeting=OuterRef("pk"), present=True).values("pk")
                    ),
                )
            ),
            taken=Exists(Attendance.objects.filter(meeting=OuterRef("pk")).order_by()),
        )
        .order_by("-date", "-title")[:limit]
    )
    live = [m.pk for m in meetings if m.counts is None]
    holders = meeting_holders_present(live) if live else {}
    for meeting in meetings:
        if meeting.counts is not None:
            meeting.expected = meeting.counts["expected"]
            meeting.present_count = meeting.counts["present"]
            meeting.holders_present = meeting.counts["holders_present"]
        else:
            meeting.expected = meeting.live_expected
            meeting.present_count = meeting.live_present
            meeting.holders_present = holders.get(meeting.pk, 0)
    return meetings


def meeting_counts(meeting: Meeting) -> dict[str, int]:
    """What meetings_summary and the meeting list show of one meeting, counted (four
    queries): stored by governance.services.attendance_record."""
    return {
        "expected": expected_seats(meeting.date).count(),
        "present": Attendance.objects.filter(meeting=meeting, present=True).count(),
        "holders_present": meeting_holders_present([meeting.pk]).get(meeting.pk, 0),
        "recorded": Attendance.objects.filter(meeting=meeting).count(),
    }


def meeting_holders_present(meeting_ids: list[int]) -> dict[int, int]:
    """Per meeting, how many of those present held a seat expected at it (one query).

    One grouped join of attendance with the holders' seats: a per-row subquery costs
    seconds at 20,000 departments (hundreds of thousands of attendance rows)."""
    meeting_date = F("meeting__date")
    # One filter() call, so that every condition applies to the same seat of the person.
    return dict(
        Attendance.objects.filter(meeting__in=meeting_ids, present=True)
        .filter(
            Q(person__seats__department__active=True) | Q(person__seats__group__isnull=False),
            Q(person__seats__term_start__lte=meeting_date)
            | Q(person__seats__term_start__isnull=True, person__seats__decided_at__isnull=True)
            | Q(
                person__seats__term_start__isnull=True,
                person__seats__decided_at__date__lte=meeting_date,
            ),
            Q(person__seats__term_end__isnull=True) | Q(person__seats__term_end__gte=meeting_date),
            person__seats__status__in=(SeatStatus.APPROVED, SeatStatus.ENDED),
        )
        .order_by()
        .values("meeting_id")
        .annotate(holders=Count("person_id", distinct=True))
        .values_list("meeting_id", "holders")
    )
