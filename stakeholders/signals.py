"""The registry's one announcement: "the registry changed", sent inside the writing
transaction, once per transaction.

The registry does not know who listens. Governance does (governance/apps.py): it raises
the registry's generation in the same transaction, so the latest assessment is stale
from the moment the change commits, and asks for one recompute after the commit.

Writes announce with `registry_changed_announce()`. Inside `registry_write()` -- the
transaction of a registry service -- the announcement waits for the end of the
outermost block and is sent once however many writes the block holds; a block left by
an exception sends nothing (its writes roll back with it). Outside one (an admin save
in Django's own transaction) it is sent at once.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.dispatch import Signal

# Sent with sender=None and no arguments: listeners read the registry themselves.
registry_changed = Signal()

_open = threading.local()


def _blocks() -> list[bool]:
    """The registry writes open on this thread, innermost last: has each announced?"""
    if not hasattr(_open, "blocks"):
        _open.blocks = []
    return _open.blocks


def registry_changed_announce() -> None:
    """Say that the registry changed, from inside the transaction that changed it."""
    blocks = _blocks()
    if blocks:
        blocks[-1] = True
    else:
        registry_changed.send(sender=None)


@contextmanager
def registry_write() -> Iterator[None]:
    """A transaction (or savepoint) of registry writes that announces once, at its end."""
    blocks = _blocks()
    with transaction.atomic():
        blocks.append(False)
        try:
            yield
        finally:
            announced = blocks.pop()
        if announced:
            if blocks:
                blocks[-1] = True
            else:
                registry_changed.send(sender=None)
