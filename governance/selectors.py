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

from django.db.models import Case, Count, Max, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Lower, TruncDate
from django.urls import reverse
from django.utils import timezone

from coe.url_memo import reverse_remembered
from governance import map_layout, meeting_selectors, read_memo, scoring, services
from governance.explain import component_counts
from governance.models import (
    POLICY_SECTIONS,
    WEIGHT_FIELDS,
    AccountFlag,
    FindingEntry,
    MapNode,
    Policy,
    Snapshot,
)
from stakeholders import handovers, terms, vocabulary
from stakeholders.models import (
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
# Departments one map response lists at most (about 350 bytes each): a branch's top
# levels up to this many, the rest opened on demand, so the response stays far below
# 1 MB whatever the size of the company.
MAP_MAX_NODES = 300
# Levels one response goes down at most (each costs one query).
MAP_MAX_LEVELS = 4
# Business units offered by the map's filter (the biggest companies have a few dozen).
MAP_MAX_UNITS = 500

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
    findings), filtered from its FindingEntry rows (three queries); from its whole list
    of findings only when it has neither (stored before they were)."""
    summary = snapshot.summary
    filtered = bool(severity or code or text.strip())
    if summary and filtered:
        view = _filtered_findings_view(snapshot, severity=severity, code=code, text=text)
        if view is not None:
            return view
    if not summary or filtered:
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


def _filtered_findings_view(
    snapshot: Snapshot, *, severity: str, code: str, text: str
) -> FindingsView | None:
    """findings_view of a filter, from the snapshot's FindingEntry rows: how many match
    of each severity (one query), the first FINDINGS_FILTERED_LIMIT of them, most
    severe first and in the snapshot's order (one), the departments' names (one) --
    instead of the snapshot's whole list (80,000 findings at 20,000 departments). None
    when the snapshot has no rows (stored before they were): the caller reads the list."""
    matching = _finding_entries(snapshot.pk, severity=severity, code=code, text=text)
    totals = dict(
        matching.order_by()
        .values_list("severity")
        .annotate(n=Count("pk"))
        .values_list("severity", "n")
    )
    summary = snapshot.summary
    if (
        not totals
        and summary["findings_total"]
        and not FindingEntry.objects.filter(snapshot_id=snapshot.pk).exists()
    ):
        return None
    rank = Case(
        *(When(severity=name, then=Value(i)) for i, name in enumerate(scoring.SEVERITIES)),
        default=Value(len(scoring.SEVERITIES)),
    )
    shown_rows = matching.order_by(rank, "position").values_list("data", flat=True)
    shown = [(f["severity"], f) for f in shown_rows[:FINDINGS_FILTERED_LIMIT]]
    return _findings_view(
        shown,
        totals={name: totals.get(name, 0) for name in scoring.SEVERITIES},
        total=summary["findings_total"],
        matching=sum(totals.values()),
        by_code=[tuple(pair) for pair in summary["by_code"]],
        filtered=True,
        by_severity={name: summary["by_severity"].get(name, 0) for name in scoring.SEVERITIES},
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


def _latest_snapshot_id() -> Subquery:
    return Subquery(Snapshot.objects.order_by("-created_at", "-id").values("id")[:1])


@dataclass(frozen=True)
class DepartmentAssessment:
    """What the latest snapshot says of a few departments: their representation, and
    the findings about one of them from its FindingEntry rows (an indexed lookup).
    Before the first snapshot nothing: a read never assesses the company."""

    snapshot_id: int | None
    assessed_at: datetime | None
    representation: dict[str, str]

    def findings_about(self, key: str, *, account_subjects: set[str]) -> list[dict]:
        """As findings_about_department over the snapshot's whole list (one query)."""
        return _findings_about_any(self.snapshot_id, [key], account_subjects)


def department_assessment_latest(keys: list[str]) -> DepartmentAssessment:
    """The latest snapshot's representation of these departments, and the findings of
    one of them on demand (one query, and one for the findings)."""
    names = {f"rep_{i}": KeyTextTransform(key, "representation") for i, key in enumerate(keys)}
    row = (
        Snapshot.objects.order_by("-created_at", "-id")
        .annotate(**names)
        .values_list("id", "created_at", *names)
        .first()
    )
    if row is None:
        return DepartmentAssessment(snapshot_id=None, assessed_at=None, representation={})
    representation = {key: value for key, value in zip(keys, row[2:], strict=True) if value}
    return DepartmentAssessment(
        snapshot_id=row[0], assessed_at=row[1], representation=representation
    )


def finding_entries_latest(
    *, severity: str = "", code: str = "", subject: str = "", text: str = ""
) -> QuerySet[FindingEntry]:
    """The latest snapshot's findings (FindingEntry rows) in its order, filtered as
    findings_matching filters its list, and by subject; none before the first snapshot."""
    return _finding_entries(
        _latest_snapshot_id(), severity=severity, code=code, subject=subject, text=text
    )


def _finding_entries(
    snapshot_id: int | None,
    *,
    severity: str = "",
    code: str = "",
    subject: str = "",
    text: str = "",
) -> QuerySet[FindingEntry]:
    """A snapshot's FindingEntry rows in its order, filtered as findings_matching filters
    its list, and by subject."""
    entries = FindingEntry.objects.filter(snapshot_id=snapshot_id)
    if severity:
        entries = entries.filter(severity=severity)
    if code:
        entries = entries.filter(code=code)
    if subject:
        entries = entries.filter(subject=subject)
    needle = text.strip().lower()
    if needle:
        if FINDING_SEARCH_SEPARATOR in needle:
            return entries.none()
        # Both sides in lower case (Python's), so LIKE's own case rules never matter.
        entries = entries.filter(search__contains=needle)
    return entries.order_by("position")


@dataclass(frozen=True)
class AccountFlags:
    """The finding codes of the social accounts in the latest assessment.

    From the latest snapshot's AccountFlag rows (an indexed lookup per page); before
    the first snapshot there are none: a read never assesses the company.
    """

    snapshot_id: int | None
    assessed_at: datetime | None

    @property
    def flagged(self) -> QuerySet[AccountFlag] | set[str]:
        """The flagged subjects: a queryset of AccountFlag rows (none before a snapshot)."""
        if self.snapshot_id is None:
            return set()
        return AccountFlag.objects.filter(snapshot_id=self.snapshot_id)

    def codes_for(self, subjects: list[str]) -> dict[str, list[str]]:
        """Codes per subject for the given subjects (one query after a snapshot)."""
        if self.snapshot_id is None:
            return {}
        return dict(
            AccountFlag.objects.filter(
                snapshot_id=self.snapshot_id, subject__in=sorted(set(subjects))
            ).values_list("subject", "codes")
        )


@dataclass(frozen=True)
class StoredRoster:
    """The latest snapshot's roster (RosterEntry rows) and its counts per role."""

    snapshot_id: int
    counts: dict[str, list[int]]  # role -> [department seats, group seats]


def roster_stored(as_of, *, generation: int | None = None) -> StoredRoster | None:
    """The latest snapshot's roster when it is current for `as_of` (its date, and no
    registry change since `generation`, read here when not given): else None, and the
    roster is read live (two queries)."""
    row = (
        Snapshot.objects.order_by("-created_at", "-id")
        .values_list("id", "as_of", "registry_generation", "summary__roster")
        .first()
    )
    if row is None:
        return None
    snapshot_id, snapshot_as_of, snapshot_generation, counts = row
    if generation is None:
        generation = services.registry_generation()
    if counts is None or snapshot_as_of != as_of or snapshot_generation < generation:
        return None
    return StoredRoster(snapshot_id=snapshot_id, counts=counts)


def account_flags_latest() -> AccountFlags:
    """The accounts' finding codes of the latest assessment (one query after a snapshot)."""
    row = Snapshot.objects.order_by("-created_at", "-id").values_list("id", "created_at").first()
    if row is not None:
        return AccountFlags(snapshot_id=row[0], assessed_at=row[1])
    return AccountFlags(snapshot_id=None, assessed_at=None)


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

    Five queries whatever the size of the company, one when the user heads nothing.
    Of the snapshot only these departments' representation and findings are read
    (nothing before the first snapshot: a read never assesses the company).
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
    keys = [row[1] for row in rows]
    representation = _representation_of(snapshot, keys)
    findings = _findings_about_any(
        snapshot.pk if snapshot is not None else None, keys, set().union(*subjects.values())
    )
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


def _representation_of(snapshot: Snapshot | None, keys: list[str]) -> dict[str, str]:
    """The snapshot's representation of `keys` only (one query): the whole
    representation is as large as the company. Nothing before the first snapshot."""
    if snapshot is None:
        return {}
    names = {f"rep_{i}": KeyTextTransform(key, "representation") for i, key in enumerate(keys)}
    row = Snapshot.objects.filter(pk=snapshot.pk).annotate(**names).values_list(*names).first()
    if row is None:
        return {}
    return {key: value for key, value in zip(keys, row, strict=True) if value}


def _findings_about_any(
    snapshot_id: int | None, keys: list[str], account_subjects: set[str]
) -> list[dict]:
    """The snapshot's findings about any of these departments or accounts, in its order
    (one query over its FindingEntry rows; none before the first snapshot):
    findings_about_department picks each one's."""
    if snapshot_id is None:
        return []
    about = Q(department_key__in=keys)
    if account_subjects:
        about |= Q(account__in=sorted(account_subjects))
    return list(
        FindingEntry.objects.filter(about, snapshot_id=snapshot_id)
        .order_by("position")
        .values_list("data", flat=True)
    )


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
            reverse_remembered("stakeholders:department-detail", kwargs={"key": subject})
            if subject in names
            else None
        )
        return names.get(subject, subject), url
    if code in ACCOUNT_CODES:
        platform, handle = account_subject(subject)
        label = vocabulary.platform_label(platform)
        url = f"{reverse_remembered('stakeholders:account-list')}?platform={platform}&q={handle}"
        return f"{label} @{handle}", url
    if code in SEAT_CODES and "/" in subject:
        email, constituency = subject.rsplit("/", 1)
        if constituency in names:
            url = reverse_remembered("stakeholders:department-detail", kwargs={"key": constituency})
            return f"{email} · {names[constituency]}", url
        return f"{email} · {constituency}", reverse_remembered("governance:roster") + f"?q={email}"
    if code == "missing_voice":
        return subject.capitalize(), reverse_remembered("governance:roster")
    return "Company-wide", None


# Between the fields of FindingEntry.search, so that no needle matches across two.
FINDING_SEARCH_SEPARATOR = "\x1f"


def finding_search_text(finding: dict) -> str:
    """What findings_matching searches in a finding, in lower case (FindingEntry.search)."""
    return FINDING_SEARCH_SEPARATOR.join(
        (finding["message"].lower(), finding["subject"].lower(), finding.get("action", "").lower())
    )


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
    """The branch asked for is not an active department on the map."""


# A map node as the payload needs it: its placement and its department's attributes.
_NODE_FIELDS = {
    "id": "department_id",
    "parent_id": "parent_id",
    "representation": "representation",
    "children": "children",
    "subtree_count": "subtree_count",
    "subtree_headcount": "subtree_headcount",
    "subtree_direct": "subtree_direct",
    "subtree_proxy": "subtree_proxy",
    "subtree_none": "subtree_none",
    "key": "department__key",
    "name": "department__name",
    "function": "department__function",
    "kind": "department__kind",
    "headcount": "department__headcount",
    "influence": "department__influence",
    "interest": "department__interest",
}
_SUBTREE = ("subtree_count", "subtree_headcount", "subtree_direct", "subtree_proxy", "subtree_none")


class _StoredTree:
    """The map nodes stored with the latest snapshot: each read is one small indexed query."""

    @staticmethod
    def _rows(queryset) -> list[dict[str, Any]]:
        values = queryset.values(*_NODE_FIELDS.values())
        return [{name: row[field] for name, field in _NODE_FIELDS.items()} for row in values]

    def node(self, key: str) -> dict[str, Any] | None:
        rows = MapNode.objects.filter(department__key=key).values(
            *_NODE_FIELDS.values(), "parent__department__key", "parent__department__name"
        )
        row = next(iter(rows), None)
        if row is None:
            return None
        node = {name: row[field] for name, field in _NODE_FIELDS.items()}
        node["up"] = (
            {"key": row["parent__department__key"], "name": row["parent__department__name"]}
            if row["parent_id"] is not None
            else None
        )
        return node

    def roots_total(self) -> dict[str, int]:
        totals = MapNode.objects.filter(parent=None).aggregate(
            **{name: Sum(name) for name in _SUBTREE}, roots=Count("pk")
        )
        return {name: value or 0 for name, value in totals.items()}

    def biggest_roots(self, limit: int) -> list[dict[str, Any]]:
        roots = MapNode.objects.filter(parent=None).order_by(
            "-subtree_headcount", "department__key"
        )
        return self._rows(roots[:limit])

    def children(self, ids: list[int]) -> list[dict[str, Any]]:
        return self._rows(
            MapNode.objects.filter(parent_id__in=ids).order_by(
                Lower("department__name"), "department_id"
            )
        )

    def units(self, limit: int) -> list[dict[str, Any]]:
        roots = MapNode.objects.filter(parent=None).order_by(Lower("department__name"), "pk")
        return [
            {"key": key, "name": name, "size": size}
            for key, name, size in roots.values_list(
                "department__key", "department__name", "subtree_count"
            )[:limit]
        ]


class _LiveTree(_StoredTree):
    """Before the first snapshot: the same reads over placements computed in memory
    (a read never writes; the dashboard's first visit stores the snapshot)."""

    def __init__(self) -> None:
        columns = ("id", "parent_id", "name", "headcount", "active", "key")
        extra = ("function", "kind", "influence", "interest")
        rows = list(Department.objects.values_list(*columns, *extra))
        representation = dict(services.assessment_compute().representation) if rows else {}
        trees = [map_layout.TreeRow(*row[: len(columns)]) for row in rows]
        info = {row[0]: dict(zip(columns + extra, row, strict=True)) for row in rows}
        self.nodes: list[dict[str, Any]] = []
        for p in map_layout.place(trees, representation):
            node = dict(info[p.department_id])
            node.update(
                {name: getattr(p, name) for name in ("parent_id", "representation", "children")}
            )
            node.update({name: getattr(p, name) for name in _SUBTREE})
            self.nodes.append(node)
        self.by_id = {node["id"]: node for node in self.nodes}

    def node(self, key: str) -> dict[str, Any] | None:
        node = next((n for n in self.nodes if n["key"] == key), None)
        if node is not None:
            parent = self.by_id.get(node["parent_id"])
            node["up"] = {"key": parent["key"], "name": parent["name"]} if parent else None
        return node

    def _roots(self) -> list[dict[str, Any]]:
        return [n for n in self.nodes if n["parent_id"] is None]

    def roots_total(self) -> dict[str, int]:
        roots = self._roots()
        totals = {name: sum(n[name] for n in roots) for name in _SUBTREE}
        return {**totals, "roots": len(roots)}

    def biggest_roots(self, limit: int) -> list[dict[str, Any]]:
        return sorted(self._roots(), key=lambda n: (-n["subtree_headcount"], n["key"]))[:limit]

    def children(self, ids: list[int]) -> list[dict[str, Any]]:
        wanted = set(ids)
        return [n for n in self.nodes if n["parent_id"] in wanted]

    def units(self, limit: int) -> list[dict[str, Any]]:
        return [
            {"key": n["key"], "name": n["name"], "size": n["subtree_count"]}
            for n in self._roots()[:limit]
        ]


def _latest_for_map() -> tuple | None:
    """(id, registry generation, taken at, accounts without an owner by platform) of the
    latest snapshot, None before the first (1 query)."""
    return (
        Snapshot.objects.order_by("-created_at", "-id")
        .values_list("id", "registry_generation", "created_at", "summary__unowned_accounts")
        .first()
    )


def _map_tree(latest: tuple | None) -> _StoredTree:
    """The stored map nodes of the latest snapshot; live ones before the first."""
    return _LiveTree() if latest is None else _StoredTree()


def map_page_view(root: str = "") -> dict[str, Any]:
    """The map page's business units (its filter) and the branch it opens: its key, name
    and the branch above it (None: the whole company). Raises UnknownUnit."""
    tree = _map_tree(_latest_for_map())
    branch = None
    if root:
        node = tree.node(root)
        if node is None:
            raise UnknownUnit(root)
        branch = {"key": node["key"], "name": node["name"], "up": node["up"]}
    return {"units": tree.units(MAP_MAX_UNITS), "branch": branch}


def map_payload(*, root: str = "", max_nodes: int | None = None) -> dict[str, Any]:
    """One branch of the map (the whole company without `root`), its top levels first.

    Levels are added while the response holds at most `max_nodes` departments; a node
    whose children are left out carries their totals (`hidden`) and can be opened as
    its own branch (`?root=<key>`). Top-level units beyond the budget are folded into
    one "smaller units" node. A fixed number of small indexed queries per level, and
    at most MAP_MAX_LEVELS levels, whatever the size of the company.

    Remembered until the registry changes or another snapshot is stored (read_memo):
    everyone opening the map between two changes gets the same branches.
    """
    max_nodes = max_nodes or MAP_MAX_NODES
    generation = services.registry_generation()  # first: see read_memo
    latest = _latest_for_map()
    key = ("map", generation, latest[:2] if latest else None, root, max_nodes)
    return read_memo.remembered(key, lambda: _map_payload(latest, root, max_nodes))


def _map_payload(latest: tuple | None, root: str, max_nodes: int) -> dict[str, Any]:
    tree = _map_tree(latest)
    assessed_at, unowned = (latest[2], latest[3]) if latest else (None, None)
    others = None
    up = None
    if root:
        node = tree.node(root)
        if node is None:
            raise UnknownUnit(root)
        level = [node]
        up = node["up"]
        total = node["subtree_count"]
    else:
        totals = tree.roots_total()
        level = tree.biggest_roots(max_nodes)
        total = totals["subtree_count"]
        if totals["roots"] > max_nodes:
            level = level[: max_nodes - 1]
            others = map_layout.others(totals, level)
        level.sort(key=lambda n: (n["name"].lower(), n["id"]))

    listed: list[tuple[dict[str, Any], int]] = [(n, 0) for n in level]
    depth = 0
    while depth + 1 < MAP_MAX_LEVELS:
        below = sum(n["children"] for n in level)
        if not below or len(listed) + below > max_nodes:
            break
        depth += 1
        level = tree.children([n["id"] for n in level])
        listed.extend((n, depth) for n in level)

    ids = [n["id"] for n, _ in listed]
    keys = {n["id"]: n["key"] for n, _ in listed}
    accounts = _accounts_by_owner(ids)
    seats = dict(
        Seat.objects.filter(status=SeatStatus.APPROVED, department_id__in=ids)
        .order_by()
        .values_list("department_id")
        .annotate(n=Count("id"))
    )
    departments = [
        {
            "key": n["key"],
            "name": n["name"],
            "parent": keys.get(n["parent_id"]) if d else None,
            "depth": d,
            "function": n["function"],
            "kind": n["kind"],
            "headcount": n["headcount"],
            "influence": n["influence"],
            "interest": n["interest"],
            "representation": n["representation"],
            "seats": seats.get(n["id"], 0),
            "accounts": accounts.get(n["id"], {}),
            "children": n["children"],
            # Folded: its children are not in this response (open it as a branch).
            "hidden": map_layout.folded(n) if n["children"] and d == depth else None,
        }
        for n, d in listed
    ]
    return {
        "scope": {
            "root": root or None,
            "name": listed[0][0]["name"] if root else "Whole company",
            "up": up,
            "departments": total,
            "listed": len(departments),
            "levels": depth + 1,
            "collapsed": len(departments) < total,
            "max_nodes": max_nodes,
        },
        "assessed_at": assessed_at.isoformat() if assessed_at else None,
        "url_template": reverse("stakeholders:department-detail", kwargs={"key": "__key__"}),
        "departments": departments,
        "others": others,
        # Snapshots stored before the map kept them: counted live.
        "unowned_accounts": {}
        if root
        else (unowned if unowned is not None else services.accounts_unowned_by_platform()),
    }


def _accounts_by_owner(ids: list[int]) -> dict[int, dict[str, int]]:
    """{department id: {platform: accounts}} of the listed departments (1 query)."""
    result: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        SocialAccount.objects.filter(owner_id__in=ids)
        .order_by("owner_id", "platform")
        .values_list("owner_id", "platform")
        .annotate(n=Count("id"))
    )
    for owner_id, platform, count in rows:
        result[owner_id][platform] = count
    return result


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


# ------------------------------------------------------------------ the dashboard


@dataclass(frozen=True)
class DashboardShared:
    """What the dashboard shows everyone alike, for one snapshot, registry generation
    and day (the head's cards and the lead's buttons are added per person)."""

    findings: FindingsView
    recommendations: list[RecommendationRow]
    pending: int
    seated: dict[str, int]
    trend: list[dict[str, Any]]
    handovers_open: int
    handover_median_days: float | None
    ending_soon: list
    untaken_meetings: list


def dashboard_shared(
    snapshot: Snapshot, *, generation: int, today, ending_soon_shown: int, untaken_shown: int
) -> DashboardShared:
    """The dashboard's shared reads, remembered until the registry changes (read_memo:
    `generation` must be read before the snapshot)."""
    key = (
        "dashboard",
        generation,
        snapshot.pk,
        snapshot.registry_generation,  # a snapshot moved forward to a later generation
        today,
        ending_soon_shown,
        untaken_shown,
    )
    return read_memo.remembered(
        key,
        lambda: _dashboard_shared(
            snapshot, today=today, ending_soon_shown=ending_soon_shown, untaken_shown=untaken_shown
        ),
    )


def _dashboard_shared(
    snapshot: Snapshot, *, today, ending_soon_shown: int, untaken_shown: int
) -> DashboardShared:
    return DashboardShared(
        findings=snapshot_findings_view(snapshot),
        recommendations=recommendations_view(snapshot.recommendations, with_pending=True),
        pending=pending_nominations_count(),
        seated=snapshot_representation_summary(snapshot),
        trend=snapshot_trend(),
        handovers_open=handovers.open_handovers().count(),
        handover_median_days=handovers.median_days_to_close(),
        ending_soon=list(terms.seats_ending_soon(today)[:ending_soon_shown]),
        untaken_meetings=list(meeting_selectors.untaken_past_meetings(today)[:untaken_shown]),
    )
