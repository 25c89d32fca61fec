"""Account hand-overs: when a manager leaves, the keys of every in-use account they
manage must pass to someone else, and someone must say so.

Writes (`handovers_open`, `handover_close`) and the reads of the hand-over pages and
cards (`open_handovers`, `median_days_to_close`) live together here: one feature,
one module.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from stakeholders import access, signals, tasks
from stakeholders.models import AccountStatus, Handover, Person, SocialAccount

IN_USE = (AccountStatus.ACTIVE, AccountStatus.DORMANT)
CLOSE_WINDOW_DAYS = 90


def handovers_open(
    *, actor: User | None, person_ids: Iterable[int] | None = None
) -> list[Handover]:
    """Open a hand-over for every in-use account managed by a departed person (of
    `person_ids`, or anyone) that has none open yet. Safe to run twice: an open
    hand-over is unique per account and person. The head of each owning department
    is told by e-mail once the transaction commits."""
    pairs = SocialAccount.managers.through.objects.filter(
        person__active=False, socialaccount__status__in=IN_USE
    )
    if person_ids is not None:
        pairs = pairs.filter(person_id__in=list(person_ids))
    wanted = set(pairs.values_list("socialaccount_id", "person_id"))
    if not wanted:
        return []
    already = set(
        Handover.objects.filter(closed_at__isnull=True).values_list("account_id", "departed_id")
    )
    opened = []
    for account_id, person_id in sorted(wanted - already):
        handover = Handover(account_id=account_id, departed_id=person_id)
        handover._history_user = actor
        try:
            with transaction.atomic():  # another process may have opened it a moment ago
                handover.save()
        except IntegrityError:
            continue
        opened.append(handover)
        transaction.on_commit(
            lambda pk=handover.pk: tasks.enqueue(tasks.notify_handover_opened, pk)
        )
    return opened


def handover_close(
    *, actor: User, handover: Handover, successors: Sequence[Person], access_removed: bool
) -> Handover:
    """Close a hand-over: the departed person leaves the account's managers, the
    successors (active people, at least one) join, and who confirmed that access was
    removed and the credentials changed is kept in the history."""
    if not access.can_close_handover(actor, handover):
        raise ValidationError(
            "Only a COE lead or the head of the account's department closes its hand-over."
        )
    errors: dict[str, str] = {}
    if not successors:
        errors["successors"] = "Name at least one successor who now manages the account."
    elif any(not person.active for person in successors):
        gone = ", ".join(person.email for person in successors if not person.active)
        errors["successors"] = f"A successor must still work here: {gone} has left."
    elif any(person.pk == handover.departed_id for person in successors):
        errors["successors"] = "The person who left cannot be their own successor."
    if not access_removed:
        errors["access_removed"] = (
            "Confirm that the departed person's access was removed and the credentials changed."
        )
    if errors:
        raise ValidationError(errors)
    with signals.registry_write():
        locked = Handover.objects.select_for_update().get(pk=handover.pk)
        if locked.closed_at is not None:
            raise ValidationError("This hand-over was already closed.", code="illegal_transition")
        account = SocialAccount.objects.select_for_update().get(pk=locked.account_id)
        account._history_user = actor
        account.managers.remove(locked.departed_id)
        account.managers.add(*successors)
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.access_removed = True
        locked._history_user = actor
        locked.save()
        locked.successors.set(successors)
        signals.registry_changed_announce()
    return locked


def successors_from_emails(*, emails: Iterable[str]) -> list[Person]:
    """The people named by e-mail (compared ignoring case), in the order given; a
    ValidationError on `successors` names every e-mail that is not in the registry."""
    wanted = list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))
    matches = Person.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=wanted)
    found = {person.lower_email: person for person in matches}
    unknown = [email for email in wanted if email not in found]
    if unknown:
        raise ValidationError({"successors": f"Not in the registry: {', '.join(unknown)}."})
    return [found[email] for email in wanted]


# --- reads ------------------------------------------------------------------------------


def handovers_with_details() -> QuerySet[Handover]:
    return Handover.objects.select_related(
        "account__owner__head", "departed", "closed_by"
    ).prefetch_related("successors")


def open_handovers() -> QuerySet[Handover]:
    return handovers_with_details().filter(closed_at__isnull=True).order_by("opened_at", "id")


def recently_closed_handovers(*, days: int = CLOSE_WINDOW_DAYS) -> QuerySet[Handover]:
    since = timezone.now() - timedelta(days=days)
    return handovers_with_details().filter(closed_at__gte=since).order_by("-closed_at", "-id")


def median_days_to_close(*, days: int = CLOSE_WINDOW_DAYS) -> float | None:
    """Median days from opening to closing of the hand-overs closed in the last `days`
    days (None when none was closed)."""
    since = timezone.now() - timedelta(days=days)
    spans = [
        (closed - opened).total_seconds() / 86400
        for opened, closed in Handover.objects.filter(closed_at__gte=since).values_list(
            "opened_at", "closed_at"
        )
    ]
    return statistics.median(spans) if spans else None
