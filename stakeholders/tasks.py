"""Celery tasks of the registry: thin, take ids, safe to run twice (see notifications)."""

import logging

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from stakeholders import notifications, terms

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (DatabaseError, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
    "ignore_result": True,
}


@shared_task(**RETRY)
def notify_nomination_received(seat_id: int) -> int:
    return notifications.nomination_received(seat_id=seat_id)


@shared_task(**RETRY)
def notify_nomination_decided(seat_id: int) -> int:
    return notifications.nomination_decided(seat_id=seat_id)


@shared_task(**RETRY)
def notify_handover_opened(handover_id: int) -> int:
    return notifications.handover_opened(handover_id=handover_id)


@shared_task(**RETRY)
def term_reminders_daily() -> int:
    """Reminders of seat terms ending in 30 and 7 days (also: `manage.py
    send_term_reminders`). Safe to run twice: each reminder is sent once."""
    return terms.term_reminders_send(today=timezone.localdate())


def enqueue(task, *args) -> None:
    """Queue a task; when the broker is unreachable, run it here instead of failing the
    request (the change it reports has already been committed)."""
    try:
        task.delay(*args)
    except Exception as error:
        logger.warning("Broker unreachable (%s); running %s inline.", error, task.name)
        task(*args)
