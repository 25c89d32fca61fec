"""The filters of the registry's lists, written once (django-filter FilterSets) and used
by the list page, its CSV/XLSX export and the API endpoint, so the three hold the same
records for the same query string.

Each FilterSet filters a base queryset that the list's selector builds (its joins,
annotations and default order); it only adds WHERE clauses (and, for the directory, an
ORDER BY). A value it cannot read is an error naming the filter: the page shows it and
lists the rows without that filter, the export and the API answer 400.

Two filters need the latest assessment (a department's representation, an account's
findings): they read it through the registry's ports (stakeholders.ports), only when
that filter is used; a caller that has read it already may pass its own reader.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import django_filters
import django_filters.fields
from django import forms
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat, Lower
from django.urls import reverse_lazy
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from stakeholders import ports
from stakeholders.models import (
    AccountPurpose,
    AccountStatus,
    Department,
    DepartmentKind,
    Function,
    GroupKind,
    Person,
    Platform,
    Seat,
    SeatRole,
    SeatStatus,
    Seniority,
    SocialAccount,
    StakeholderGroup,
)
from stakeholders.selectors import DIRECTORY_SORTS, current_seat_q, roster_text_q
from stakeholders.vocabulary import REPRESENTATION_LABELS

SEARCH_MAX = 100
KEY_MAX = 64
MAX_ID = 2**63 - 1
DEPARTMENT_SEARCH_URL = reverse_lazy("stakeholders:department-search")


class FlagField(django_filters.fields.ChoiceField):
    """Yes/no as "1"/"0"; the API's "true"/"false" (any case) read the same."""

    ALIASES = {"true": "1", "false": "0", "yes": "1", "no": "0"}

    def to_python(self, value):
        value = super().to_python(value)
        return self.ALIASES.get(value.lower(), value)


# The API's schema (drf-spectacular reads this) says which values a yes/no filter takes.
@extend_schema_field({"type": "string", "enum": ["1", "0", "true", "false"]})
class FlagFilter(django_filters.ChoiceFilter):
    """A yes/no filter on a boolean column (or, with `method`, on anything)."""

    field_class = FlagField

    def __init__(self, *args, yes: str = "Yes", no: str = "No", **kwargs):
        kwargs.setdefault("choices", [("1", yes), ("0", no)])
        kwargs.setdefault("empty_label", "Any")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        # (A filter with `method` never comes here: django-filter calls the method.)
        if value in ("", None):
            return qs
        return super().filter(qs, value == "1")


class SearchFilter(django_filters.CharFilter):
    """Free text; `method` says where it is looked for."""

    def __init__(self, *args, placeholder: str = "", **kwargs):
        kwargs.setdefault("label", "Search")
        kwargs.setdefault("max_length", SEARCH_MAX)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "search", "placeholder": placeholder})
        )
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number in the range of the id column (anything else is an
    error, not a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ListFilterSet(django_filters.FilterSet):
    """What every list's FilterSet shares: the fields its page's filter bar shows
    (`bar`), whether any filter is set, and its errors as sentences."""

    bar_fields: tuple[str, ...] = ()
    # Query parameters that are not filters: kept out of `is_set`.
    not_filters = frozenset({"page", "page_size", "sort", "format"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.picked: dict[str, int] = {}  # department pickers: the id of the key asked for

    def _reshape(self, name: str, **extra) -> None:
        """Change a filter's form field for this request (its choices, its widget)."""
        filter_ = self.filters[name]
        filter_.extra.update(extra)
        filter_.__dict__.pop("_field", None)  # a field built before would keep the old ones

    @property
    def bar(self) -> list[forms.BoundField]:
        return [self.form[name] for name in self.bar_fields]

    @property
    def is_set(self) -> bool:
        return any(
            value not in ("", None)
            for name, value in self.data.items()
            if name in self.filters and name not in self.not_filters
        )

    @property
    def problems(self) -> list[str]:
        """Each error as "Label: message", in the order of the filters."""
        errors = self.form.errors
        return [
            f"{self.form[name].label}: {' '.join(errors[name])}"
            for name in self.filters
            if name in errors
        ]

    def _department_picker(self, name: str, *, any_label: str, none_label: str = "") -> None:
        """A department chosen by key through the search-as-you-type picker: the choices
        are the fixed ones and the department asked for (one query when one is)."""
        key = (self.data.get(name) or "").strip()
        found: list[tuple[str, str]] = []
        if key and key != "none":
            departments = Department.objects.filter(key=key[:KEY_MAX])
            for pk, found_key, found_name in departments.values_list("pk", "key", "name"):
                self.picked[name] = pk
                found.append((found_key, found_name))
        self._reshape(
            name,
            choices=[*([("none", none_label)] if none_label else []), *found],
            empty_label=any_label,
            error_messages={"invalid_choice": "No department has the key “%(value)s”."},
            widget=forms.Select(attrs={"data-search-url": DEPARTMENT_SEARCH_URL}),
        )


# --- departments ------------------------------------------------------------------------


def representation_q(representation: dict[str, str], wanted: str) -> Q:
    """Departments whose assessed representation is `wanted`, through the shorter key list."""
    matching = [key for key, value in representation.items() if value == wanted]
    if len(matching) <= len(representation) - len(matching):
        return Q(key__in=matching)
    others = [key for key, value in representation.items() if value != wanted]
    # Departments created after the assessment have no representation yet: not "none".
    return ~Q(key__in=others) & Q(key__in=list(representation))


REPRESENTATIONS = list(REPRESENTATION_LABELS.items())


class DepartmentFilterSet(ListFilterSet):
    q = SearchFilter(method="search", placeholder="Name or key")
    function = django_filters.ChoiceFilter(
        label="Function", choices=Function.choices, empty_label="Any function"
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=DepartmentKind.choices, empty_label="Any kind"
    )
    representation = django_filters.ChoiceFilter(
        label="Representation",
        choices=REPRESENTATIONS,
        empty_label="Any",
        method="by_representation",
    )
    accounts = django_filters.ChoiceFilter(
        label="Accounts",
        choices=[("yes", "Has accounts"), ("no", "No accounts")],
        empty_label="Any",
        method="by_accounts",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in DIRECTORY_SORTS.items()],
        empty_label=None,
        method="order",
    )
    archived = django_filters.BooleanFilter(
        label="Include archived departments",
        widget=forms.CheckboxInput,
        method="with_archived",
    )
    # Not on the page's bar (the API's, and links from other pages):
    active = FlagFilter(label="Active", yes="Active", no="Archived", method="by_active")
    parent = django_filters.CharFilter(
        label="Parent", field_name="parent__key", help_text="Key of the parent."
    )
    top_level = FlagFilter(label="Top level", field_name="parent", method="by_top_level")
    head = django_filters.CharFilter(
        label="Head", field_name="head__username", help_text="Username of the head."
    )
    customer_facing = FlagFilter(
        label="Customer facing",
    )

    bar_fields = ("q", "function", "kind", "representation", "accounts", "sort", "archived")

    class Meta:
        model = Department
        fields: list[str] = []

    def __init__(self, *args, representation: Callable[[], dict[str, str]] | None = None, **kw):
        super().__init__(*args, **kw)
        # The latest assessment's, read only when the filter is used (a caller that read
        # it already passes its own).
        self._representation = representation or (lambda: ports.latest_representation()[0])

    def search(self, queryset, name, value: str):
        return queryset.filter(Q(name__icontains=value) | Q(key__icontains=value))

    def by_representation(self, queryset, name, value: str):
        return queryset.filter(representation_q(self._representation(), value))

    def by_accounts(self, queryset, name, value: str):
        owns = Exists(SocialAccount.objects.filter(owner=OuterRef("pk")))
        return queryset.filter(owns) if value == "yes" else queryset.exclude(owns)

    def order(self, queryset, name, value: str):
        if value == "-seats":
            # Sorting by a per-row count subquery runs it for every department (0.6 s at
            # 20,000); one grouped join counts them all at once. The count shown stays
            # the annotation's, worked out for the page's rows only.
            queryset = queryset.alias(
                seats_order=Count("seats", filter=current_seat_q(timezone.localdate(), "seats__"))
            )
            return queryset.order_by("-seats_order", *DIRECTORY_SORTS[value][1][1:])
        return queryset.order_by(*DIRECTORY_SORTS[value][1])

    def with_archived(self, queryset, name, value: bool):
        # Archived departments are left out unless asked for (or `active` says which).
        if value or self.form.cleaned_data.get("active"):
            return queryset
        return queryset.filter(active=True)

    def by_active(self, queryset, name, value: str):
        return queryset.filter(active=value == "1")

    def by_top_level(self, queryset, name, value: str):
        return queryset.filter(parent__isnull=value == "1")


# --- people -----------------------------------------------------------------------------


class PersonFilterSet(ListFilterSet):
    q = SearchFilter(method="search", placeholder="Name or e-mail")
    department = django_filters.ChoiceFilter(label="Department", method="in_department")
    sub = django_filters.BooleanFilter(
        label="Include its sub-departments", widget=forms.CheckboxInput, method="noop"
    )
    seniority = django_filters.ChoiceFilter(
        label="Seniority",
        choices=[*Seniority.choices, ("none", "Unknown")],
        empty_label="Any seniority",
        method="by_seniority",
    )
    active = FlagFilter(label="Status", yes="Active", no="Left", empty_label="Everyone")
    tag = django_filters.CharFilter(
        label="Expertise", max_length=KEY_MAX, method="by_tag", widget=forms.Select
    )
    seated = django_filters.ChoiceFilter(
        label="Seat",
        choices=[("yes", "Holds a current seat"), ("no", "No current seat")],
        empty_label="Any",
        method="by_seat",
    )
    # Not on the page's bar (the API's):
    email = django_filters.CharFilter(label="E-mail", field_name="email", lookup_expr="iexact")
    expertise = django_filters.CharFilter(label="Expertise", max_length=KEY_MAX, method="by_tag")

    bar_fields = ("q", "department", "sub", "seniority", "active", "tag", "seated")

    class Meta:
        model = Person
        fields: list[str] = []

    def __init__(self, *args, as_of: datetime.date | None = None, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = as_of or timezone.localdate()
        self._department_picker(
            "department", any_label="Any department", none_label="Outside the company"
        )
        names = list(tags)
        tag = self.data.get("tag", "")
        if tag and tag not in names:
            names.append(tag)
        self._reshape(
            "tag",
            widget=forms.Select(choices=[("", "Any expertise"), *((n, n) for n in names)]),
        )

    def search(self, queryset, name, value: str):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))

    def in_department(self, queryset, name, value: str):
        if value == "none":
            return queryset.filter(department__isnull=True)
        pk = self.picked[name]
        if not self.form.cleaned_data.get("sub"):
            return queryset.filter(department_id=pk)
        below = Department.objects.descendants_of(pk).values_list("pk", flat=True)
        return queryset.filter(department_id__in=sorted(below))

    def noop(self, queryset, name, value: bool):
        return queryset  # read by in_department

    def by_seniority(self, queryset, name, value: str):
        if value == "none":
            return queryset.filter(seniority__isnull=True)
        return queryset.filter(seniority=value)

    def by_tag(self, queryset, name, value: str):
        tagged = Person.expertise.through.objects.filter(
            person=OuterRef("pk"), expertisetag__name=value
        )
        return queryset.filter(Exists(tagged))

    def by_seat(self, queryset, name, value: str):
        seated = Exists(Seat.objects.filter(current_seat_q(self.as_of), person=OuterRef("pk")))
        return queryset.filter(seated) if value == "yes" else queryset.exclude(seated)


# --- social accounts --------------------------------------------------------------------


class SocialAccountFilterSet(ListFilterSet):
    q = SearchFilter(method="search", placeholder="Handle, address or owner")
    platform = django_filters.ChoiceFilter(
        label="Platform", choices=Platform.choices, empty_label="Any platform"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=AccountStatus.choices, empty_label="Any status"
    )
    owner = django_filters.ChoiceFilter(label="Owner", method="by_owner")
    finding = django_filters.ChoiceFilter(
        label="Findings",
        choices=[("yes", "Has a finding"), ("no", "No finding")],
        empty_label="Any",
        method="by_finding",
    )
    # Not on the page's bar (the API's):
    handle = django_filters.CharFilter(label="Handle", field_name="handle", lookup_expr="iexact")
    purpose = django_filters.ChoiceFilter(label="Purpose", choices=AccountPurpose.choices)

    bar_fields = ("q", "platform", "status", "owner", "finding")

    class Meta:
        model = SocialAccount
        fields: list[str] = []

    def __init__(self, *args, flagged: Callable[[], set[str] | QuerySet] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The flagged subjects: a set, or a queryset of rows with a `subject` column (the
        # latest snapshot's stored flags, looked up per account through their index).
        self._flagged = flagged or (lambda: ports.latest_account_flags().flagged)
        self._department_picker("owner", any_label="Any owner", none_label="No owner")

    def search(self, queryset, name, value: str):
        needle = value.strip().lstrip("@")
        # The owners' ids first (one query): a condition on the joined department would
        # keep PostgreSQL from combining the handle's and the address's text indexes.
        owners = list(
            Department.objects.filter(name__icontains=needle).values_list("pk", flat=True)
        )
        return queryset.filter(
            Q(handle__icontains=needle) | Q(url__icontains=needle) | Q(owner_id__in=owners)
        )

    def by_owner(self, queryset, name, value: str):
        if value == "none":
            return queryset.filter(owner__isnull=True)
        return queryset.filter(owner_id=self.picked[name])

    def by_finding(self, queryset, name, value: str):
        if "subject_key" not in queryset.query.annotations:
            queryset = queryset.annotate(
                subject_key=Concat("platform", Value(":"), Lower("handle"))
            )
        subjects = self._flagged()
        if isinstance(subjects, QuerySet):
            flagged = Exists(subjects.filter(subject=OuterRef("subject_key")))
        else:
            flagged = Q(subject_key__in=sorted(subjects))
        return queryset.filter(flagged) if value == "yes" else queryset.exclude(flagged)


# --- seats (the roster is the current ones) ----------------------------------------------


class SeatFilterSet(ListFilterSet):
    q = SearchFilter(method="search", placeholder="Person, e-mail, department or group")
    role = django_filters.ChoiceFilter(
        label="Role", choices=SeatRole.choices, empty_label="Any role"
    )
    constituency = django_filters.ChoiceFilter(
        label="For",
        choices=[("department", "Departments"), ("group", "Stakeholder groups")],
        empty_label="Any",
        method="by_constituency",
    )
    # Not on the page's bar (the API's; the roster holds the current seats):
    current = FlagFilter(label="Current", method="by_current", help_text="Seats that count today.")
    status = django_filters.ChoiceFilter(label="Status", choices=SeatStatus.choices)
    person = IdFilter(label="Person", field_name="person_id", help_text="Id of the person.")
    department = django_filters.CharFilter(
        label="Department", field_name="department__key", help_text="Department key."
    )
    group = django_filters.CharFilter(
        label="Group", field_name="group__key", help_text="Stakeholder group key."
    )

    bar_fields = ("q", "role", "constituency")

    class Meta:
        model = Seat
        fields: list[str] = []

    def __init__(self, *args, as_of: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = as_of or timezone.localdate()

    def search(self, queryset, name, value: str):
        return queryset.filter(roster_text_q(value))

    def by_constituency(self, queryset, name, value: str):
        return queryset.filter(**{f"{value}__isnull": False})

    def by_current(self, queryset, name, value: str):
        current = current_seat_q(self.as_of)
        return queryset.filter(current) if value == "1" else queryset.exclude(current)


# --- stakeholder groups -----------------------------------------------------------------


class StakeholderGroupFilterSet(ListFilterSet):
    q = SearchFilter(method="search", placeholder="Name or key")
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=GroupKind.choices, empty_label="Any kind"
    )

    bar_fields = ("q", "kind")

    class Meta:
        model = StakeholderGroup
        fields: list[str] = []

    def search(self, queryset, name, value: str):
        return queryset.filter(Q(name__icontains=value) | Q(key__icontains=value))


def rows(filterset: ListFilterSet) -> QuerySet:
    """The rows of a list: those matching its valid filters (call `problems` to say
    which were left out)."""
    return filterset.qs
