"""The inclusion score of the COE: facts in, assessment out.

Pure functions over read-only dataclasses (frozen, but for the three the loader
builds by the hundred thousand, see below) -- no ORM, no Django; the labels and the
grade bands come from ``stakeholders/vocabulary.py`` (plain Python too).
``governance/facts.py`` loads a :class:`Facts` from the database; :func:`assess` turns
it into an :class:`Assessment`. The rules are the contract of DESIGN.md ("Governance").

One formula. Every score -- the real one, the projected one and the score of each
recommendation candidate -- goes through :func:`score_from_inputs`, which reads
only the sufficient statistics in :class:`ScoreInputs`. The real score builds its
inputs from the facts; a candidate seat changes a few of those sums (its
department's credit becomes 1, its unrepresented descendants become proxies, one
more seat for its function and seniority), so a candidate costs O(number of
functions) instead of a full recomputation, and 20,000 departments stay fast.

Interpretation choices where DESIGN.md leaves room (all deliberate):

- A reference to something unknown counts as absent: a seat whose department or
  stakeholder group is not in the facts is not a counting seat; a seat or an
  account manager whose e-mail is not among the people is neither active nor
  "departed"; an owner key that is not a department leaves the account unowned; a
  parent key that is not a department makes its child top-level.
- ``start`` is ``term_start``, else ``decided_at``; a current seat without a start
  is never "recent" for stalled_growth.
- seniority_skew divides by *all* current seats (department and group, with or
  without a seniority); seniority_mix leaves out the seats whose person has no
  (or an unknown) seniority.
- clubhouse adds the seats of the two functions with most seats (the second may
  hold 0); when naming them, ties go to the function name.
- empty_chair looks at every meeting dated on or before T (not only the
  participation window) and needs at least ``absence_limit`` meetings at which
  the seat was expected; ``absence_limit`` < 1 switches the rule off.
- A rule that needs a component that is not measured does not hold:
  stalled_growth needs coverage; honeycomb needs coverage and footprint.
- "At least 3 owned accounts" (centralized) counts in-use accounts owned by an
  active department, the same accounts as the ownership share s.
- dandelion looks at the current lead seats of departments only (not of
  stakeholder groups); the top-level department is found through archived
  ancestors too.
- Hypothetical seats (a recommendation, the projected nominations) start at T but
  are never expected at a meeting, so participation keeps its real value -- even
  when a meeting is dated T.
- Recommendation gains are unrounded score differences. Only gains > 1e-9 are
  listed, and the order compares gains rounded to 9 decimals so that two
  mathematically equal gains tie (then larger headcount, then key) instead of
  being split by floating-point noise.
- Shown values (score, projected score, gains) are rounded half-up after the same
  clearing of noise, so an exact half such as 56.25 is shown as 56.3 even when the
  weighted sum comes out as 56.24999999999999.
- Unknown enumeration values (a seniority, a group kind) are ignored by the rules
  that read them.
- A meeting whose attendance has not been taken (``MeetingFact.taken`` false: no
  attendance row at all) is dropped before any rule looks at meetings, so
  participation, empty_chair and the meeting order behave as if it did not exist.
- single_manager_account counts distinct managers among the active people (a
  manager e-mail that is not a person counts as nobody); an unowned account is
  reported as orphan_account instead.
"""

from __future__ import annotations

import gc
import math
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from operator import attrgetter

from stakeholders import vocabulary

COMPONENTS = ("coverage", "footprint", "balance", "seniority_mix", "voices", "participation")
SENIORITY_LEVELS = ("individual_contributor", "manager", "director", "executive")
VOICE_KINDS = ("customers", "employees", "partners")
SEVERITIES = ("critical", "high", "medium", "low")
IN_USE_STATUSES = frozenset({"active", "dormant"})
GAIN_EPSILON = 1e-9

_SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
_SENIORITY_RANK = {name: rank for rank, name in enumerate(SENIORITY_LEVELS)}
_SENIOR_LEVELS = frozenset({"director", "executive"})

_FUNCTION_LABELS = {
    "customer_support": "customer support",
    "hr": "HR",
    "it_security": "IT security",
}
_VOICE_GROUPS = {
    "customers": "a customer",
    "employees": "an employee",
    "partners": "a partner",
}


# --------------------------------------------------------------------------- facts

# The facts are read-only: no rule changes one (a hypothetical seat is a new object).
# PersonFact, SeatFact and AccountFact are not frozen all the same: a frozen
# dataclass's __init__ stores each field through object.__setattr__, and for the
# 350,000 of them a 20,000-department company loads that is a quarter of a second
# (of about two) -- a plain one stores into its slots directly. They keep the hash
# of a frozen dataclass (by value), so they can still go into sets.


@dataclass(frozen=True, slots=True)
class DepartmentFact:
    key: str
    name: str
    parent: str | None = None
    function: str = "other"
    headcount: int = 0
    customer_facing: bool = False
    active: bool = True


@dataclass(slots=True, unsafe_hash=True)  # read-only, not frozen: see above
class PersonFact:
    email: str
    seniority: str | None = None
    department: str | None = None
    tags: int = 0  # how many distinct expertise tags the person has
    active: bool = True


@dataclass(frozen=True, slots=True)
class GroupFact:
    key: str
    kind: str = "other"


@dataclass(slots=True, unsafe_hash=True)  # read-only, not frozen: see above
class SeatFact:
    id: int
    person: str
    department: str | None = None
    group: str | None = None
    role: str = "core"
    status: str = "nominated"
    nominated_at: date | None = None
    decided_at: date | None = None
    term_start: date | None = None
    term_end: date | None = None

    @property
    def start(self) -> date | None:
        return self.term_start if self.term_start is not None else self.decided_at

    @property
    def constituency(self) -> str:
        if self.department is not None:
            return self.department
        return self.group or ""


@dataclass(slots=True, unsafe_hash=True)  # read-only, not frozen: see above
class AccountFact:
    platform: str
    handle: str
    owner: str | None = None
    status: str = "active"
    last_post_at: date | None = None
    # The managers' e-mails, resolved against the people by the rules; or, when the
    # loader has resolved them already (a company's people need not all be in the
    # facts then), the two counts the rules read instead: how many distinct active
    # managers, and the e-mails of the managers who have left (sorted).
    managers: tuple[str, ...] = ()
    active_managers: int | None = None
    departed_managers: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class MeetingFact:
    date: date
    title: str = ""
    present: frozenset[str] = frozenset()
    # False when the meeting has no attendance row at all (present or absent): its
    # attendance has not been taken, so participation and empty_chair skip it.
    taken: bool = True


@dataclass(frozen=True, slots=True)
class PolicyFact:
    weight_coverage: float = 0.30
    weight_footprint: float = 0.20
    weight_balance: float = 0.15
    weight_seniority_mix: float = 0.10
    weight_voices: float = 0.10
    weight_participation: float = 0.15
    inherited_credit: float = 0.5
    participation_window: int = 6
    large_department: int = 100
    min_seats_for_balance: int = 4
    clubhouse_share: float = 0.6
    senior_share: float = 0.6
    absence_limit: int = 3
    stale_days: int = 14
    people_per_seat: int = 250
    dormant_days: int = 90
    target_coverage: float = 0.8
    growth_window_days: int = 90
    recommendation_count: int = 10
    min_managers: int = 2
    max_tenure_days: int = 730

    @property
    def weights(self) -> tuple[float, ...]:
        """The component weights, in the order of COMPONENTS."""
        return (
            self.weight_coverage,
            self.weight_footprint,
            self.weight_balance,
            self.weight_seniority_mix,
            self.weight_voices,
            self.weight_participation,
        )


@dataclass(frozen=True, slots=True)
class Facts:
    departments: tuple[DepartmentFact, ...] = ()
    people: tuple[PersonFact, ...] = ()
    groups: tuple[GroupFact, ...] = ()
    seats: tuple[SeatFact, ...] = ()
    accounts: tuple[AccountFact, ...] = ()
    meetings: tuple[MeetingFact, ...] = ()
    policy: PolicyFact = field(default_factory=PolicyFact)


# ------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: str
    subject: str
    message: str
    action: str


@dataclass(frozen=True, slots=True)
class Recommendation:
    department: str
    gain: float
    person: str | None


@dataclass(frozen=True, slots=True)
class Assessment:
    as_of: date
    score: float
    shown_score: float
    grade: str
    components: dict[str, float | None]
    findings: tuple[Finding, ...]
    org_model: str
    org_model_reason: str
    recommendations: tuple[Recommendation, ...]
    projected_score: float
    representation: dict[str, str]
    # The nomination queue's "if approved": seat id -> the score with that pending
    # nomination alone approved (see what_if_approved), stored with the snapshot.
    if_approved: dict[int, float] = field(default_factory=dict)
    # The counts behind the components and the organisation model, for the pages to
    # say "3 of 12" next to a percentage (see explain()); not part of the contract.
    explain: dict[str, dict] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScoreInputs:
    """The sufficient statistics of the score.

    A total of 0 means "not measured" (coverage: no active department; footprint:
    no in-use account; participation: nothing expected).
    """

    coverage_credit: float  # sum of weight(d) * r(d) over active departments
    coverage_total: float  # sum of weight(d): headcount, or 1 each when all are 0
    footprint_credit: float  # sum of r(owner(a)) over in-use accounts
    footprint_accounts: int  # number of in-use accounts
    function_seats: tuple[int, ...]  # current department seats per function (n entries)
    seniority_seats: tuple[int, ...]  # current seats per SENIORITY_LEVELS (4 entries)
    voices_heard: int  # kinds of VOICE_KINDS with a current group seat
    attendance_present: int  # present (meeting, expected seat) pairs in the window
    attendance_expected: int  # expected (meeting, expected seat) pairs in the window


# ------------------------------------------------------------------- the formula


def round_half_up(x: float) -> float:
    """Round to one decimal, halves away from zero: 42.45 -> 42.5.

    Floating-point noise is cleared first (to 9 decimals, as gains are compared): a
    score that is exactly 56.25 on paper may come out of the weighted sum as
    56.24999999999999, and must still be shown as 56.3.
    """
    return float(Decimal(repr(round(x, 9))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


grade_for = vocabulary.grade_for


@lru_cache(maxsize=4096)
def _evenness(counts: tuple[int, ...], n: int) -> float:
    """Shannon evenness H / ln(n) of counts over n categories (0 without counts).

    Cached: the recommendation search asks for the same few seat distributions
    (one per function and seniority level) thousands of times.
    """
    counts = tuple(c for c in counts if c > 0)
    total = sum(counts)
    if total == 0:
        return 0.0
    if n <= 1:
        return 1.0
    entropy = 0.0
    for count in counts:
        p = count / total
        entropy -= p * math.log(p)
    return min(1.0, max(0.0, entropy / math.log(n)))


def score_from_inputs(
    inputs: ScoreInputs, policy: PolicyFact
) -> tuple[float, dict[str, float | None]]:
    """THE score formula: (unrounded score 0-100, components; None = not measured)."""
    components: dict[str, float | None] = {
        "coverage": (
            inputs.coverage_credit / inputs.coverage_total if inputs.coverage_total else None
        ),
        "footprint": (
            inputs.footprint_credit / inputs.footprint_accounts
            if inputs.footprint_accounts
            else None
        ),
        "balance": _evenness(inputs.function_seats, len(inputs.function_seats)),
        "seniority_mix": _evenness(inputs.seniority_seats, len(SENIORITY_LEVELS)),
        "voices": inputs.voices_heard / len(VOICE_KINDS),
        "participation": (
            inputs.attendance_present / inputs.attendance_expected
            if inputs.attendance_expected
            else None
        ),
    }
    weighted = 0.0
    total_weight = 0.0
    for name, weight in zip(COMPONENTS, policy.weights, strict=True):
        value = components[name]
        if value is not None:
            weighted += weight * value
            total_weight += weight
    score = 100.0 * weighted / total_weight if total_weight > 0 else 0.0
    return score, components


# ------------------------------------------------------------------ the company


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk build of acyclic objects.

    Loading and assessing a large company allocates hundreds of thousands of
    tuples, sets and fact objects that form no reference cycles (reference
    counting frees them). Each allocation burst would still trigger full
    collections that walk every live object: a quarter of the time at 20,000
    departments, for nothing. Nested use is fine: only the outermost call
    switches the collector back on. The collector is process-wide; with threads,
    whichever pause began while it was on switches it back on, so it is never
    left off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Company:
    """The facts indexed once for one as-of date."""

    def __init__(self, facts: Facts, as_of: date) -> None:
        self.facts = facts
        self.policy = facts.policy
        self.as_of = as_of
        self.departments = {d.key: d for d in facts.departments}
        # A list in facts order, so sums do not depend on set iteration order.
        self.active_keys = [key for key, d in self.departments.items() if d.active]
        self.active = set(self.active_keys)
        self.parent_of = {
            key: (d.parent if d.parent in self.departments and d.parent != key else None)
            for key, d in self.departments.items()
        }
        self.people = {p.email: p for p in facts.people}
        self.active_people = {p.email for p in facts.people if p.active}
        self.departed_people = {p.email for p in facts.people if not p.active}
        self.groups = {g.key: g for g in facts.groups}

        self.functions = sorted({self.departments[key].function for key in self.active_keys})
        self.function_index = {name: i for i, name in enumerate(self.functions)}
        total_headcount = sum(self.departments[key].headcount for key in self.active_keys)
        self.weight = {
            key: (self.departments[key].headcount if total_headcount > 0 else 1)
            for key in self.active_keys
        }

        # is_counting and is_current, inlined or prefiltered: tens of thousands of seats.
        active = self.active
        groups = self.groups
        self.counting_seats = [
            s
            for s in facts.seats
            if (
                s.department in active
                if s.department is not None
                else s.group is not None and s.group in groups
            )
        ]
        self.current_seats = [
            s for s in self.counting_seats if s.status == "approved" and self.is_current(s)
        ]
        self.current_ids = {id(s) for s in self.current_seats}
        # seniority_of for the holders of counting seats, whom the seat loops ask about.
        people = self.people
        self.level: dict[str, str] = {}
        for email in {s.person for s in self.counting_seats}:
            person = people.get(email)
            if person is not None and person.seniority in _SENIORITY_RANK:
                self.level[email] = person.seniority  # type: ignore[assignment]

        self.in_use_accounts = [a for a in facts.accounts if a.status in IN_USE_STATUSES]
        self.owned_accounts = Counter(
            a.owner for a in self.in_use_accounts if a.owner in self.active
        )

        self.meetings = sorted(
            (m for m in facts.meetings if m.date <= as_of and m.taken),
            key=lambda m: (m.date, m.title),
        )
        self.meeting_dates = [m.date for m in self.meetings]

    def is_counting(self, seat: SeatFact) -> bool:
        if seat.department is not None:
            return seat.department in self.active
        return seat.group is not None and seat.group in self.groups

    def person_active(self, email: str) -> bool:
        return email in self.active_people

    def is_current(self, seat: SeatFact) -> bool:
        start = seat.start
        return (
            seat.status == "approved"
            and (start is None or start <= self.as_of)
            and (seat.term_end is None or seat.term_end >= self.as_of)
            and self.person_active(seat.person)
        )

    def seniority_of(self, email: str) -> str | None:
        person = self.people.get(email)
        if person is None or person.seniority not in _SENIORITY_RANK:
            return None
        return person.seniority

    def department_name(self, key: str) -> str:
        dept = self.departments.get(key)
        return dept.name if dept is not None else key

    def constituency_name(self, seat: SeatFact) -> str:
        if seat.department is not None:
            return self.department_name(seat.department)
        return f"the {seat.group} group"


def _nearest_seated_ancestor(
    parent_of: Mapping[str, str | None], seated: set[str]
) -> dict[str, str | None]:
    """For every department, its nearest strict ancestor in `seated` (or None).

    Iterative with memoisation: O(number of departments) whatever the depth; a
    cycle (impossible in a valid tree) ends the walk instead of looping.
    """
    result: dict[str, str | None] = {}
    for start in parent_of:
        if start in result:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in result and node not in on_path:
            on_path.add(node)
            path.append(node)
            node = parent_of[node]
        if node is None:
            carry: str | None = None
        elif node in result:
            carry = node if node in seated else result[node]
        else:  # a cycle: stop at the node we came back to
            carry = node if node in seated else None
        for key in reversed(path):
            result[key] = carry
            if key in seated:
                carry = key
    return result


def _top_level(parent_of: Mapping[str, str | None], key: str, memo: dict[str, str]) -> str:
    path: list[str] = []
    seen: set[str] = set()
    node = key
    while node not in memo and node not in seen:
        seen.add(node)
        path.append(node)
        parent = parent_of.get(node)
        if parent is None:
            break
        node = parent
    root = memo.get(node, node)
    for visited in path:
        memo[visited] = root
    return root


def _breadth_first(parent_of: Mapping[str, str | None]) -> list[str]:
    """Departments ordered so that a parent comes before its children."""
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for key, parent in parent_of.items():
        if parent is None:
            roots.append(key)
        else:
            children.setdefault(parent, []).append(key)
    order: list[str] = []
    queue = deque(roots)
    seen = set(roots)
    while queue:
        key = queue.popleft()
        order.append(key)
        for child in children.get(key, ()):
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return order


# --------------------------------------------------------------------- the inputs


@dataclass(frozen=True, slots=True)
class _Seating:
    """What a set of current seats means for the components."""

    inputs: ScoreInputs
    representation: dict[str, str]  # every department: direct | proxy | none
    proxy_of: dict[str, str | None]  # nearest seated ancestor
    direct_seats: Counter[str]  # current seats per department


def _credit(policy: PolicyFact, representation: str) -> float:
    if representation == "direct":
        return 1.0
    if representation == "proxy":
        return policy.inherited_credit
    return 0.0


def _attendance(company: _Company) -> tuple[int, int, list[SeatFact]]:
    """(present pairs, expected pairs) in the participation window, and empty chairs."""
    policy = company.policy
    meetings = company.meetings
    dates = company.meeting_dates
    window_start = max(0, len(meetings) - max(0, policy.participation_window))
    limit = policy.absence_limit
    present = expected = 0
    empty_chairs: list[SeatFact] = []
    current_ids = company.current_ids
    # Per person, the meetings they were present at as bits (bit i: meetings[i]), so
    # that a seat's run of meetings is a shift and a mask instead of a loop.
    attended: dict[str, int] = {}
    for index, meeting in enumerate(meetings):
        bit = 1 << index
        for email in meeting.present:
            attended[email] = attended.get(email, 0) | bit
    for seat in company.counting_seats:
        if seat.status not in ("approved", "ended"):
            continue
        start = seat.start
        # Meetings are sorted by date, so the seat is expected at one contiguous run.
        first = 0 if start is None else bisect_left(dates, start)
        stop = len(meetings) if seat.term_end is None else bisect_right(dates, seat.term_end)
        if first >= stop:
            continue
        bits = attended.get(seat.person, 0)
        low = max(first, window_start)
        if low < stop:
            expected += stop - low
            present += ((bits >> low) & ((1 << (stop - low)) - 1)).bit_count()
        if (
            limit >= 1
            and stop - first >= limit
            and id(seat) in current_ids
            and not (bits >> (stop - limit)) & ((1 << limit) - 1)
        ):
            empty_chairs.append(seat)
    return present, expected, empty_chairs


def _seating(
    company: _Company, current_seats: list[SeatFact], attendance: tuple[int, int]
) -> _Seating:
    policy = company.policy
    direct_seats: Counter[str] = Counter(
        s.department for s in current_seats if s.department is not None
    )
    seated = set(direct_seats)
    proxy_of = _nearest_seated_ancestor(company.parent_of, seated)
    representation: dict[str, str] = {}
    for key in company.departments:
        if key not in company.active:
            representation[key] = "none"
        elif key in seated:
            representation[key] = "direct"
        elif proxy_of[key] is not None:
            representation[key] = "proxy"
        else:
            representation[key] = "none"

    coverage_credit = 0.0
    coverage_total = 0.0
    for key in company.active_keys:
        weight = company.weight[key]
        coverage_total += weight
        coverage_credit += weight * _credit(policy, representation[key])
    footprint_credit = 0.0
    for key, count in company.owned_accounts.items():
        footprint_credit += count * _credit(policy, representation[key])

    function_seats = [0] * len(company.functions)
    for key, count in direct_seats.items():
        function_seats[company.function_index[company.departments[key].function]] += count
    seniority_seats = [0] * len(SENIORITY_LEVELS)
    levels = Counter(map(company.level.get, map(attrgetter("person"), current_seats)))
    for level, count in levels.items():
        if level is not None:
            seniority_seats[_SENIORITY_RANK[level]] += count
    heard = {company.groups[s.group].kind for s in current_seats if s.group in company.groups}
    inputs = ScoreInputs(
        coverage_credit=coverage_credit,
        coverage_total=coverage_total,
        footprint_credit=footprint_credit,
        footprint_accounts=len(company.in_use_accounts),
        function_seats=tuple(function_seats),
        seniority_seats=tuple(seniority_seats),
        voices_heard=sum(1 for kind in VOICE_KINDS if kind in heard),
        attendance_present=attendance[0],
        attendance_expected=attendance[1],
    )
    return _Seating(inputs, representation, proxy_of, direct_seats)


# ----------------------------------------------------------------- public entry


def score_facts(facts: Facts, as_of: date) -> float:
    """The unrounded score only (no findings, recommendations or projection)."""
    company = _Company(facts, as_of)
    present, expected, _ = _attendance(company)
    seating = _seating(company, company.current_seats, (present, expected))
    return score_from_inputs(seating.inputs, company.policy)[0]


def assess(facts: Facts, as_of: date) -> Assessment:
    with gc_paused():
        return _assess(facts, as_of)


def _assess(facts: Facts, as_of: date) -> Assessment:
    company = _Company(facts, as_of)
    policy = company.policy
    present, expected, empty_chairs = _attendance(company)
    seating = _seating(company, company.current_seats, (present, expected))
    score, components = score_from_inputs(seating.inputs, policy)
    shown = round_half_up(score)
    org_model, org_model_reason = _org_model(company, components)
    # One seat adder for the recommendations and the nominations' "if approved".
    adder = _SeatAdder(company, seating)
    return Assessment(
        as_of=as_of,
        score=score,
        shown_score=shown,
        grade=grade_for(shown),
        components=components,
        findings=_findings(company, seating, components, empty_chairs),
        org_model=org_model,
        org_model_reason=org_model_reason,
        recommendations=_recommendations(company, adder, score),
        projected_score=_projected_score(company, (present, expected)),
        representation=seating.representation,
        # The assessment's own seating: the adder reads it and changes nothing in it.
        if_approved=_if_approved(company, adder),
        explain=_explain(company, seating),
    )


def _explain(company: _Company, seating: _Seating) -> dict[str, dict]:
    """The counts behind each component and the organisation model (JSON-ready)."""
    inputs = seating.inputs
    representation = seating.representation
    by_headcount = any(company.departments[key].headcount for key in company.active_keys)
    weighed = {"direct": 0, "proxy": 0}
    for key in company.active_keys:
        if representation[key] in weighed:
            weighed[representation[key]] += company.weight[key]
    owned = {"direct": 0, "proxy": 0}
    for key, count in company.owned_accounts.items():
        if representation[key] in owned:
            owned[representation[key]] += count
    heard = {
        company.groups[s.group].kind for s in company.current_seats if s.group in company.groups
    }
    share, owned_total, owner, owner_count = _ownership(company)
    leads = [s for s in company.current_seats if s.role == "lead"]
    memo: dict[str, str] = {}
    tops = sorted(
        {_top_level(company.parent_of, s.department, memo) for s in leads if s.department}
    )
    return {
        "coverage": {
            # Coverage weighs departments by headcount, or each as 1 when nobody is counted.
            "unit": "people" if by_headcount else "departments",
            "direct": weighed["direct"],
            "proxy": weighed["proxy"],
            "total": int(inputs.coverage_total),
        },
        "footprint": {**owned, "total": inputs.footprint_accounts},
        "balance": {
            "seats": sum(inputs.function_seats),
            "functions_seated": sum(1 for n in inputs.function_seats if n),
            "functions": len(inputs.function_seats),
        },
        "seniority_mix": {
            "seats": sum(inputs.seniority_seats),
            "levels_seated": sum(1 for n in inputs.seniority_seats if n),
            "levels": len(SENIORITY_LEVELS),
        },
        "voices": {
            "heard": [kind for kind in VOICE_KINDS if kind in heard],
            "missing": [kind for kind in VOICE_KINDS if kind not in heard],
        },
        "participation": {
            "present": inputs.attendance_present,
            "expected": inputs.attendance_expected,
        },
        "org_model": {
            "seats": len(company.current_seats),
            "leads": len(leads),
            "largest_owner": company.department_name(owner) if owner else None,
            "largest_owner_accounts": owner_count,
            "owned_accounts": owned_total,
            "hubs": [company.department_name(key) for key in tops],
        },
    }


# Findings of each severity kept in a snapshot's summary: what the dashboard lists
# unfiltered (governance.selectors.FINDINGS_PER_GROUP).
SUMMARY_FINDINGS_PER_SEVERITY = 20


def findings_summary(findings: list[dict], representation: dict[str, str]) -> dict:
    """What the pages show of an assessment without its whole list of findings: the
    counts by severity and code, the first findings of each severity (in order), and
    how many departments are represented directly and by proxy."""
    by_severity: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    by_code: dict[str, int] = {}
    top: dict[str, list[dict]] = {name: [] for name in SEVERITIES}
    for finding in findings:
        severity = finding["severity"]
        by_severity[severity] = by_severity.get(severity, 0) + 1
        by_code[finding["code"]] = by_code.get(finding["code"], 0) + 1
        shown = top.setdefault(severity, [])
        if len(shown) < SUMMARY_FINDINGS_PER_SEVERITY:
            shown.append(finding)
    values = list(representation.values())
    return {
        "findings_total": len(findings),
        "by_severity": by_severity,
        "by_code": sorted(by_code.items()),
        "top": top,
        "direct": values.count("direct"),
        "proxy": values.count("proxy"),
    }


def assessment_to_dict(a: Assessment) -> dict:
    """The object printed by `manage.py score --json`."""
    return {
        "score": round_half_up(a.score),
        "grade": a.grade,
        "components": dict(a.components),
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "subject": f.subject,
                "message": f.message,
                "action": f.action,
            }
            for f in a.findings
        ],
        "org_model": a.org_model,
        "org_model_reason": a.org_model_reason,
        "recommendations": [
            {"department": r.department, "gain": round_half_up(r.gain), "person": r.person}
            for r in a.recommendations
        ],
        "projected_score": round_half_up(a.projected_score),
    }


# ------------------------------------------------------- recommendations, what-if


def _suggested_people(
    company: _Company, candidates: set[str], seat_holders: set[str]
) -> dict[str, PersonFact]:
    """Per candidate department, the person with most tags, then lower seniority, then e-mail."""
    best: dict[str, tuple[tuple[int, int, str], PersonFact]] = {}
    unranked = len(SENIORITY_LEVELS)
    for person in company.people.values():
        key = person.department
        if key not in candidates or not person.active or person.email in seat_holders:
            continue
        rank = (
            -person.tags,
            _SENIORITY_RANK.get(person.seniority, unranked),  # type: ignore[arg-type]
            person.email,
        )
        held = best.get(key)
        if held is None or rank < held[0]:
            best[key] = (rank, person)
    return {key: person for key, (_, person) in best.items()}


def _bumped(counts: tuple[int, ...], index: int) -> tuple[int, ...]:
    return (*counts[:index], counts[index] + 1, *counts[index + 1 :])


class _SeatAdder:
    """The score inputs with one more hypothetical current seat, in O(functions) each.

    A seat for department d changes a few sums of the base inputs: d's credit
    becomes 1, its unrepresented descendants become proxies (when d was
    unrepresented), one more seat for d's function and for the holder's
    seniority. A group seat may add its kind to the voices heard. Hypothetical
    seats are never expected at a meeting, so participation keeps its value.
    """

    def __init__(self, company: _Company, seating: _Seating) -> None:
        self.company = company
        self.representation = seating.representation
        self.base = base = seating.inputs
        # One bottom-up pass: weight and owned accounts of the unrepresented active
        # departments in each subtree (archived departments pass sums through).
        none_weight: dict[str, float] = dict.fromkeys(company.departments, 0)
        none_accounts: dict[str, int] = dict.fromkeys(company.departments, 0)
        for key in company.active_keys:
            if self.representation[key] == "none":
                none_weight[key] = company.weight[key]
                none_accounts[key] = company.owned_accounts.get(key, 0)
        for key in reversed(_breadth_first(company.parent_of)):
            parent = company.parent_of[key]
            if parent is not None:
                none_weight[parent] += none_weight[key]
                none_accounts[parent] += none_accounts[key]
        self.none_weight = none_weight
        self.none_accounts = none_accounts
        # One more seat for a function / a seniority level: a handful of variants,
        # shared by every hypothetical seat.
        self.function_variants = {
            name: _bumped(base.function_seats, i) for name, i in company.function_index.items()
        }
        self.seniority_variants = {
            level: _bumped(base.seniority_seats, i) for level, i in _SENIORITY_RANK.items()
        }
        self.heard = {
            company.groups[s.group].kind for s in company.current_seats if s.group in company.groups
        }

    def with_seat(
        self, *, department: str | None, group: str | None, seniority: str | None
    ) -> ScoreInputs:
        """The inputs with one more current seat (its department, if any, is active)."""
        company = self.company
        base = self.base
        coverage_credit = base.coverage_credit
        footprint_credit = base.footprint_credit
        function_seats = base.function_seats
        if department is not None:
            credit = company.policy.inherited_credit
            weight = company.weight[department]
            accounts = company.owned_accounts.get(department, 0)
            representation = self.representation[department]
            if representation == "proxy":
                # Its descendants already have a seated ancestor: only d itself moves.
                coverage_credit += weight * (1 - credit)
                footprint_credit += accounts * (1 - credit)
            elif representation == "none":
                coverage_credit += weight + (self.none_weight[department] - weight) * credit
                footprint_credit += accounts + (self.none_accounts[department] - accounts) * credit
            function_seats = self.function_variants[company.departments[department].function]
        voices_heard = base.voices_heard
        if group in company.groups:
            kind = company.groups[group].kind
            if kind in VOICE_KINDS and kind not in self.heard:
                voices_heard += 1
        return ScoreInputs(
            coverage_credit=coverage_credit,
            coverage_total=base.coverage_total,
            footprint_credit=footprint_credit,
            footprint_accounts=base.footprint_accounts,
            function_seats=function_seats,
            seniority_seats=(
                self.seniority_variants[seniority]
                if seniority is not None
                else base.seniority_seats
            ),
            voices_heard=voices_heard,
            attendance_present=base.attendance_present,
            attendance_expected=base.attendance_expected,
        )


def _recommendations(
    company: _Company, adder: _SeatAdder, base_score: float
) -> tuple[Recommendation, ...]:
    policy = company.policy
    if policy.recommendation_count <= 0:
        return ()
    representation = adder.representation
    candidates = [key for key in company.active_keys if representation[key] != "direct"]
    seat_holders = {s.person for s in company.current_seats}
    suggested = _suggested_people(company, set(candidates), seat_holders)

    ranked: list[tuple[float, int, str, float, str | None]] = []
    for key in candidates:
        person = suggested.get(key)
        email = person.email if person is not None else None
        level = company.seniority_of(email) if email is not None else None
        inputs = adder.with_seat(department=key, group=None, seniority=level)
        gain = score_from_inputs(inputs, policy)[0] - base_score
        if gain > GAIN_EPSILON:
            headcount = company.departments[key].headcount
            ranked.append((-round(gain, 9), -headcount, key, gain, email))
    ranked.sort()
    return tuple(
        Recommendation(department=key, gain=gain, person=email)
        for _, _, key, gain, email in ranked[: policy.recommendation_count]
    )


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The score now, and the score if each pending nomination alone were approved."""

    score: float
    # Seat id -> score with that nomination approved at T with no end date. Only the
    # nominations that would count: an active person in a counting constituency.
    if_approved: dict[int, float]


def what_if_approved(facts: Facts, as_of: date) -> WhatIf:
    """One nomination approved at a time, each in O(functions) after one assessment pass."""
    with gc_paused():
        company = _Company(facts, as_of)
        present, expected, _ = _attendance(company)
        seating = _seating(company, company.current_seats, (present, expected))
        return WhatIf(
            score=score_from_inputs(seating.inputs, company.policy)[0],
            if_approved=_if_approved(company, _SeatAdder(company, seating)),
        )


def _if_approved(company: _Company, adder: _SeatAdder) -> dict[int, float]:
    """Seat id -> the score with that pending nomination alone approved at T."""
    if_approved: dict[int, float] = {}
    for seat in company.counting_seats:
        if seat.status != "nominated" or not company.person_active(seat.person):
            continue
        inputs = adder.with_seat(
            department=seat.department,
            group=seat.group,
            seniority=company.level.get(seat.person),
        )
        if_approved[seat.id] = score_from_inputs(inputs, company.policy)[0]
    return if_approved


def _projected_score(company: _Company, attendance: tuple[int, int]) -> float:
    """The score if every pending nomination were approved at T with no end date."""
    # Approved at T with no end date, each is current; the seating reads only its
    # person and constituency, so the nomination stands for its approved seat as is.
    approved = [
        seat
        for seat in company.counting_seats
        if seat.status == "nominated" and company.person_active(seat.person)
    ]
    # Hypothetical seats are never expected at a meeting: attendance stays as is.
    seating = _seating(company, company.current_seats + approved, attendance)
    return score_from_inputs(seating.inputs, company.policy)[0]


# ------------------------------------------------------------ organisation model


def _percent(share: float) -> str:
    return f"{Decimal(repr(share * 100)).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"


def _ownership(company: _Company) -> tuple[float, int, str | None, int]:
    """(share s, owned accounts, largest owner, its accounts)."""
    total = sum(company.owned_accounts.values())
    if total == 0:
        return 0.0, 0, None, 0
    owner, count = min(company.owned_accounts.items(), key=lambda item: (-item[1], item[0]))
    return count / total, total, owner, count


def _org_model(company: _Company, components: Mapping[str, float | None]) -> tuple[str, str]:
    current = company.current_seats
    leads = [s for s in current if s.role == "lead"]
    if len(current) < 2:
        held = "No current seat" if not current else "Only 1 current seat"
        return "organic", f"{held}: social media is still run ad hoc, without a COE table."
    if not leads:
        return "organic", (
            f"None of the {len(current)} current seats has the lead role: "
            "nobody coordinates social media across the company."
        )
    share, owned, owner, count = _ownership(company)
    owner_name = company.department_name(owner) if owner else ""
    if share >= 0.7 and owned >= 3:
        return "centralized", (
            f"{_percent(share)} of owned accounts sit with {owner_name} ({count} of {owned})."
        )
    coverage = components["coverage"]
    footprint = components["footprint"]
    if (
        coverage is not None
        and footprint is not None
        and coverage >= 0.9
        and footprint >= 0.9
        and components["voices"] == 1
        and share < 0.5
    ):
        return "honeycomb", (
            f"Coverage {_percent(coverage)} and footprint {_percent(footprint)}, customers, "
            f"employees and partners all have a voice, and no department owns half of the "
            f"accounts (the largest share is {_percent(share)})."
        )
    memo: dict[str, str] = {}
    tops = sorted(
        {_top_level(company.parent_of, s.department, memo) for s in leads if s.department}
    )
    names = ", ".join(company.department_name(key) for key in tops)
    if len(tops) >= 2:
        return "dandelion", (
            f"Lead seats sit under {len(tops)} top-level departments ({names}): "
            "several hubs, each with its own spokes."
        )
    if tops:
        return "hub_and_spoke", (
            f"Every department lead seat sits under {names}: one hub, with spokes to the "
            "other departments."
        )
    return "hub_and_spoke", (
        "The only lead seats belong to stakeholder groups: the COE is one hub, with "
        "spokes to the departments."
    )


# ---------------------------------------------------------------------- findings


def _plural(count: int, suffix: str = "s") -> str:
    return "" if count == 1 else suffix


def _function_label(function: str) -> str:
    return _FUNCTION_LABELS.get(function, function.replace("_", " "))


def _seat_subject(seat: SeatFact) -> str:
    return f"{seat.person.lower()}/{seat.constituency}"


def _findings(
    company: _Company,
    seating: _Seating,
    components: Mapping[str, float | None],
    empty_chairs: list[SeatFact],
) -> tuple[Finding, ...]:
    findings = [
        *_department_findings(company, seating),
        *_company_findings(company, seating, components),
        *_seat_findings(company, empty_chairs),
        *_account_findings(company),
    ]
    # Stable sorts, least significant key first: no key tuple per finding.
    findings.sort(key=attrgetter("subject"))
    findings.sort(key=attrgetter("code"))
    findings.sort(key=lambda f: _SEVERITY_RANK[f.severity])
    return tuple(findings)


def _department_findings(company: _Company, seating: _Seating) -> Iterable[Finding]:
    policy = company.policy
    for key in company.active_keys:
        dept = company.departments[key]
        name = dept.name
        representation = seating.representation[key]
        if representation == "none":
            accounts = company.owned_accounts.get(key, 0)
            if accounts:
                yield Finding(
                    "unrepresented_accounts",
                    "critical",
                    key,
                    f"{name} owns {accounts} social account{_plural(accounts)} "
                    "but has no seat at the COE table.",
                    f"Nominate a representative from {name}.",
                )
            else:
                large = dept.headcount >= policy.large_department
                if dept.customer_facing:
                    who = f"{name}, which faces customers,"
                elif large:
                    who = f"{name} ({dept.headcount} people)"
                else:
                    who = name
                yield Finding(
                    "no_seat",
                    "high" if dept.customer_facing or large else "medium",
                    key,
                    f"{who} has no seat at the COE table, directly or through a parent department.",
                    f"Invite {name} to nominate a representative.",
                )
        elif representation == "proxy":
            ancestor = company.department_name(seating.proxy_of[key] or "")
            yield Finding(
                "seat_by_proxy",
                "low",
                key,
                f"{name} is represented only through {ancestor}.",
                f"Check that {ancestor}'s representative speaks for {name}, "
                f"or give {name} a seat of its own.",
            )
        else:
            seats = seating.direct_seats[key]
            if dept.headcount / seats > policy.people_per_seat:
                ratio = dept.headcount / seats
                yield Finding(
                    "thin_representation",
                    "low",
                    key,
                    f"{name} has {dept.headcount} people and {seats} seat{_plural(seats)} "
                    f"({ratio:.0f} people per seat, more than {policy.people_per_seat}).",
                    f"Nominate another representative from {name}.",
                )


def _company_findings(
    company: _Company, seating: _Seating, components: Mapping[str, float | None]
) -> Iterable[Finding]:
    policy = company.policy
    as_of = company.as_of
    current = company.current_seats

    function_seats = seating.inputs.function_seats
    department_seats = sum(function_seats)
    if department_seats >= policy.min_seats_for_balance and len(function_seats) >= 4:
        top = sorted(
            zip(function_seats, company.functions, strict=True), key=lambda x: (-x[0], x[1])
        )[:2]
        held = top[0][0] + top[1][0]
        if held / department_seats > policy.clubhouse_share:
            first, second = _function_label(top[0][1]), _function_label(top[1][1])
            yield Finding(
                "clubhouse",
                "critical",
                "",
                f"{first.capitalize()} and {second} hold {held} of the {department_seats} "
                f"department seats ({_percent(held / department_seats)}).",
                f"Invite departments outside {first} and {second} to the COE table.",
            )

    level = company.level
    senior = sum(1 for s in current if level.get(s.person) in _SENIOR_LEVELS)
    if len(current) >= policy.min_seats_for_balance and senior / len(current) > (
        policy.senior_share
    ):
        yield Finding(
            "seniority_skew",
            "high",
            "",
            f"Directors and executives hold {senior} of the {len(current)} current seats "
            f"({_percent(senior / len(current))}).",
            "Add practitioners and managers who know how to find answers, whatever their title.",
        )

    heard = {company.groups[s.group].kind for s in current if s.group in company.groups}
    for kind in VOICE_KINDS:
        if kind not in heard:
            yield Finding(
                "missing_voice",
                "medium",
                kind,
                f"{kind.capitalize()} have no voice at the COE table: no stakeholder group "
                f"of kind {kind} holds a current seat.",
                f"Give {_VOICE_GROUPS[kind]} stakeholder group a seat at the table.",
            )

    coverage = components["coverage"]
    if coverage is not None and coverage < policy.target_coverage:
        since = as_of - timedelta(days=policy.growth_window_days)
        if not any(s.start is not None and s.start > since for s in current):
            yield Finding(
                "stalled_growth",
                "medium",
                "",
                f"Coverage is {_percent(coverage)} (target {_percent(policy.target_coverage)}) "
                f"and no seat has started in the last {policy.growth_window_days} days.",
                "Grow the table: seat a representative from one of the recommended departments.",
            )


def _seat_findings(company: _Company, empty_chairs: list[SeatFact]) -> Iterable[Finding]:
    policy = company.policy
    as_of = company.as_of
    departed = company.departed_people
    for seat in empty_chairs:
        where = company.constituency_name(seat)
        yield Finding(
            "empty_chair",
            "high",
            _seat_subject(seat),
            f"{seat.person} ({where}) missed each of the last {policy.absence_limit} "
            "meetings they were expected at.",
            f"Talk to {seat.person}, or ask {where} to nominate someone who can attend.",
        )
    for seat in company.current_seats:
        start = seat.start
        if start is not None and (as_of - start).days > policy.max_tenure_days:
            where = company.constituency_name(seat)
            yield Finding(
                "long_tenure",
                "low",
                _seat_subject(seat),
                f"{seat.person} has held the seat for {where} since {start.isoformat()} "
                f"({(as_of - start).days} days, more than {policy.max_tenure_days}).",
                f"Plan a rotation: ask {where} who could take the seat next.",
            )
    for seat in company.facts.seats:
        status = seat.status
        if status == "nominated":
            if seat.nominated_at is None:
                continue
            waited = (as_of - seat.nominated_at).days
            if waited > policy.stale_days:
                yield Finding(
                    "stale_nomination",
                    "medium",
                    _seat_subject(seat),
                    f"The nomination of {seat.person} for {company.constituency_name(seat)} "
                    f"has waited {waited} days for a decision.",
                    "Approve or decline the nomination.",
                )
        elif status == "approved":
            if seat.term_end is not None and seat.term_end < as_of:
                yield Finding(
                    "expired_term",
                    "low",
                    _seat_subject(seat),
                    f"The seat of {seat.person} for {company.constituency_name(seat)} is still "
                    f"approved, but its term ended on {seat.term_end.isoformat()}.",
                    "Renew the term or end the seat.",
                )
            if seat.person in departed:
                where = company.constituency_name(seat)
                yield Finding(
                    "departed_member",
                    "high",
                    _seat_subject(seat),
                    f"{seat.person} has left the company but still holds an approved seat "
                    f"for {where}.",
                    f"End the seat and ask {where} for a new representative.",
                )


def _account_findings(company: _Company) -> Iterable[Finding]:
    policy = company.policy
    as_of = company.as_of
    active = company.active
    departed = company.departed_people
    active_people = company.active_people
    dormant_days = policy.dormant_days
    min_managers = policy.min_managers
    for account in company.facts.accounts:
        status = account.status
        gone: list[str] | tuple[()] = ()
        orphan = unverified = dormant = False
        keepers = -1  # distinct active managers of an owned in-use account
        silent_days = 0
        if status == "active" or status == "dormant":  # in use
            managers = account.managers
            if account.departed_managers is not None:
                gone = account.departed_managers
            elif managers and not departed.isdisjoint(managers):
                gone = sorted(departed.intersection(managers))
            orphan = account.owner not in active
            if not orphan:
                keepers = (
                    account.active_managers
                    if account.active_managers is not None
                    else len(active_people.intersection(managers))
                )
            if status == "active" and account.last_post_at is not None:
                silent_days = (as_of - account.last_post_at).days
                dormant = silent_days > dormant_days
        else:
            unverified = status == "unverified"
        single_keeper = 0 <= keepers < min_managers
        if not (gone or orphan or unverified or dormant or single_keeper):
            continue
        handle = account.handle.lstrip("@").lower()
        subject = f"{account.platform}:{handle}"
        platform = vocabulary.platform_label(account.platform)
        label = f"{platform} account @{handle}"
        for email in gone:
            yield Finding(
                "departed_manager",
                "critical",
                f"{subject}/{email}",
                f"{email} has left the company but still manages the {label}.",
                f"Remove {email} from the {label} and change its password.",
            )
        if orphan:
            owner = (
                f"{company.department_name(account.owner)}, which is archived."
                if account.owner in company.departments
                else "no department."
            )
            yield Finding(
                "orphan_account",
                "high",
                subject,
                f"The {label} belongs to {owner}",
                "Assign it to the active department that runs it.",
            )
        if single_keeper:
            holders = "no active manager" if keepers == 0 else f"{keepers} active manager"
            yield Finding(
                "single_manager_account",
                "medium",
                subject,
                f"The {label} has {holders}{_plural(keepers) if keepers > 1 else ''} "
                f"(at least {min_managers} wanted): one person holds the keys.",
                f"Add a second manager from {company.department_name(account.owner or '')}.",
            )
        if unverified:
            yield Finding(
                "unverified_account",
                "medium",
                subject,
                f"The {label} was found but nobody has claimed it.",
                "Find out who runs it and record its owner, or report it as an impostor.",
            )
        if dormant:
            yield Finding(
                "dormant_account",
                "low",
                subject,
                f"The {label} has not posted for {silent_days} days.",
                "Post again, or mark it dormant or retired.",
            )
