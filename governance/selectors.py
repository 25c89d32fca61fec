"""Reads of the governance pages: the latest snapshot and its trend, the dashboard's
findings and recommendations, and the stakeholder map.

Every function runs a fixed number of queries whatever the size of the registry
(pinned by the view tests at two sizes). The snapshot is the source of truth for
what the pages show; the live engine is used only before the first snapshot.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Lower, TruncDate
from django.urls import reverse
from django.utils import timezone

from governance import scoring, services
from governance.explain import component_counts
from governance.models import POLICY_SECTIONS, WEIGHT_FIELDS, Policy, Snapshot
from stakeholders.models import (
    IN_USE_ACCOUNT_STATUSES,
    Department,
    Handover,
    Person,
    Seat,
    SeatStatus,
    SocialAccount,
)
from stakeholders.selectors import findings_about_department

TREND_DAYS = 90
FINDINGS_PER_GROUP = scoring.SUMMARY_FINDINGS_PER_SEVERITY
FINDINGS_FILTERED_LIMIT = 200
MAP_MAX_NODES = 300
# Departments the map data lists at most (the power/interest grid's points): beyond,
# the deepest levels are left out, so the response stays well under 1 MB (about 300
# bytes a department) whatever the size of the company.
MAP_MAX_LISTED = 2000

DEPARTMENT_CODES = frozenset(
    {"unrepresented_accounts", "no_seat", "seat_by_proxy", "thin_representation"}
)
ACCOUNT_CODES = frozenset(
    {
        "departed_manager",
        "orphan_account",
        "single_manager_account",
        "unverified_account",
        "dormant_account",
    }
)
SEAT_CODES = frozenset(
    {"empty_chair", "stale_nomination", "expired_term", "long_tenure", "departed_member"}
)


# --------------------------------------------------------------------- snapshots


# The parts of a snapshot that grow with the company (tens of megabytes at 20,000
# departments): read only where a page needs every finding, never by default.
SNAPSHOT_LARGE_FIELDS = ("findings", "representation", "if_approved")


def snapshot_latest() -> Snapshot | None:
    """The latest snapshot without its large fields (reading one costs a query)."""
    return Snapshot.objects.order_by("-created_at", "-id").defer(*SNAPSHOT_LARGE_FIELDS).first()


def snapshot_findings_view(
    snapshot: Snapshot, *, severity: str = "", code: str = "", text: str = ""
) -> FindingsView:
    """findings_view of a snapshot: unfiltered from its summary (no query for the
    findings), filtered from its whole list of findings (one query)."""
    summary = snapshot.summary
    if not summary or severity or code or text.strip():
        return findings_view(snapshot.findings, severity=severity, code=code, text=text)
    shown = [
        (name, finding) for name in scoring.SEVERITIES for finding in summary["top"].get(name, [])
    ]
    return _findings_view(
        shown,
        totals=summary["by_severity"],
        total=summary["findings_total"],
        matching=summary["findings_total"],
        by_code=[tuple(pair) for pair in summary["by_code"]],
        filtered=False,
    )


def snapshot_codes(snapshot: Snapshot) -> set[str]:
    """The finding codes of a snapshot (the dashboard's code filter accepts these)."""
    if snapshot.summary:
        return {code for code, _ in snapshot.summary["by_code"]}
    return {f["code"] for f in snapshot.findings}


def snapshot_representation_summary(snapshot: Snapshot) -> dict[str, int]:
    if snapshot.summary:
        return _representation_counts(snapshot.summary["direct"], snapshot.summary["proxy"])
    return representation_summary(snapshot.representation)


def snapshot_is_stale(snapshot: Snapshot) -> bool:
    """Has the registry changed since the facts of this snapshot were read?

    Every registry change raises RecomputeState.generation in its own transaction and
    each snapshot records the generation it read, so this stays true until a snapshot
    of the current registry is stored -- however the recompute that was queued fared.
    """
    return snapshot.registry_generation < services.registry_generation()


def snapshot_trend(*, days: int = TREND_DAYS) -> list[dict[str, Any]]:
    """One point per day (the day's last snapshot) for the last `days` days that have
    one, oldest first: six recomputes in a morning are one point, not six (1 query)."""
    last_of_day = (
        Snapshot.objects.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(last=Max("id"))
        .order_by("-day")
        .values_list("last", flat=True)[:days]
    )
    rows = Snapshot.objects.filter(id__in=last_of_day).order_by("created_at", "id")
    return [
        {
            "day": timezone.localdate(created_at).isoformat(),
            "score": score,
            "projected": projected,
            "grade": grade,
        }
        for created_at, score, projected, grade in rows.values_list(
            "created_at", "score", "projected_score", "grade"
        )
    ]


def representation_latest() -> tuple[dict[str, str], datetime | None]:
    """Representation per department key (direct | proxy | none) and when it was assessed.

    From the latest snapshot; before the first snapshot, from a live assessment
    (not stored: a read never writes), with None as its time.
    """
    row = (
        Snapshot.objects.order_by("-created_at", "-id")
        .values_list("representation", "created_at")
        .first()
    )
    if row is not None:
        return row[0] or {}, row[1]
    return dict(services.assessment_compute().representation), None


def assessment_latest() -> tuple[list[dict], dict[str, str], datetime | None]:
    """(findings, representation, assessed at) of the latest snapshot, or live before one."""
    row = (
        Snapshot.objects.order_by("-created_at", "-id")
        .values_list("findings", "representation", "created_at")
        .first()
    )
    if row is not None:
        return row[0] or [], row[1] or {}, row[2]
    assessment = services.assessment_compute()
    findings = scoring.assessment_to_dict(assessment)["findings"]
    return findings, dict(assessment.representation), None


def representation_summary(representation: dict[str, str]) -> dict[str, int]:
    """How many active departments sit at the table directly, by proxy, or not at all.

    Archived departments are "none" in an assessment; only active ones can be direct or
    proxy, so "none" is the active count minus those (one query).
    """
    direct = sum(1 for value in representation.values() if value == "direct")
    proxy = sum(1 for value in representation.values() if value == "proxy")
    return _representation_counts(direct, proxy)


def _representation_counts(direct: int, proxy: int) -> dict[str, int]:
    active = Department.objects.filter(active=True).count()
    none = max(0, active - direct - proxy)
    total = direct + proxy + none
    return {
        "direct": direct,
        "proxy": proxy,
        "none": none,
        "total": total,
        "direct_share": direct / total if total else 0,
        "proxy_share": proxy / total if total else 0,
        "none_share": none / total if total else 0,
    }


def pending_nominations_count() -> int:
    return Seat.objects.filter(status=SeatStatus.NOMINATED).count()


# ------------------------------------------------------------ a head's departments


@dataclass(frozen=True, slots=True)
class HeadedDepartment:
    """One department a user heads, with what its head acts on."""

    key: str
    name: str
    active: bool
    representation: str  # direct | proxy | none | unknown (assessed before it existed)
    findings: int
    worst: str | None  # the most severe of its findings' severities
    approved_seats: int
    pending: int  # nominations waiting for the COE leads
    handovers: int  # open hand-overs of the accounts it owns


def headed_departments_view(user, snapshot: Snapshot | None) -> list[HeadedDepartment]:
    """The departments a user heads (not those below them: each has its own page), active
    ones first, with representation and findings from the snapshot, and live counts of
    seats, pending nominations and open hand-overs.

    Four queries whatever the size of the company, one when the user heads nothing.
    Of the snapshot only the findings and these departments' representation are read.
    """
    rows = list(
        Department.objects.filter(head=user)
        .annotate(
            approved=Count("seats", filter=Q(seats__status=SeatStatus.APPROVED)),
            pending=Count("seats", filter=Q(seats__status=SeatStatus.NOMINATED)),
        )
        .order_by("-active", "name", "key")
        .values_list("id", "key", "name", "active", "approved", "pending")
    )
    if not rows:
        return []
    ids = [row[0] for row in rows]
    findings, representation = _findings_and_representation(snapshot, [row[1] for row in rows])
    handovers = dict(
        Handover.objects.filter(closed_at__isnull=True, account__owner_id__in=ids)
        .order_by()
        .values_list("account__owner_id")
        .annotate(n=Count("id"))
    )
    subjects: dict[int, set[str]] = defaultdict(set)
    for owner_id, platform, handle in SocialAccount.objects.filter(owner_id__in=ids).values_list(
        "owner_id", "platform", "handle"
    ):
        subjects[owner_id].add(f"{platform}:{handle.lower()}")
    result = []
    for dept_id, key, name, active, approved, pending in rows:
        about = findings_about_department(findings, key=key, account_subjects=subjects[dept_id])
        severities = {f["severity"] for f in about}
        result.append(
            HeadedDepartment(
                key=key,
                name=name,
                active=active,
                representation=representation.get(key) or "unknown",
                findings=len(about),
                worst=next((s for s in scoring.SEVERITIES if s in severities), None),
                approved_seats=approved,
                pending=pending,
                handovers=handovers.get(dept_id, 0),
            )
        )
    return result


def _findings_and_representation(
    snapshot: Snapshot | None, keys: list[str]
) -> tuple[list[dict], dict[str, str]]:
    """The snapshot's findings and the representation of `keys` only (one query): the
    whole representation is as large as the company."""
    if snapshot is None:
        findings, representation, _ = assessment_latest()
        return findings, representation
    names = {f"rep_{i}": KeyTextTransform(key, "representation") for i, key in enumerate(keys)}
    row = (
        Snapshot.objects.filter(pk=snapshot.pk)
        .annotate(**names)
        .values_list("findings", *names)
        .first()
    )
    if row is None:
        return [], {}
    return row[0] or [], {key: value for key, value in zip(keys, row[1:], strict=True) if value}


# -------------------------------------------------------------------- components

COMPONENT_HELP = {
    "coverage": "Share of the company's headcount whose department has a seat "
    "(a seat through a parent department counts half).",
    "footprint": "Share of the social accounts in use whose owning department has a seat.",
    "balance": "How evenly the department seats spread across the company's functions.",
    "seniority_mix": "How evenly the seats spread across individual contributors, managers, "
    "directors and executives.",
    "voices": "Customers, employees and partners: how many have a seat through a "
    "stakeholder group.",
    "participation": "Share of the expected seats that were filled at the recent meetings.",
}
NOT_MEASURED_HELP = {
    "coverage": "Not measured: there is no active department yet.",
    "footprint": "Not measured: no social account is in use yet.",
    "participation": "Not measured: no meeting yet at which a seat was expected.",
}


def components_view(
    values: dict[str, float | None], policy: Policy, explain: dict | None = None
) -> list[dict[str, Any]]:
    """The six components with their weight, their share of the score, a one-line help
    and, from the counts stored with the snapshot (`explain`), the "x of y" behind it."""
    weights = {name: getattr(policy, f"weight_{name}") for name in scoring.COMPONENTS}
    measured = sum(w for name, w in weights.items() if values.get(name) is not None) or 1.0
    total = sum(weights.values()) or 1.0
    return [
        {
            "name": name,
            "value": values.get(name),
            "weight": weights[name],
            # Leads may set weights on any scale; the dashboard shows each one's part.
            "weight_share": weights[name] / total,
            "share_of_score": (weights[name] / measured) if values.get(name) is not None else None,
            "help": COMPONENT_HELP[name],
            "not_measured": NOT_MEASURED_HELP.get(name, "Not measured."),
            "counts": component_counts(name, explain),
        }
        for name in scoring.COMPONENTS
    ]


# ---------------------------------------------------------------------- findings


@dataclass(frozen=True, slots=True)
class FindingRow:
    code: str
    severity: str
    subject: str
    message: str
    action: str
    subject_label: str
    url: str | None


@dataclass(slots=True)
class FindingGroup:
    severity: str
    total: int
    rows: list[FindingRow] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return self.total - len(self.rows)


@dataclass(slots=True)
class FindingsView:
    groups: list[FindingGroup]
    total: int
    matching: int
    by_severity: dict[str, int]
    by_code: list[tuple[str, int]]
    filtered: bool = False


def account_subject(subject: str) -> tuple[str, str]:
    """`platform:handle` (or `platform:handle/email`) → (platform, handle)."""
    account = subject.split("/", 1)[0]
    platform, _, handle = account.partition(":")
    return platform, handle


def _subject_keys(finding: dict) -> set[str]:
    code, subject = finding["code"], finding["subject"]
    if code in DEPARTMENT_CODES:
        return {subject}
    if code in SEAT_CODES and "/" in subject:
        return {subject.rsplit("/", 1)[1]}
    return set()


def department_names(keys: set[str]) -> dict[str, str]:
    if not keys:
        return {}
    return dict(Department.objects.filter(key__in=sorted(keys)).values_list("key", "name"))


def _finding_link(finding: dict, names: dict[str, str]) -> tuple[str, str | None]:
    """A finding's subject in words, and where to look at it (None: nowhere to go)."""
    code, subject = finding["code"], finding["subject"]
    if code in DEPARTMENT_CODES:
        url = (
            reverse("stakeholders:department-detail", kwargs={"key": subject})
            if subject in names
            else None
        )
        return names.get(subject, subject), url
    if code in ACCOUNT_CODES:
        platform, handle = account_subject(subject)
        label = scoring._PLATFORM_LABELS.get(platform, platform.capitalize())
        url = reverse("stakeholders:account-list") + "?" + f"platform={platform}&q={handle}"
        return f"{label} @{handle}", url
    if code in SEAT_CODES and "/" in subject:
        email, constituency = subject.rsplit("/", 1)
        if constituency in names:
            url = reverse("stakeholders:department-detail", kwargs={"key": constituency})
            return f"{email} · {names[constituency]}", url
        return f"{email} · {constituency}", reverse("stakeholders:roster") + f"?q={email}"
    if code == "missing_voice":
        return subject.capitalize(), reverse("stakeholders:roster")
    return "Company-wide", None


def findings_matching(
    findings: list[dict], *, severity: str = "", code: str = "", text: str = ""
) -> list[dict]:
    """The findings of that severity and code whose message, subject or action
    contains the text (ignoring case); an empty filter keeps everything."""
    needle = text.strip().lower()
    return [
        f
        for f in findings
        if (not severity or f["severity"] == severity)
        and (not code or f["code"] == code)
        and (
            not needle
            or needle in f["message"].lower()
            or needle in f["subject"].lower()
            or needle in f.get("action", "").lower()
        )
    ]


def findings_view(
    findings: list[dict],
    *,
    severity: str = "",
    code: str = "",
    text: str = "",
) -> FindingsView:
    """The snapshot's findings grouped by severity, filtered, capped for display.

    Unfiltered, each group shows its first FINDINGS_PER_GROUP rows; with a filter,
    up to FINDINGS_FILTERED_LIMIT. One query (the names of the shown departments).
    """
    by_severity = Counter(f["severity"] for f in findings)
    by_code = sorted(Counter(f["code"] for f in findings).items())
    matching = findings_matching(findings, severity=severity, code=code, text=text)
    filtered = bool(severity or code or text.strip())
    grouped: dict[str, list[dict]] = defaultdict(list)
    for finding in matching:
        grouped[finding["severity"]].append(finding)
    shown: list[tuple[str, dict]] = []
    budget = FINDINGS_FILTERED_LIMIT
    for name in scoring.SEVERITIES:
        rows = grouped.get(name, [])
        limit = min(budget, len(rows)) if filtered else FINDINGS_PER_GROUP
        budget -= min(budget, len(rows))
        shown.extend((name, finding) for finding in rows[:limit])
    return _findings_view(
        shown,
        totals={name: len(grouped.get(name, [])) for name in scoring.SEVERITIES},
        total=len(findings),
        matching=len(matching),
        by_code=by_code,
        filtered=filtered,
        by_severity={name: by_severity.get(name, 0) for name in scoring.SEVERITIES},
    )


def _findings_view(
    shown: list[tuple[str, dict]],
    *,
    totals: dict[str, int],
    total: int,
    matching: int,
    by_code: list[tuple[str, int]],
    filtered: bool,
    by_severity: dict[str, int] | None = None,
) -> FindingsView:
    """The shown findings as rows with links, in groups of each severity that has any
    (`totals`: how many of that severity match). One query: the departments' names."""
    groups = {
        name: FindingGroup(severity=name, total=totals[name])
        for name in scoring.SEVERITIES
        if totals.get(name)
    }
    keys: set[str] = set()
    for _, finding in shown:
        keys |= _subject_keys(finding)
    names = department_names(keys)
    for name, finding in shown:
        label, url = _finding_link(finding, names)
        groups[name].rows.append(
            FindingRow(
                code=finding["code"],
                severity=finding["severity"],
                subject=finding["subject"],
                message=finding["message"],
                action=finding.get("action", ""),
                subject_label=label,
                url=url,
            )
        )
    return FindingsView(
        groups=list(groups.values()),
        total=total,
        matching=matching,
        by_severity=by_severity or {name: totals.get(name, 0) for name in scoring.SEVERITIES},
        by_code=by_code,
        filtered=filtered,
    )


# --------------------------------------------------------------- recommendations


@dataclass(frozen=True, slots=True)
class RecommendationRow:
    department: str
    department_name: str
    gain: float
    person_email: str | None
    person_name: str | None
    exists: bool
    department_id: int | None = None
    # The suggested person's nomination for this department waits for the COE leads.
    pending: bool = False


def recommendations_view(
    recommendations: list[dict], *, with_pending: bool = False
) -> list[RecommendationRow]:
    """The next best seats with names (two queries: departments, people) and, with
    `with_pending`, whether the suggested person is already nominated there (one more)."""
    keys = sorted({r["department"] for r in recommendations})
    departments: dict[str, tuple[int, str]] = {}
    if keys:
        departments = {
            key: (dept_id, name)
            for key, dept_id, name in Department.objects.filter(key__in=keys).values_list(
                "key", "id", "name"
            )
        }
    emails = sorted({r["person"] for r in recommendations if r.get("person")})
    people: dict[str, str] = {}
    pending: set[tuple[str, str]] = set()
    if emails:
        people = dict(
            Person.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
            .values_list("email_lower", "name")
        )
    if emails and with_pending:
        pending = set(
            Seat.objects.pending()
            .filter(department__key__in=keys)
            .annotate(email_lower=Lower("person__email"))
            .values_list("department__key", "email_lower")
        )
    rows = []
    for r in recommendations:
        dept_id, name = departments.get(r["department"], (None, r["department"]))
        person = r.get("person")
        rows.append(
            RecommendationRow(
                department=r["department"],
                department_name=name,
                gain=r["gain"],
                person_email=person,
                person_name=people.get(person or ""),
                exists=dept_id is not None,
                department_id=dept_id,
                pending=bool(person) and (r["department"], person) in pending,
            )
        )
    return rows


# ----------------------------------------------------------------------- the map


class UnknownUnit(LookupError):
    """The business unit asked for is not a top-level active department."""


def _active_parents(rows: list[tuple]) -> dict[int, int | None]:
    """Each department's nearest active ancestor (archived levels are skipped)."""
    parent_of = {row[0]: row[3] for row in rows}
    active = {row[0] for row in rows if row[9]}
    result: dict[int, int | None] = {}
    for dept_id in active:
        parent = parent_of.get(dept_id)
        seen = {dept_id}
        while parent is not None and parent not in active and parent not in seen:
            seen.add(parent)
            parent = parent_of.get(parent)
        result[dept_id] = parent if parent in active and parent != dept_id else None
    return result


def _department_rows() -> list[tuple]:
    return list(
        Department.objects.values_list(
            "id",
            "key",
            "name",
            "parent_id",
            "function",
            "kind",
            "headcount",
            "influence",
            "interest",
            "active",
        )
    )


def map_units() -> list[dict[str, Any]]:
    """The business units (top-level active departments) for the map's filter (one query)."""
    rows = _department_rows()
    parents = _active_parents(rows)
    return _units(rows, parents, _children(rows, parents))


def _children(rows: list[tuple], parents: dict[int, int | None]) -> dict[int | None, list[int]]:
    names = {row[0]: row[2] for row in rows}
    children: dict[int | None, list[int]] = defaultdict(list)
    for dept_id, parent in parents.items():
        children[parent].append(dept_id)
    for ids in children.values():
        ids.sort(key=lambda i: (names[i].lower(), i))
    return children


def _subtree_sizes(children: dict[int | None, list[int]], roots: list[int]) -> dict[int, int]:
    sizes: dict[int, int] = {}
    order: list[int] = []
    stack = list(roots)
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(children.get(node, ()))
    for node in reversed(order):
        sizes[node] = 1 + sum(sizes[c] for c in children.get(node, ()))
    return sizes


def _units(
    rows: list[tuple], parents: dict[int, int | None], children: dict[int | None, list[int]]
) -> list[dict[str, Any]]:
    by_id = {row[0]: row for row in rows}
    roots = children.get(None, [])
    sizes = _subtree_sizes(children, roots)
    return [{"key": by_id[r][1], "name": by_id[r][2], "size": sizes[r]} for r in roots]


def _depth_within(per_level: Counter, budget: int) -> int:
    """The deepest level such that the levels down to it hold at most `budget` nodes
    (the top level is always kept)."""
    deepest = max(per_level) if per_level else 0
    cumulative = 0
    for lvl in sorted(per_level):
        cumulative += per_level[lvl]
        if cumulative > budget:
            return max(0, lvl - 1)
    return deepest


def map_payload(
    *, unit: str = "", max_nodes: int = MAP_MAX_NODES, max_listed: int | None = None
) -> dict[str, Any]:
    """Everything the map page draws, in four queries (plus the engine's before the
    first snapshot): departments, representation, accounts and seats aggregated.

    With more than `max_nodes` departments in scope, the deepest levels are
    collapsed into their ancestors (`hidden` says what each collapsed node holds),
    so the network stays readable; the power/interest grid keeps every department.
    """
    representation, assessed_at = representation_latest()
    rows = _department_rows()
    by_id = {row[0]: row for row in rows}
    parents = _active_parents(rows)
    children = _children(rows, parents)
    units = _units(rows, parents, children)

    if unit:
        root = next((r for r in children.get(None, []) if by_id[r][1] == unit), None)
        if root is None:
            raise UnknownUnit(unit)
        roots = [root]
    else:
        roots = list(children.get(None, []))

    # Breadth-first over the scope: depth of every department.
    depth: dict[int, int] = {}
    order: list[int] = []
    frontier = list(roots)
    level = 0
    while frontier:
        nxt: list[int] = []
        for node in frontier:
            depth[node] = level
            order.append(node)
            nxt.extend(children.get(node, ()))
        frontier = nxt
        level += 1

    def rep(dept_id: int) -> str:
        return representation.get(by_id[dept_id][1], "unknown")

    # Bottom-up subtree totals: count, headcount, representation mix.
    totals: dict[int, Counter] = {}
    for node in reversed(order):
        total: Counter = Counter({"count": 1, "headcount": by_id[node][6], rep(node): 1})
        for child in children.get(node, ()):
            total.update(totals[child])
        totals[node] = total

    per_level = Counter(depth.values())
    shown_depth = _depth_within(per_level, max_nodes)
    budget = MAP_MAX_LISTED if max_listed is None else max_listed
    listed_depth = max(shown_depth, _depth_within(per_level, budget))

    in_graph = {node for node in order if depth[node] <= shown_depth}
    others: dict[str, Any] | None = None
    if len(roots) > max_nodes:
        keep = sorted(roots, key=lambda r: (-totals[r]["headcount"], by_id[r][1]))
        dropped = keep[max_nodes - 1 :]
        in_graph = set(keep[: max_nodes - 1])
        mix: Counter = Counter()
        for r in dropped:
            mix.update(totals[r])
        others = {
            "count": mix["count"],
            "headcount": mix["headcount"],
            "direct": mix["direct"],
            "proxy": mix["proxy"],
            "none": mix["none"],
        }

    accounts: dict[int | None, Counter] = defaultdict(Counter)
    in_use: Counter = Counter()
    for owner_id, platform, count, used in (
        SocialAccount.objects.order_by()
        .values_list("owner_id", "platform")
        .annotate(n=Count("id"), used=Count("id", filter=Q(status__in=IN_USE_ACCOUNT_STATUSES)))
    ):
        key = owner_id if owner_id in parents else None  # archived owners count as unowned
        accounts[key][platform] += count
        in_use[key] += used
    seats = dict(
        Seat.objects.filter(status=SeatStatus.APPROVED, department__isnull=False)
        .order_by()
        .values_list("department_id")
        .annotate(n=Count("id"))
    )

    url_template = reverse("stakeholders:department-detail", kwargs={"key": "__key__"})
    departments = []
    for node in order:
        if depth[node] > listed_depth:
            continue
        _, key, name, _, function, kind, headcount, influence, interest, _ = by_id[node]
        parent = parents[node]
        hidden = None
        if node in in_graph and depth[node] == shown_depth and children.get(node):
            sub = totals[node]
            hidden = {
                "count": sub["count"] - 1,
                "headcount": sub["headcount"] - headcount,
                "direct": sub["direct"] - (rep(node) == "direct"),
                "proxy": sub["proxy"] - (rep(node) == "proxy"),
                "none": sub["none"] - (rep(node) == "none"),
            }
        departments.append(
            {
                "key": key,
                "name": name,
                "parent": by_id[parent][1] if parent is not None and node not in roots else None,
                "depth": depth[node],
                "function": function,
                "kind": kind,
                "headcount": headcount,
                "influence": influence,
                "interest": interest,
                "representation": rep(node),
                "seats": seats.get(node, 0),
                "accounts": dict(sorted(accounts[node].items())) if node in accounts else {},
                "in_graph": node in in_graph,
                "hidden": hidden,
            }
        )
    unowned = dict(sorted(accounts[None].items())) if None in accounts and not unit else {}
    scope_name = by_id[roots[0]][2] if unit else "Whole company"
    return {
        "scope": {
            "unit": unit or None,
            "name": scope_name,
            "departments": len(order),
            "in_graph": len(in_graph),
            "collapsed": len(in_graph) < len(order),
            "listed": len(departments),
            "max_nodes": max_nodes,
        },
        "assessed_at": assessed_at.isoformat() if assessed_at else None,
        "units": units,
        "url_template": url_template,
        "departments": departments,
        "others": others,
        "unowned_accounts": unowned,
    }


# ---------------------------------------------------------------------- policy


@dataclass(frozen=True, slots=True)
class PolicySetting:
    name: str
    label: str
    help: str
    value: float | int
    default: float | int
    share_of_weights: float | None  # a weight's part of all the weights (0-1), else None

    @property
    def changed(self) -> bool:
        return self.value != self.default


@dataclass(frozen=True, slots=True)
class PolicySection:
    title: str
    description: str
    settings: list[PolicySetting]


def policy_setting_label(name: str) -> str:
    """ "weight_seniority_mix" -> "Seniority mix" (the section already says it is a weight)."""
    return name.removeprefix("weight_").replace("_", " ").capitalize()


def policy_sections(policy: Policy) -> list[PolicySection]:
    """The policy's settings grouped as in the admin, each with its DESIGN.md default."""
    defaults = Policy.defaults()
    total_weight = sum(getattr(policy, name) for name in WEIGHT_FIELDS)
    return [
        PolicySection(
            title=title,
            description=description,
            settings=[
                PolicySetting(
                    name=name,
                    label=policy_setting_label(name),
                    help=str(Policy._meta.get_field(name).help_text),
                    value=getattr(policy, name),
                    default=defaults[name],
                    share_of_weights=(getattr(policy, name) / total_weight)
                    if name in WEIGHT_FIELDS and total_weight > 0
                    else None,
                )
                for name in fields
            ],
        )
        for title, description, fields in POLICY_SECTIONS
    ]


def policy_changed_settings(policy: Policy) -> list[PolicySetting]:
    """The settings whose value is not the DESIGN.md default."""
    return [
        setting
        for section in policy_sections(policy)
        for setting in section.settings
        if setting.changed
    ]
