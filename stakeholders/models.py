"""The registry: departments, people, stakeholder groups, seats and social accounts.

Models hold data and database constraints only. Every state change goes through
`stakeholders.services`; reads that span relations live in `stakeholders.selectors`.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from stakeholders import vocabulary
from stakeholders.rules import strip_handle


class DepartmentKind(models.TextChoices):
    BUSINESS_UNIT = "business_unit", "Business unit"
    FUNCTION = "function", "Function"
    REGION = "region", "Region"
    TEAM = "team", "Team"


class Function(models.TextChoices):
    MARKETING = "marketing", "Marketing"
    COMMUNICATIONS = "communications", "Communications"
    CUSTOMER_SUPPORT = "customer_support", "Customer support"
    SALES = "sales", "Sales"
    PRODUCT = "product", "Product"
    ENGINEERING = "engineering", "Engineering"
    HR = "hr", "HR"
    LEGAL = "legal", "Legal"
    COMPLIANCE = "compliance", "Compliance"
    IT_SECURITY = "it_security", "IT security"
    FINANCE = "finance", "Finance"
    OPERATIONS = "operations", "Operations"
    EXECUTIVE = "executive", "Executive"
    OTHER = "other", "Other"


class Seniority(models.TextChoices):
    INDIVIDUAL_CONTRIBUTOR = "individual_contributor", "Individual contributor"
    MANAGER = "manager", "Manager"
    DIRECTOR = "director", "Director"
    EXECUTIVE = "executive", "Executive"


class GroupKind(models.TextChoices):
    CUSTOMERS = "customers", "Customers"
    EMPLOYEES = "employees", "Employees"
    PARTNERS = "partners", "Partners"
    COMMUNITY = "community", "Community"
    OTHER = "other", "Other"


class SeatRole(models.TextChoices):
    LEAD = "lead", "Lead"
    CORE = "core", "Core"
    EXTENDED = "extended", "Extended"
    ADVISOR = "advisor", "Advisor"


class SeatStatus(models.TextChoices):
    NOMINATED = "nominated", "Nominated"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ENDED = "ended", "Ended"


OPEN_SEAT_STATUSES = (SeatStatus.NOMINATED, SeatStatus.APPROVED)


# The labels are the vocabulary's (stakeholders/vocabulary.py), shared with the scripts.
Platform = models.TextChoices(
    "Platform",
    [(value.upper(), (value, label)) for value, label in vocabulary.PLATFORM_LABELS.items()],
)


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DORMANT = "dormant", "Dormant"
    RETIRED = "retired", "Retired"
    UNVERIFIED = "unverified", "Unverified"


IN_USE_ACCOUNT_STATUSES = (AccountStatus.ACTIVE, AccountStatus.DORMANT)


class AccountPurpose(models.TextChoices):
    BRAND = "brand", "Brand"
    SUPPORT = "support", "Support"
    CAREERS = "careers", "Careers"
    PRODUCT = "product", "Product"
    REGIONAL = "regional", "Regional"
    EXECUTIVE = "executive", "Executive"
    OTHER = "other", "Other"


def _in_choices(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


# The department tree is walked in the database: one recursive query from the
# departments asked about, on SQLite and PostgreSQL alike (our own SQL rather than
# django-tree-queries, which walks the whole tree from its roots on every query; see
# docs/decisions.md). UNION, not UNION ALL, so a cycle in the rows -- which no entry
# point lets in -- ends the walk instead of looping.
_DEPARTMENT_TABLE = "stakeholders_department"
_WALK_DOWN = f"""
    WITH RECURSIVE walk(id) AS (
        SELECT id FROM {_DEPARTMENT_TABLE} WHERE {{seed}}
        UNION
        SELECT d.id FROM {_DEPARTMENT_TABLE} d JOIN walk ON d.parent_id = walk.id
    )
    SELECT id FROM walk
"""
_WALK_UP = f"""
    WITH RECURSIVE walk(id) AS (
        SELECT {{start}} FROM {_DEPARTMENT_TABLE} WHERE {{seed}}
        UNION
        SELECT d.parent_id FROM {_DEPARTMENT_TABLE} d JOIN walk ON d.id = walk.id
        WHERE d.parent_id IS NOT NULL
    )
    SELECT id FROM walk
"""


def _ids(departments: "Iterable[Department | int]") -> list[int]:
    return [d if isinstance(d, int) else d.pk for d in departments]


def _in(ids: list[int]) -> str:
    return "id IN (" + ", ".join(["%s"] * len(ids)) + ")" if ids else "1 = 0"


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def descendants_of(self, *departments: "Department | int", include_self: bool = True):
        """The departments below the given ones (and those themselves), in one query."""
        ids = _ids(departments)
        tree = self.filter(pk__in=RawSQL(_WALK_DOWN.format(seed=_in(ids)), ids))
        return tree if include_self else tree.exclude(pk__in=ids)

    def headed_by(self, user) -> "DepartmentQuerySet":
        """The departments a user heads, with every department below them (one query)."""
        if user is None or user.pk is None:
            return self.none()
        return self.filter(pk__in=RawSQL(_WALK_DOWN.format(seed="head_id = %s"), [user.pk]))

    def ancestors_of(self, department: "Department | int", *, include_self: bool = False):
        """The departments above the given one (and, asked, itself), in one query."""
        (dept_id,) = _ids([department])
        start = "id" if include_self else "parent_id"
        seed = "id = %s" if include_self else "id = %s AND parent_id IS NOT NULL"
        return self.filter(pk__in=RawSQL(_WALK_UP.format(start=start, seed=seed), [dept_id]))

    def path_to(self, department: "Department") -> "list[Department]":
        """The department's ancestors, top-level first (one query, whatever the depth)."""
        above = {d.pk: d for d in self.ancestors_of(department) if d.pk != department.pk}
        path: list[Department] = []
        parent = department.parent_id
        while parent in above:
            path.append(above.pop(parent))
            parent = path[-1].parent_id
        path.reverse()
        return path

    def is_below(self, department: "Department | int", other: "Department | int") -> bool:
        """Whether `department` is `other` or lies below it: moving `other` under it
        would close a cycle (one query, the ancestors walk)."""
        (other_id,) = _ids([other])
        return self.ancestors_of(department, include_self=True).filter(pk=other_id).exists()


class Department(models.Model):
    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(
        max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.FUNCTION
    )
    function = models.CharField(max_length=20, choices=Function.choices, default=Function.OTHER)
    headcount = models.PositiveIntegerField(
        default=0, help_text="Own staff, not counting sub-departments."
    )
    customer_facing = models.BooleanField(default=False)
    influence = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    interest = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    active = models.BooleanField(default=True, help_text="Archived departments keep their history.")
    history = HistoricalRecords()

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gte=0),
                name="department_headcount_gte_0",
                violation_error_message="The headcount is 0 or more.",
            ),
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5),
                name="department_influence_1_5",
                violation_error_message="The influence is from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=Q(interest__gte=1, interest__lte=5),
                name="department_interest_1_5",
                violation_error_message="The interest is from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="department_not_own_parent",
                violation_error_message="A department cannot be its own parent.",
            ),
            models.CheckConstraint(
                condition=_in_choices("kind", DepartmentKind), name="department_kind_valid"
            ),
            models.CheckConstraint(
                condition=_in_choices("function", Function), name="department_function_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExpertiseTag(models.Model):
    name = models.SlugField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def by_email(self, email: str):
        return self.filter(email__iexact=email.strip())


class Person(models.Model):
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    seniority = models.CharField(max_length=30, choices=Seniority.choices, null=True, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text="Empty for people outside the company.",
    )
    expertise = models.ManyToManyField(ExpertiseTag, blank=True, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    active = models.BooleanField(default=True, help_text="False once the person has left.")
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="person_email_unique_ci"),
            models.CheckConstraint(
                condition=Q(seniority__isnull=True) | _in_choices("seniority", Seniority),
                name="person_seniority_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class StakeholderGroup(models.Model):
    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=GroupKind.choices, default=GroupKind.OTHER)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("kind", GroupKind), name="stakeholder_group_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SeatQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_SEAT_STATUSES)

    def pending(self):
        return self.filter(status=SeatStatus.NOMINATED)


class Seat(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="seats")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="seats"
    )
    group = models.ForeignKey(
        StakeholderGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="seats"
    )
    role = models.CharField(max_length=20, choices=SeatRole.choices, default=SeatRole.CORE)
    status = models.CharField(
        max_length=20, choices=SeatStatus.choices, default=SeatStatus.NOMINATED
    )
    nomination_note = models.TextField(blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nominated_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["-nominated_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, group__isnull=True)
                | Q(department__isnull=True, group__isnull=False),
                name="seat_exactly_one_constituency",
                violation_error_message=(
                    "Choose either a department or a stakeholder group "
                    "for the seat, not both and not neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["person", "department"],
                condition=Q(status__in=OPEN_SEAT_STATUSES, department__isnull=False),
                name="seat_one_open_per_person_department",
                violation_error_message=(
                    "This person already has an open seat or nomination for this department."
                ),
            ),
            models.UniqueConstraint(
                fields=["person", "group"],
                condition=Q(status__in=OPEN_SEAT_STATUSES, group__isnull=False),
                name="seat_one_open_per_person_group",
                violation_error_message=(
                    "This person already has an open seat or nomination for this group."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=SeatStatus.ENDED) | Q(term_end__isnull=False),
                name="seat_ended_has_term_end",
                violation_error_message="An ended seat needs the date its term ended.",
            ),
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gte=F("term_start")),
                name="seat_term_ends_after_start",
                violation_error_message="The term cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=_in_choices("status", SeatStatus), name="seat_status_valid"
            ),
            models.CheckConstraint(condition=_in_choices("role", SeatRole), name="seat_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} for {self.constituency} ({self.status})"

    @property
    def constituency(self):
        return self.department or self.group


# The stored form of a handle (trimmed, without a leading @); the rule is stakeholders.rules'.
normalize_handle = strip_handle


class SocialAccount(models.Model):
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    owner = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    managers = models.ManyToManyField(Person, blank=True, related_name="managed_accounts")
    status = models.CharField(
        max_length=20, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    followers = models.PositiveIntegerField(default=0)
    last_post_at = models.DateField(null=True, blank=True)
    purpose = models.CharField(
        max_length=20, choices=AccountPurpose.choices, default=AccountPurpose.OTHER
    )
    history = HistoricalRecords(m2m_fields=[managers])

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                F("platform"),
                Lower("handle"),
                name="social_account_handle_unique_ci",
                violation_error_message=(
                    "An account with this handle is already registered on this platform."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(handle__startswith="@") & ~Q(handle=""),
                name="social_account_handle_without_at",
                violation_error_message="Enter the handle without the leading @.",
            ),
            models.CheckConstraint(
                condition=Q(followers__gte=0),
                name="social_account_followers_gte_0",
                violation_error_message="The number of followers is 0 or more.",
            ),
            models.CheckConstraint(
                condition=_in_choices("platform", Platform), name="social_account_platform_valid"
            ),
            models.CheckConstraint(
                condition=_in_choices("status", AccountStatus), name="social_account_status_valid"
            ),
            models.CheckConstraint(
                condition=_in_choices("purpose", AccountPurpose),
                name="social_account_purpose_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} @{self.handle}"

    @property
    def subject(self) -> str:
        return f"{self.platform}:{self.handle.lower()}"


class ImportKind(models.TextChoices):
    DEPARTMENTS = "departments", "Departments"
    PEOPLE = "people", "People"
    ACCOUNTS = "accounts", "Social accounts"


class ImportStatus(models.TextChoices):
    READY = "ready", "Ready to confirm"
    INVALID = "invalid", "Has errors"
    APPLIED = "applied", "Applied"


class ImportBatch(models.Model):
    """An uploaded spreadsheet, parsed and validated once (stakeholders.spreadsheets).

    `plan` holds the validated rows, so the confirm step writes them without
    reading the file again; `problems` holds every error found in the file.
    """

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    filename = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    row_count = models.PositiveIntegerField(default=0)
    columns = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    problems = models.JSONField(default=list)
    plan = models.JSONField(default=list)
    applied_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "import batch"
        verbose_name_plural = "import batches"
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("kind", ImportKind), name="import_batch_kind_valid"
            ),
            models.CheckConstraint(
                condition=_in_choices("status", ImportStatus), name="import_batch_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.filename} ({self.status})"


class Handover(models.Model):
    """The keys of an in-use account that a departed manager still holds.

    Opened when a manager leaves; closed only when someone names at least one
    successor and confirms that the departed person's access was removed and the
    credentials changed. Until then the departed_manager finding stays (it follows
    the managers list, which the close changes).
    """

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="handovers")
    departed = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="handovers")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    successors = models.ManyToManyField(Person, blank=True, related_name="handovers_taken")
    access_removed = models.BooleanField(
        default=False, help_text="Access removed and credentials changed, as confirmed."
    )
    history = HistoricalRecords(m2m_fields=[successors])

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "departed"],
                condition=Q(closed_at__isnull=True),
                name="handover_one_open_per_account_and_person",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(access_removed=True),
                name="handover_closed_only_with_access_removed",
                violation_error_message=(
                    "A hand-over closes only once access is removed and credentials changed."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Hand-over of {self.account} from {self.departed}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
