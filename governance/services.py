"""Writes of the governance app: snapshots and the scheduling of recomputes."""

import dataclasses
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from governance import access, map_layout, scoring
from governance import facts as facts_module
from governance.models import (
    POLICY_FIELDS,
    AccountFlag,
    Attendance,
    Digest,
    FindingEntry,
    MapNode,
    Meeting,
    Policy,
    RecomputeState,
    RosterEntry,
    Snapshot,
)
from stakeholders.models import Department, SocialAccount

logger = logging.getLogger(__name__)

# A queued recompute that has not finished this long after its countdown is presumed
# lost (a worker killed, a broker restarted empty): the next change queues another.
# Short, because a second run costs one idempotent recompute and a lost one costs a
# stale dashboard; the periodic check (snapshot_if_stale) repairs it sooner still.
PENDING_LEASE = timedelta(minutes=1)
# After a failed publish this process recomputes inline without trying the broker for
# this long: each attempt costs the bounded connection retries (about 0.6 s) of a
# request, and a burst of writes during an outage would pay it on every one.
BROKER_RETRY_AFTER = 10.0
# Changes that keep arriving while the task computes make it compute again, this many
# times at most; beyond that the periodic check takes over.
RECOMPUTE_PASSES = 3

_requests = threading.local()
_broker_down_until = 0.0


def assessment_compute(*, as_of: date | None = None) -> scoring.Assessment:
    as_of = as_of or timezone.localdate()
    return scoring.assess(facts_module.load_facts(as_of=as_of), as_of)


def _fingerprint(result: dict, as_of: date) -> str:
    payload = json.dumps({"as_of": as_of.isoformat(), "result": result}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def registry_generation() -> int:
    """How many registry changes have committed (RecomputeState.generation)."""
    return RecomputeState.objects.filter(pk=1).values_list("generation", flat=True).first() or 0


def snapshot_take(*, as_of: date | None = None) -> Snapshot:
    """Assess the registry as of a date and store it, unless the latest snapshot says the same.

    Idempotent: taking it twice for the same state stores one snapshot (the latest
    snapshot is returned again when nothing changed).
    """
    # Read before the facts: every change counted in it has committed, so the facts
    # read next include it (a later change they may include too is merely re-assessed).
    generation = registry_generation()
    snapshot = snapshot_store(
        assessment=assessment_compute(as_of=as_of), registry_generation=generation
    )
    meeting_counts_refresh(as_of=snapshot.as_of)
    return snapshot


def snapshot_store(*, assessment: scoring.Assessment, registry_generation: int) -> Snapshot:
    """Store a computed assessment, unless the latest snapshot already says the same.

    `registry_generation` is the generation read before the assessment's facts were.
    A snapshot of an older generation than the latest is not stored (a slower recompute
    finishing after a newer one); the same result for a newer generation moves the
    latest snapshot forward instead of storing a copy, so it is current again.
    """
    as_of = assessment.as_of
    result = scoring.assessment_to_dict(assessment)
    fingerprint = _fingerprint(result, as_of)
    if_approved = {
        "score": assessment.score,
        "seats": {str(seat_id): score for seat_id, score in assessment.if_approved.items()},
    }
    unowned = accounts_unowned_by_platform()
    _state_row()
    with transaction.atomic():
        # The state row serialises writers, so two workers finishing together store one.
        RecomputeState.objects.select_for_update().filter(pk=1).first()
        latest = Snapshot.objects.order_by("-created_at", "-id").first()
        if latest is not None and latest.registry_generation > registry_generation:
            return latest
        if latest is not None and latest.fingerprint == fingerprint:
            if latest.registry_generation < registry_generation:
                # The same result can come from another tree (a department moved).
                map_nodes_store(representation=assessment.representation)
                latest.registry_generation = registry_generation
                # The same result can come with other pending nominations (the queue's).
                latest.if_approved = if_approved
                latest.summary = {**latest.summary, "unowned_accounts": unowned}
                latest.save(update_fields=["registry_generation", "if_approved", "summary"])
                # Names and roles can change without changing the result.
                _roster_store(latest)
            elif "roster" not in (latest.summary or {}):  # stored before rosters were
                _roster_store(latest)
            if latest.findings and not FindingEntry.objects.filter(snapshot=latest).exists():
                _finding_entries_store(latest, latest.findings)  # stored before entries were
            return latest
        map_nodes_store(representation=assessment.representation)
        snapshot = Snapshot.objects.create(
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
            if_approved=if_approved,
            summary={
                **scoring.findings_summary(result["findings"], assessment.representation),
                "explain": assessment.explain,
                # The map's "no owner" node, so the map never counts every account.
                "unowned_accounts": unowned,
            },
            fingerprint=fingerprint,
            registry_generation=registry_generation,
        )
        _account_flags_store(snapshot, result["findings"])
        _finding_entries_store(snapshot, result["findings"])
        _roster_store(snapshot)
        return snapshot


def _account_flags_store(snapshot: Snapshot, findings: list[dict]) -> None:
    """The snapshot's findings per social account (AccountFlag), replacing the older
    snapshots' rows: the account registry reads only the latest."""
    from stakeholders.selectors import account_finding_codes

    AccountFlag.objects.exclude(snapshot=snapshot).delete()
    AccountFlag.objects.bulk_create(
        [
            AccountFlag(snapshot=snapshot, subject=subject, codes=codes)
            for subject, codes in account_finding_codes(findings).items()
        ],
        batch_size=5000,
    )


def _finding_entries_store(snapshot: Snapshot, findings: list[dict]) -> None:
    """The snapshot's findings as rows in its order (FindingEntry), replacing the older
    snapshots' rows: the department page and /api/findings/ read only the latest."""
    from governance.selectors import finding_search_text
    from stakeholders.selectors import finding_places

    FindingEntry.objects.exclude(snapshot=snapshot).delete()
    places = [finding_places(finding) for finding in findings]
    searches = [finding_search_text(finding) for finding in findings]
    if connection.vendor == "postgresql":
        _finding_entries_insert(snapshot, places, searches)
        return
    FindingEntry.objects.bulk_create(
        [
            FindingEntry(
                snapshot=snapshot,
                position=position,
                code=finding["code"],
                severity=finding["severity"],
                subject=finding["subject"],
                department_key=department_key,
                account=account,
                search=search,
                data=finding,
            )
            for position, (finding, (department_key, account), search) in enumerate(
                zip(findings, places, searches, strict=True)
            )
        ],
        batch_size=5000,
    )


def _finding_entries_insert(
    snapshot: Snapshot, places: list[tuple[str, str]], searches: list[str]
) -> None:
    """One INSERT ... SELECT of the rows from the snapshot's stored list, joined with the
    columns worked out here (sent as one JSON parameter: a list of 80,000 strings costs
    psycopg a second to quote). bulk_create takes seconds for as many rows."""
    table = connection.ops.quote_name(FindingEntry._meta.db_table)
    snapshots = connection.ops.quote_name(Snapshot._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table}
                (snapshot_id, position, code, severity, subject, department_key, account,
                 search, data)
            SELECT s.id, f.n - 1, f.e ->> 'code', f.e ->> 'severity', f.e ->> 'subject',
                   c.department_key, c.account, c.search, f.e
            FROM {snapshots} s
            CROSS JOIN LATERAL jsonb_array_elements(s.findings) WITH ORDINALITY f(e, n)
            JOIN LATERAL (
                SELECT c.e ->> 0 AS department_key, c.e ->> 1 AS account, c.e ->> 2 AS search, c.n
                FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY c(e, n)
            ) c ON c.n = f.n
            WHERE s.id = %s
            """,
            [
                json.dumps(
                    [[*place, search] for place, search in zip(places, searches, strict=True)]
                ),
                snapshot.pk,
            ],
        )


def _roster_store(snapshot: Snapshot) -> None:
    """The roster of the snapshot's date in its order (RosterEntry) and its counts per
    role (summary["roster"]: role -> [department seats, group seats]), replacing every
    older roster: the roster page reads only the latest snapshot's."""
    from stakeholders.selectors import roster_seats

    rows = list(roster_seats(as_of=snapshot.as_of).values_list("id", "role", "group_id"))
    RosterEntry.objects.all().delete()
    RosterEntry.objects.bulk_create(
        [
            RosterEntry(
                snapshot=snapshot,
                position=i,
                seat_id=seat_id,
                role=role,
                group=group_id is not None,
            )
            for i, (seat_id, role, group_id) in enumerate(rows)
        ],
        batch_size=5000,
    )
    counts: dict[str, list[int]] = {}
    for _, role, group_id in rows:
        counts.setdefault(role, [0, 0])[group_id is not None] += 1
    snapshot.summary = {**(snapshot.summary or {}), "roster": counts}
    Snapshot.objects.filter(pk=snapshot.pk).update(summary=snapshot.summary)


def accounts_unowned_by_platform() -> dict[str, int]:
    """Accounts without an owner, or whose owner is archived, by platform (1 query)."""
    rows = (
        SocialAccount.objects.filter(Q(owner__isnull=True) | Q(owner__active=False))
        .order_by("platform")
        .values_list("platform")
        .annotate(n=Count("id"))
    )
    return dict(rows)


MAP_NODE_FIELDS = tuple(
    f.name for f in dataclasses.fields(map_layout.Placement) if not f.name.endswith("_id")
)


def map_nodes_store(*, representation: Mapping[str, str]) -> None:
    """Store where every active department sits on the map (MapNode), writing only the
    rows that changed: a registry change usually moves a few of them."""
    rows = [
        map_layout.TreeRow(*row)
        for row in Department.objects.values_list(
            "id", "parent_id", "name", "headcount", "active", "key"
        )
    ]
    placements = {p.department_id: p for p in map_layout.place(rows, representation)}
    stored = {
        row[0]: row[1:]
        for row in MapNode.objects.values_list("department_id", "parent_id", *MAP_NODE_FIELDS)
    }
    gone = set(stored) - set(placements)
    if gone:
        MapNode.objects.filter(department_id__in=gone).delete()
    created, changed = [], []
    for dept_id, p in placements.items():
        values = (p.parent_id, *(getattr(p, name) for name in MAP_NODE_FIELDS))
        if stored.get(dept_id) == values:
            continue
        node = MapNode(department_id=dept_id, parent_id=p.parent_id)
        for name in MAP_NODE_FIELDS:
            setattr(node, name, getattr(p, name))
        (changed if dept_id in stored else created).append(node)
    # Parents first: a new node's parent row exists before it refers to it.
    MapNode.objects.bulk_create(created, batch_size=2000)
    MapNode.objects.bulk_update(changed, ["parent", *MAP_NODE_FIELDS], batch_size=2000)


def _state_row() -> None:
    RecomputeState.objects.get_or_create(pk=1)


def snapshot_request() -> None:
    """Mark the registry changed and ask for a recompute after the transaction commits.

    Called by every service that changes the registry, inside its transaction: the
    generation goes up with the change (and rolls back with it), so the latest snapshot
    is stale from the moment the change commits until a snapshot of it is stored, even
    if the recompute asked for here is lost. The row lock taken here is held until the
    commit; callers ask at the end of their writes.
    """
    if not RecomputeState.objects.filter(pk=1).update(generation=F("generation") + 1):
        _state_row()
        RecomputeState.objects.filter(pk=1).update(generation=F("generation") + 1)
    # A counter, not a check of the transaction's pending callbacks (Django keeps no
    # public list of them): the first callback after a commit enqueues for every request
    # made so far on this thread, the others find nothing to do without a query.
    _requests.count = getattr(_requests, "count", 0) + 1
    transaction.on_commit(_recompute_enqueue, robust=True)


def registry_changed_receive(**kwargs: Any) -> None:
    """The receiver of stakeholders.signals.registry_changed (connected in apps.py): a
    registry write changed what the score reads, inside the transaction still open."""
    snapshot_request()


def _recompute_enqueue() -> None:
    global _broker_down_until
    if not getattr(_requests, "count", 0):
        return
    _requests.count = 0
    now = timezone.now()
    expired = now - timedelta(seconds=settings.RECOMPUTE_DELAY_SECONDS) - PENDING_LEASE
    claimed = (
        RecomputeState.objects.filter(pk=1)
        .filter(Q(pending_since__isnull=True) | Q(pending_since__lt=expired))
        .update(pending_since=now)
    )
    broker_down = time.monotonic() < _broker_down_until
    if not claimed and not broker_down:
        return  # the recompute already queued reads the generation when it starts
    if not broker_down:
        from governance import tasks

        try:
            tasks.snapshot_recompute.apply_async(countdown=settings.RECOMPUTE_DELAY_SECONDS)
            return
        except Exception as error:
            logger.warning("Broker unreachable (%s); recomputing the snapshot inline.", error)
            _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
    # The change has committed: score it here rather than leave the dashboard stale.
    snapshot_recompute()


def snapshot_recompute() -> Snapshot:
    """The queued recompute: take today's snapshot and give up the lease, unless a
    change came in meanwhile -- then take another (see RECOMPUTE_PASSES).

    Safe to run twice, by two workers at once, or after a killed run: snapshot_store
    keeps one snapshot per result, and the lease is only given up for a generation
    that a stored snapshot covers.
    """
    _state_row()
    for _ in range(RECOMPUTE_PASSES):
        generation = registry_generation()
        logger.info("Recomputing the assessment of registry generation %d.", generation)
        assessment = assessment_compute()
        _pause_for_fault_tests()
        snapshot = snapshot_store(assessment=assessment, registry_generation=generation)
        if _lease_release(covered=snapshot.registry_generation):
            break
    meeting_counts_refresh(as_of=snapshot.as_of)
    return snapshot


def snapshot_if_stale() -> Snapshot | None:
    """The periodic safety net: recompute when the latest snapshot is older than the
    registry -- its recompute was lost, killed or is late -- or when a registry loaded
    behind the services' back was never assessed. Two queries when current."""
    latest = (
        Snapshot.objects.order_by("-created_at", "-id")
        .values_list("registry_generation", flat=True)
        .first()
    )
    current = registry_generation()
    if latest is None and not current and not Department.objects.exists():
        return None  # nothing has been registered yet
    if latest is not None and latest >= current:
        # Current: a lease left by a lost task would only hold back the next change.
        _lease_release(covered=latest)
        return None
    logger.warning(
        "The latest snapshot (generation %s) is behind the registry (generation %d): recomputing.",
        latest,
        current,
    )
    return snapshot_recompute()


def _lease_release(*, covered: int) -> bool:
    """Clear the pending mark if a snapshot covers the current generation; False when a
    change has committed since (its request found the lease taken and did not enqueue)."""
    return bool(
        RecomputeState.objects.filter(pk=1, generation__lte=covered).update(pending_since=None)
    )


def _pause_for_fault_tests() -> None:
    # tests/faults kill a worker in the middle of a recompute; a real registry large
    # enough to take seconds would make those tests slow. Unset everywhere else.
    pause = os.environ.get("ROUNDTABLE_TEST_RECOMPUTE_SLEEP")
    if pause:
        time.sleep(float(pause))


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
        moved = meeting.date != date
        meeting.date, meeting.title, meeting.notes = date, title, notes.strip()
        meeting.full_clean()
        meeting._history_user = actor
        meeting.save()
        if moved and meeting.counts is not None:
            _meeting_counts_store(meeting)  # who was expected depends on the date
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


def attendance_record(
    *, actor, meeting: Meeting, present: Iterable[int], among: Iterable[int] | None = None
) -> int:
    """Tick who was present; `present` holds person ids. Returns the number of rows
    written (created or changed).

    `among` None: everyone expected at the meeting gets a row, present or absent (the
    API's and the bundle's meaning). `among` given (the people of one page of the
    meeting's form): only they get a row, present or absent; everyone else keeps theirs.
    Refused, with nothing written, when `among` holds someone not expected at the
    meeting or `present` someone outside `among`."""
    from governance.meeting_selectors import expected_seats

    _require_lead(actor, "record attendance")
    if meeting.date > timezone.localdate():
        raise ValidationError(
            f"{meeting} has not happened yet: record its attendance on or after the day."
        )
    present = set(present)
    among = None if among is None else set(among)
    if among is not None and present - among:
        raise ValidationError("Only the people being recorded can be marked present.")
    with transaction.atomic():
        # The meeting row serialises two leads ticking the same meeting at once.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        expected_ids = expected_seats(meeting.date).order_by().values_list("person_id", flat=True)
        rows = Attendance.objects.filter(meeting=meeting)
        if among is None:
            expected = set(expected_ids)
            if present - expected:
                raise ValidationError("Only people expected at the meeting can be marked present.")
        else:
            expected = set(expected_ids.filter(person_id__in=sorted(among)))
            if among - expected:
                raise ValidationError(
                    f"Only people expected at the meeting can be recorded: "
                    f"{len(among - expected)} of those sent were not expected; nothing was saved."
                )
            rows = rows.filter(person_id__in=sorted(among))
        existing = {row.person_id: row for row in rows}
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
            _meeting_counts_store(meeting)
            snapshot_request()
    return len(created) + len(changed)


def meeting_counts_backfill() -> int:
    """Store the counts of the meetings with attendance and no counts (or counts stored
    before they included every one: "recorded"); how many."""
    meetings = Meeting.objects.filter(
        Q(counts__isnull=True) | ~Q(counts__has_key="recorded"), attendance__isnull=False
    ).distinct()
    # Counts missing or incomplete always differ from those counted: each is stored.
    return meeting_counts_refresh(meetings=list(meetings.values_list("pk", flat=True)))


def meeting_counts_refresh(
    *, as_of: date | None = None, meetings: Iterable[int] | None = None
) -> int:
    """Store again the counts of the given meeting ids, else of the roster's recent
    meetings (on or before `as_of`, default today), where they changed; how many did.

    Who was expected and which seat holders came follow the seats, not only the
    attendance: a seat approved with an earlier start, a department archived, change
    them for meetings already held. Run after each recompute (outside its lock), so the
    roster's stored figures follow the registry as the score does. Each meeting is
    counted under its row lock, as attendance_record counts it, so the two never store
    older figures over newer ones."""
    from governance.roster import RECENT_MEETINGS

    if meetings is None:
        ids = list(
            Meeting.objects.filter(date__lte=as_of or timezone.localdate())
            .order_by("-date", "-title")
            .values_list("pk", flat=True)[:RECENT_MEETINGS]
        )
    else:
        ids = sorted(set(meetings))
    changed = 0
    for meeting_id in ids:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
            if meeting is not None and _meeting_counts_store(meeting):
                changed += 1
    return changed


def _meeting_counts_store(meeting: Meeting) -> bool:
    """Store the roster's counts of a meeting (its attendance or the seats changed);
    whether they differed from those stored."""
    from governance.roster import meeting_counts

    counts = meeting_counts(meeting)
    if counts == meeting.counts:
        return False
    meeting.counts = counts
    Meeting.objects.filter(pk=meeting.pk).update(counts=counts)
    return True


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


# Open hand-overs named in the digest, the oldest first (the page lists them all).
DIGEST_HANDOVERS = 20


def digest_send(*, today: date | None = None, force: bool = False) -> Digest | None:
    """E-mail the leads the stale nominations, the critical findings that are new
    since the previous digest and the account hand-overs still open. Returns the
    Digest sent, or None when there was nothing to say, nobody to tell, or (without
    `force`) this week's was already sent."""
    from stakeholders import handovers, notifications

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
    open_handovers = list(handovers.open_handovers()[:DIGEST_HANDOVERS])
    recipients = notifications.lead_emails()
    if not recipients or not (stale or new_critical or open_handovers):
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
                "queue_url": notifications.site_url(reverse("governance:nomination-queue")),
                "handovers": open_handovers,
                "handovers_url": notifications.site_url(reverse("stakeholders:handover-list")),
                "site_url": notifications.site_url("/"),
            },
        )
    return digest
