"""Load the facts the scoring engine needs, in a fixed number of queries.

Every query is a flat `values_list`, so the cost grows with the number of rows but
the number of round trips does not (pinned in tests at two company sizes).
"""

from collections import defaultdict
from datetime import date, datetime

from django.utils import timezone

from governance.models import COUNT_FIELDS, SHARE_FIELDS, WEIGHT_FIELDS, Attendance, Meeting, Policy
from governance.scoring import (
    AccountFact,
    DepartmentFact,
    Facts,
    GroupFact,
    MeetingFact,
    PersonFact,
    PolicyFact,
    SeatFact,
)
from stakeholders.models import Department, Person, Seat, SocialAccount, StakeholderGroup

POLICY_FIELDS = WEIGHT_FIELDS + SHARE_FIELDS + COUNT_FIELDS


def policy_fact(policy: Policy) -> PolicyFact:
    return PolicyFact(**{name: getattr(policy, name) for name in POLICY_FIELDS})


def _local_date(value: datetime | None) -> date | None:
    if value is None:
        return None
    return timezone.localdate(value) if timezone.is_aware(value) else value.date()


def load_facts(*, policy: Policy | None = None) -> Facts:
    """The whole registry as scoring facts (10 queries, 11 when the policy row is new)."""
    policy = policy or Policy.load()

    departments = tuple(
        DepartmentFact(
            key=key,
            name=name,
            parent=parent,
            function=function,
            headcount=headcount,
            customer_facing=customer_facing,
            active=active,
        )
        for key, name, parent, function, headcount, customer_facing, active in (
            Department.objects.order_by("key").values_list(
                "key", "name", "parent__key", "function", "headcount", "customer_facing", "active"
            )
        )
    )

    expertise_by_person: dict[int, list[str]] = defaultdict(list)
    for person_id, tag in Person.expertise.through.objects.values_list(
        "person_id", "expertisetag__name"
    ):
        expertise_by_person[person_id].append(tag)
    email_by_person: dict[int, str] = {}
    people_list = []
    for person_id, email, seniority, department, active in Person.objects.order_by(
        "id"
    ).values_list("id", "email", "seniority", "department__key", "active"):
        email = email.lower()
        email_by_person[person_id] = email
        people_list.append(
            PersonFact(
                email=email,
                seniority=seniority,
                department=department,
                expertise=tuple(sorted(expertise_by_person.get(person_id, ()))),
                active=active,
            )
        )
    people = tuple(people_list)

    groups = tuple(
        GroupFact(key=key, kind=kind)
        for key, kind in StakeholderGroup.objects.order_by("key").values_list("key", "kind")
    )

    seats = tuple(
        SeatFact(
            id=seat_id,
            person=email.lower(),
            department=department,
            group=group,
            role=role,
            status=status,
            nominated_at=_local_date(nominated_at),
            decided_at=_local_date(decided_at),
            term_start=term_start,
            term_end=term_end,
        )
        for (
            seat_id,
            email,
            department,
            group,
            role,
            status,
            nominated_at,
            decided_at,
            term_start,
            term_end,
        ) in Seat.objects.order_by("id").values_list(
            "id",
            "person__email",
            "department__key",
            "group__key",
            "role",
            "status",
            "nominated_at",
            "decided_at",
            "term_start",
            "term_end",
        )
    )

    managers_by_account: dict[int, list[str]] = defaultdict(list)
    for account_id, person_id in SocialAccount.managers.through.objects.values_list(
        "socialaccount_id", "person_id"
    ):
        managers_by_account[account_id].append(email_by_person[person_id])
    accounts = tuple(
        AccountFact(
            platform=platform,
            handle=handle.lower(),
            owner=owner,
            status=status,
            last_post_at=last_post_at,
            managers=tuple(sorted(managers_by_account.get(account_id, ()))),
        )
        for account_id, platform, handle, owner, status, last_post_at in (
            SocialAccount.objects.order_by("id").values_list(
                "id", "platform", "handle", "owner__key", "status", "last_post_at"
            )
        )
    )

    present_by_meeting: dict[int, set[str]] = defaultdict(set)
    # Person ids, not a join: attendance is the largest table (meetings × seats).
    for meeting_id, person_id in Attendance.objects.filter(present=True).values_list(
        "meeting_id", "person_id"
    ):
        present_by_meeting[meeting_id].add(email_by_person[person_id])
    meetings = tuple(
        MeetingFact(date=day, title=title, present=frozenset(present_by_meeting.get(mid, ())))
        for mid, day, title in Meeting.objects.order_by("date", "title").values_list(
            "id", "date", "title"
        )
    )

    return Facts(
        departments=departments,
        people=people,
        groups=groups,
        seats=seats,
        accounts=accounts,
        meetings=meetings,
        policy=policy_fact(policy),
    )
