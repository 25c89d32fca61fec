"""Reads for nominations and seats: the people a nomination form offers, a user's own
nominations, a group's seats. (The decision queue, with each nomination's effect on
the score, is governance's: governance/nomination_queue.py.)

Each runs a fixed number of queries whatever the size of the registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import User
from stakeholders.models import (
    Department,
    Person,
    Seat,
    SeatRole,
    SeatStatus,
    StakeholderGroup,
)


def people_for_nomination(
    *, department: Department | None = None, group: StakeholderGroup | None = None
) -> QuerySet[Person]:
    """The people a nomination form offers: active, without an open seat there, and for
    a department, working in it or below it (anyone else is entered by e-mail)."""
    if department is not None:
        people = Person.objects.filter(department__in=Department.objects.descendants_of(department))
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
