"""Reads for nominations and seats: the decision queue with each nomination's effect
on the score, the people a nomination form offers, a user's own nominations.

Each runs a fixed number of queries whatever the size of the registry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from coe.pagination import page_of
from governance import selectors as governance_selectors
from governance.models import Policy, Snapshot
from stakeholders.models import (
    Department,
    Person,
    Seat,
    SeatRole,
    SeatStatus,
    StakeholderGroup,
)


def department_subtree_ids(department: Department) -> set[int]:
    """The department and every department below it (one query)."""
    children: dict[int, list[int]] = {}
    for dept_id, parent_id in Department.objects.values_list("id", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(dept_id)
    result: set[int] = set()
    stack = [department.pk]
    while stack:
        dept_id = stack.pop()
        if dept_id not in result:
            result.add(dept_id)
            stack.extend(children.get(dept_id, ()))
    return result


def people_for_nomination(
    *, department: Department | None = None, group: StakeholderGroup | None = None
) -> QuerySet[Person]:
    """The people a nomination form offers: active, without an open seat there, and for
    a department, working in it or below it (anyone else is entered by e-mail)."""
    if department is not None:
        people = Person.objects.filter(department_id__in=department_subtree_ids(department))
        seated = Seat.objects.open().filter(department=department)
    else:
        people = Person.objects.all()
        seated = Seat.objects.open().filter(group=group)
    return (
        people.active()
        .exclude(pk__in=seated.values("person_id"))
        .select_related("department")
        .order_by("name", "email")
    )


def nominations_by(user: User) -> QuerySet[Seat]:
    """The nominations a user made, newest first."""
    return (
        Seat.objects.filter(nominated_by=user)
        .select_related("person", "department", "group", "decided_by")
        .order_by("-nominated_at", "-id")
    )


@dataclass(frozen=True)
class GroupSeats:
    open: list[Seat]  # approved first, then nominated; by role, then name
    past: list[Seat]  # declined, withdrawn, ended: newest first


def group_seats(group: StakeholderGroup) -> GroupSeats:
    """The group's seats for its page, open ones first (one query)."""
    seats = list(
        Seat.objects.filter(group=group)
        .select_related("person", "nominated_by", "decided_by")
        .order_by("-nominated_at", "-id")
    )
    role_rank = {role: rank for rank, role in enumerate(SeatRole.values)}
    status_rank = {SeatStatus.APPROVED: 0, SeatStatus.NOMINATED: 1}
    open_seats = sorted(
        (s for s in seats if s.status in status_rank),
        key=lambda s: (status_rank[s.status], role_rank.get(s.role, 9), s.person.name),
    )
    return GroupSeats(open=open_seats, past=[s for s in seats if s.status not in status_rank])


@dataclass(frozen=True)
class QueueEntry:
    seat: Seat
    waited_days: int
    stale: bool
    # The score if this nomination alone were approved; None when approving it would
    # not count (an archived department, a person who has left) or is not known yet.
    score_if_approved: float | None
    impact: float | None
    # Nominated after the latest snapshot read the facts: its score comes with the
    # recompute that the nomination queued.
    computing: bool = False


@dataclass(frozen=True)
class NominationQueue:
    as_of: datetime.date
    score: float | None
    stale_days: int
    page: Page  # of the pending seats, oldest first
    entries: list[QueueEntry] = field(default_factory=list)  # those of the page


QUEUE_PAGE_SIZE = 50


def queue_snapshot() -> Snapshot | None:
    """The latest snapshot with only what the queue reads of it (one query)."""
    return (
        Snapshot.objects.order_by("-created_at", "-id")
        .only("id", "created_at", "registry_generation", "if_approved")
        .first()
    )


def pending_seats() -> QuerySet[Seat]:
    """The nominations waiting for a decision, oldest first (the queue's rows; its filters
    are stakeholders.filters.SeatFilterSet)."""
    return (
        Seat.objects.pending()
        .select_related("person", "department", "group", "nominated_by")
        .order_by("nominated_at", "id")
    )


def nomination_queue(
    *,
    as_of: datetime.date,
    snapshot: Snapshot | None,
    page_number: int | str | None = 1,
    pending: QuerySet[Seat] | None = None,
) -> NominationQueue:
    """One page of pending nominations, oldest first, each with what approving it would
    do to the score.

    The "if approved" scores are those stored with the snapshot (worked out for every
    pending nomination when it was taken), so a page costs a fixed number of small
    queries -- count, page, the registry generation and the policy -- whatever the
    size of the company. A nomination the snapshot has not seen shows as computing.
    """
    if pending is None:
        pending = pending_seats()
    page = page_of(pending, QUEUE_PAGE_SIZE, page_number)
    stored = (snapshot.if_approved if snapshot is not None else None) or {}
    scores: dict[str, float] = stored.get("seats", {})
    base: float | None = stored.get("score")
    stale = snapshot is None or not stored or governance_selectors.snapshot_is_stale(snapshot)
    stale_days = Policy.load().stale_days
    entries = []
    for seat in page:
        nominated = seat.nominated_at and scoring_date(seat.nominated_at)
        waited = (as_of - nominated).days if nominated else 0
        score = scores.get(str(seat.pk))
        entries.append(
            QueueEntry(
                seat=seat,
                waited_days=waited,
                stale=waited > stale_days,
                score_if_approved=score,
                impact=None if score is None or base is None else score - base,
                computing=score is None and stale,
            )
        )
    return NominationQueue(
        as_of=as_of, score=base, stale_days=stale_days, page=page, entries=entries
    )


def scoring_date(moment: datetime.datetime) -> datetime.date:
    """A timestamp as the calendar date the rules compare (the site's time zone)."""
    return timezone.localdate(moment)
