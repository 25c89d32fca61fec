"""Reads of the registry pages that span relations: the directory, a department's
page, the social account registry and the roster's seats (the roster page itself, with
its stored order and meeting attendance, is governance's: governance/roster.py).

`select_related` / `prefetch_related` and the counting subqueries are applied here,
once, so that every page runs a fixed number of queries whatever the data size.
Nomination reads live in `stakeholders.seat_selectors`; the department timeline in
`stakeholders.history` (re-exported here).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Lower
from django.utils import timezone

from stakeholders.history import (  # noqa: F401
    TimelineEntry,
    department_timeline,
    person_timeline,
)
from stakeholders.models import (
    Department,
    Person,
    Seat,
    SeatRole,
    SeatStatus,
    SocialAccount,
    StakeholderGroup,
)

if TYPE_CHECKING:
    from stakeholders.ports import DepartmentAssessment

# --- Shared -----------------------------------------------------------


class SubqueryCount(Subquery):
    """COUNT(*) of a queryset correlated with the outer row, 0 when empty."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra) -> None:
        # A count needs no order: the models' default ordering (attendance by person
        # name, seats by nomination time) would sort every matching row, per outer row.
        super().__init__(queryset.order_by(), **extra)


def _day_after(as_of: datetime.date) -> datetime.datetime:
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min, tz)


def current_seat_q(as_of: datetime.date, prefix: str = "") -> Q:
    """A current seat (DESIGN.md): approved, started on or before T (term_start, else the
    decision), not ended before T, held by an active person, for a counting constituency."""
    p = prefix
    started = Q(**{f"{p}term_start__lte": as_of}) | Q(
        Q(**{f"{p}term_start__isnull": True})
        & (Q(**{f"{p}decided_at__isnull": True}) | Q(**{f"{p}decided_at__lt": _day_after(as_of)}))
    )
    counting = Q(**{f"{p}department__active": True}) | Q(**{f"{p}group__isnull": False})
    return (
        Q(**{f"{p}status": SeatStatus.APPROVED})
        & started
        & (Q(**{f"{p}term_end__isnull": True}) | Q(**{f"{p}term_end__gte": as_of}))
        & Q(**{f"{p}person__active": True})
        & counting
    )


def _accounts_count() -> SubqueryCount:
    return SubqueryCount(SocialAccount.objects.filter(owner=OuterRef("pk")).values("pk"))


def _current_seats_count(as_of: datetime.date) -> SubqueryCount:
    return SubqueryCount(
        Seat.objects.filter(current_seat_q(as_of), department=OuterRef("pk")).values("pk")
    )


# --- directory -----------------------------------------------------------

DIRECTORY_SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("Name (A–Z)", ("name", "key")),
    "-name": ("Name (Z–A)", ("-name", "key")),
    "-headcount": ("Largest first", ("-headcount", "name", "key")),
    "headcount": ("Smallest first", ("headcount", "name", "key")),
    "-accounts": ("Most accounts", ("-accounts_count", "name", "key")),
    "-seats": ("Most seats", ("-seats_count", "name", "key")),
    "-influence": ("Most influence", ("-influence", "-interest", "name", "key")),
}


def department_directory(*, as_of: datetime.date) -> QuerySet[Department]:
    """The directory's departments with their counts, by name (one query a page); the
    filters are stakeholders.filters.DepartmentFilterSet."""
    departments = Department.objects.select_related("parent", "head").annotate(
        accounts_count=_accounts_count(), seats_count=_current_seats_count(as_of)
    )
    return departments.order_by(*DIRECTORY_SORTS["name"][1])


# --- department page -----------------------------------------------------


@dataclass
class DepartmentPage:
    department: Department
    path: list[tuple[str, str]]  # ancestors, top first: (key, name)
    children: list[Department]
    open_seats: list[Seat]
    past_seats: list[Seat]
    accounts: list[SocialAccount]
    findings: list[dict]
    representation: str | None
    representation_by_key: dict[str, str]
    assessed_at: datetime.datetime | None
    people_count: int


def department_path(department: Department) -> list[tuple[str, str]]:
    """The department's ancestors, top-level first, as (key, name) (one query)."""
    return [
        (d.key, d.name)
        for d in Department.objects.only("key", "name", "parent_id").path_to(department)
    ]


def findings_about_department(
    findings: list[dict], *, key: str, account_subjects: set[str]
) -> list[dict]:
    """The findings whose subject is the department, one of its seats or its accounts."""
    about = []
    for finding in findings:
        subject = finding["subject"]
        if (
            subject == key
            or (finding["code"] != "missing_voice" and subject.endswith(f"/{key}"))
            or subject.split("/", 1)[0] in account_subjects
        ):
            about.append(finding)
    return about


def finding_places(finding: dict) -> tuple[str, str]:
    """(department key, account subject) a finding is about, as findings_about_department
    matches it: a department key is a slug (no "/"), so "the subject is the key or ends
    with /key" is "its part after the last / is the key"; an account subject has a ":".
    Either may be empty. Stored with each finding (governance's FindingEntry) so that a
    department's findings are an indexed lookup."""
    subject = finding["subject"]
    if finding["code"] == "missing_voice" and "/" in subject:
        key = ""
    else:
        key = subject.rsplit("/", 1)[-1]
    account = subject.split("/", 1)[0]
    return key, account if ":" in account else ""


def department_page(
    department: Department,
    *,
    assessment: Callable[[list[str]], DepartmentAssessment],
    as_of: datetime.date,
) -> DepartmentPage:
    """Everything the department page shows but its timeline (eight queries, two of
    them the latest assessment's: the snapshot with the representation of this
    department and its children, and the findings about this one)."""
    children = list(
        Department.objects.filter(parent=department)
        .annotate(accounts_count=_accounts_count(), seats_count=_current_seats_count(as_of))
        .order_by("-active", "name", "key")
    )
    seats = list(
        Seat.objects.filter(department=department)
        .select_related("person", "nominated_by", "decided_by")
        .order_by("-nominated_at", "-id")
    )
    role_rank = {role: rank for rank, role in enumerate(SeatRole.values)}
    status_rank = {SeatStatus.APPROVED: 0, SeatStatus.NOMINATED: 1}
    open_seats = sorted(
        (s for s in seats if s.status in status_rank),
        key=lambda s: (status_rank[s.status], role_rank.get(s.role, 9), s.person.name),
    )
    past_seats = [s for s in seats if s.status not in status_rank]
    accounts = list(
        SocialAccount.objects.filter(owner=department)
        .prefetch_related(Prefetch("managers", queryset=Person.objects.order_by("name")))
        .order_by("platform", "handle")
    )
    subjects = {account.subject for account in accounts}
    latest = assessment([department.key, *(child.key for child in children)])
    return DepartmentPage(
        department=department,
        path=department_path(department),
        children=children,
        open_seats=open_seats,
        past_seats=past_seats,
        accounts=accounts,
        findings=latest.findings_about(department.key, account_subjects=subjects),
        representation=latest.representation.get(department.key),
        representation_by_key=latest.representation,
        assessed_at=latest.assessed_at,
        people_count=Person.objects.filter(department=department, active=True).count(),
    )


# --- social accounts -----------------------------------------------------


def account_finding_codes(findings: list[dict]) -> dict[str, list[str]]:
    """Finding codes per account subject (`platform:handle`), from an assessment."""
    codes: dict[str, list[str]] = defaultdict(list)
    for finding in findings:
        subject = finding["subject"]
        if ":" in subject:
            account = subject.split("/", 1)[0]
            if finding["code"] not in codes[account]:
                codes[account].append(finding["code"])
    return dict(codes)


def account_registry() -> QuerySet[SocialAccount]:
    """The registry's accounts, owner and managers loaded (two queries a page); the
    filters are stakeholders.filters.SocialAccountFilterSet."""
    accounts = (
        SocialAccount.objects.select_related("owner")
        .prefetch_related(Prefetch("managers", queryset=Person.objects.order_by("name")))
        .annotate(subject_key=Concat("platform", Value(":"), Lower("handle")))
    )
    return accounts.order_by("platform", Lower("handle"), "id")


def account_owner_choices() -> list[tuple[str, str]]:
    """The departments that own at least one account, for the registry's owner filter."""
    return list(
        Department.objects.filter(Exists(SocialAccount.objects.filter(owner=OuterRef("pk"))))
        .order_by("name", "key")
        .values_list("key", "name")
    )


def account_owner_queryset(
    *, lead: bool, headed_ids: frozenset[int], current: Department | None = None
) -> QuerySet[Department]:
    """The departments a user may choose as an account's owner (and its current owner)."""
    allowed = Q(active=True) if lead else Q(active=True, pk__in=sorted(headed_ids))
    if current is not None:
        allowed |= Q(pk=current.pk)
    return Department.objects.filter(allowed).order_by("name", "key")


# --- roster ----------------------------------------------------------------


def _role_order() -> Case:
    return Case(
        *(When(role=role, then=Value(rank)) for rank, role in enumerate(SeatRole.values)),
        default=Value(len(SeatRole.values)),
        output_field=IntegerField(),
    )


def roster_seats(*, as_of: datetime.date) -> QuerySet[Seat]:
    """Current seats ordered by role, then constituency, then person; the filters are
    stakeholders.filters.SeatFilterSet."""
    seats = (
        Seat.objects.filter(current_seat_q(as_of))
        .select_related("person", "person__department", "department", "group")
        .annotate(
            role_rank=_role_order(),
            constituency_name=Coalesce("department__name", "group__name"),
        )
    )
    return seats.order_by("role_rank", Lower("constituency_name"), "person__name", "id")


def roster_text_q(text: str) -> Q:
    """Seats whose person's name or e-mail, or constituency's name, holds the text."""
    needle = text.strip()
    people = Person.objects.filter(Q(name__icontains=needle) | Q(email__icontains=needle))
    return (
        Q(person__in=people.values("pk"))
        | Q(department__in=Department.objects.filter(name__icontains=needle).values("pk"))
        | Q(group__in=StakeholderGroup.objects.filter(name__icontains=needle).values("pk"))
    )


def roster_summary(
    *, as_of: datetime.date, stored: dict[str, list[int]] | None = None
) -> list[dict[str, Any]]:
    """Current seats per role, split by constituency kind: the stored counts of the
    latest snapshot's roster when given, else counted (one query)."""
    if stored is not None:
        rows = {role: tuple(counts) for role, counts in stored.items()}
    else:
        rows = {
            role: (departments, groups)
            for role, departments, groups in Seat.objects.filter(current_seat_q(as_of))
            .order_by()
            .values_list("role")
            .annotate(
                departments=Count("id", filter=Q(department__isnull=False)),
                groups=Count("id", filter=Q(group__isnull=False)),
            )
        }
    return [
        {
            "role": role,
            "label": label,
            "departments": rows.get(role, (0, 0))[0],
            "groups": rows.get(role, (0, 0))[1],
            "total": sum(rows.get(role, (0, 0))),
        }
        for role, label in SeatRole.choices
    ]


# --- departments and stakeholder groups (edit pages, group list) ------------------------

# Above this many departments the parent field's suggestions are left out: the list
# would weigh more than the page, and a key typed in full is checked by the service.
PARENT_SUGGESTIONS_LIMIT = 2000


def department_parent_suggestions() -> list[tuple[str, str]]:
    """(key, name) of the active departments, for the parent field's datalist; empty
    when there are more than PARENT_SUGGESTIONS_LIMIT (one query either way)."""
    rows = list(
        Department.objects.filter(active=True)
        .order_by("key")
        .values_list("key", "name")[: PARENT_SUGGESTIONS_LIMIT + 1]
    )
    return rows if len(rows) <= PARENT_SUGGESTIONS_LIMIT else []


def group_directory(*, as_of: datetime.date) -> QuerySet[StakeholderGroup]:
    """Every stakeholder group with its number of current seats, by name."""
    seats = SubqueryCount(
        Seat.objects.filter(current_seat_q(as_of), group=OuterRef("pk")).values("pk")
    )
    return StakeholderGroup.objects.annotate(seats_count=seats).order_by("name", "key")
