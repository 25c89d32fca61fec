"""Writes of the governance app: snapshots, recompute scheduling, meetings."""


def snapshot_request() -> None:
    """Ask for a recompute of the assessment after the current transaction commits.

    Coalesced: a burst of changes in one transaction (or within a few seconds)
    leads to one recompute.
    """
    # Wired to Celery by the governance engine; a no-op until then.
    return None
