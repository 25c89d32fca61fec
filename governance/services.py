"""Writes of the governance app: snapshots and the scheduling of recomputes."""

import hashlib
import json
import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from governance import facts as facts_module
from governance import scoring
from governance.models import RecomputeState, Snapshot

logger = logging.getLogger(__name__)

# A queued recompute that has not started within this time is presumed lost.
PENDING_LEASE = timedelta(minutes=5)


def assessment_compute(*, as_of: date | None = None) -> scoring.Assessment:
    as_of = as_of or timezone.localdate()
    return scoring.assess(facts_module.load_facts(as_of=as_of), as_of)


def _fingerprint(result: dict, as_of: date) -> str:
    payload = json.dumps({"as_of": as_of.isoformat(), "result": result}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def snapshot_take(*, as_of: date | None = None) -> Snapshot:
    """Assess the registry as of a date and store it, unless the latest snapshot says the same.

    Idempotent: taking it twice for the same state stores one snapshot (the latest
    snapshot is returned again when nothing changed).
    """
    return snapshot_store(assessment=assessment_compute(as_of=as_of))


def snapshot_store(*, assessment: scoring.Assessment) -> Snapshot:
    """Store a computed assessment, unless the latest snapshot already says the same."""
    as_of = assessment.as_of
    result = scoring.assessment_to_dict(assessment)
    fingerprint = _fingerprint(result, as_of)
    _state_row()
    with transaction.atomic():
        # The state row serialises writers, so two workers finishing together store one.
        RecomputeState.objects.select_for_update().filter(pk=1).first()
        latest = Snapshot.objects.order_by("-created_at", "-id").first()
        if latest is not None and latest.fingerprint == fingerprint:
            return latest
        return Snapshot.objects.create(
            as_of=as_of,
            score=result["score"],
            grade=result["grade"],
            components=result["components"],
            findings=result["findings"],
            org_model=result["org_model"],
            org_model_reason=result["org_model_reason"],
            recommendations=result["recommendations"],
            projected_score=result["projected_score"],
            representation=assessment.representation,
            fingerprint=fingerprint,
        )


def _state_row() -> None:
    RecomputeState.objects.get_or_create(pk=1)


def snapshot_request() -> None:
    """Ask for a recompute of the assessment after the current transaction commits.

    Called by every service that changes the registry. One transaction registers one
    callback however many rows it writes, and the callback enqueues a task only when
    none is pending, so a burst of changes causes one recompute.
    """
    connection = transaction.get_connection()
    # Django keeps pending callbacks in `run_on_commit` as (savepoints, func, robust);
    # looking there is the only way to register ours once per transaction.
    if any(entry[1] is _recompute_enqueue for entry in connection.run_on_commit):
        return
    transaction.on_commit(_recompute_enqueue, robust=True)


def _recompute_enqueue() -> None:
    now = timezone.now()
    _state_row()
    RecomputeState.objects.filter(pk=1).update(changed_at=now)
    claimed = (
        RecomputeState.objects.filter(pk=1)
        .filter(Q(pending_since__isnull=True) | Q(pending_since__lt=now - PENDING_LEASE))
        .update(pending_since=now)
    )
    if not claimed:
        return
    from governance import tasks

    try:
        tasks.snapshot_recompute.apply_async(countdown=settings.RECOMPUTE_DELAY_SECONDS)
    except Exception as error:  # the broker is down: the change has happened, score inline
        logger.warning("Broker unreachable (%s); recomputing the snapshot inline.", error)
        snapshot_recompute()


def snapshot_recompute() -> Snapshot:
    """The queued recompute: clear the pending flag first, so changes made while it
    runs queue another one, then take today's snapshot."""
    _state_row()
    RecomputeState.objects.filter(pk=1).update(pending_since=None)
    return snapshot_take(as_of=timezone.localdate())


def registry_changed_at():
    """When the registry last changed (None before the first change)."""
    return RecomputeState.objects.filter(pk=1).values_list("changed_at", flat=True).first()
