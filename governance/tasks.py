"""Celery tasks: thin wrappers that call one service each and are safe to run twice."""

from celery import shared_task
from django.db import DatabaseError

from governance import services


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    ignore_result=True,
)
def snapshot_recompute() -> int:
    """Recompute after registry changes (coalesced by services.snapshot_request).

    Acknowledged late (settings: CELERY_TASK_ACKS_LATE): a worker killed during it
    leaves the message to be delivered again; running it twice stores one snapshot."""
    return services.snapshot_recompute().pk


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=3,
    ignore_result=True,
)
def snapshot_if_stale() -> int | None:
    """The periodic safety net (every SNAPSHOT_CHECK_SECONDS; also: `manage.py
    snapshot_if_stale`): a recompute that was lost is taken here within a minute."""
    snapshot = services.snapshot_if_stale()
    return snapshot.pk if snapshot else None


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    ignore_result=True,
)
def snapshot_nightly() -> int:
    """The nightly snapshot that draws the trend (also: `manage.py snapshot`)."""
    return services.snapshot_take().pk


@shared_task(
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    ignore_result=True,
)
def digest_weekly() -> int | None:
    """The Monday digest to the COE leads (also: `manage.py send_digest`).

    Safe to run twice: a second run in the same ISO week sends nothing."""
    digest = services.digest_send()
    return digest.pk if digest else None
