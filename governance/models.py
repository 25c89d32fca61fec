"""Policy, meetings and attendance, and stored assessments (snapshots)."""

import math

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from stakeholders.models import Person

WEIGHT_FIELDS = (
    "weight_coverage",
    "weight_footprint",
    "weight_balance",
    "weight_seniority_mix",
    "weight_voices",
    "weight_participation",
)
SHARE_FIELDS = ("inherited_credit", "clubhouse_share", "senior_share", "target_coverage")
COUNT_FIELDS = (
    "participation_window",
    "large_department",
    "min_seats_for_balance",
    "absence_limit",
    "stale_days",
    "people_per_seat",
    "dormant_days",
    "growth_window_days",
    "recommendation_count",
    "min_managers",
    "max_tenure_days",
    "default_term_months",
)
POLICY_FIELDS = WEIGHT_FIELDS + SHARE_FIELDS + COUNT_FIELDS
# Weights are relative, so any scale works; the cap keeps their sum a finite float.
MAX_WEIGHT = 1000.0

# How the settings are grouped wherever they are shown (the admin and the policy page):
# (title, description, fields).
POLICY_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Weights", "Relative; they need not add to 1.", WEIGHT_FIELDS),
    (
        "Coverage and growth",
        "",
        (
            "inherited_credit",
            "target_coverage",
            "growth_window_days",
            "large_department",
            "people_per_seat",
        ),
    ),
    ("Balance", "", ("min_seats_for_balance", "clubhouse_share", "senior_share")),
    ("Meetings", "", ("participation_window", "absence_limit")),
    ("Seats", "", ("max_tenure_days", "default_term_months")),
    ("Registry hygiene", "", ("stale_days", "dormant_days", "min_managers")),
    ("Recommendations", "", ("recommendation_count",)),
)


def _weight(default: float, label: str) -> models.FloatField:
    return models.FloatField(default=default, validators=[MinValueValidator(0.0)], help_text=label)


def _count(default: int, label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        default=default, validators=[MinValueValidator(1)], help_text=label
    )


def _share(default: float, label: str) -> models.FloatField:
    return models.FloatField(default=default, help_text=label)


class Policy(models.Model):
    """The single row of weights and thresholds the assessment uses."""

    weight_coverage = _weight(0.30, "Weight of coverage (headcount with a seat).")
    weight_footprint = _weight(0.20, "Weight of footprint (accounts whose owner has a seat).")
    weight_balance = _weight(0.15, "Weight of balance of seats across functions.")
    weight_seniority_mix = _weight(0.10, "Weight of the mix of seniority levels.")
    weight_voices = _weight(0.10, "Weight of customer, employee and partner voices.")
    weight_participation = _weight(0.15, "Weight of meeting participation.")
    inherited_credit = _share(0.5, "Credit for a department represented through an ancestor.")
    participation_window = _count(6, "Meetings looked at for participation.")
    large_department = _count(100, "Headcount from which a seatless department is high severity.")
    min_seats_for_balance = _count(4, "Current seats needed before clubhouse/skew are judged.")
    clubhouse_share = _share(0.6, "Share of seats held by two functions that makes a clubhouse.")
    senior_share = _share(0.6, "Share of seats held by directors/executives that is a skew.")
    absence_limit = _count(3, "Consecutive expected meetings missed that make an empty chair.")
    stale_days = _count(14, "Days after which a pending nomination is stale.")
    people_per_seat = _count(250, "Headcount per direct seat above which it is thin.")
    dormant_days = _count(90, "Days without a post after which an active account is dormant.")
    target_coverage = _share(0.8, "Coverage below which growth is expected.")
    growth_window_days = _count(90, "Days within which a new seat counts as growth.")
    recommendation_count = _count(10, "Next best seats listed.")
    min_managers = _count(2, "Active managers an owned account needs so one person is not alone.")
    max_tenure_days = _count(730, "Days in one seat after which a rotation is suggested.")
    default_term_months = _count(24, "Length of a new or renewed term, proposed when approving.")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "policy"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="policy_single_row")]

    def __str__(self) -> str:
        return "Assessment policy"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in WEIGHT_FIELDS:
            value = self._number(name)
            if value is None:
                continue
            if value < 0:
                errors[name] = "A weight cannot be negative."
            elif not math.isfinite(value) or value > MAX_WEIGHT:
                errors[name] = f"A weight must be a number no larger than {MAX_WEIGHT:g}."
        weights = [self._number(name) for name in WEIGHT_FIELDS]
        if not errors and all(weight == 0 for weight in weights):
            errors["weight_coverage"] = "At least one weight must be above zero."
        for name in SHARE_FIELDS:
            value = self._number(name)
            if value is not None and not 0 <= value <= 1:
                errors[name] = "A share must be between 0 and 1."
        for name in COUNT_FIELDS:
            value = self._number(name)
            if value is not None and value < 1:
                errors[name] = "Must be at least 1."
        if errors:
            raise ValidationError(errors)

    def _number(self, name: str) -> float | None:
        # full_clean() calls clean() even when a field failed to parse; that field's own
        # error is already reported, so its rule is skipped here.
        value = getattr(self, name)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        return value if is_number else None

    @classmethod
    def defaults(cls) -> dict[str, float | int]:
        """The DESIGN.md value of every setting."""
        return {name: cls._meta.get_field(name).default for name in POLICY_FIELDS}

    @classmethod
    def load(cls) -> "Policy":
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy


class Meeting(models.Model):
    date = models.DateField()
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    # The roster's summary of the meeting, stored when attendance is recorded (see
    # services.attendance_record) so that no page counts every attendance row:
    # {"expected": seats, "present": people, "holders_present": seat holders present}.
    # None until then; the roster counts such a meeting when it shows it.
    counts = models.JSONField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "title"]
        constraints = [
            models.UniqueConstraint(fields=["date", "title"], name="meeting_unique_date_title")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "person__name"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="attendance_one_row_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting}: {'present' if self.present else 'absent'}"


class Snapshot(models.Model):
    """A stored assessment. The dashboard and the trend read these."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    as_of = models.DateField()
    score = models.FloatField(help_text="Shown score, rounded half-up to one decimal.")
    grade = models.CharField(max_length=20)
    components = models.JSONField(default=dict)
    findings = models.JSONField(default=list)
    org_model = models.CharField(max_length=20)
    org_model_reason = models.TextField(blank=True)
    recommendations = models.JSONField(default=list)
    projected_score = models.FloatField(null=True, blank=True)
    representation = models.JSONField(default=dict)
    fingerprint = models.CharField(
        max_length=64, db_index=True, help_text="Hash of the facts and the as-of date."
    )
    registry_generation = models.PositiveBigIntegerField(
        default=0,
        help_text="RecomputeState.generation when the facts were read: the registry changes "
        "this snapshot includes. Below the current generation, the snapshot is stale.",
    )

    summary = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the pages show without the whole list of findings "
        "(scoring.findings_summary); empty in snapshots stored before it existed.",
    )
    if_approved = models.JSONField(
        default=dict,
        blank=True,
        help_text="The nomination queue's what-if when the facts were read: "
        '{"score": unrounded score, "seats": {seat id: score with that nomination approved}}.',
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.score} ({self.grade}) as of {self.as_of}"


class AccountFlag(models.Model):
    """The finding codes of one social account in a snapshot, so that the account
    registry flags and filters its accounts with an indexed lookup instead of reading
    the snapshot's whole list of findings (tens of megabytes at 20,000 departments).

    Stored with each new snapshot by services.snapshot_store for that snapshot only:
    the rows of older snapshots are deleted then (no page reads them).
    """

    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.CASCADE, related_name="account_flags", db_index=False
    )
    subject = models.CharField(max_length=240, help_text="platform:handle, in lower case.")
    codes = models.JSONField(default=list, help_text="Finding codes, in the findings' order.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "subject"], name="account_flag_one_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {', '.join(self.codes)}"


class FindingEntry(models.Model):
    """One finding of the latest snapshot, at its place in the snapshot's list, so that
    the department page and /api/findings/ read the findings they show through an index
    instead of the snapshot's whole list (tens of megabytes at 20,000 departments).

    Stored by services.snapshot_store for the snapshot it returns; the rows of older
    snapshots are deleted then (no page reads them).
    """

    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.CASCADE, related_name="finding_entries", db_index=False
    )
    position = models.PositiveIntegerField(help_text="The finding's index in the snapshot's list.")
    code = models.CharField(max_length=64)
    severity = models.CharField(max_length=20)
    subject = models.TextField(blank=True)
    department_key = models.TextField(
        blank=True,
        help_text="The department the finding names: the subject, or its part after the "
        'last "/" (a seat\'s constituency) but for missing_voice; empty otherwise.',
    )
    account = models.TextField(
        blank=True, help_text="The social account (platform:handle) it is about, if any."
    )
    search = models.TextField(
        blank=True, help_text="Message, subject and action in lower case, for the text filter."
    )
    data = models.JSONField(help_text="The finding as the snapshot lists it.")

    class Meta:
        ordering = ["snapshot", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "position"], name="finding_entry_one_per_position"
            )
        ]
        # Partial: every index entry costs time in each recompute (80,000 rows at 20,000
        # departments), and no page looks up findings about no department or account.
        indexes = [
            models.Index(
                fields=["snapshot", "department_key", "position"],
                name="finding_entry_department",
                condition=~models.Q(department_key=""),
            ),
            models.Index(
                fields=["snapshot", "account", "position"],
                name="finding_entry_account",
                condition=~models.Q(account=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.code} {self.subject}"


class RosterEntry(models.Model):
    """One current seat of a snapshot's roster, at its place in the roster's order (role,
    constituency, person): the roster page reads a page of these through an index
    instead of sorting every current seat of the company on each view.

    Stored by services.snapshot_store for the snapshot it returns (rebuilt when a newer
    registry generation gives the same result, since names and roles can change without
    changing the score); the rows of older snapshots are deleted then. The roster reads
    them only while that snapshot is current for today, and counts live otherwise.
    """

    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.CASCADE, related_name="roster", db_index=False
    )
    position = models.PositiveIntegerField()
    seat = models.ForeignKey("stakeholders.Seat", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20)
    group = models.BooleanField(help_text="A stakeholder group's seat (else a department's).")

    class Meta:
        ordering = ["snapshot", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "position"], name="roster_entry_one_per_position"
            )
        ]
        indexes = [
            models.Index(fields=["snapshot", "role", "position"], name="roster_entry_role"),
            models.Index(fields=["snapshot", "group", "position"], name="roster_entry_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.position}: seat {self.seat_id}"


class RecomputeState(models.Model):
    """One row that marks registry changes and coalesces recompute requests across processes.

    `generation` goes up by one in the same transaction as every registry change, so it
    commits or rolls back with the change and no crash can separate the two. A snapshot
    records the generation it read; while the latest snapshot's is lower, the dashboard
    is stale, whatever became of the recompute that was queued for it.
    `pending_since` is a lease: set while a queued recompute is owed, so a burst of
    changes enqueues one task; cleared only once a snapshot of the current generation is
    stored. A lease older than services.PENDING_LEASE is presumed lost and re-queued.
    """

    generation = models.PositiveBigIntegerField(default=0)
    pending_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="recompute_state_single_row")]


class Digest(models.Model):
    """A weekly digest e-mailed to the COE leads (governance.services.digest_send).

    It keeps what it reported, so the next digest can tell which critical findings
    are new since the previous one, and so a second run in the same week sends nothing.
    """

    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    period = models.CharField(max_length=10, db_index=True, help_text="ISO week, e.g. 2026-W48.")
    recipients = models.JSONField(default=list)
    stale_nominations = models.JSONField(default=list, help_text="Subjects of stale nominations.")
    critical_findings = models.JSONField(
        default=list, help_text="Every critical finding at the time, as code:subject."
    )

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Digest {self.period} to {len(self.recipients)} lead(s)"


class MapNode(models.Model):
    """Where an active department sits on the stakeholder map, as of the latest snapshot
    (governance.map_layout.Placement, stored by services.snapshot_store).

    The map reads one branch level by level through `parent` (indexed), and the totals
    of a folded branch from its top node, so no request walks the whole company.
    """

    department = models.OneToOneField(
        "stakeholders.Department", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # The nearest active ancestor's node; None at the top level.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    depth = models.PositiveIntegerField()
    representation = models.CharField(max_length=10)
    children = models.PositiveIntegerField()
    subtree_count = models.PositiveIntegerField()
    subtree_headcount = models.PositiveBigIntegerField()
    subtree_direct = models.PositiveIntegerField()
    subtree_proxy = models.PositiveIntegerField()
    subtree_none = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"map node of department {self.department_id}"
