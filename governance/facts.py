"""Load the facts the scoring engine needs, in a fixed number of queries.

Every query is a flat `values_list` over one table, or counts over one table where the
rules only count (expertise tags per person, managers per account); only the few
departed managers come joined to their e-mail. References are resolved through
id → key maps in Python, dates are truncated to the site's local date by the
database, so the number of round trips does not depend on the company's size;
it is pinned in tests at two sizes.
"""

from collections import defaultdict
from dataclasses import fields as dataclass_fields
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate

from governance.models import Attendance, Meeting, Policy
from governance.scoring import (
    AccountFact,
    DepartmentFact,
    Facts,
    GroupFact,
    MeetingFact,
    PersonFact,
    PolicyFact,
    SeatFact,
    gc_paused,
)
from stakeholders.models import Department, Person, Seat, SocialAccount, StakeholderGroup

QUERY_COUNT = 11


def _raw_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list, fetched without the ORM's per-row machinery.

    Only for the largest reads whose columns the drivers already return as Python
    values (integers, strings, booleans, dates of date columns; truncated
    timestamps go through `_as_date`): skipping Django's row iterator saves about
    a third of their cost at scale.
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. attendance of no meeting
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_date(value: date | str | None) -> date | None:
    """A truncated timestamp: SQLite hands back the text of the date, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def policy_fact(policy: Policy) -> PolicyFact:
    # Only the settings the scoring rules read (the policy also holds workflow defaults).
    return PolicyFact(**{f.name: getattr(policy, f.name) for f in dataclass_fields(PolicyFact)})


def load_facts(*, as_of: date | None = None, policy: Policy | None = None) -> Facts:
    with gc_paused():
        return _load_facts(as_of=as_of, policy=policy)


def _load_facts(*, as_of: date | None, policy: Policy | None) -> Facts:
    """The registry as scoring facts, in QUERY_COUNT queries (one more for a new policy row).

    With `as_of`, only the meetings that can affect an assessment at that date are
    loaded: the latest max(participation_window, absence_limit) meetings on or before
    it whose attendance has been taken. Participation looks at no others, and a
    current seat is expected at every taken meeting from its start to the as-of
    date, so its latest expected meetings are among those. Attendance is by far the
    largest table, so this matters at scale.
    """
    policy = policy or Policy.load()

    department_rows = list(
        Department.objects.order_by("key").values_list(
            "id", "key", "name", "parent_id", "function", "headcount", "customer_facing", "active"
        )
    )
    key_by_department = {row[0]: row[1] for row in department_rows}
    departments = tuple(
        DepartmentFact(
            key=key,
            name=name,
            parent=key_by_department.get(parent_id),
            function=function,
            headcount=headcount,
            customer_facing=customer_facing,
            active=active,
        )
        for _, key, name, parent_id, function, headcount, customer_facing, active in (
            department_rows
        )
    )

    # Only how many tags each person has is read by the rules (a tag's name is unique).
    tags_by_person = dict(
        _raw_rows(
            Person.expertise.through.objects.order_by()
            .values("person_id")
            .annotate(tags=Count("*"))
            .values_list("person_id", "tags")
        )
    )

    email_by_person: dict[int, str] = {}
    people_list = []
    # References are resolved through the id -> key maps here, not joined by the
    # database: a join turns the read in primary-key order into a sort of every row
    # (spilling to disk at this size), which costs more than a dictionary look-up.
    for person_id, email, seniority, department_id, active in _raw_rows(
        Person.objects.order_by("id").values_list(
            "id", "email", "seniority", "department_id", "active"
        )
    ):
        email = email.lower()
        email_by_person[person_id] = email
        # Positional arguments, in PersonFact's field order (as for seats and accounts
        # below): keywords cost a quarter more per object, hundreds of thousands of them.
        people_list.append(
            PersonFact(
                email,
                seniority,
                key_by_department.get(department_id),
                tags_by_person.get(person_id, 0),
                active,
            )
        )

    key_by_group = {}
    groups = []
    for group_id, key, kind in StakeholderGroup.objects.order_by("key").values_list(
        "id", "key", "kind"
    ):
        key_by_group[group_id] = key
        groups.append(GroupFact(key=key, kind=kind))

    # Only SQLite hands the truncated timestamps back as text (see _as_date).
    text_dates = connections[Seat.objects.db].vendor == "sqlite"
    seats = tuple(
        SeatFact(
            seat_id,
            email_by_person[person_id],
            key_by_department.get(department_id),
            key_by_group.get(group_id),
            role,
            status,
            _as_date(nominated_on) if text_dates else nominated_on,
            _as_date(decided_on) if text_dates else decided_on,
            term_start,
            term_end,
        )
        for (
            seat_id,
            person_id,
            department_id,
            group_id,
            role,
            status,
            nominated_on,
            decided_on,
            term_start,
            term_end,
        ) in _raw_rows(
            Seat.objects.order_by("id")
            .annotate(nominated_on=TruncDate("nominated_at"), decided_on=TruncDate("decided_at"))
            .values_list(
                "id",
                "person_id",
                "department_id",
                "group_id",
                "role",
                "status",
                "nominated_on",
                "decided_on",
                "term_start",
                "term_end",
            )
        )
    )

    # The managers as the two figures the rules read per account: how many are active
    # (all of them but those who have left) and the e-mails of those who have left.
    through = SocialAccount.managers.through.objects.order_by()
    manager_counts = dict(
        _raw_rows(
            through.values("socialaccount_id")
            .annotate(managers=Count("*"))
            .values_list("socialaccount_id", "managers")
        )
    )
    departed_by_account: dict[int, list[str]] = defaultdict(list)
    for account_id, email in _raw_rows(
        through.filter(person__active=False).values_list("socialaccount_id", "person__email")
    ):
        departed_by_account[account_id].append(email.lower())
    departed_managers = {key: tuple(sorted(emails)) for key, emails in departed_by_account.items()}
    active_managers = manager_counts
    for account_id, emails in departed_managers.items():
        active_managers[account_id] -= len(emails)
    nobody: tuple[str, ...] = ()
    accounts = tuple(
        AccountFact(
            platform,
            handle.lower(),
            key_by_department.get(owner_id),
            status,
            last_post_at,
            nobody,  # the managers, resolved into the next two fields
            active_managers.get(account_id, 0),
            departed_managers.get(account_id, nobody),
        )
        for account_id, platform, handle, owner_id, status, last_post_at in _raw_rows(
            SocialAccount.objects.order_by("id").values_list(
                "id", "platform", "handle", "owner_id", "status", "last_post_at"
            )
        )
    )

    taken = Exists(Attendance.objects.filter(meeting_id=OuterRef("pk")).order_by())
    meeting_rows = Meeting.objects.order_by("-date", "-title").annotate(taken=taken)
    if as_of is not None:
        # Meetings whose attendance has not been taken are skipped by every rule, so
        # the ones that matter are the latest taken ones.
        needed = max(policy.participation_window, policy.absence_limit)
        meeting_rows = meeting_rows.filter(date__lte=as_of, taken=True)[:needed]
    meeting_rows = list(meeting_rows.values_list("id", "date", "title", "taken"))
    present_by_meeting: dict[int, set[str]] = defaultdict(set)
    # No order: the default one (by person name) would join and sort every row.
    attendance = Attendance.objects.filter(present=True).order_by()
    if as_of is not None:
        attendance = attendance.filter(meeting_id__in=[row[0] for row in meeting_rows])
    for meeting_id, person_id in _raw_rows(attendance.values_list("meeting_id", "person_id")):
        present_by_meeting[meeting_id].add(email_by_person[person_id])
    meetings = tuple(
        MeetingFact(
            date=day, title=title, present=frozenset(present_by_meeting[mid]), taken=bool(taken)
        )
        for mid, day, title, taken in reversed(meeting_rows)
    )

    return Facts(
        departments=departments,
        people=tuple(people_list),
        groups=tuple(groups),
        seats=seats,
        accounts=accounts,
        meetings=meetings,
        policy=policy_fact(policy),
    )
