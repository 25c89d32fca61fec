"""The decision queue: pending nominations, oldest first, each with what approving it
would do to the score (the "if approved" scores the latest snapshot stored).

Governance's, not the registry's: it composes the registry's pending seats with the
assessment. Each page runs a fixed number of queries whatever the size of the registry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.paginator import Page
from django.db.models import QuerySet
from django.utils import timezone

from coe.pagination import PAGE_SIZE, page_of
from governance import read_memo, services
from governance.models import Policy, Snapshot
from stakeholders.models import Seat

if TYPE_CHECKING:
    from stakeholders.filters import SeatFilterSet


@dataclass(frozen=True)
class QueueEntry:
    seat: Seat
    waited_days: int
    stale: bool
    # The score if this nomination alone were approved; None when approving it would
    # not count (an archived department, a person who has left) or is not known yet.
    score_if_approved: float | None
    impact: float | None
    # Nominated after the latest snapshot read the facts: its score comes with the
    # recompute that the nomination queued.
    computing: bool = False


@dataclass(frozen=True)
class NominationQueue:
    as_of: datetime.date
    score: float | None
    stale_days: int
    page: Page  # of the pending seats, oldest first
    entries: list[QueueEntry] = field(default_factory=list)  # those of the page


QUEUE_PAGE_SIZE = PAGE_SIZE


def queue_snapshot() -> Snapshot | None:
    """The latest snapshot with only what the queue reads of it (one query)."""
    return (
        Snapshot.objects.order_by("-created_at", "-id")
        .only("id", "created_at", "registry_generation")
        .first()
    )


def scores_if_approved(snapshot: Snapshot | None) -> dict:
    """The snapshot's "if approved" scores ({"score", "seats": {seat id: score}}), read
    once per process and snapshot (read_memo): a hundred kilobytes of JSON at 20,000
    departments, the same for every page of the queue. The key holds the generation the
    snapshot was moved forward to, the only change a stored snapshot sees."""
    if snapshot is None:
        return {}
    return read_memo.remembered(
        ("if_approved", snapshot.pk, snapshot.registry_generation),
        lambda: (
            Snapshot.objects.filter(pk=snapshot.pk).values_list("if_approved", flat=True).first()
            or {}
        ),
    )


def pending_seats() -> QuerySet[Seat]:
    """The nominations waiting for a decision, oldest first (the queue's rows; its filters
    are stakeholders.filters.SeatFilterSet)."""
    return (
        Seat.objects.pending()
        .select_related("person", "department", "group", "nominated_by")
        .order_by("nominated_at", "id")
    )


def nomination_queue_remembered(
    *, as_of: datetime.date, page_number: int | str | None, filters: SeatFilterSet
) -> NominationQueue:
    """nomination_queue of the latest snapshot for the queue's filters, the same for
    every lead: remembered until the registry changes or another snapshot is stored
    (read_memo; the generation is read first)."""
    generation = services.registry_generation()
    snapshot = queue_snapshot()
    key = (
        "queue",
        generation,
        (snapshot.pk, snapshot.registry_generation) if snapshot is not None else None,
        as_of,
        read_memo.query_key(filters.data),
        page_number,
    )
    return read_memo.remembered(
        key,
        lambda: nomination_queue(
            as_of=as_of,
            snapshot=snapshot,
            page_number=page_number,
            pending=filters.qs,
            generation=generation,
        ),
    )


def nomination_queue(
    *,
    as_of: datetime.date,
    snapshot: Snapshot | None,
    page_number: int | str | None = 1,
    pending: QuerySet[Seat] | None = None,
    generation: int | None = None,
) -> NominationQueue:
    """One page of pending nominations, oldest first, each with what approving it would
    do to the score.

    The "if approved" scores are those stored with the snapshot (worked out for every
    pending nomination when it was taken), so a page costs a fixed number of small
    queries -- count, page, the registry generation and the policy -- whatever the
    size of the company. A nomination the snapshot has not seen shows as computing.
    """
    if pending is None:
        pending = pending_seats()
    page = page_of(pending, QUEUE_PAGE_SIZE, page_number)
    stored = scores_if_approved(snapshot)
    scores: dict[str, float] = stored.get("seats", {})
    base: float | None = stored.get("score")
    if generation is None:
        generation = services.registry_generation()
    stale = snapshot is None or not stored or snapshot.registry_generation < generation
    stale_days = Policy.load().stale_days
    entries = []
    for seat in page:
        nominated = seat.nominated_at and scoring_date(seat.nominated_at)
        waited = (as_of - nominated).days if nominated else 0
        score = scores.get(str(seat.pk))
        entries.append(
            QueueEntry(
                seat=seat,
                waited_days=waited,
                stale=waited > stale_days,
                score_if_approved=score,
                impact=None if score is None or base is None else score - base,
                computing=score is None and stale,
            )
        )
    return NominationQueue(
        as_of=as_of, score=base, stale_days=stale_days, page=page, entries=entries
    )


def scoring_date(moment: datetime.datetime) -> datetime.date:
    """A timestamp as the calendar date the rules compare (the site's time zone)."""
    return timezone.localdate(moment)
