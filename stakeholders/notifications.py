"""E-mails about nominations, sent by the tasks in stakeholders/tasks.py.

Each message is sent at most once: a key naming the event is claimed in the cache
before sending (and released when sending fails, so a retry sends it), which makes
the tasks safe to run twice — Celery may deliver a task again after a worker dies.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from stakeholders.models import Handover, Seat, SeatStatus

logger = logging.getLogger(__name__)

# Long enough to outlive any redelivery of a task.
SENT_KEY_TIMEOUT = 60 * 60 * 24 * 30


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def lead_emails(*, exclude: Iterable[User | None] = ()) -> list[str]:
    """The e-mail addresses of the active members of the COE leads group (one query)."""
    excluded = {user.pk for user in exclude if user is not None}
    emails = (
        User.objects.filter(is_active=True, groups__name=settings.COE_LEADS_GROUP)
        .exclude(email="")
        .exclude(pk__in=excluded)
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    return _unique(emails)


def _unique(emails: Iterable[str | None]) -> list[str]:
    seen: dict[str, str] = {}
    for email in emails:
        if email and email.strip():
            seen.setdefault(email.strip().lower(), email.strip())
    return list(seen.values())


def _claim(key: str) -> bool:
    """True when this event has not been e-mailed yet (and now counts as sent)."""
    try:
        return cache.add(f"roundtable:mail:{key}", True, SENT_KEY_TIMEOUT)
    except Exception as error:  # the cache is down: rather twice than never
        logger.warning("Cache unavailable (%s); sending %s without de-duplication.", error, key)
        return True


def _release(key: str) -> None:
    with contextlib.suppress(Exception):  # the cache is down: nothing more to do
        cache.delete(f"roundtable:mail:{key}")


def send_once(
    *, key: str, recipients: list[str], subject: str, template: str, context: dict
) -> int:
    """Render and send one e-mail to `recipients` unless `key` was sent before.

    Returns the number of messages sent (0 or 1).
    """
    if not recipients or not _claim(key):
        return 0
    try:
        return send(recipients=recipients, subject=subject, template=template, context=context)
    except Exception:
        _release(key)
        raise


def send(*, recipients: list[str], subject: str, template: str, context: dict) -> int:
    """Render a plain-text template and send it (one message, every recipient on it)."""
    if not recipients:
        return 0
    body = render_to_string(template, context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def _seat(seat_id: int) -> Seat | None:
    return (
        Seat.objects.select_related(
            "person", "department__head", "group", "nominated_by", "decided_by"
        )
        .filter(pk=seat_id)
        .first()
    )


def nomination_received(*, seat_id: int) -> int:
    """Tell the leads (but not the nominator) that a nomination waits for a decision."""
    seat = _seat(seat_id)
    if seat is None or seat.status != SeatStatus.NOMINATED:
        return 0  # decided or withdrawn before the task ran: nothing to ask for
    return send_once(
        key=f"nomination-received:{seat.pk}",
        recipients=lead_emails(exclude=[seat.nominated_by]),
        subject=f"New nomination: {seat.person.name} for {seat.constituency}",
        template="stakeholders/seats/email/nomination_received.txt",
        context={
            "seat": seat,
            "queue_url": site_url(reverse("governance:nomination-queue")),
            "seat_url": site_url(reverse("stakeholders:seat-detail", args=[seat.pk])),
        },
    )


def nomination_decided(*, seat_id: int) -> int:
    """Tell the nominator and the department's head how their nomination was decided."""
    seat = _seat(seat_id)
    if seat is None or seat.decided_at is None:
        return 0
    approved = seat.status in (SeatStatus.APPROVED, SeatStatus.ENDED)
    head = seat.department.head if seat.department_id else None
    recipients = _unique(
        user.email for user in (seat.nominated_by, head) if user is not None and user.is_active
    )
    verdict = "approved" if approved else "declined"
    return send_once(
        key=f"nomination-decided:{seat.pk}",
        recipients=recipients,
        subject=f"Nomination {verdict}: {seat.person.name} for {seat.constituency}",
        template="stakeholders/seats/email/nomination_decided.txt",
        context={
            "seat": seat,
            "approved": approved,
            "verdict": verdict,
            "seat_url": site_url(reverse("stakeholders:seat-detail", args=[seat.pk])),
        },
    )


def handover_opened(*, handover_id: int) -> int:
    """Tell the head of the owning department that a departed manager still holds the
    keys of one of its accounts."""
    handover = (
        Handover.objects.select_related("account__owner__head", "departed")
        .filter(pk=handover_id, closed_at__isnull=True)
        .first()
    )
    if handover is None:
        return 0  # closed (or gone) before the task ran: nothing to ask for
    owner = handover.account.owner
    head = owner.head if owner is not None else None
    recipients = _unique([head.email] if head is not None and head.is_active else [])
    return send_once(
        key=f"handover-opened:{handover.pk}",
        recipients=recipients,
        subject=f"Hand-over needed: {handover.account} — {handover.departed.name} has left",
        template="stakeholders/handovers/email_opened.txt",
        context={
            "handover": handover,
            "close_url": site_url(reverse("stakeholders:handover-close", args=[handover.pk])),
        },
    )
