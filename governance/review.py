"""The quarterly review: two stored snapshots side by side, and what happened between.

A review never judges the past with today's registry: each date is answered by the
latest snapshot stored on or before it (by its as-of date), and a date before the
first snapshot is refused with a clear message rather than a made-up past. The seats
started and ended in between come from the registry's own dates.

`compare` is pure (snapshot values in, differences out) so that it is tested without
a database; `review_between` does the two reads and the seat query.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Coalesce, TruncDate

from governance import scoring
from governance.models import Snapshot
from stakeholders.models import Seat, SeatStatus


class NoSnapshot(Exception):
    """No snapshot was stored on or before the date asked for."""

    def __init__(self, day: datetime.date, first: datetime.date | None) -> None:
        self.day = day
        self.first = first
        if first is None:
            message = "No assessment has been stored yet: there is nothing to look back on."
        else:
            message = (
                f"No assessment was stored on or before {day.isoformat()}: the first one "
                f"is as of {first.isoformat()}. Choose that date or a later one."
            )
        super().__init__(message)


def snapshot_on_or_before(day: datetime.date) -> Snapshot:
    """The latest snapshot whose as-of date is on or before `day` (NoSnapshot if none)."""
    snapshot = (
        Snapshot.objects.filter(as_of__lte=day).order_by("-as_of", "-created_at", "-id").first()
    )
    if snapshot is None:
        first = Snapshot.objects.order_by("as_of").values_list("as_of", flat=True).first()
        raise NoSnapshot(day, first)
    return snapshot


@dataclass(frozen=True)
class ComponentChange:
    name: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class RepresentationChange:
    department: str
    before: str
    after: str


@dataclass(frozen=True)
class Comparison:
    score_before: float
    score_after: float
    grade_before: str
    grade_after: str
    org_model_before: str
    org_model_after: str
    components: list[ComponentChange]
    findings_opened: list[dict[str, Any]]
    findings_closed: list[dict[str, Any]]
    representation: list[RepresentationChange]

    @property
    def score_delta(self) -> float:
        return scoring.round_half_up(self.score_after - self.score_before)


def _finding_key(finding: dict[str, Any]) -> tuple[str, str]:
    return finding["code"], finding["subject"]


def _ordered(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rank = {name: index for index, name in enumerate(scoring.SEVERITIES)}
    return sorted(findings, key=lambda f: (rank.get(f["severity"], 9), f["code"], f["subject"]))


def compare(before: dict[str, Any], after: dict[str, Any]) -> Comparison:
    """What changed from one stored assessment to another (dicts shaped like Snapshot)."""
    known_before = {_finding_key(f) for f in before["findings"]}
    known_after = {_finding_key(f) for f in after["findings"]}
    rep_before = before.get("representation") or {}
    rep_after = after.get("representation") or {}
    return Comparison(
        score_before=before["score"],
        score_after=after["score"],
        grade_before=before["grade"],
        grade_after=after["grade"],
        org_model_before=before["org_model"],
        org_model_after=after["org_model"],
        components=[
            ComponentChange(name, before["components"].get(name), after["components"].get(name))
            for name in scoring.COMPONENTS
        ],
        findings_opened=_ordered(
            [f for f in after["findings"] if _finding_key(f) not in known_before]
        ),
        findings_closed=_ordered(
            [f for f in before["findings"] if _finding_key(f) not in known_after]
        ),
        representation=[
            RepresentationChange(key, rep_before.get(key, "—"), rep_after.get(key, "—"))
            for key in sorted(set(rep_before) | set(rep_after))
            if rep_before.get(key, "none") != rep_after.get(key, "none")
        ],
    )


def snapshot_values(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "score": snapshot.score,
        "grade": snapshot.grade,
        "org_model": snapshot.org_model,
        "components": snapshot.components,
        "findings": snapshot.findings,
        "representation": snapshot.representation,
    }


def seats_started_between(start: datetime.date, end: datetime.date) -> QuerySet[Seat]:
    """Seats approved (or since ended) whose start — term_start, else the decision
    date — falls after `start` and on or before `end`."""
    return (
        Seat.objects.filter(status__in=(SeatStatus.APPROVED, SeatStatus.ENDED))
        .annotate(started=Coalesce("term_start", TruncDate("decided_at")))
        .filter(started__gt=start, started__lte=end)
        .select_related("person", "department", "group")
        .order_by("started", "id")
    )


def seats_ended_between(start: datetime.date, end: datetime.date) -> QuerySet[Seat]:
    return (
        Seat.objects.filter(status=SeatStatus.ENDED)
        .filter(term_end__gt=start, term_end__lte=end)
        .select_related("person", "department", "group")
        .order_by("term_end", "id")
    )


@dataclass(frozen=True)
class Review:
    start: datetime.date
    end: datetime.date
    before: Snapshot
    after: Snapshot
    comparison: Comparison
    seats_started: list[Seat] = field(default_factory=list)
    seats_ended: list[Seat] = field(default_factory=list)


def review_between(start: datetime.date, end: datetime.date) -> Review:
    """The review from `start` to `end`, which must not come before `start` (NoSnapshot
    when a date has no snapshot yet)."""
    if end < start:
        raise ValueError("The review's end comes before its start.")
    before = snapshot_on_or_before(start)
    after = snapshot_on_or_before(end)
    return Review(
        start=start,
        end=end,
        before=before,
        after=after,
        comparison=compare(snapshot_values(before), snapshot_values(after)),
        seats_started=list(seats_started_between(start, end)),
        seats_ended=list(seats_ended_between(start, end)),
    )
