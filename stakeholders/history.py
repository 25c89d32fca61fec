"""The history of the registry as a timeline (django-simple-history records every
change with who made it: HistoryRequestMiddleware on the web, `_history_user` in the
services otherwise).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Model, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.dateformat import format as date_format

from accounts.models import User
from stakeholders.models import Department, Person, Seat, SocialAccount, StakeholderGroup

# Implied by the entry itself: who made a change and when is the entry's user and time.
HISTORY_SKIPPED = {"id", "nominated_at", "nominated_by", "decided_at", "decided_by"}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class TimelineEntry:
    """One change, for the department page's timeline."""

    when: datetime.datetime
    user: User | None
    kind: str  # department | seat | account | person
    label: str  # what changed: "Customer Support", "Ana Ruiz's seat", "LinkedIn @acme"
    action: str  # created | changed | deleted
    changes: tuple[Change, ...] = ()

    @property
    def summary(self) -> str:
        if self.action != "changed":
            return f"{self.label} {self.action}"
        if not self.changes:
            return f"{self.label} saved without changes"
        fields = ", ".join(f"{c.field}: {c.old} → {c.new}" for c in self.changes)
        return f"{self.label}: {fields}"


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _shown(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):  # as the pages' `moment` filter shows it
        return date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, datetime.date):  # as the pages' `day` filter shows it
        return date_format(value, "j M Y")
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


# A changed reference (a department's head or parent, a person's department, ...) is
# shown by name: the ids are collected first and each related model is read once.
_NAME_FIELD = {"accounts.user": "username"}


def _raw_changes(record, previous) -> list[tuple]:
    if previous is None:
        return []
    changes = []
    for model_field in record.tracked_fields:
        if model_field.name in HISTORY_SKIPPED:
            continue
        old = getattr(previous, model_field.attname)
        new = getattr(record, model_field.attname)
        if old != new:
            changes.append((model_field, old, new))
    return changes


def _names(raw: list[tuple]) -> dict[tuple[type[Model], object], str]:
    """The names of every object a changed reference points at (one query per model)."""
    wanted: dict[type[Model], set] = {}
    for model_field, old, new in raw:
        if model_field.is_relation:
            wanted.setdefault(model_field.related_model, set()).update({old, new} - {None})
    names = {}
    for model, ids in wanted.items():
        field = _NAME_FIELD.get(model._meta.label_lower, "name")
        for pk, name in model._default_manager.filter(pk__in=ids).values_list("pk", field):
            names[(model, pk)] = name
    return names


def _change(model_field, old, new, names) -> Change:
    label = str(model_field.verbose_name)
    if not model_field.is_relation:
        return Change(label, _shown(model_field, old), _shown(model_field, new))
    model = model_field.related_model

    def name(pk):
        return "—" if pk is None else names.get((model, pk), f"#{pk} (deleted)")

    return Change(label, name(old), name(new))


def _recent_history(model: type[Model], where: Q, limit: int, *related: str) -> list:
    """The latest `limit` history rows matching `where`, each with its predecessor
    (the same object's previous row) attached as `previous` -- two queries."""
    history = model.history.model
    earlier = history.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    rows = list(
        history.objects.filter(where)
        .select_related("history_user", *related)
        .annotate(
            previous_id=Subquery(earlier.order_by("-history_date", "-history_id").values("pk")[:1])
        )
        .order_by("-history_date", "-history_id")[:limit]
    )
    wanted = [row.previous_id for row in rows if row.previous_id is not None]
    previous = history.objects.in_bulk(wanted) if wanted else {}
    for row in rows:
        row.previous = previous.get(row.previous_id)
    return rows


def _seat_label(row) -> str:
    person = row.person
    return f"{person.name}'s seat" if person is not None else "A seat"


def department_timeline(department: Department, limit: int = 50) -> list[TimelineEntry]:
    """Recent changes to the department, its seats, the accounts it owns and its people,
    newest first, with who made them. Two queries for each of the four kinds of record
    (its latest rows, their predecessors) and one per kind of object a changed reference
    names (users, departments, ...): a fixed number, whatever the history's size.

    A seat, account or person appears while it belonged to the department: its history
    rows are selected by the department they pointed at when they were written.
    """
    sources = [
        ("department", Department, Q(id=department.pk), (), lambda row: row.name),
        ("seat", Seat, Q(department_id=department.pk), ("person",), _seat_label),
        (
            "account",
            SocialAccount,
            Q(owner_id=department.pk),
            (),
            lambda row: f"{row.get_platform_display()} @{row.handle}",
        ),
        ("person", Person, Q(department_id=department.pk), (), lambda row: row.name),
    ]
    return _timeline(sources, limit)


def group_timeline(group: StakeholderGroup, limit: int = 50) -> list[TimelineEntry]:
    """Recent changes to the stakeholder group and its seats, newest first, with who
    made them (a fixed number of queries, as for the department's)."""
    sources = [
        ("group", StakeholderGroup, Q(id=group.pk), (), lambda row: row.name),
        ("seat", Seat, Q(group_id=group.pk), ("person",), _seat_label),
    ]
    return _timeline(sources, limit)


def _timeline(sources, limit: int) -> list[TimelineEntry]:
    """The newest `limit` changes of the given (kind, model, filter, related, label)
    sources, merged, with the names of the records their references point to."""
    found = []
    for kind, model, where, related, label in sources:
        for row in _recent_history(model, where, limit, *related):
            raw = _raw_changes(row, row.previous)
            if row.history_type == "~" and not raw:
                continue  # saved without changes: nothing to tell the reader
            found.append((kind, row, label(row), raw))
    names = _names([change for *_, raw in found for change in raw])
    entries = [
        TimelineEntry(
            when=row.history_date,
            user=row.history_user,
            kind=kind,
            label=text,
            action=_ACTIONS.get(row.history_type, "changed"),
            changes=tuple(_change(*change, names) for change in raw),
        )
        for kind, row, text, raw in found
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


# --- people ----------------------------------------------------------------------------


def _seat_label_for_person(row) -> str:
    constituency = row.department or row.group
    return f"Seat for {constituency.name}" if constituency is not None else "A seat"


def person_timeline(person: Person, limit: int = 50) -> list[TimelineEntry]:
    """Recent changes to the person's record and to their seats, newest first, with who
    made them: two queries for each kind of record and one per kind of object a changed
    reference names, whatever the history's size."""
    sources = [
        ("person", Person, Q(id=person.pk), (), lambda row: row.name),
        ("seat", Seat, Q(person_id=person.pk), ("department", "group"), _seat_label_for_person),
    ]
    return _timeline(sources, limit)
