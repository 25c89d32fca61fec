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
    """Recompute after registry changes (coalesced by services.snapshot_request)."""
    return services.snapshot_recompute().pk


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
