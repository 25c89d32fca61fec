"""Writes of the governance app: snapshots and the scheduling of recomputes."""

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from governance import facts as facts_module
from governance import scoring
from governance.models import (
    POLICY_FIELDS,
    Attendance,
    Digest,
    Meeting,
    Policy,
    RecomputeState,
    Snapshot,
)
from stakeholders import access

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


# --- Meetings and attendance -------------------------------------------------------
# Meetings feed participation and empty_chair; every write asks for a recompute.


def _require_lead(actor, doing: str) -> None:
    if not access.can_manage_meetings(actor):
        raise ValidationError(f"Only COE leads {doing}.")


def meeting_create(*, actor, date: date, title: str, notes: str = "") -> Meeting:
    """Record a COE meeting (its attendance is ticked afterwards, on the meeting's page)."""
    _require_lead(actor, "create meetings")
    title = title.strip()
    with transaction.atomic():
        if Meeting.objects.filter(date=date, title__iexact=title).exists():
            raise ValidationError(
                {"title": f"There is already a meeting called “{title}” on {date:%Y-%m-%d}."}
            )
        meeting = Meeting(date=date, title=title, notes=notes.strip())
        meeting.full_clean()
        meeting._history_user = actor
        meeting.save()
        snapshot_request()
    return meeting


def meeting_update(*, actor, meeting: Meeting, date: date, title: str, notes: str = "") -> Meeting:
    """Correct a meeting's date, title or notes. A meeting whose attendance has been
    taken cannot move to a day that has not come yet (it has happened)."""
    _require_lead(actor, "edit meetings")
    title = title.strip()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if Meeting.objects.filter(date=date, title__iexact=title).exclude(pk=meeting.pk).exists():
            raise ValidationError(
                {"title": f"There is already a meeting called “{title}” on {date:%Y-%m-%d}."}
            )
        if date > timezone.localdate() and Attendance.objects.filter(meeting=meeting).exists():
            raise ValidationError(
                {
                    "date": "Its attendance has been taken, so the meeting has happened: "
                    "it cannot move to a day that has not come yet."
                }
            )
        changed = (meeting.date, meeting.title, meeting.notes) != (date, title, notes.strip())
        if not changed:
            return meeting
        meeting.date, meeting.title, meeting.notes = date, title, notes.strip()
        meeting.full_clean()
        meeting._history_user = actor
        meeting.save()
        snapshot_request()
    return meeting


def meeting_delete(*, actor, meeting: Meeting) -> None:
    """Delete a meeting recorded by mistake, with its attendance (kept in the history)."""
    _require_lead(actor, "delete meetings")
    with transaction.atomic():
        rows = list(Attendance.objects.filter(meeting=meeting))
        for row in rows:
            row._history_user = actor
            row.delete()
        meeting._history_user = actor
        meeting.delete()
        snapshot_request()


def attendance_record(*, actor, meeting: Meeting, present: Iterable[int]) -> int:
    """Tick who was present: every person expected at the meeting gets a row (present or
    absent); `present` holds person ids. Returns the number of rows written."""
    from governance.meeting_selectors import seats_expected_at

    _require_lead(actor, "record attendance")
    if meeting.date > timezone.localdate():
        raise ValidationError(
            f"{meeting} has not happened yet: record its attendance on or after the day."
        )
    present = set(present)
    with transaction.atomic():
        # The meeting row serialises two leads ticking the same meeting at once.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        expected = set(seats_expected_at(meeting.date).values_list("person_id", flat=True))
        if present - expected:
            raise ValidationError("Only people expected at the meeting can be marked present.")
        existing = {row.person_id: row for row in Attendance.objects.filter(meeting=meeting)}
        created = [
            Attendance(meeting=meeting, person_id=person_id, present=person_id in present)
            for person_id in sorted(expected - existing.keys())
        ]
        changed = []
        for person_id, row in existing.items():
            if person_id in expected and row.present != (person_id in present):
                row.present = person_id in present
                changed.append(row)
        if created:
            bulk_create_with_history(created, Attendance, default_user=actor)
        if changed:
            bulk_update_with_history(changed, Attendance, ["present"], default_user=actor)
        if created or changed:
            snapshot_request()
    return len(created) + len(changed)


# --- Scoring policy -----------------------------------------------------------------
# One row of weights and thresholds; the rules it must keep live in Policy.clean, which
# the admin applies too. A change is a change to the score, so it asks for a recompute.


def policy_update(*, actor, data: Mapping[str, Any]) -> Policy:
    """Change some or all of the policy's settings (the others keep their values).

    Refused (ValidationError naming each field in error) when a value breaks a rule;
    then nothing is saved. Saving the values the policy already has writes nothing.
    """
    if not access.can_change_policy(actor):
        raise ValidationError("Only COE leads change the scoring policy.")
    unknown = sorted(set(data) - set(POLICY_FIELDS))
    if unknown:
        raise ValidationError(f"Not a policy setting: {', '.join(unknown)}.")
    with transaction.atomic():
        # The row lock keeps a concurrent change from being lost between read and write
        # (a new row is created unlocked: there was nothing to lose).
        policy = Policy.objects.select_for_update().filter(pk=1).first() or Policy.load()
        before = {name: getattr(policy, name) for name in POLICY_FIELDS}
        for name, value in data.items():
            setattr(policy, name, value)
        # Unique and check constraints only pin the id of the single row.
        policy.full_clean(validate_unique=False, validate_constraints=False)
        if {name: getattr(policy, name) for name in POLICY_FIELDS} != before:
            policy._history_user = actor
            policy.save()
            snapshot_request()
    return policy


def policy_reset(*, actor) -> Policy:
    """Put every setting back to its DESIGN.md default."""
    return policy_update(actor=actor, data=Policy.defaults())


# --- Weekly digest ------------------------------------------------------------------
# What was sent is stored as a Digest row: the critical findings it knew of make the
# next digest's "new critical findings" meaningful, and its ISO week makes a second
# run in the same week (beat and `manage.py send_digest`, or a redelivered task)
# send nothing. The findings are computed live, not read from the latest snapshot,
# which may be stale.


def _period(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _finding_key(finding: scoring.Finding) -> str:
    return f"{finding.code}:{finding.subject}"


def digest_send(*, today: date | None = None, force: bool = False) -> Digest | None:
    """E-mail the leads the stale nominations and the critical findings that are new
    since the previous digest. Returns the Digest sent, or None when there was
    nothing to say, nobody to tell, or (without `force`) this week's was already sent."""
    from stakeholders import notifications

    today = today or timezone.localdate()
    period = _period(today)
    if not force and Digest.objects.filter(period=period).exists():
        return None
    assessment = assessment_compute(as_of=today)
    previous = Digest.objects.order_by("-sent_at", "-id").first()
    known = set(previous.critical_findings) if previous else set()
    critical = [f for f in assessment.findings if f.severity == "critical"]
    new_critical = [f for f in critical if _finding_key(f) not in known]
    stale = [f for f in assessment.findings if f.code == "stale_nomination"]
    recipients = notifications.lead_emails()
    if not recipients or not (stale or new_critical):
        return None
    with transaction.atomic():
        digest = Digest.objects.create(
            period=period,
            recipients=recipients,
            stale_nominations=[f.subject for f in stale],
            critical_findings=sorted(_finding_key(f) for f in critical),
        )
        # Inside the transaction: when sending fails, no digest is recorded as sent.
        notifications.send(
            recipients=recipients,
            subject=f"Roundtable weekly digest {period}: {len(stale)} stale nomination"
            f"{'' if len(stale) == 1 else 's'}, {len(new_critical)} new critical finding"
            f"{'' if len(new_critical) == 1 else 's'}",
            template="governance/digest/email.txt",
            context={
                "period": period,
                "stale": stale,
                "new_critical": new_critical,
                "previous": previous,
                "assessment": assessment,
                "queue_url": notifications.site_url(reverse("stakeholders:nomination-queue")),
                "site_url": notifications.site_url("/"),
            },
        )
    return digest
