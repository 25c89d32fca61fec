"""Writes of the registry. Keyword-only, typed, one transaction each
(signals.registry_write); every change announces itself with
signals.registry_changed_announce(), sent once per transaction (governance listens).

Sections: people, seats (nominate → approve | decline | withdraw; approved → ended),
social accounts, departments (create, edit, archive, restore),
stakeholder groups (create, edit).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import User
from stakeholders import access, bulk, handovers, ports, rules, signals, tasks
from stakeholders.heads import HeadUsers
from stakeholders.models import (
    Department,
    DepartmentKind,
    ExpertiseTag,
    Function,
    GroupKind,
    Person,
    Platform,
    Seat,
    SeatRole,
    SeatStatus,
    Seniority,
    SocialAccount,
    StakeholderGroup,
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


def _rule(field: str, rule, *args, **kwargs):
    """`rule(*args, **kwargs)` (stakeholders.rules), its refusal as a ValidationError
    naming `field`."""
    try:
        return rule(*args, **kwargs)
    except rules.Invalid as error:
        raise ValidationError({field: error.message}) from None


def _rule_errors(errors: dict[str, str], **checks) -> None:
    """Run each check (a call of a stakeholders.rules rule); its refusal goes in
    `errors` under the check's name."""
    for field, check in checks.items():
        try:
            check()
        except rules.Invalid as error:
            errors.setdefault(field, error.message)


def expertise_tags(names: Iterable[str]) -> list[ExpertiseTag]:
    """The tags for these names (stakeholders.rules.clean_tag; created when new), in a
    fixed number of queries. A name the rule refuses refuses them all."""
    tags = sorted(_rule("expertise", rules.clean_tags, names))
    if not tags:
        return []
    ExpertiseTag.objects.bulk_create(
        [ExpertiseTag(name=tag) for tag in tags], ignore_conflicts=True
    )
    return list(ExpertiseTag.objects.filter(name__in=tags))


def person_get_or_create(
    *, actor: User, data: PersonData, department: Department | None
) -> tuple[Person, bool]:
    """The person with this e-mail (compared ignoring case), or a new one.

    An existing person is returned unchanged: a nomination is not the place to edit
    someone's record. Returns (person, created).
    """
    email = _rule("email", rules.clean_email, data.email)
    with signals.registry_write():
        existing = Person.objects.by_email(email).first()
        if existing is not None:
            return existing, False
        if not data.name.strip():
            raise ValidationError({"name": "Enter the new person's name."})
        tags = expertise_tags(data.expertise)
        person = Person(
            email=email,
            name=_rule("name", rules.clean_name, data.name),
            title=_rule(
                "title",
                rules.clean_text,
                data.title,
                label="title",
                max_length=rules.NAME_MAX_LENGTH,
            ),
            seniority=data.seniority or None,
            department=department,
        )
        # Not the unique e-mail: checked by a query here, it races with a concurrent
        # nomination of the same new person (who then got "Constraint ... is violated"
        # instead of their nomination); the database constraint below decides instead.
        person.full_clean(validate_constraints=False)
        try:
            # A savepoint: when someone else created the same e-mail a moment ago, use theirs.
            with transaction.atomic():
                _save_with_history(person, actor)
        except IntegrityError:
            return Person.objects.by_email(email).get(), False
        person.expertise.set(tags)
        signals.registry_changed_announce()
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
    email = _rule("email", rules.clean_email, details.email)
    name = _rule("name", rules.clean_name, details.name, label="person's name")
    title = _rule(
        "title", rules.clean_text, details.title, label="title", max_length=rules.NAME_MAX_LENGTH
    )
    if details.seniority is not None:
        _rule(
            "seniority",
            rules.clean_choice,
            details.seniority,
            choices=Seniority.values,
            label="seniority",
        )
    tags = expertise_tags(details.expertise)
    taken = Person.objects.by_email(email).exclude(pk=person.pk).first()
    if taken is not None:
        raise ValidationError({"email": f"{email} is already in the registry ({taken.name})."})
    person.email = email
    person.name = name
    person.title = title
    person.seniority = details.seniority or None
    person.department = details.department
    person.full_clean(validate_constraints=False)
    try:
        # A savepoint: someone may have registered the same e-mail a moment ago.
        with transaction.atomic():
            _save_with_history(person, actor)
    except IntegrityError:
        raise ValidationError({"email": f"{email} is already in the registry."}) from None
    person.expertise.set(tags)
    signals.registry_changed_announce()
    return person


def person_create(*, actor: User, details: PersonDetails) -> Person:
    """Add someone to the registry; refused (ValidationError, nothing written) for an
    e-mail already there (compared ignoring case), an unknown seniority, or a department
    the actor may not place people in."""
    if not access.can_register_people(actor):
        raise ValidationError("Only COE leads and department heads add people.")
    _check_person_department(actor, details.department)
    with signals.registry_write():
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
    _check_signin_email(actor, person, details.email)
    with signals.registry_write():
        return _person_save(actor=actor, person=person, details=details)


def _check_signin_email(actor: User, person: Person, email: str) -> None:
    """The e-mail of someone who signs in names them wherever a head is assigned by
    e-mail: only COE leads (and the admin) may change it, or a head could take over
    the e-mail of another user and be given their departments."""
    if person.user_id is None or access.is_lead(actor):
        return
    if email.strip().lower() != (person.email or "").lower():
        raise ValidationError(
            {
                "email": "This person signs in to Roundtable: only a COE lead can change "
                "their e-mail."
            }
        )


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
    with signals.registry_write():
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
        handovers.handovers_open(actor=actor, person_ids=[person.pk])
        signals.registry_changed_announce()
    return PersonLeaving(person=person, ended_seats=tuple(ended))


def person_rejoin(*, actor: User, person: Person) -> Person:
    """Someone who left is back: active again. Seats ended on leaving stay ended."""
    if not access.can_edit_person(actor, person):
        raise ValidationError(
            "Only a COE lead or the head of the person's department may mark them as back."
        )
    with signals.registry_write():
        person = _locked_person(person)
        if person.active:
            raise ValidationError(
                f"{person.name} has not left: there is nothing to undo.",
                code="illegal_transition",
            )
        person.active = True
        _save_with_history(person, actor)
        signals.registry_changed_announce()
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

    with signals.registry_write():
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
        signals.registry_changed_announce()
        _notify(tasks.notify_nomination_received, seat.pk)
    seat.person_reused = reused
    return seat


def seat_approve(
    *,
    actor: User,
    seat: Seat,
    note: str = "",
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
) -> Seat:
    """Approve a pending nomination: the decider, the time and the term (start, and an
    end when one is given) are recorded."""
    if not access.can_decide_seats(actor):
        raise ValidationError("Only COE leads approve nominations.")
    with signals.registry_write():
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
        if problem := rules.term_problem(seat.term_start, term_end):
            raise ValidationError({"term_end": problem})
        seat.term_end = term_end
        seat.full_clean(validate_constraints=False)
        _save_with_history(seat, actor)
        signals.registry_changed_announce()
        _notify(tasks.notify_nomination_decided, seat.pk)
    return seat


def default_term_end(start: datetime.date) -> datetime.date:
    """The end of a term of the policy's `default_term_months` starting on `start` (the
    same day of the month, or the month's last day when it has fewer days)."""
    months = ports.default_term_months()
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def seat_renew(*, actor: User, seat: Seat, term_end: datetime.date) -> Seat:
    """Give an approved seat a new term ending on `term_end` (after today and after the
    current end). The start is kept: the years in the chair still count for
    long_tenure, which is what rotation is about."""
    if not access.can_decide_seats(actor):
        raise ValidationError("Only COE leads renew seats.")
    today = timezone.localdate()
    with signals.registry_write():
        seat = _locked(seat)
        if seat.status != SeatStatus.APPROVED:
            raise _refuse(seat, "renewed")
        if term_end <= today:
            raise ValidationError({"term_end": "A renewed term ends after today."})
        if seat.term_end is not None and term_end <= seat.term_end:
            current = f"{seat.term_end:%Y-%m-%d}"
            raise ValidationError(
                {"term_end": f"The new term must end after the current one ({current})."}
            )
        seat.term_end = term_end
        seat.full_clean(validate_constraints=False)
        _save_with_history(seat, actor)
        signals.registry_changed_announce()
    return seat


def seat_decline(*, actor: User, seat: Seat, note: str = "") -> Seat:
    """Decline a pending nomination, with a note for the nominator."""
    if not access.can_decide_seats(actor):
        raise ValidationError("Only COE leads decline nominations.")
    with signals.registry_write():
        seat = _locked(seat)
        if seat.status != SeatStatus.NOMINATED:
            raise _refuse(seat, "declined")
        seat.status = SeatStatus.DECLINED
        seat.decided_by = actor
        seat.decided_at = timezone.now()
        seat.decision_note = note.strip()
        seat.full_clean(validate_constraints=False)
        _save_with_history(seat, actor)
        signals.registry_changed_announce()
        _notify(tasks.notify_nomination_decided, seat.pk)
    return seat


def seat_withdraw(*, actor: User, seat: Seat) -> Seat:
    """The nominator (or a lead) takes back a nomination that is still pending."""
    if not access.can_withdraw_seat(actor, seat):
        raise ValidationError("Only the nominator or a COE lead may withdraw a nomination.")
    with signals.registry_write():
        seat = _locked(seat)
        if seat.status != SeatStatus.NOMINATED:
            raise _refuse(seat, "withdrawn")
        seat.status = SeatStatus.WITHDRAWN
        _save_with_history(seat, actor)
        signals.registry_changed_announce()
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
    with signals.registry_write():
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
        signals.registry_changed_announce()
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
    platform = _rule(
        "platform", rules.clean_choice, data.platform, choices=Platform.values, label="platform"
    )
    handle = _rule("handle", rules.clean_handle, data.handle, platform=platform)
    url = _rule("url", rules.clean_url, data.url)
    followers = _rule("followers", rules.clean_count, data.followers, label="number of followers")
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
    account.url = url
    account.owner = data.owner
    account.status = data.status
    account.followers = followers
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
    signals.registry_changed_announce()
    return account


def account_create(*, actor: User, data: AccountData) -> SocialAccount:
    """Register a social account; refused (ValidationError) for a duplicate handle on
    the platform (compared ignoring case and a leading @) or an owner the actor may not use."""
    _check_account_owner(actor, data.owner)
    with signals.registry_write():
        return _account_save(actor=actor, account=SocialAccount(), data=data)


def account_update(*, actor: User, account: SocialAccount, data: AccountData) -> SocialAccount:
    """Change a social account (the view has checked that the actor may edit it)."""
    if not access.can_edit_account(actor, account):
        raise ValidationError("Only the owning department's head or a COE lead may edit this.")
    _check_account_owner(actor, data.owner)
    with signals.registry_write():
        return _account_save(actor=actor, account=account, data=data)


# --- Departments -------------------------------------------------------------------
# Keys are the natural keys of bundles and imports: set once, never changed. What a new
# key may be is stakeholders.rules.key_problem, shared with the bundle and the imports.
MAX_HEADCOUNT = 2_147_483_647  # the column's range


@dataclass(frozen=True)
class DepartmentData:
    """A department as entered on the form or sent to the API (already parsed).

    `parent` is the parent's key ("" for the top level); `head` is the e-mail of a
    registered person or the username or e-mail of a user ("" for no head)."""

    key: str
    name: str
    parent: str = ""
    kind: str = DepartmentKind.FUNCTION
    function: str = Function.OTHER
    headcount: int = 0
    customer_facing: bool = False
    influence: int = 3
    interest: int = 3
    head: str = ""

    @classmethod
    def of(cls, department: Department) -> DepartmentData:
        """The department as it is now (what a partial change starts from)."""
        return cls(
            key=department.key,
            name=department.name,
            parent=department.parent.key if department.parent_id else "",
            kind=department.kind,
            function=department.function,
            headcount=department.headcount,
            customer_facing=department.customer_facing,
            influence=department.influence,
            interest=department.interest,
            head=department.head.get_username() if department.head_id else "",
        )


def _save_keyed(record: Department | StakeholderGroup, actor: User, label: str) -> None:
    """Save a record known by its key, with history, and ask for a recompute. The key was
    checked, but someone may have registered the same one a moment ago: the savepoint
    turns that into the same message as the check's."""
    record.full_clean(validate_constraints=False, validate_unique=False)
    try:
        with transaction.atomic():
            _save_with_history(record, actor)
    except IntegrityError:
        raise ValidationError(
            {"key": f"The key {record.key!r} is already taken by another {label}."}
        ) from None
    signals.registry_changed_announce()


def _check_key(key: str, model, label: str) -> str | None:
    """The problem with a new key, or None."""
    if problem := rules.key_problem(key, label=label):
        return problem
    taken = model.objects.filter(key__iexact=key).values_list("key", flat=True)
    return rules.key_taken(key, taken, label=label)


def _department_head(heads: HeadUsers, name: str, actor: User) -> User | None:
    """The user named by `name`, by the rule of every entry point (stakeholders.heads):
    a registered person without a user gets one (no password) and is linked to it."""
    name = name.strip().lower()
    if not name:
        return None
    if problem := heads.problems.get(name):  # checked before; someone changed it since
        raise ValidationError({"head": problem})
    ids = heads.write(bulk.HistoryWriter(reason=None, user=actor))
    return User.objects.get(pk=ids[name])


def person_user_resolve(*, name: str, actor: User | None, by_username: bool = True) -> User | None:
    """The user named by `name`, by the rule of naming a department head
    (stakeholders.heads; without the username match when `by_username` is off, for single
    sign-on): a registered person without a user gets one (no password). None when
    nobody is known by that name; ValidationError (on "head") for a conflict."""
    name = name.strip().lower()
    heads = HeadUsers([name], by_username=by_username)
    if name in heads.unknown:
        return None
    if problem := heads.problems.get(name):
        raise ValidationError({"head": problem})
    ids = heads.write(bulk.HistoryWriter(reason=None, user=actor))
    return User.objects.get(pk=ids[name])


def department_parent_refusal(
    department: Department, parent: Department, *, now: bool = False
) -> str | None:
    """Why `parent` cannot become the department's parent (None when it can).

    The one cycle check of every write that moves a department (web form, API, admin),
    one ancestors query. The imports, which hold a whole file of parent links and the
    registry's in memory already, walk them there (stakeholders/trees.py). `now` words
    the refusal of a move that another one, committed meanwhile, has made a cycle.
    """
    if department.pk is None:
        return None
    if parent.pk == department.pk:
        return "A department cannot be its own parent."
    if Department.objects.is_below(parent, department):
        return (
            f"{parent.name} is {'now ' if now else ''}below {department.name}: a department "
            "cannot be moved under one of its own sub-departments."
        )
    return None


def _lock_and_recheck_move(department: Department, parent: Department) -> None:
    """Lock the moved department and the new parent's ancestors, then check for a cycle
    again: two moves at once (A under a descendant of B, B under a descendant of A) each
    lock both A and B, so the second waits and sees the first."""
    path = Department.objects.ancestors_of(parent, include_self=True).values("pk")
    list(
        Department.objects.select_for_update()
        .filter(Q(pk=department.pk) | Q(pk__in=path))
        .order_by("pk")
        .values("pk")
    )
    if problem := department_parent_refusal(department, parent, now=True):
        raise ValidationError({"parent": problem})


def _department_errors(
    department: Department, data: DepartmentData, heads: HeadUsers
) -> dict[str, str]:
    """Every problem with `data` for this department (new when it has no pk), by field;
    `heads` resolves the head when it changes."""
    errors: dict[str, str] = {}
    if department.pk is None:
        if problem := _check_key(data.key.strip(), Department, "department"):
            errors["key"] = problem
    elif data.key.strip() != department.key:
        errors["key"] = "A department's key cannot change: bundles and imports know it by its key."
    _rule_errors(
        errors,
        name=lambda: rules.clean_name(data.name, label="department's name"),
        kind=lambda: rules.clean_choice(data.kind, choices=DepartmentKind.values, label="kind"),
        function=lambda: rules.clean_choice(
            data.function, choices=Function.values, label="function"
        ),
        headcount=lambda: rules.clean_count(data.headcount, label="headcount"),
        influence=lambda: rules.clean_rating(data.influence, label="influence"),
        interest=lambda: rules.clean_rating(data.interest, label="interest"),
    )
    parent_key = data.parent.strip()
    current_parent = department.parent.key if department.parent_id else ""
    if parent_key and parent_key != current_parent:
        parent = Department.objects.filter(key=parent_key).first()
        if parent is None:
            errors["parent"] = f"No department has the key {parent_key!r}."
        elif problem := department_parent_refusal(department, parent):
            errors["parent"] = problem
        elif not parent.active:
            errors["parent"] = f"{parent.name} is archived: choose an active parent."
    if problem := heads.problems.get(data.head.strip().lower()):
        errors["head"] = problem
    return errors


def _changed_or_all(department: Department, data: DepartmentData) -> set[str]:
    if department.pk is None:
        return {"head", "parent"}
    return _department_changed_fields(department, data)


def _department_changed_fields(department: Department, data: DepartmentData) -> set[str]:
    """The fields `data` would change (a head named by another of their names is no change)."""
    current = DepartmentData.of(department)
    changed = {
        field
        for field in ("name", "parent", "kind", "function")
        if getattr(current, field) != getattr(data, field).strip()
    }
    changed |= {
        field
        for field in ("headcount", "customer_facing", "influence", "interest")
        if getattr(current, field) != getattr(data, field)
    }
    head = data.head.strip().lower()
    names = (
        {name.lower() for name in (department.head.get_username(), department.head.email) if name}
        if department.head_id
        else {""}
    )
    if head not in names:
        changed.add("head")
    return changed


def _department_save(*, actor: User, department: Department, data: DepartmentData) -> Department:
    changed = _changed_or_all(department, data)
    heads = HeadUsers([data.head] if "head" in changed else [])
    errors = _department_errors(department, data, heads)
    if errors:
        raise ValidationError(errors)
    if department.pk is None:
        department.key = data.key.strip()
    if "parent" in changed:
        parent_key = data.parent.strip()
        department.parent = Department.objects.get(key=parent_key) if parent_key else None
        if department.pk is not None and department.parent is not None:
            _lock_and_recheck_move(department, department.parent)
    if "head" in changed:
        department.head = _department_head(heads, data.head, actor)
        if department.head is not None:  # a head without a password is invited to set one
            accounts_services.invitation_send(user=department.head, invited_by=actor)
    department.name = data.name.strip()
    department.kind = data.kind
    department.function = data.function
    department.headcount = data.headcount
    department.customer_facing = data.customer_facing
    department.influence = data.influence
    department.interest = data.interest
    _save_keyed(department, actor, "department")
    return department


def department_create(*, actor: User, data: DepartmentData) -> Department:
    """Register a department (COE leads). Refused, naming the field, for a key that is
    taken, reserved or not slug-like, an unknown or archived parent, or values out of range."""
    if not access.can_manage_departments(actor):
        raise ValidationError("Only COE leads add departments.")
    with signals.registry_write():
        return _department_save(actor=actor, department=Department(), data=data)


def department_update(*, actor: User, department: Department, data: DepartmentData) -> Department:
    """Change a department. Leads change anything but the key; a head changes only the
    fields access.department_editable_fields gives them. Moving a department under itself
    or one of its sub-departments is refused."""
    editable = access.department_editable_fields(actor, department)
    if not editable:
        raise ValidationError("Only the department's head or a COE lead may edit it.")
    with signals.registry_write():
        department = Department.objects.select_related("parent", "head").get(pk=department.pk)
        refused = sorted(_department_changed_fields(department, data) - editable)
        if refused:
            raise ValidationError(
                {field: f"Only COE leads change a department's {field}." for field in refused}
            )
        return _department_save(actor=actor, department=department, data=data)


def _department_set_active(*, actor: User, department: Department, active: bool) -> Department:
    if not access.can_manage_departments(actor):
        raise ValidationError("Only COE leads archive and restore departments.")
    with signals.registry_write():
        department = Department.objects.select_for_update().get(pk=department.pk)
        if department.active == active:
            state = "active" if active else "archived"
            raise ValidationError(
                f"{department.name} is already {state}.", code="illegal_transition"
            )
        department.active = active
        _save_with_history(department, actor)
        signals.registry_changed_announce()
    return department


def department_archive(*, actor: User, department: Department) -> Department:
    """Archive a department (COE leads). Its seats are kept as they are, open ones too:
    a seat of an archived department counts nowhere, and the seat findings still report
    it, so a lead ends or declines each one deliberately. Sub-departments stay active."""
    return _department_set_active(actor=actor, department=department, active=False)


def department_restore(*, actor: User, department: Department) -> Department:
    """Bring an archived department back (COE leads); its open seats count again."""
    return _department_set_active(actor=actor, department=department, active=True)


# --- Stakeholder groups ------------------------------------------------------------------


@dataclass(frozen=True)
class GroupData:
    key: str
    name: str
    kind: str = GroupKind.OTHER


def _group_save(*, actor: User, group: StakeholderGroup, data: GroupData) -> StakeholderGroup:
    errors: dict[str, str] = {}
    if group.pk is None:
        if problem := _check_key(data.key.strip(), StakeholderGroup, "stakeholder group"):
            errors["key"] = problem
    elif data.key.strip() != group.key:
        errors["key"] = "A group's key cannot change: bundles and imports know it by its key."
    name = data.name.strip()
    _rule_errors(
        errors,
        name=lambda: rules.clean_name(data.name, label="group's name"),
        kind=lambda: rules.clean_choice(data.kind, choices=GroupKind.values, label="kind"),
    )
    if errors:
        raise ValidationError(errors)
    if group.pk is None:
        group.key = data.key.strip()
    group.name = name
    group.kind = data.kind
    _save_keyed(group, actor, "stakeholder group")
    return group


def group_create(*, actor: User, data: GroupData) -> StakeholderGroup:
    """Register a stakeholder group (COE leads); the key is unique and slug-like."""
    if not access.can_manage_groups(actor):
        raise ValidationError("Only COE leads add stakeholder groups.")
    with signals.registry_write():
        return _group_save(actor=actor, group=StakeholderGroup(), data=data)


def group_update(*, actor: User, group: StakeholderGroup, data: GroupData) -> StakeholderGroup:
    """Rename a stakeholder group or change its kind (COE leads); the key stays."""
    if not access.can_manage_groups(actor):
        raise ValidationError("Only COE leads edit stakeholder groups.")
    with signals.registry_write():
        return _group_save(actor=actor, group=group, data=data)
