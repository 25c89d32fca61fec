"""Reads of the registry pages that span relations: the directory, a department's
page, the social account registry and the roster.

`select_related` / `prefetch_related` and the counting subqueries are applied here,
once, so that every page runs a fixed number of queries whatever the data size.
Nomination reads live in `stakeholders.seat_selectors`; the department timeline in
`stakeholders.history` (re-exported here).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Lower, TruncDate
from django.utils import timezone

from governance.models import Attendance, Meeting, RosterEntry

if TYPE_CHECKING:
    from stakeholders.filters import SeatFilterSet
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


def department_page(
    department: Department,
    *,
    findings: list[dict],
    representation: dict[str, str],
    assessed_at: datetime.datetime | None,
    as_of: datetime.date,
) -> DepartmentPage:
    """Everything the department page shows but its timeline (seven queries)."""
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
    return DepartmentPage(
        department=department,
        path=department_path(department),
        children=children,
        open_seats=open_seats,
        past_seats=past_seats,
        accounts=accounts,
        findings=findings_about_department(findings, key=department.key, account_subjects=subjects),
        representation=representation.get(department.key),
        representation_by_key=representation,
        assessed_at=assessed_at,
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


def roster_entries(filters: SeatFilterSet, *, snapshot_id: int) -> QuerySet:
    """The seat ids of a stored roster (governance's RosterEntry) matching the roster's
    valid filters (role, constituency, text), in the roster's order: read a page at a
    time by an index."""
    entries = RosterEntry.objects.filter(snapshot_id=snapshot_id)
    filters.is_valid()  # a value with an error is left out of cleaned_data
    chosen = filters.form.cleaned_data
    if chosen.get("role"):
        entries = entries.filter(role=chosen["role"])
    if chosen.get("constituency"):
        entries = entries.filter(group=chosen["constituency"] == "group")
    if chosen.get("q"):
        # The matching seats first, each table through its text index, instead of a join
        # per stored entry.
        matching = Seat.objects.filter(roster_text_q(chosen["q"])).order_by().values("pk")
        entries = entries.filter(seat_id__in=matching)
    return entries.order_by("position").values_list("seat_id", flat=True)


def roster_text_q(text: str) -> Q:
    """Seats whose person's name or e-mail, or constituency's name, holds the text."""
    needle = text.strip()
    people = Person.objects.filter(Q(name__icontains=needle) | Q(email__icontains=needle))
    return (
        Q(person__in=people.values("pk"))
        | Q(department__in=Department.objects.filter(name__icontains=needle).values("pk"))
        | Q(group__in=StakeholderGroup.objects.filter(name__icontains=needle).values("pk"))
    )


def roster_page_seats(seat_ids: list[int]) -> list[Seat]:
    """The seats of a page of the stored roster, in its order (one query)."""
    seats = Seat.objects.select_related("person", "person__department", "department", "group")
    by_id = {seat.pk: seat for seat in seats.filter(pk__in=seat_ids)}
    return [by_id[seat_id] for seat_id in seat_ids if seat_id in by_id]


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


def _expected_seats(meeting_date) -> QuerySet[Seat]:
    """Seats expected at a meeting on `meeting_date` (an OuterRef): approved or ended,
    started by then, not ended before, for a counting constituency."""
    return (
        Seat.objects.filter(status__in=(SeatStatus.APPROVED, SeatStatus.ENDED))
        .filter(Q(department__active=True) | Q(group__isnull=False))
        .annotate(start=Coalesce("term_start", TruncDate("decided_at")))
        .filter(Q(start__isnull=True) | Q(start__lte=meeting_date))
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=meeting_date))
    )


def meetings_summary(*, as_of: datetime.date, limit: int = 12) -> list[Meeting]:
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
                When(unstored, then=SubqueryCount(_expected_seats(OuterRef("date")).values("pk")))
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
        "expected": _expected_seats(meeting.date).count(),
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
