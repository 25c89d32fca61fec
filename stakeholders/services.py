"""Writes of the registry. Keyword-only, typed, one transaction each; every change
asks for a recompute of the assessment with governance.services.snapshot_request().

Sections: people, seats (nominate → approve | decline | withdraw; approved → ended),
social accounts, departments.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from governance import services as governance_services
from stakeholders import access, tasks
from stakeholders.models import (
    Department,
    ExpertiseTag,
    Person,
    Platform,
    Seat,
    SeatRole,
    SeatStatus,
    Seniority,
    SocialAccount,
    StakeholderGroup,
    normalize_handle,
)

# --- People ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonData:
    """Someone new, as entered on the nomination form."""

    email: str
    name: str = ""
    title: str = ""
    seniority: str | None = None
    expertise: tuple[str, ...] = ()


def _save_with_history(instance, actor: User | None) -> None:
    # Outside a web request HistoryRequestMiddleware cannot name the user; say it here.
    instance._history_user = actor
    instance.save()


def expertise_tags(names: Iterable[str]) -> list[ExpertiseTag]:
    """The tags for these names (slugified, created when new), in a fixed number of queries."""
    slugs = sorted({slugify(name) for name in names} - {""})
    if not slugs:
        return []
    ExpertiseTag.objects.bulk_create(
        [ExpertiseTag(name=slug) for slug in slugs], ignore_conflicts=True
    )
    return list(ExpertiseTag.objects.filter(name__in=slugs))


def person_get_or_create(
    *, actor: User, data: PersonData, department: Department | None
) -> tuple[Person, bool]:
    """The person with this e-mail (compared ignoring case), or a new one.

    An existing person is returned unchanged: a nomination is not the place to edit
    someone's record. Returns (person, created).
    """
    email = data.email.strip().lower()
    with transaction.atomic():
        existing = Person.objects.by_email(email).first()
        if existing is not None:
            return existing, False
        if not data.name.strip():
            raise ValidationError({"name": "Enter the new person's name."})
        person = Person(
            email=email,
            name=data.name.strip(),
            title=data.title.strip(),
            seniority=data.seniority or None,
            department=department,
        )
        person.full_clean()
        try:
            # A savepoint: when someone else created the same e-mail a moment ago, use theirs.
            with transaction.atomic():
                _save_with_history(person, actor)
        except IntegrityError:
            return Person.objects.by_email(email).get(), False
        person.expertise.set(expertise_tags(data.expertise))
        governance_services.snapshot_request()
        return person, True


# --- People: create, edit, leave, rejoin (the people pages and the API) -------------


@dataclass(frozen=True)
class PersonDetails:
    """A person's record as entered on the person form or sent to the API (parsed)."""

    email: str
    name: str
    title: str = ""
    seniority: str | None = None
    department: Department | None = None
    expertise: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonLeaving:
    """What changed when someone left: the seats ended on the way (if asked)."""

    person: Person
    ended_seats: tuple[Seat, ...] = ()


def _check_person_department(
    actor: User, department: Department | None, *, current: Department | None = None
) -> None:
    """Leads place people anywhere (or outside the company); a head keeps them inside the
    departments they head. Nobody moves a person into an archived department."""
    unchanged = department is not None and current is not None and department.pk == current.pk
    if department is not None and not department.active and not unchanged:
        raise ValidationError(
            {"department": f"{department.name} is archived: choose an active department."}
        )
    if access.is_lead(actor):
        return
    if department is None or department.pk not in access.headed_department_ids(actor):
        raise ValidationError({"department": "Choose one of the departments you head."})


def _person_save(*, actor: User, person: Person, details: PersonDetails) -> Person:
    email = details.email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": f"{email or 'An empty e-mail'} is not an e-mail address."}
        ) from None
    name = details.name.strip()
    if not name:
        raise ValidationError({"name": "Enter the person's name."})
    if details.seniority is not None and details.seniority not in Seniority.values:
        raise ValidationError(
            {
                "seniority": f"{details.seniority!r} is not a seniority: use one of "
                f"{', '.join(Seniority.values)}."
            }
        )
    taken = Person.objects.by_email(email).exclude(pk=person.pk).first()
    if taken is not None:
        raise ValidationError({"email": f"{email} is already in the registry ({taken.name})."})
    person.email = email
    person.name = name
    person.title = details.title.strip()
    person.seniority = details.seniority or None
    person.department = details.department
    person.full_clean(validate_constraints=False)
    try:
        # A savepoint: someone may have registered the same e-mail a moment ago.
        with transaction.atomic():
            _save_with_history(person, actor)
    except IntegrityError:
        raise ValidationError({"email": f"{email} is already in the registry."}) from None
    person.expertise.set(expertise_tags(details.expertise))
    governance_services.snapshot_request()
    return person


def person_create(*, actor: User, details: PersonDetails) -> Person:
    """Add someone to the registry; refused (ValidationError, nothing written) for an
    e-mail already there (compared ignoring case), an unknown seniority, or a department
    the actor may not place people in."""
    if not access.can_register_people(actor):
        raise ValidationError("Only COE leads and department heads add people.")
    _check_person_department(actor, details.department)
    with transaction.atomic():
        return _person_save(actor=actor, person=Person(), details=details)


def person_update(*, actor: User, person: Person, details: PersonDetails) -> Person:
    """Change someone's record, e-mail included (still unique ignoring case). A head may
    move a person only among the departments they head."""
    if not access.can_edit_person(actor, person):
        raise ValidationError(
            "Only a COE lead or the head of the person's department may edit them."
        )
    current = Department.objects.filter(pk=person.department_id).first()
    _check_person_department(actor, details.department, current=current)
    with transaction.atomic():
        return _person_save(actor=actor, person=person, details=details)


def _locked_person(person: Person) -> Person:
    return (
        Person.objects.select_for_update(of=("self",))
        .select_related("department")
        .get(pk=person.pk)
    )


def person_leave(*, actor: User, person: Person, end_seats: bool = False) -> PersonLeaving:
    """Mark someone as left (inactive). Their seats stop being current at once and the
    assessment reports departed_member / departed_manager findings until someone acts.

    With `end_seats` (COE leads only, as seat_end is theirs) their approved seats are
    ended today in the same transaction; pending nominations are left for the leads to
    decline. Anything refused leaves the person as they were.
    """
    if not access.can_edit_person(actor, person):
        raise ValidationError(
            "Only a COE lead or the head of the person's department may mark them as left."
        )
    if end_seats and not access.can_decide_seats(actor):
        raise ValidationError({"end_seats": "Only COE leads end seats."})
    with transaction.atomic():
        person = _locked_person(person)
        if not person.active:
            raise ValidationError(
                f"{person.name} is already marked as having left.", code="illegal_transition"
            )
        ended = []
        if end_seats:
            approved = Seat.objects.filter(person=person, status=SeatStatus.APPROVED).order_by("id")
            ended = [seat_end(actor=actor, seat=seat) for seat in approved]
        person.active = False
        _save_with_history(person, actor)
        governance_services.snapshot_request()
    return PersonLeaving(person=person, ended_seats=tuple(ended))


def person_rejoin(*, actor: User, person: Person) -> Person:
    """Someone who left is back: active again. Seats ended on leaving stay ended."""
    if not access.can_edit_person(actor, person):
        raise ValidationError(
            "Only a COE lead or the head of the person's department may mark them as back."
        )
    with transaction.atomic():
        person = _locked_person(person)
        if person.active:
            raise ValidationError(
                f"{person.name} has not left: there is nothing to undo.",
                code="illegal_transition",
            )
        person.active = True
        _save_with_history(person, actor)
        governance_services.snapshot_request()
    return person


# --- end of people: create, edit, leave, rejoin ----------------------------------------


# --- Seats ----------------------------------------------------------------------


def _constituency_name(seat: Seat) -> str:
    return str(seat.department or seat.group)


def _refuse(seat: Seat, doing: str) -> ValidationError:
    """The message for an illegal transition, saying what the seat is now."""
    who = f"{seat.person.name} for {_constituency_name(seat)}"
    status = seat.status
    if status == SeatStatus.NOMINATED:
        now = f"The nomination of {who} is still pending"
    elif status == SeatStatus.WITHDRAWN:
        now = f"The nomination of {who} was withdrawn"
    elif status in (SeatStatus.APPROVED, SeatStatus.DECLINED):
        by = f" by {seat.decided_by.get_username()}" if seat.decided_by else ""
        on = f" on {timezone.localdate(seat.decided_at):%Y-%m-%d}" if seat.decided_at else ""
        now = f"The nomination of {who} was already {status}{by}{on}"
    else:
        now = f"The seat of {who} already ended on {seat.term_end:%Y-%m-%d}"
    return ValidationError(f"{now}; it cannot be {doing}.", code="illegal_transition")


def _locked(seat: Seat) -> Seat:
    """The seat re-read under a row lock, so that two decisions at once are serialised
    and the second one sees the first one's status."""
    # Only the seat row is locked (`of`): PostgreSQL refuses to lock the nullable side
    # of the outer joins that select_related makes for the department and group.
    return (
        Seat.objects.select_for_update(of=("self",))
        .select_related("person", "department", "group", "decided_by")
        .get(pk=seat.pk)
    )


def _notify(task, seat_id: int) -> None:
    transaction.on_commit(lambda: tasks.enqueue(task, seat_id), robust=True)


def seat_nominate(
    *,
    actor: User,
    person: Person | None = None,
    new_person: PersonData | None = None,
    department: Department | None = None,
    group: StakeholderGroup | None = None,
    role: str = SeatRole.CORE,
    note: str = "",
) -> Seat:
    """Nominate an existing person, or someone new, for a department or a stakeholder group.

    Refused (ValidationError, nothing written) when the actor may not act for the
    constituency, the department is archived, the person has left, or the person
    already holds an open seat there. When `new_person` has the e-mail of someone in
    the registry, that person is nominated: the returned seat has `person_reused` set.
    """
    if (person is None) == (new_person is None):
        raise ValidationError("Pick an existing person or enter someone new (not both).")
    if (department is None) == (group is None):
        raise ValidationError("A seat is for exactly one department or stakeholder group.")
    if department is not None:
        if not access.can_act_for_department(actor, department):
            raise ValidationError(
                f"Only the head of {department.name} or a COE lead may nominate for it."
            )
        if not department.active:
            raise ValidationError(f"{department.name} is archived: nobody can be nominated for it.")
    elif not access.can_nominate_for_groups(actor):
        raise ValidationError("Only COE leads nominate for stakeholder groups.")

    with transaction.atomic():
        reused = False
        if person is None:
            person, created = person_get_or_create(
                actor=actor, data=new_person, department=department
            )
            reused = not created
        if not person.active:
            raise ValidationError(f"{person.name} has left the company and cannot be nominated.")
        constituency = {"department": department} if department else {"group": group}
        open_seat = Seat.objects.open().filter(person=person, **constituency).first()
        if open_seat is not None:
            pending = open_seat.status == SeatStatus.NOMINATED
            state = "is already nominated" if pending else "already holds a seat"
            raise ValidationError(
                f"{person.name} {state} for {department or group}.", code="already_seated"
            )
        seat = Seat(
            person=person,
            department=department,
            group=group,
            role=role,
            status=SeatStatus.NOMINATED,
            nomination_note=note.strip(),
            nominated_by=actor,
            nominated_at=timezone.now(),
        )
        seat.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                _save_with_history(seat, actor)
        except IntegrityError:
            # The same person was nominated there a moment ago by someone else.
            raise ValidationError(
                f"{person.name} is already nominated for {department or group}.",
                code="already_seated",
            ) from None
        governance_services.snapshot_request()
        _notify(tasks.notify_nomination_received, seat.pk)
    seat.person_reused = reused
    return seat


def seat_approve(
    *, actor: User, seat: Seat, note: str = "", term_start: datetime.date | None = None
) -> Seat:
    """Approve a pending nomination: the decider, the time and the term start are recorded."""
    if not access.can_decide_seats(actor):
        raise ValidationError("Only COE leads approve nominations.")
    with transaction.atomic():
        seat = _locked(seat)
        if seat.status != SeatStatus.NOMINATED:
            raise _refuse(seat, "approved")
        if seat.department is not None and not seat.department.active:
            raise ValidationError(
                f"{seat.department.name} has been archived since the nomination: "
                "decline the nomination instead."
            )
        if not seat.person.active:
            raise ValidationError(
                f"{seat.person.name} has left the company: decline the nomination instead."
            )
        seat.status = SeatStatus.APPROVED
        seat.decided_by = actor
        seat.decided_at = timezone.now()
        seat.decision_note = note.strip()
        seat.term_start = term_start or timezone.localdate()
        seat.full_clean(validate_constraints=False)
        _save_with_history(seat, actor)
        governance_services.snapshot_request()
        _notify(tasks.notify_nomination_decided, seat.pk)
    return seat


def seat_decline(*, actor: User, seat: Seat, note: str = "") -> Seat:
    """Decline a pending nomination, with a note for the nominator."""
    if not access.can_decide_seats(actor):
        raise ValidationError("Only COE leads decline nominations.")
    with transaction.atomic():
        seat = _locked(seat)
        if seat.status != SeatStatus.NOMINATED:
            raise _refuse(seat, "declined")
        seat.status = SeatStatus.DECLINED
        seat.decided_by = actor
        seat.decided_at = timezone.now()
        seat.decision_note = note.strip()
        seat.full_clean(validate_constraints=False)
        _save_with_history(seat, actor)
        governance_services.snapshot_request()
        _notify(tasks.notify_nomination_decided, seat.pk)
    return seat


def seat_withdraw(*, actor: User, seat: Seat) -> Seat:
    """The nominator (or a lead) takes back a nomination that is still pending."""
    if not access.can_withdraw_seat(actor, seat):
        raise ValidationError("Only the nominator or a COE lead may withdraw a nomination.")
    with transaction.atomic():
        seat = _locked(seat)
        if seat.status != SeatStatus.NOMINATED:
            raise _refuse(seat, "withdrawn")
        seat.status = SeatStatus.WITHDRAWN
        _save_with_history(seat, actor)
        governance_services.snapshot_request()
    return seat


def seat_end(*, actor: User, seat: Seat, term_end: datetime.date | None = None) -> Seat:
    """End an approved seat on a date (default today; never in the future)."""
    if not access.can_decide_seats(actor):
        raise ValidationError("Only COE leads end seats.")
    today = timezone.localdate()
    term_end = term_end or today
    if term_end > today:
        raise ValidationError(
            {"term_end": "A seat ends today or on a past date, not in the future."}
        )
    with transaction.atomic():
        seat = _locked(seat)
        if seat.status != SeatStatus.APPROVED:
            raise _refuse(seat, "ended")
        start = seat.term_start or (
            timezone.localdate(seat.decided_at) if seat.decided_at else None
        )
        if start is not None and term_end < start:
            raise ValidationError(
                {"term_end": f"The term cannot end before it started ({start:%Y-%m-%d})."}
            )
        seat.status = SeatStatus.ENDED
        seat.term_end = term_end
        seat.full_clean(validate_constraints=False)
        _save_with_history(seat, actor)
        governance_services.snapshot_request()
    return seat


# --- Social accounts --------------------------------------------------------------


@dataclass(frozen=True)
class AccountData:
    """A social account as entered on the registry form (already parsed)."""

    platform: str
    handle: str
    url: str = ""
    owner: Department | None = None
    status: str = "active"
    followers: int = 0
    last_post_at: datetime.date | None = None
    purpose: str = "other"
    managers: tuple[Person, ...] = ()


def _check_account_owner(actor: User, owner: Department | None) -> None:
    """A head keeps accounts inside the departments they head; leads place them anywhere."""
    if access.is_lead(actor):
        return
    if owner is None or owner.pk not in access.headed_department_ids(actor):
        raise ValidationError(
            {"owner": "Choose one of the departments you head as the account's owner."}
        )


def _account_save(*, actor: User, account: SocialAccount, data: AccountData) -> SocialAccount:
    handle = normalize_handle(data.handle)
    duplicate = (
        SocialAccount.objects.filter(platform=data.platform, handle__iexact=handle)
        .exclude(pk=account.pk)
        .exists()
    )
    label = f"{dict(Platform.choices).get(data.platform, data.platform)} account @{handle}"
    if duplicate:
        raise ValidationError({"handle": f"The {label} is already in the registry."})
    account.platform = data.platform
    account.handle = handle
    account.url = data.url.strip()
    account.owner = data.owner
    account.status = data.status
    account.followers = data.followers
    account.last_post_at = data.last_post_at
    account.purpose = data.purpose
    account.full_clean(validate_constraints=False)
    try:
        # A savepoint: someone may have registered the same handle a moment ago.
        with transaction.atomic():
            _save_with_history(account, actor)
    except IntegrityError:
        raise ValidationError({"handle": f"The {label} is already in the registry."}) from None
    account.managers.set(data.managers)
    governance_services.snapshot_request()
    return account


def account_create(*, actor: User, data: AccountData) -> SocialAccount:
    """Register a social account; refused (ValidationError) for a duplicate handle on
    the platform (compared ignoring case and a leading @) or an owner the actor may not use."""
    _check_account_owner(actor, data.owner)
    with transaction.atomic():
        return _account_save(actor=actor, account=SocialAccount(), data=data)


def account_update(*, actor: User, account: SocialAccount, data: AccountData) -> SocialAccount:
    """Change a social account (the view has checked that the actor may edit it)."""
    if not access.can_edit_account(actor, account):
        raise ValidationError("Only the owning department's head or a COE lead may edit this.")
    _check_account_owner(actor, data.owner)
    with transaction.atomic():
        return _account_save(actor=actor, account=account, data=data)


# --- Departments -------------------------------------------------------------------
