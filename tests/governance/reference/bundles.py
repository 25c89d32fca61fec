"""Org bundles for the differential test: random valid ones, and hand-made edge cases.

`random_bundle(seed)` draws a small but tricky organisation around ANCHOR: dates
cluster on the rule boundaries (T, T ± 1, the 14- and 90-day limits, meeting days),
e-mails come in mixed case, defaults are often left out, headcounts sit on
both sides of 100 and 250. A third of the "rich" bundles seat almost everything, so
that the rarer organisation models (honeycomb, centralized) come up too.
"""

import random
from datetime import date, timedelta

ANCHOR = date(2026, 11, 26)
FUNCTIONS = [
    "marketing",
    "communications",
    "customer_support",
    "sales",
    "product",
    "engineering",
    "hr",
    "legal",
    "compliance",
    "it_security",
    "finance",
    "operations",
    "executive",
    "other",
]
SENIORITIES = ["individual_contributor", "manager", "director", "executive", None]
GROUP_KINDS = ["customers", "employees", "partners", "community", "other"]
ROLES = ["lead", "core", "extended", "advisor"]
SEAT_STATUSES = ["nominated", "approved", "declined", "withdrawn", "ended"]
ACCOUNT_STATUSES = ["active", "dormant", "retired", "unverified"]
PLATFORMS = ["x", "facebook", "instagram", "linkedin"]
TAGS = [
    "community",
    "Community",
    "crisis",
    "analytics",
    "seo",
    "video",
    "legal review",
    "Legal Review",
    "ads",
]
# Day offsets from ANCHOR on either side of every date rule.
BOUNDARY_OFFSETS = [0, 0, 0, -1, 1, -14, -15, -13, -90, -91, -89, 90, 89, 91, 2, -2, 10]


def random_day(rng: random.Random, meeting_days: list[date] = ()) -> date:
    draw = rng.random()
    if meeting_days and draw < 0.35:
        # Seat dates on (or next to) a meeting day test "expected at a meeting".
        return rng.choice(meeting_days) + timedelta(days=rng.choice([0, 0, -1, 1]))
    if draw < 0.75:
        return ANCHOR + timedelta(days=rng.choice(BOUNDARY_OFFSETS))
    return ANCHOR + timedelta(days=rng.randint(-200, 40))


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def random_bundle(seed: int) -> dict:
    rng = random.Random(seed)
    rich = rng.random() < 0.6
    department_count = rng.randint(3, 9) if rich else rng.randint(0, 7)
    big = rng.random() < 0.15
    if big:
        department_count = rng.randint(10, 14)

    departments = []
    functions = rng.sample(FUNCTIONS, rng.randint(3, 7) if rich else rng.randint(1, 6))
    for index in range(department_count):
        parent = None
        if index > 0 and rng.random() < 0.6:
            parent = departments[rng.randrange(index)]["key"]
        # A new key is in lower case (stakeholders.rules): the draw is kept so that every
        # seed still makes the same bundle otherwise.
        key = rng.choice([f"d{index}", f"D{index}", f"d{index}"]).lower() if big else f"d{index}"
        department = {
            "key": key,
            "name": f"Dept {index}",
            "parent": parent,
            "function": rng.choice(functions),
            "headcount": rng.choice([0, 0, 1, 5, 50, 99, 100, 250, 251, 500, 1000]),
            "customer_facing": rng.random() < 0.3,
            "active": rng.random() < (0.92 if rich else 0.8),
        }
        if rng.random() < 0.15:
            del department["function"]
        if rng.random() < 0.1:
            del department["headcount"]
        departments.append(department)
    if rng.random() < 0.2:
        # Coverage then weighs every department 1.
        for department in departments:
            department["headcount"] = 0
    department_keys = [department["key"] for department in departments]

    group_count = rng.randint(2, 5) if rich else rng.randint(0, 4)
    kinds = GROUP_KINDS[:3] if rich else GROUP_KINDS
    groups = [
        {"key": f"g{index}", "name": f"Group {index}", "kind": rng.choice(kinds)}
        for index in range(group_count)
    ]
    group_keys = [group["key"] for group in groups]

    people, emails = [], []
    for index in range(rng.randint(6, 14) if rich else rng.randint(1, 9)):
        email = rng.choice([f"p{index}@acme.test", f"P{index}@Acme.test"])
        emails.append(email)
        person = {
            "email": email,
            "name": f"Person {index}",
            "seniority": rng.choice(SENIORITIES),
            "department": rng.choice(department_keys + [None]) if department_keys else None,
            "expertise": rng.sample(TAGS, rng.randint(0, 3)),
            "active": rng.random() < (0.93 if rich else 0.8),
        }
        if person["seniority"] is None and rng.random() < 0.5:
            del person["seniority"]
        people.append(person)

    meetings, meeting_days, taken = [], [], set()
    for _ in range(rng.randint(5, 14) if big else rng.randint(0, 9)):
        recent = rng.random() < 0.5
        day = random_day(rng) if recent else ANCHOR - timedelta(days=rng.randint(0, 60))
        if rng.random() < 0.15:
            day = ANCHOR
        if rng.random() < 0.1:
            day = ANCHOR + timedelta(days=rng.randint(1, 5))
        title = rng.choice(["COE monthly", "Sync", "A", "B"])
        if (day, title) in taken:  # a meeting is unique by date and title
            continue
        taken.add((day, title))
        meeting_days.append(day)
        meetings.append({"date": day, "title": title, "attendance": {}})

    seats, open_seats = [], set()
    constituencies = [("department", key) for key in department_keys]
    constituencies += [("group", key) for key in group_keys]
    for _ in range(rng.randint(6, 18) if rich else rng.randint(0, 12)):
        if not constituencies:
            break
        email = rng.choice(emails)
        kind, key = rng.choice(constituencies)
        status = rng.choice(SEAT_STATUSES + ["approved"] * (11 if rich else 3))
        if status in ("nominated", "approved"):
            # Only one open seat per person and constituency is valid.
            if (email.lower(), kind, key) in open_seats:
                status = "ended"
            else:
                open_seats.add((email.lower(), kind, key))
        seat = {
            "person": email,
            "department": key if kind == "department" else None,
            "group": key if kind == "group" else None,
            "role": rng.choice(ROLES),
            "status": status,
        }
        seat["nominated_at"] = iso(random_day(rng)) if rng.random() < 0.8 else None
        if seat["nominated_at"] is None and rng.random() < 0.5:
            del seat["nominated_at"]
        if status != "nominated" or rng.random() < 0.2:
            seat["decided_at"] = iso(random_day(rng, meeting_days)) if rng.random() < 0.8 else None
        if rich and status == "approved" and rng.random() < 0.6:
            seat["decided_at"] = iso(ANCHOR - timedelta(days=rng.randint(0, 200)))
            if rng.random() < 0.25:  # around the max_tenure_days boundary
                seat["decided_at"] = iso(ANCHOR - timedelta(days=rng.choice([729, 730, 731, 900])))
        elif rng.random() < 0.6:
            seat["term_start"] = iso(random_day(rng, meeting_days))
        if status == "ended" or rng.random() < (0.15 if rich else 0.4):
            seat["term_end"] = iso(random_day(rng, meeting_days))
        # Dates in order, as the import requires (ISO strings sort as dates).
        for earlier, later in (("term_start", "term_end"), ("nominated_at", "decided_at")):
            if seat.get(earlier) and seat.get(later) and seat[later] < seat[earlier]:
                seat[earlier], seat[later] = seat[later], seat[earlier]
        if rng.random() < 0.1:
            del seat["role"]
        seats.append(seat)

    seat_almost_everything = rich and rng.random() < 0.35
    if seat_almost_everything:
        for kind, key in constituencies:
            if rng.random() < 0.9:
                email = rng.choice(emails)
                if (email.lower(), kind, key) in open_seats:
                    continue
                open_seats.add((email.lower(), kind, key))
                role = rng.choice(ROLES)
                started = ANCHOR - timedelta(days=rng.choice([0, 1, 89, 90, 91, 120]))
                seats.append(
                    {
                        "person": email,
                        "department": key if kind == "department" else None,
                        "group": key if kind == "group" else None,
                        "role": role,
                        "status": "approved",
                        "decided_at": iso(started),
                    }
                )
        for person in people:
            if rng.random() < 0.8:
                person["active"] = True

    for meeting in meetings:
        if rng.random() < 0.25:  # attendance not taken: no row at all
            continue
        for email in emails:
            if rng.random() < 0.5:  # no row at all = absent
                meeting["attendance"][email] = rng.random() < 0.6

    accounts, handles = [], set()
    account_count = rng.randint(2, 8) if rich else rng.randint(0, 6)
    favourite = rng.choice(department_keys) if department_keys else None
    for index in range(account_count):
        platform = rng.choice(PLATFORMS)
        handle = f"Acme{index}"
        if (platform, handle.lower()) in handles:
            continue
        handles.add((platform, handle.lower()))
        shown_handle = rng.choice([handle, "@" + handle])
        owner = None
        if department_keys:
            # A favourite owner makes one department hold most accounts (centralized).
            if rich and rng.random() < 0.3:
                owner = favourite
            else:
                owner = rng.choice(department_keys + [None, None])
        accounts.append(
            {
                "platform": platform,
                "handle": shown_handle,
                "owner": owner,
                "status": rng.choice(ACCOUNT_STATUSES + ["active", "active"]),
                "last_post_at": iso(random_day(rng)) if rng.random() < 0.7 else None,
                "managers": rng.sample(emails, rng.randint(0, min(3, len(emails)))),
            }
        )
    if seat_almost_everything and rng.random() < 0.6:
        active_keys = [department["key"] for department in departments if department["active"]]
        for account in accounts:
            if active_keys and rng.random() < 0.9:
                account["owner"] = rng.choice(active_keys)

    for meeting in meetings:
        meeting["date"] = iso(meeting["date"])
    return {
        "format": "roundtable-org/1",
        "departments": departments,
        "stakeholder_groups": groups,
        "people": people,
        "seats": seats,
        "accounts": accounts,
        "meetings": meetings,
    }


def bundle(**sections) -> dict:
    return {"format": "roundtable-org/1", **sections}


def department(key: str, **fields) -> dict:
    return {"key": key, "name": key, **fields}


def person(email: str, **fields) -> dict:
    return {"email": email, "name": email, **fields}


def seat(email: str, status: str = "approved", **fields) -> dict:
    return {"person": email, "status": status, **fields}


def group(kind: str) -> dict:
    return {"key": kind[0], "name": kind, "kind": kind}


def account(handle: str, owner: str | None = None) -> dict:
    return {"platform": "x", "handle": handle, "owner": owner}


X, Y = "x@t.test", "y@t.test"
VOICES = [group("customers"), group("employees"), group("partners")]

# Hand-made bundles, each on one rule boundary (as of ANCHOR, 2026-11-26).
EDGE_CASES = {
    # Projected score: a nomination is approved at T whatever its own term dates say.
    "projected_nomination_with_future_start": bundle(
        departments=[department("a", headcount=10), department("b", headcount=10)],
        people=[person(X, department="a"), person(Y, department="b")],
        seats=[
            seat(X, department="a", decided_at="2026-01-01", role="lead"),
            seat(
                Y, "nominated", department="b", nominated_at="2026-11-20", term_start="2026-12-10"
            ),
        ],
    ),
    "projected_nomination_with_past_end": bundle(
        departments=[department("a", headcount=10), department("b", headcount=10)],
        people=[person(X, department="a"), person(Y, department="b")],
        seats=[
            seat(X, department="a", decided_at="2026-01-01", role="lead"),
            seat(Y, "nominated", department="b", nominated_at="2026-11-20", term_end="2026-11-01"),
        ],
    ),
    # Ownership share 1/3 for honeycomb; with two departments it is 1/2, not < 0.5.
    "honeycomb": bundle(
        departments=[department(key, headcount=10) for key in "abc"],
        stakeholder_groups=VOICES,
        people=[person(X), person(Y)],
        seats=[seat(X, department="a", role="lead"), seat(Y, department="b")]
        + [seat(Y, department="c")]
        + [seat(Y, group=voice["key"]) for voice in VOICES],
        accounts=[account(key, owner=key) for key in "abc"],
    ),
    "not_honeycomb_at_half_share": bundle(
        departments=[department(key, headcount=10) for key in "ab"],
        stakeholder_groups=VOICES,
        people=[person(X), person(Y)],
        seats=[seat(X, department="a", role="lead"), seat(Y, department="b")]
        + [seat(Y, group=voice["key"]) for voice in VOICES],
        accounts=[account(key, owner=key) for key in "ab"],
    ),
    "dandelion_under_an_archived_root": bundle(
        departments=[department("r", active=False), department("a", parent="r"), department("b")],
        people=[person(X), person(Y)],
        seats=[seat(X, department="a", role="lead"), seat(Y, department="b", role="lead")],
    ),
    "one_top_level_even_when_archived": bundle(
        departments=[
            department("r", active=False),
            department("a", parent="r"),
            department("b", parent="r"),
        ],
        people=[person(X), person(Y)],
        seats=[seat(X, department="a", role="lead"), seat(Y, department="b", role="lead")],
    ),
    "stalled_growth_without_coverage": bundle(
        stakeholder_groups=[group("customers")],
        people=[person(X)],
        seats=[seat(X, group="c", decided_at="2020-01-01")],
    ),
    "proxy_through_an_archived_parent": bundle(
        departments=[
            department("g", headcount=5),
            department("p", parent="g", active=False),
            department("c", parent="p", headcount=5),
        ],
        people=[person(X)],
        seats=[seat(X, department="g")],
    ),
    # Most distinct tags ("Ads" and "ads" are one), then lower seniority, none last.
    "suggested_person": bundle(
        departments=[department("a", headcount=10), department("b", headcount=10)],
        people=[
            person(X, department="a", seniority="manager"),
            person(
                "b1@t.test", department="b", seniority="executive", expertise=["Ads", "ads", "seo"]
            ),
            person("b2@t.test", department="b", expertise=["ads", "video"]),
            person("b3@t.test", department="b", seniority="director", expertise=["ads", "video"]),
        ],
        seats=[seat(X, department="a")],
    ),
    # A meeting dated T counts, one after T does not; an ended term counts on its last day.
    "meetings_on_and_after_the_as_of_date": bundle(
        departments=[department("a")],
        people=[person(X), person(Y, active=False)],
        seats=[
            seat(X, department="a", term_start="2026-11-26"),
            seat(Y, "ended", department="a", term_start="2026-11-01", term_end="2026-11-26"),
        ],
        meetings=[
            {"date": "2026-11-26", "title": "A", "attendance": {X: True}},
            {"date": "2026-11-27", "title": "A", "attendance": {Y: True}},
            {"date": "2026-11-26", "title": "B", "attendance": {"Y@T.TEST": True}},
        ],
    ),
    # Absent (no row counts as absent) at exactly the last 3 meetings it was expected at.
    "empty_chair": bundle(
        departments=[department("a")],
        people=[person(X)],
        seats=[seat(X, department="a", decided_at="2026-10-01")],
        meetings=[
            {"date": "2026-09-01", "title": "A", "attendance": {X: True}},
            {"date": "2026-10-01", "title": "A", "attendance": {X: False}},
            {"date": "2026-11-01", "title": "A"},
            {"date": "2026-11-26", "title": "A", "attendance": {X: False}},
            {"date": "2026-11-27", "title": "A", "attendance": {X: True}},
        ],
    ),
    # Meetings on one day are ordered by title, case-sensitively.
    "meeting_titles_order": bundle(
        departments=[department("a")],
        people=[person(X)],
        seats=[seat(X, department="a")],
        meetings=[
            {"date": "2026-10-01", "title": "a", "attendance": {X: True}},
            {"date": "2026-10-01", "title": "B", "attendance": {X: False}},
        ]
        + [
            {"date": f"2026-11-0{day}", "title": "M", "attendance": {X: True}}
            for day in range(1, 6)
        ],
    ),
    # 3 senior seats out of 4: the seat without a seniority still counts in the share.
    "seniority_skew_with_a_missing_seniority": bundle(
        stakeholder_groups=[group("customers")],
        departments=[department("a")],
        people=[
            person("a@t.test", seniority="director"),
            person("b@t.test", seniority="executive"),
            person("c@t.test", seniority="director"),
            person("d@t.test"),
        ],
        seats=[seat(email, department="a") for email in ("a@t.test", "b@t.test", "c@t.test")]
        + [seat("d@t.test", group="c")],
    ),
    # Only nominations of active people in counting constituencies are projected.
    "projected_zero_headcounts": bundle(
        departments=[department("a"), department("b"), department("z", active=False)],
        people=[person(X, active=False), person(Y)],
        seats=[
            seat(X, "nominated", department="a", nominated_at="2026-11-11"),
            seat(Y, "nominated", department="z", nominated_at="2026-11-12"),
            seat(Y, "nominated", department="b", nominated_at="2026-11-12"),
        ],
    ),
    "departed_member_future_and_expired": bundle(
        departments=[department("a"), department("z", active=False)],
        people=[person(X, active=False)],
        seats=[
            seat(X, department="a", term_start="2026-12-01"),
            seat(X, department="z", term_end="2026-11-25"),
        ],
    ),
    # Score 56.25 exactly, computed as 56.24999999999999: shown 56.3.
    "exact_half_rounds_up": bundle(
        departments=[department("a")],
        people=[person(X)],
        seats=[seat(X, department="a")],
        meetings=[{"date": "2026-11-01", "title": "A", "attendance": {X: False}}],
    ),
    # A meeting without any attendance row is skipped; one with only "absent" rows counts.
    "untaken_meeting_next_to_one_where_nobody_came": bundle(
        departments=[department("a")],
        people=[person(X), person(Y)],
        seats=[seat(X, department="a", decided_at="2026-09-01")],
        meetings=[
            {"date": "2026-10-01", "title": "A", "attendance": {X: False}},
            {"date": "2026-10-15", "title": "A"},
            {"date": "2026-11-01", "title": "A", "attendance": {Y: False}},
            {"date": "2026-11-20", "title": "A"},
            {"date": "2026-11-26", "title": "A", "attendance": {X: False}},
        ],
    ),
    # Only untaken meetings: participation is not measured, no empty chair.
    "only_untaken_meetings": bundle(
        departments=[department("a")],
        people=[person(X)],
        seats=[seat(X, department="a", decided_at="2026-01-01")],
        meetings=[{"date": f"2026-11-0{day}", "title": "M"} for day in range(1, 5)],
    ),
    # Exactly 730 days in the seat is fine; 731 is a long tenure; no start is never flagged.
    "long_tenure_boundary": bundle(
        departments=[department("a"), department("b"), department("c")],
        people=[person(X), person(Y), person("z@t.test")],
        seats=[
            seat(X, department="a", decided_at="2024-11-26"),
            seat(Y, department="b", term_start="2024-11-25", decided_at="2026-01-01"),
            seat("z@t.test", department="c"),
        ],
    ),
    # One active manager plus one departed; the same person twice; two distinct ones.
    "single_manager_accounts": bundle(
        departments=[department("a")],
        people=[person(X), person(Y), person("gone@t.test", active=False)],
        accounts=[
            {**account("one", owner="a"), "managers": [X, "gone@t.test"]},
            {**account("twice", owner="a"), "managers": [X, X.upper()]},
            {**account("two", owner="a"), "managers": [X, Y]},
            {**account("nobody", owner="a"), "managers": []},
            {**account("unowned"), "managers": [X]},
            {**account("retired", owner="a"), "status": "retired"},
        ],
    ),
    # More than 10 candidates, with equal gains ordered by headcount then key.
    "ten_recommendations_at_most": bundle(
        departments=[
            department(
                f"d{index:02d}",
                headcount=index % 4 * 10,
                function=["sales", "hr", "legal", "finance", "product"][index % 5],
            )
            for index in range(14)
        ],
        people=[
            person(
                f"p{index}@t.test",
                department=f"d{index:02d}",
                seniority=["manager", None][index % 2],
            )
            for index in range(14)
        ],
        seats=[seat("p0@t.test", department="d00")],
    ),
    # Keys are case-sensitive and sorted by code point; handles lose "@" and case.
    # New keys are lower case (stakeholders.rules): "b" next to "B" is refused now, so
    # the keys' order is exercised by "_", "-" and digits, the handles' by their case.
    "key_and_handle_case": bundle(
        departments=[department(key, headcount=10) for key in ("b", "c", "_x", "-y", "a1", "a2")],
        people=[person("z@t.test", department="b")],
        accounts=[account("@Zed", owner="c"), account("_lo"), account("Alpha")],
    ),
}
