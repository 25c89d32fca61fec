"""Reads of the people pages: the directory (`/people/`, and its export) and a
person's page. Each runs a fixed number of queries whatever the registry's size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from stakeholders.models import (
    IN_USE_ACCOUNT_STATUSES,
    OPEN_SEAT_STATUSES,
    Department,
    ExpertiseTag,
    Person,
    Seat,
    SeatStatus,
    SocialAccount,
)
from stakeholders.selectors import SubqueryCount, current_seat_q

# --- the directory ------------------------------------------------------------------


def _expertise_prefetch() -> Prefetch:
    return Prefetch("expertise", queryset=ExpertiseTag.objects.order_by("name"))


def person_directory(*, as_of: datetime.date) -> QuerySet[Person]:
    """The people with their department, expertise and number of current seats, by name
    (two queries a page); the filters are stakeholders.filters.PersonFilterSet."""
    people = (
        Person.objects.select_related("department")
        .prefetch_related(_expertise_prefetch())
        .annotate(
            current_seats=SubqueryCount(
                Seat.objects.filter(current_seat_q(as_of), person=OuterRef("pk")).values("pk")
            )
        )
    )
    return people.order_by("name", "email", "id")


DEPARTMENT_SEARCH_LIMIT = 20


def department_search(text: str, *, limit: int = DEPARTMENT_SEARCH_LIMIT) -> list[dict[str, str]]:
    """Departments whose name or key contains the text, by name (one query)."""
    needle = text.strip()[:100]
    departments = Department.objects.all()
    if needle:
        departments = departments.filter(Q(name__icontains=needle) | Q(key__icontains=needle))
    return [
        {"value": key, "text": name}
        for key, name in departments.order_by("name", "key").values_list("key", "name")[:limit]
    ]


def tag_choices() -> list[str]:
    """The expertise tags somebody has."""
    return list(
        ExpertiseTag.objects.filter(
            Exists(Person.expertise.through.objects.filter(expertisetag=OuterRef("pk")))
        )
        .order_by("name")
        .values_list("name", flat=True)
    )


# --- a person's page -----------------------------------------------------------------


@dataclass
class PersonPage:
    person: Person
    expertise: list[ExpertiseTag]
    open_seats: list[Seat]  # nominated or approved; `is_current` says whether it counts now
    past_seats: list[Seat]
    accounts: list[SocialAccount]  # the accounts they manage

    @property
    def accounts_in_use(self) -> list[SocialAccount]:
        return [a for a in self.accounts if a.status in IN_USE_ACCOUNT_STATUSES]

    @property
    def approved_seats(self) -> list[Seat]:
        return [s for s in self.open_seats if s.status == SeatStatus.APPROVED]


def person_page(person: Person, *, as_of: datetime.date) -> PersonPage:
    """Everything a person's page shows but its timeline (three queries)."""
    seats = list(
        Seat.objects.filter(person=person)
        .select_related("department", "group")
        .annotate(
            is_current=Case(
                When(current_seat_q(as_of), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-nominated_at", "-id")
    )
    accounts = list(
        SocialAccount.objects.filter(managers=person)
        .select_related("owner")
        .order_by("platform", "handle", "id")
    )
    return PersonPage(
        person=person,
        expertise=list(person.expertise.order_by("name")),
        open_seats=[s for s in seats if s.status in OPEN_SEAT_STATUSES],
        past_seats=[s for s in seats if s.status not in OPEN_SEAT_STATUSES],
        accounts=accounts,
    )
