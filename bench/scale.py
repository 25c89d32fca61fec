"""Scale benchmark: facts + assessment + recommendations on a generated company.

    python bench/scale.py --departments 2000
    python bench/scale.py --departments 20000 --database-url postgres://postgres@127.0.0.1:5432/roundtable_bench

The company scales with --departments: per 20,000 departments (4 levels) it has
200,000 people, 100,000 accounts, 50,000 seats; always 24 monthly meetings with
attendance. It is written into the given database (default: a temporary SQLite
file), which is emptied first, so never point it at a database you care about.
Prints the figures; asserts nothing.
"""

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FUNCTIONS = [
    "marketing", "communications", "customer_support", "sales", "product", "engineering",
    "hr", "legal", "compliance", "it_security", "finance", "operations", "executive", "other",
]  # fmt: skip
SENIORITIES = ["individual_contributor", "manager", "director", "executive", None]
PLATFORMS = ["x", "facebook", "instagram", "linkedin", "youtube", "tiktok", "threads", "bluesky"]
TAGS = ["community", "crisis-comms", "analytics", "paid-social", "customer-care", "video"]


def level_sizes(total: int) -> list[int]:
    """Four levels growing roughly ×10 (e.g. 20 / 180 / 1,800 / 18,000 for 20,000)."""
    top = max(2, total // 1000)
    second = max(top, total * 9 // 1000)
    third = max(second, total * 9 // 100)
    return [top, second, third, total - top - second - third]


def generate(departments_total: int, as_of: date, seed: int = 7) -> dict[str, int]:
    from django.db import connection, transaction
    from django.utils import timezone

    from governance.models import Attendance, Meeting, Policy, Snapshot
    from stakeholders.models import (
        Department,
        ExpertiseTag,
        Person,
        Seat,
        SocialAccount,
        StakeholderGroup,
    )

    rng = random.Random(seed)
    factor = departments_total / 20000
    n_people = int(200_000 * factor)
    n_accounts = int(100_000 * factor)
    n_seats = int(50_000 * factor)
    batch = 5000

    with transaction.atomic():
        for model in (Attendance, Meeting, Snapshot, Seat):
            model.objects.all().delete()
        SocialAccount.managers.through.objects.all().delete()
        SocialAccount.objects.all().delete()
        Person.expertise.through.objects.all().delete()
        Person.objects.all().delete()
        ExpertiseTag.objects.all().delete()
        StakeholderGroup.objects.all().delete()
        Department.objects.update(parent=None)
        Department.objects.all().delete()
        Policy.load()

    with transaction.atomic():
        dept_ids: list[int] = []
        previous_level: list[int] = []
        counter = 0
        for sizes_index, size in enumerate(level_sizes(departments_total)):
            rows = []
            for _ in range(size):
                counter += 1
                rows.append(
                    Department(
                        key=f"d{counter}",
                        name=f"Department {counter}",
                        parent_id=rng.choice(previous_level) if previous_level else None,
                        kind="business_unit" if sizes_index == 0 else "team",
                        function=rng.choice(FUNCTIONS),
                        headcount=rng.randint(0, 60),
                        customer_facing=rng.random() < 0.3,
                        active=rng.random() > 0.03,
                    )
                )
            created = Department.objects.bulk_create(rows, batch_size=batch)
            previous_level = [d.pk for d in created]
            dept_ids += previous_level

        tags = ExpertiseTag.objects.bulk_create([ExpertiseTag(name=t) for t in TAGS])
        people = Person.objects.bulk_create(
            [
                Person(
                    email=f"p{i}@bench.test",
                    name=f"Person {i}",
                    seniority=rng.choice(SENIORITIES),
                    department_id=rng.choice(dept_ids) if rng.random() > 0.02 else None,
                    active=rng.random() > 0.04,
                )
                for i in range(n_people)
            ],
            batch_size=batch,
        )
        person_ids = [p.pk for p in people]
        Person.expertise.through.objects.bulk_create(
            [
                Person.expertise.through(person_id=pid, expertisetag_id=tag.pk)
                for pid in person_ids[: n_people // 3]
                for tag in rng.sample(tags, rng.randint(1, 3))
            ],
            batch_size=batch,
        )
        groups = StakeholderGroup.objects.bulk_create(
            [
                StakeholderGroup(key="customers", name="Customers", kind="customers"),
                StakeholderGroup(key="employees", name="Employees", kind="employees"),
                StakeholderGroup(key="partners", name="Partners", kind="partners"),
            ]
        )

        accounts = SocialAccount.objects.bulk_create(
            [
                SocialAccount(
                    platform=PLATFORMS[i % len(PLATFORMS)],
                    handle=f"acct{i}",
                    owner_id=rng.choice(dept_ids) if rng.random() > 0.05 else None,
                    status=rng.choice(["active"] * 6 + ["dormant", "retired", "unverified"]),
                    last_post_at=as_of - timedelta(days=rng.randint(0, 200)),
                    followers=rng.randint(0, 100_000),
                )
                for i in range(n_accounts)
            ],
            batch_size=batch,
        )
        SocialAccount.managers.through.objects.bulk_create(
            [
                SocialAccount.managers.through(socialaccount_id=a.pk, person_id=pid)
                for a in accounts
                for pid in rng.sample(person_ids, 2)
            ],
            batch_size=batch,
        )

        seat_rows = []
        taken: set[tuple[int, int]] = set()
        tz = timezone.get_current_timezone()
        while len(seat_rows) < n_seats:
            pid = rng.choice(person_ids)
            use_group = rng.random() < 0.02
            constituency = rng.choice(groups).pk if use_group else rng.choice(dept_ids)
            status = rng.choice(["approved"] * 6 + ["ended", "nominated", "declined", "withdrawn"])
            if (pid, constituency, use_group) in taken:
                continue
            taken.add((pid, constituency, use_group))
            start = as_of - timedelta(days=rng.randint(0, 900))
            seat_rows.append(
                Seat(
                    person_id=pid,
                    department_id=None if use_group else constituency,
                    group_id=constituency if use_group else None,
                    role="lead" if rng.random() < 0.01 else "core",
                    status=status,
                    nominated_at=datetime.combine(
                        start - timedelta(days=7), datetime.min.time(), tz
                    ),
                    decided_at=None
                    if status == "nominated"
                    else datetime.combine(start, datetime.min.time(), tz),
                    term_start=None if status == "nominated" else start,
                    term_end=start + timedelta(days=rng.randint(30, 300))
                    if status == "ended"
                    else None,
                )
            )
        seats = Seat.objects.bulk_create(seat_rows, batch_size=batch)

        meetings = Meeting.objects.bulk_create(
            [Meeting(date=as_of - timedelta(days=30 * i), title="COE monthly") for i in range(24)]
        )
        attendance = []
        for meeting in meetings:
            for seat in seats:
                if seat.status not in ("approved", "ended") or seat.term_start > meeting.date:
                    continue
                if rng.random() < 0.75:
                    attendance.append(
                        Attendance(meeting_id=meeting.pk, person_id=seat.person_id, present=True)
                    )
        # One row per meeting and person, however many seats the person holds.
        unique = {(a.meeting_id, a.person_id): a for a in attendance}
        Attendance.objects.bulk_create(list(unique.values()), batch_size=batch)

    # Fresh tables have no planner statistics nor visibility maps until autovacuum gets
    # to them; a live database has both (index-only scans need the maps), so measure
    # with them.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    connection.close()
    return {
        "departments": departments_total,
        "people": n_people,
        "accounts": n_accounts,
        "seats": n_seats,
        "meetings": len(meetings),
        "attendance rows": len(unique),
    }


def measure(as_of: date, repeat: int) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from governance import facts, scoring

    timings: dict[str, list[float]] = {"facts": [], "assessment": [], "total": [], "what-if": []}
    result = None
    for _ in range(repeat):
        # Each run starts as a fresh worker would: the previous run's millions of objects
        # freed and collected before the clock starts, not during the next run.
        loaded = result = what_if = None
        gc.collect()
        reset_queries()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            loaded = facts.load_facts(as_of=as_of)
        loaded_at = time.perf_counter()
        result = scoring.assess(loaded, as_of)
        done = time.perf_counter()
        # The nomination queue: the score if each pending nomination alone were approved.
        what_if = scoring.what_if_approved(loaded, as_of)
        timings["facts"].append(loaded_at - start)
        timings["assessment"].append(done - loaded_at)
        timings["total"].append(done - start)
        timings["what-if"].append(time.perf_counter() - done)
    print(f"queries to load the facts: {len(queries)}")
    for name, values in timings.items():
        print(
            f"{name:<11} median {statistics.median(values):6.2f} s   "
            f"best {min(values):6.2f} s   (n={len(values)})"
        )
    assert result is not None
    print(
        f"score {scoring.round_half_up(result.score)} ({result.grade}), "
        f"{len(result.findings)} findings, {len(result.recommendations)} recommendations, "
        f"projected {scoring.round_half_up(result.projected_score)}; "
        f"what-if for {len(what_if.if_approved)} pending nominations (the queue, after the facts)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--departments", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--as-of", default="2026-11-26")
    parser.add_argument(
        "--skip-generate", action="store_true", help="Reuse the data already there."
    )
    args = parser.parse_args()

    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        path = Path(tempfile.gettempdir()) / f"roundtable-bench-{args.departments}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coe.settings")

    import django

    django.setup()
    from django.core.management import call_command

    as_of = date.fromisoformat(args.as_of)
    print(f"database: {os.environ['DATABASE_URL']}")
    call_command("migrate", verbosity=0)
    if not args.skip_generate:
        start = time.perf_counter()
        sizes = generate(args.departments, as_of)
        print(f"generated in {time.perf_counter() - start:.1f} s: {sizes}")
    measure(as_of, args.repeat)


if __name__ == "__main__":
    main()
