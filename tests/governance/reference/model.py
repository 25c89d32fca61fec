"""Reference model of the assessment, used as an oracle for `manage.py score`.

An independent reading of DESIGN.md, sections "Governance" to "Org bundle", written
without looking at governance/scoring.py. It is deliberately naive: it works on the org
bundle JSON itself (no database, no ORM, no caching), rescores the whole organisation
for every hypothetical seat, and follows the wording of the spec rather than any clever
shortcut, so that a disagreement with the project points at a real misreading on one
side or the other.

One convention is not in the spec and is shared with the project on purpose: float
differences below 1e-9 are noise. Values are rounded to 9 decimals before they are
shown (half-up to one decimal) or compared (recommendation gains), so that an exact
56.25 computed as 56.24999999999999 shows 56.3 and equal gains tie.
"""

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# Policy defaults and weights, as listed in DESIGN.md.
POLICY = {
    "inherited_credit": 0.5,
    "large_department": 100,
    "min_seats_for_balance": 4,
    "clubhouse_share": 0.6,
    "senior_share": 0.6,
    "absence_limit": 3,
    "stale_days": 14,
    "people_per_seat": 250,
    "dormant_days": 90,
    "target_coverage": 0.8,
    "growth_window_days": 90,
    "participation_window": 6,
    "min_managers": 2,
    "max_tenure_days": 730,
}
WEIGHTS = {
    "coverage": 0.30,
    "footprint": 0.20,
    "balance": 0.15,
    "seniority_mix": 0.10,
    "voices": 0.10,
    "participation": 0.15,
}
SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}
SENIORITIES = ["individual_contributor", "manager", "director", "executive"]
VOICE_KINDS = ["customers", "employees", "partners"]
IN_USE = ("active", "dormant")


def parse_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def shown(value: float) -> float:
    """Half-up to one decimal, after clearing float noise (see the module docstring)."""
    return float(Decimal(repr(round(value, 9))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def tag_name(tag: str) -> str:
    # Expertise tags are compared case- and spacing-insensitively ("Legal Review").
    return "-".join(tag.strip().lower().split())


class Org:
    """The bundle with the defaults of DESIGN.md filled in and e-mails in lower case."""

    def __init__(self, bundle: dict):
        self.departments = {
            item["key"]: {
                "key": item["key"],
                "parent": item.get("parent"),
                "function": item.get("function", "other"),
                "headcount": item.get("headcount", 0),
                "customer_facing": item.get("customer_facing", False),
                "active": item.get("active", True),
            }
            for item in bundle.get("departments", [])
        }
        self.group_kinds = {
            item["key"]: item.get("kind", "other") for item in bundle.get("stakeholder_groups", [])
        }
        self.people = {}
        for item in bundle.get("people", []):
            email = item["email"].strip().lower()
            self.people[email] = {
                "email": email,
                "seniority": item.get("seniority"),
                "department": item.get("department"),
                "expertise": {tag_name(tag) for tag in item.get("expertise", [])},
                "active": item.get("active", True),
            }
        self.seats = [
            {
                "person": item["person"].strip().lower(),
                "department": item.get("department"),
                "group": item.get("group"),
                "role": item.get("role", "core"),
                "status": item.get("status", "nominated"),
                "nominated_at": parse_date(item.get("nominated_at")),
                "decided_at": parse_date(item.get("decided_at")),
                "term_start": parse_date(item.get("term_start")),
                "term_end": parse_date(item.get("term_end")),
                "hypothetical": False,
            }
            for item in bundle.get("seats", [])
        ]
        self.accounts = [
            {
                "platform": item["platform"],
                "handle": item["handle"].strip().lstrip("@").strip().lower(),
                "owner": item.get("owner"),
                "status": item.get("status", "active"),
                "last_post_at": parse_date(item.get("last_post_at")),
                "managers": list(
                    dict.fromkeys(email.strip().lower() for email in item.get("managers", []))
                ),
            }
            for item in bundle.get("accounts", [])
        ]
        self.meetings = sorted(
            (
                {
                    "date": parse_date(item["date"]),
                    "title": item["title"],
                    "present": {
                        email.strip().lower(): present
                        for email, present in item.get("attendance", {}).items()
                    },
                }
                for item in bundle.get("meetings", [])
            ),
            key=lambda meeting: (meeting["date"], meeting["title"]),
        )

    def active_departments(self) -> list[dict]:
        return [dept for dept in self.departments.values() if dept["active"]]

    def ancestors(self, key: str) -> list[str]:
        # The walk goes on through archived ancestors (the bundle import rejects cycles).
        chain, parent = [], self.departments[key]["parent"]
        while parent is not None:
            chain.append(parent)
            parent = self.departments[parent]["parent"]
        return chain

    def top_level(self, key: str) -> str:
        chain = self.ancestors(key)
        return chain[-1] if chain else key

    def seniority(self, seat: dict) -> str | None:
        # A hypothetical seat without a suggested person has no seniority.
        person = self.people.get(seat["person"])
        return person["seniority"] if person else None


def start_of(seat: dict) -> date | None:
    return seat["term_start"] if seat["term_start"] is not None else seat["decided_at"]


def seat_subject(seat: dict) -> str:
    constituency = seat["department"] if seat["department"] is not None else seat["group"]
    return f"{seat['person']}/{constituency}"


def account_subject(account: dict) -> str:
    return f"{account['platform']}:{account['handle']}"


def is_counting(org: Org, seat: dict) -> bool:
    return seat["group"] is not None or org.departments[seat["department"]]["active"]


def within_term(seat: dict, day: date) -> bool:
    start = start_of(seat)
    if start is not None and start > day:
        return False
    return seat["term_end"] is None or seat["term_end"] >= day


def is_current(org: Org, seat: dict, as_of: date) -> bool:
    if not is_counting(org, seat) or seat["status"] != "approved" or not within_term(seat, as_of):
        return False
    return seat["hypothetical"] or org.people[seat["person"]]["active"]


def is_expected(org: Org, seat: dict, meeting_date: date) -> bool:
    # Hypothetical seats were never expected; a departed person's seat still is.
    return (
        not seat["hypothetical"]
        and is_counting(org, seat)
        and seat["status"] in ("approved", "ended")
        and within_term(seat, meeting_date)
    )


def held_meetings(org: Org, as_of: date) -> list[dict]:
    """Meetings dated on or before T whose attendance was taken (at least one row)."""
    return [meeting for meeting in org.meetings if meeting["date"] <= as_of and meeting["present"]]


def evenness(counts: list[int], categories: int) -> float:
    """Shannon evenness H / ln(n); 1 for a single category, 0 without any count."""
    total = sum(counts)
    if total == 0:
        return 0.0
    if categories <= 1:
        return 1.0
    entropy = -sum(count / total * math.log(count / total) for count in counts if count)
    return entropy / math.log(categories)


def representation(org: Org, current: list[dict]) -> dict[str, str]:
    direct = {seat["department"] for seat in current if seat["department"] is not None}
    result = {}
    for key, dept in org.departments.items():
        if not dept["active"]:
            result[key] = "none"
        elif key in direct:
            result[key] = "direct"
        elif any(ancestor in direct for ancestor in org.ancestors(key)):
            result[key] = "proxy"
        else:
            result[key] = "none"
    return result


def components(org: Org, as_of: date, seats: list[dict]) -> dict[str, float | None]:
    """The six components; None = not measured."""
    current = [seat for seat in seats if is_current(org, seat, as_of)]
    active = org.active_departments()
    credit_by_level = {"direct": 1.0, "proxy": POLICY["inherited_credit"], "none": 0.0}
    credit = {key: credit_by_level[level] for key, level in representation(org, current).items()}
    values = {}

    total_headcount = sum(dept["headcount"] for dept in active)
    if not active:
        values["coverage"] = None
    elif total_headcount == 0:
        values["coverage"] = sum(credit[dept["key"]] for dept in active) / len(active)
    else:
        covered = sum(dept["headcount"] * credit[dept["key"]] for dept in active)
        values["coverage"] = covered / total_headcount

    in_use = [account for account in org.accounts if account["status"] in IN_USE]
    owner_credits = [credit.get(account["owner"], 0.0) for account in in_use]
    values["footprint"] = sum(owner_credits) / len(in_use) if in_use else None

    functions = {dept["function"] for dept in active}
    seats_by_function = {}
    for seat in current:
        if seat["department"] is not None:
            function = org.departments[seat["department"]]["function"]
            seats_by_function[function] = seats_by_function.get(function, 0) + 1
    values["balance"] = evenness(list(seats_by_function.values()), len(functions))

    seats_by_seniority = {}
    for seat in current:
        level = org.seniority(seat)
        if level in SENIORITIES:
            seats_by_seniority[level] = seats_by_seniority.get(level, 0) + 1
    values["seniority_mix"] = evenness(list(seats_by_seniority.values()), len(SENIORITIES))

    kinds = {org.group_kinds[seat["group"]] for seat in current if seat["group"] is not None}
    values["voices"] = sum(kind in kinds for kind in VOICE_KINDS) / len(VOICE_KINDS)

    window = held_meetings(org, as_of)[-POLICY["participation_window"] :]
    expected = present = 0
    for meeting in window:
        for seat in seats:
            if is_expected(org, seat, meeting["date"]):
                expected += 1
                present += meeting["present"].get(seat["person"]) is True
    values["participation"] = present / expected if expected else None
    return values


def weighted_score(values: dict[str, float | None]) -> float:
    measured = {name: value for name, value in values.items() if value is not None}
    weight = sum(WEIGHTS[name] for name in measured)
    if weight == 0:
        return 0.0
    return 100 * sum(WEIGHTS[name] * value for name, value in measured.items()) / weight


def grade(shown_score: float) -> str:
    if shown_score >= 80:
        return "open_table"
    if shown_score >= 60:
        return "broad"
    if shown_score >= 40:
        return "narrow"
    return "clubhouse"


def findings(org: Org, as_of: date, values: dict) -> list[tuple[str, str, str]]:
    current = [seat for seat in org.seats if is_current(org, seat, as_of)]
    levels = representation(org, current)
    found = []

    owners_in_use = {account["owner"] for account in org.accounts if account["status"] in IN_USE}
    for dept in org.active_departments():
        key, level = dept["key"], levels[dept["key"]]
        if level == "none" and key in owners_in_use:
            found.append(("unrepresented_accounts", "critical", key))
        elif level == "none":
            large = dept["customer_facing"] or dept["headcount"] >= POLICY["large_department"]
            found.append(("no_seat", "high" if large else "medium", key))
        elif level == "proxy":
            found.append(("seat_by_proxy", "low", key))
        else:
            direct_seats = sum(seat["department"] == key for seat in current)
            if dept["headcount"] / direct_seats > POLICY["people_per_seat"]:
                found.append(("thin_representation", "low", key))

    department_seats = [seat for seat in current if seat["department"] is not None]
    functions = {dept["function"] for dept in org.active_departments()}
    if len(department_seats) >= POLICY["min_seats_for_balance"] and len(functions) >= 4:
        seats_by_function = {}
        for seat in department_seats:
            function = org.departments[seat["department"]]["function"]
            seats_by_function[function] = seats_by_function.get(function, 0) + 1
        top_two = sum(sorted(seats_by_function.values(), reverse=True)[:2])
        if top_two > POLICY["clubhouse_share"] * len(department_seats):
            found.append(("clubhouse", "critical", ""))

    if len(current) >= POLICY["min_seats_for_balance"]:
        # The share is of all current seats, those without a seniority included.
        senior = sum(org.seniority(seat) in ("director", "executive") for seat in current)
        if senior / len(current) > POLICY["senior_share"]:
            found.append(("seniority_skew", "high", ""))

    kinds = {org.group_kinds[seat["group"]] for seat in current if seat["group"] is not None}
    found += [("missing_voice", "medium", kind) for kind in VOICE_KINDS if kind not in kinds]

    held = held_meetings(org, as_of)
    limit = POLICY["absence_limit"]
    for seat in current:
        last = [meeting for meeting in held if is_expected(org, seat, meeting["date"])][-limit:]
        absent = all(meeting["present"].get(seat["person"]) is not True for meeting in last)
        if len(last) == limit and absent:
            found.append(("empty_chair", "high", seat_subject(seat)))
        start = start_of(seat)
        if start is not None and (as_of - start).days > POLICY["max_tenure_days"]:
            found.append(("long_tenure", "low", seat_subject(seat)))

    # These three report every seat, archived constituencies included.
    for seat in org.seats:
        nominated = seat["nominated_at"]
        if (
            seat["status"] == "nominated"
            and nominated
            and (as_of - nominated).days > POLICY["stale_days"]
        ):
            found.append(("stale_nomination", "medium", seat_subject(seat)))
        if (
            seat["status"] == "approved"
            and seat["term_end"] is not None
            and seat["term_end"] < as_of
        ):
            found.append(("expired_term", "low", seat_subject(seat)))
        if seat["status"] == "approved" and not org.people[seat["person"]]["active"]:
            found.append(("departed_member", "high", seat_subject(seat)))

    for account in org.accounts:
        subject = account_subject(account)
        if account["status"] in IN_USE:
            for email in account["managers"]:
                if not org.people[email]["active"]:
                    found.append(("departed_manager", "critical", f"{subject}/{email}"))
            owner = org.departments.get(account["owner"])
            if owner is None or not owner["active"]:
                found.append(("orphan_account", "high", subject))
            else:
                keepers = {email for email in account["managers"] if org.people[email]["active"]}
                if len(keepers) < POLICY["min_managers"]:
                    found.append(("single_manager_account", "medium", subject))
        if account["status"] == "unverified":
            found.append(("unverified_account", "medium", subject))
        last_post = account["last_post_at"]
        if (
            account["status"] == "active"
            and last_post
            and (as_of - last_post).days > POLICY["dormant_days"]
        ):
            found.append(("dormant_account", "low", subject))

    if values["coverage"] is not None and values["coverage"] < POLICY["target_coverage"]:
        window_start = as_of - timedelta(days=POLICY["growth_window_days"])
        if not any(start_of(seat) and start_of(seat) > window_start for seat in current):
            found.append(("stalled_growth", "medium", ""))

    return sorted(found, key=lambda item: (SEVERITY_RANK[item[1]], item[0], item[2]))


def org_model(org: Org, as_of: date, values: dict) -> str:
    current = [seat for seat in org.seats if is_current(org, seat, as_of)]
    owned = [
        account["owner"]
        for account in org.accounts
        if account["status"] in IN_USE and org.departments.get(account["owner"], {}).get("active")
    ]
    share = max(owned.count(owner) for owner in owned) / len(owned) if owned else 0.0
    leads = [seat for seat in current if seat["role"] == "lead"]
    if not leads or len(current) < 2:
        return "organic"
    if share >= 0.7 and len(owned) >= 3:
        return "centralized"
    if (
        values["coverage"] is not None
        and values["coverage"] >= 0.9
        and values["footprint"] is not None
        and values["footprint"] >= 0.9
        and values["voices"] == 1
        and share < 0.5
    ):
        return "honeycomb"
    tops = {org.top_level(seat["department"]) for seat in leads if seat["department"] is not None}
    return "dandelion" if len(tops) >= 2 else "hub_and_spoke"


def hypothetical_seat(as_of: date, person: str, **fields) -> dict:
    """An approved seat starting at T, never expected at a meeting."""
    seat = {"person": person, "department": None, "group": None, "role": "core"}
    seat.update(fields)
    seat.update(
        status="approved",
        nominated_at=None,
        decided_at=as_of,
        term_start=as_of,
        term_end=None,
        hypothetical=True,
    )
    return seat


def recommendations(org: Org, as_of: date, score: float) -> list[tuple[str, float, str | None]]:
    """(department, unrounded gain, suggested e-mail or None), best first, at most 10."""
    current = [seat for seat in org.seats if is_current(org, seat, as_of)]
    levels = representation(org, current)
    seated = {seat["person"] for seat in current}
    seniority_rank = {level: rank for rank, level in enumerate(SENIORITIES)}
    ranked = []
    for dept in org.active_departments():
        if levels[dept["key"]] == "direct":
            continue
        candidates = sorted(
            (
                person
                for person in org.people.values()
                if person["active"]
                and person["department"] == dept["key"]
                and person["email"] not in seated
            ),
            key=lambda person: (
                -len(person["expertise"]),
                seniority_rank.get(person["seniority"], len(SENIORITIES)),
                person["email"],
            ),
        )
        email = candidates[0]["email"] if candidates else None
        seat = hypothetical_seat(as_of, email or "", department=dept["key"])
        gain = weighted_score(components(org, as_of, org.seats + [seat])) - score
        if round(gain, 9) > 0:
            ranked.append((-round(gain, 9), -dept["headcount"], dept["key"], gain, email))
    return [(key, gain, email) for _, _, key, gain, email in sorted(ranked)[:10]]


def projected_score(org: Org, as_of: date) -> float:
    approved = [
        hypothetical_seat(as_of, seat["person"], department=seat["department"], group=seat["group"])
        for seat in org.seats
        if seat["status"] == "nominated"
        and org.people[seat["person"]]["active"]
        and is_counting(org, seat)
    ]
    return weighted_score(components(org, as_of, org.seats + approved))


def assess(bundle: dict, as_of: date) -> dict:
    """The assessment in the shape of `manage.py score --json` (findings as tuples)."""
    org = Org(bundle)
    values = components(org, as_of, org.seats)
    score = weighted_score(values)
    return {
        "score": shown(score),
        "grade": grade(shown(score)),
        "components": values,
        "findings": findings(org, as_of, values),
        "org_model": org_model(org, as_of, values),
        "recommendations": [
            (key, shown(gain), email) for key, gain, email in recommendations(org, as_of, score)
        ],
        "projected_score": shown(projected_score(org, as_of)),
    }
