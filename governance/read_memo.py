"""Reads remembered, per process, until the registry changes.

Every write to the registry, the meetings or the policy raises the registry's
generation in its own transaction (governance.services.snapshot_request; the admin and
the imports announce theirs too), so what a page read at generation g stays true until
the generation moves on. Pages that everyone opens between two changes -- the dashboard,
the roster -- keep what does not depend on who is looking under a key that holds the
generation (read before the data, so the data is never older than its key), the latest
snapshot and the day.

Per process, in memory: nothing to serialise, no network, nothing to go stale in Redis
when a worker is gone; each worker reads once per change. Bounded by READ_MEMO_ENTRIES
(settings): the least recently used entries go first; 0 turns it off.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")

_entries: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """The value remembered under `key`, else `compute()` (remembered for next time)."""
    limit = settings.READ_MEMO_ENTRIES
    if not limit:
        return compute()
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _entries[key] = value
        while len(_entries) > limit:
            _entries.popitem(last=False)
    return value


def query_key(data) -> tuple:
    """A request's query parameters (a QueryDict) as part of a key: the same filters and
    page, in any order, are the same read."""
    return tuple(sorted((name, tuple(values)) for name, values in data.lists()))


def forget_all() -> None:
    """Forget everything (the tests start each from an empty memory)."""
    with _lock:
        _entries.clear()
