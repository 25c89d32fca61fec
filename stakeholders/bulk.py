"""Bulk writes that keep the audit trail, shared by the org bundle (stakeholders.bundle)
and the spreadsheet import (stakeholders.spreadsheets).

A bundle or a file may hold tens of thousands of rows: records are written with one
statement per batch, and every history-tracked model gets its history rows in bulk
(django-simple-history's helpers), named with the import's reason and user, as
`save()` through the signals would have recorded them one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_manager_for_model,
)

from stakeholders.models import SocialAccount

# Rows per INSERT/UPDATE statement. Django's bulk_update builds one CASE per column over
# the whole batch, which grows quadratically on PostgreSQL when the batch is unbounded.
BATCH_SIZE = 500
# Objects that change the same fields to the same values are written with one
# UPDATE … WHERE pk IN (…) when there are at most this many such groups.
FEW_VALUES = 12

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def in_chunks(queryset, lookup: str, values: Iterable) -> Iterator:
    """queryset.filter(lookup__in=chunk) for each chunk of values, one query per chunk."""
    for chunk in chunks(list(values)):
        yield from queryset.filter(**{f"{lookup}__in": chunk})


def parents_first(new: dict[Hashable, T], parent_of: Callable[[T], Hashable]) -> list[list[T]]:
    """The new records by depth among themselves, parents first (no cycles here): one
    statement per level inserts each record with its parent, so its history says so."""
    depth: dict[Hashable, int] = {}
    levels: dict[int, list[T]] = defaultdict(list)
    for key in new:
        chain = []
        current: Hashable = key
        while current in new and current not in depth:
            chain.append(current)
            current = parent_of(new[current])
        level = depth[current] + 1 if current in depth else 0
        for member in reversed(chain):
            depth[member] = level
            levels[level].append(new[member])
            level += 1
    return [levels[level] for level in sorted(levels)]


def replace_links(
    through: type[models.Model],
    *,
    owner: str,
    target: str,
    wanted: dict[int, set[int]],
    current: dict[int, dict[int, int]],
) -> set[int]:
    """Make each owner's many-to-many links (`through` rows `owner`_id → `target`_id)
    exactly `wanted[owner]`; `current` is owner → target → through row id as loaded.
    The owners whose links changed are returned."""
    stale: list[int] = []
    fresh = []
    changed = set()
    for owner_id, targets in wanted.items():
        have = current.get(owner_id, {})
        if targets == set(have):
            continue
        changed.add(owner_id)
        stale += [row_id for target_id, row_id in have.items() if target_id not in targets]
        fresh += [
            through(**{f"{owner}_id": owner_id, f"{target}_id": target_id})
            for target_id in targets - set(have)
        ]
    for chunk in chunks(stale):
        through.objects.filter(pk__in=chunk).delete()
    through.objects.bulk_create(fresh, batch_size=BATCH_SIZE)
    return changed


@dataclass(frozen=True)
class HistoryWriter:
    """Bulk creates, updates and deletes with their history rows, each naming `reason`
    and `user` (None: nobody, as for the command line)."""

    reason: str
    user: Any = None

    def create(self, model: type[models.Model], objs: list) -> list:
        if not objs:
            return []
        return bulk_create_with_history(
            objs,
            model,
            batch_size=BATCH_SIZE,
            default_user=self.user,
            default_change_reason=self.reason,
        )

    def update(
        self,
        model: type[models.Model],
        changed: list[tuple[models.Model, set[str]]],
        *,
        history: bool = True,
    ) -> None:
        """Write the changed fields of each object, and one "~" history row per object.

        Django's bulk_update builds a CASE WHEN per object and field, which costs about
        a millisecond a row in Python. So objects are grouped by the fields that changed
        (all of a row's changes go in one statement, so row-level checks hold), and where
        few distinct values are written (a status, a flag, a parent) each value gets one
        plain UPDATE instead.
        """
        if not changed:
            return
        by_fields: dict[tuple[str, ...], list[models.Model]] = defaultdict(list)
        for obj, names in changed:
            by_fields[tuple(sorted(names))].append(obj)
        manager = model._base_manager
        for names, objs in by_fields.items():
            pks_by_values: dict[tuple, list[int]] = defaultdict(list)
            for obj in objs:
                pks_by_values[tuple(getattr(obj, name) for name in names)].append(obj.pk)
            if len(pks_by_values) > FEW_VALUES:
                manager.bulk_update(objs, names, batch_size=BATCH_SIZE)
                continue
            for values, pks in pks_by_values.items():
                for chunk in chunks(pks):
                    manager.filter(pk__in=chunk).update(**dict(zip(names, values, strict=True)))
        if history:
            # With no fields, bulk_update_with_history writes the history rows only.
            bulk_update_with_history(
                [obj for obj, _ in changed],
                model,
                [],
                batch_size=BATCH_SIZE,
                default_user=self.user,
                default_change_reason=self.reason,
            )

    def delete(self, model: type[models.Model], objs: Iterable[models.Model] | None = None) -> None:
        """Delete rows (all of them when objs is None), recording "-" history in bulk.

        QuerySet.delete() would write one history row per object through the
        post_delete signal; for tens of thousands of rows the history is written in
        bulk and the rows deleted with one statement per chunk instead.
        """
        manager = model._base_manager
        everything = objs is None
        objs = list(manager.order_by("pk") if everything else objs)
        if not objs:
            return
        history_model = get_history_manager_for_model(model).model
        now = timezone.now()
        history_model.objects.bulk_create(
            [
                history_model(
                    history_date=now,
                    history_type="-",
                    history_user=self.user or history_model.get_default_history_user(obj),
                    history_change_reason=self.reason,
                    **{f.attname: getattr(obj, f.attname) for f in history_model.tracked_fields},
                )
                for obj in objs
            ],
            batch_size=BATCH_SIZE,
        )
        # _raw_delete is the single DELETE Django's own collector issues for a fast
        # delete; the history above replaces what the signals would record.
        querysets = (
            [manager.all()]
            if everything
            else [manager.filter(pk__in=chunk) for chunk in chunks([obj.pk for obj in objs])]
        )
        for queryset in querysets:
            queryset._raw_delete(queryset.db)

    def account_history(
        self, *, created: list[SocialAccount] = (), updated: list[SocialAccount] = ()
    ) -> None:
        """A "+" history row for each created account and a "~" one for each updated
        account, each with the account's managers as they now are: what `save()` and
        `managers.set()` record through the signals, in one pass."""
        history = get_history_manager_for_model(SocialAccount)
        records = []
        for accounts, update in ((created, False), (updated, True)):
            if accounts:
                records += history.bulk_history_create(
                    list(accounts),
                    batch_size=BATCH_SIZE,
                    update=update,
                    default_user=self.user,
                    default_change_reason=self.reason,
                )
        if not records:
            return
        rows: dict[int, list[tuple[int, int]]] = defaultdict(list)
        through = SocialAccount.managers.through
        for account_ids in chunks(sorted({r.id for r in records})):
            for row_id, account_id, person_id in through.objects.filter(
                socialaccount_id__in=account_ids
            ).values_list("id", "socialaccount_id", "person_id"):
                rows[account_id].append((row_id, person_id))
        m2m_history = history.model.managers.model
        m2m_history.objects.bulk_create(
            [
                m2m_history(history=record, id=row_id, socialaccount_id=record.id, person_id=person)
                for record in records
                for row_id, person in rows[record.id]
            ],
            batch_size=BATCH_SIZE,
        )
