"""Seat terms coming to an end: the list the roster and dashboard show, and the
reminders e-mailed to the department's head and the COE leads 30 and 7 days before.

`term_reminders_send` is what the daily beat job and `manage.py send_term_reminders`
run. Each reminder is sent once per seat, term end and threshold (notifications'
send_once), so a second run the same day, or the next day, sends nothing new — and a
job that missed a day still sends the reminder it owes.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db.models import QuerySet
from django.urls import reverse

from stakeholders import notifications
from stakeholders.models import Seat, SeatStatus

SOON_DAYS = 30
REMINDER_DAYS = (30, 7)


def seats_ending_soon(today: datetime.date, *, days: int = SOON_DAYS) -> QuerySet[Seat]:
    """Approved seats whose term ends from today to `days` days ahead, soonest first."""
    return (
        Seat.objects.filter(
            status=SeatStatus.APPROVED,
            term_end__gte=today,
            term_end__lte=today + timedelta(days=days),
        )
        .select_related("person", "department__head", "group")
        .order_by("term_end", "id")
    )


def _threshold(days_left: int) -> int | None:
    """The reminder a seat is owed: 7 within a week, else 30 within a month."""
    for threshold in sorted(REMINDER_DAYS):
        if days_left <= threshold:
            return threshold
    return None


def term_reminders_send(*, today: datetime.date) -> int:
    """E-mail a reminder for each seat whose term ends within 30 (then 7) days; returns
    how many e-mails were sent."""
    sent = 0
    for seat in seats_ending_soon(today, days=max(REMINDER_DAYS)):
        days_left = (seat.term_end - today).days
        threshold = _threshold(days_left)
        if threshold is None:
            continue
        head = seat.department.head if seat.department_id else None
        recipients = notifications.lead_emails()
        if head is not None and head.is_active and head.email:
            recipients = list(dict.fromkeys([head.email, *recipients]))
        sent += notifications.send_once(
            key=f"term-ending:{seat.pk}:{seat.term_end.isoformat()}:{threshold}",
            recipients=recipients,
            subject=(
                f"Seat term ending in {days_left} day{'' if days_left == 1 else 's'}: "
                f"{seat.person.name} for {seat.constituency}"
            ),
            template="stakeholders/seats/email/term_ending.txt",
            context={
                "seat": seat,
                "days_left": days_left,
                "seat_url": notifications.site_url(
                    reverse("stakeholders:seat-detail", args=[seat.pk])
                ),
            },
        )
    return sent
