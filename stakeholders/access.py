"""Who may do what. Every view fetches its object through one of these helpers.

Meetings and the scoring policy are governance's: governance/access.py.

Roles (DESIGN.md): COE leads (auth group `COE leads`) decide and may act for any
constituency; a department head acts for the department and its sub-departments;
everyone signed in reads everything (transparency is part of inclusion).

The helpers raise Http404 when the object does not exist and PermissionDenied
(403) when the user may see it but not change it.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import User
from stakeholders.models import (
    Department,
    Handover,
    Person,
    Seat,
    SeatStatus,
    SocialAccount,
    StakeholderGroup,
)


def is_lead(user: User) -> bool:
    return bool(user.is_authenticated and user.is_coe_lead)


def headed_department_ids(user: User) -> frozenset[int]:
    """The departments a user heads, with every department below them (one query, kept
    on the user for the rest of the request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_headed_department_ids", None)
    if cached is None:
        cached = frozenset(Department.objects.headed_by(user).values_list("id", flat=True))
        user._headed_department_ids = cached
    return cached


def is_head(user: User) -> bool:
    return bool(headed_department_ids(user))


def require_head(user: User) -> None:
    # The role query the navigation makes anyway (is_head walks the tree below, too).
    if not (user.is_authenticated and user.is_department_head):
        raise PermissionDenied(
            "Only department heads have departments of their own: this page lists the "
            "departments you head, and you head none."
        )


def can_act_for_department(user: User, department: Department) -> bool:
    return is_lead(user) or department.pk in headed_department_ids(user)


def department_for_user(user: User, key: str, *, write: bool = False) -> Department:
    department = get_object_or_404(Department.objects.select_related("parent", "head"), key=key)
    if write and not can_act_for_department(user, department):
        raise PermissionDenied("Only the department's head or a COE lead may change this.")
    return department


def can_nominate_for_groups(user: User) -> bool:
    return is_lead(user)


def can_decide_seats(user: User) -> bool:
    """Approve, decline and end seats: COE leads only."""
    return is_lead(user)


def can_withdraw_seat(user: User, seat: Seat) -> bool:
    """The nominator or a COE lead. Whether the seat is still pending is the service's
    business: it refuses with a message instead of a bare 403."""
    own = seat.nominated_by_id is not None and seat.nominated_by_id == user.pk
    return is_lead(user) or own


def group_for_user(user: User, key: str, *, write: bool = False) -> StakeholderGroup:
    group = get_object_or_404(StakeholderGroup, key=key)
    if write and not can_nominate_for_groups(user):
        raise PermissionDenied("Only COE leads act for stakeholder groups.")
    return group


def seat_for_user(user: User, seat_id: int, *, action: str | None = None) -> Seat:
    """A seat; `action` is one of decide, end (leads) or withdraw (its nominator or a lead)."""
    seat = get_object_or_404(
        Seat.objects.select_related("person", "department", "group", "nominated_by", "decided_by"),
        pk=seat_id,
    )
    if action is None:
        return seat
    if action in {"decide", "end"}:
        if not can_decide_seats(user):
            raise PermissionDenied("Only COE leads decide on seats.")
    elif action == "withdraw":
        if not can_withdraw_seat(user, seat):
            raise PermissionDenied("Only the nominator or a COE lead may withdraw a nomination.")
    else:
        raise ValueError(f"unknown seat action {action!r}")
    return seat


def seat_actions(user: User, seat: Seat) -> frozenset[str]:
    """The actions a page may offer on this seat now: approve, decline, withdraw, end.
    (The services check again; this only decides which buttons to show.)"""
    actions: set[str] = set()
    if seat.status == SeatStatus.NOMINATED:
        if can_decide_seats(user):
            actions |= {"approve", "decline"}
        if can_withdraw_seat(user, seat):
            actions.add("withdraw")
    elif seat.status == SeatStatus.APPROVED and can_decide_seats(user):
        actions |= {"end", "renew"}
    return frozenset(actions)


def can_edit_account(user: User, account: SocialAccount) -> bool:
    if is_lead(user):
        return True
    return account.owner_id is not None and account.owner_id in headed_department_ids(user)


def can_close_handover(user: User, handover: Handover) -> bool:
    """Leads, and the head of the department that owns the account."""
    return can_edit_account(user, handover.account)


def handover_for_user(user: User, handover_id: int, *, write: bool = False) -> Handover:
    """A hand-over: everyone signed in reads it; leads and the owning head close it."""
    handover = get_object_or_404(
        Handover.objects.select_related("account__owner", "departed"), pk=handover_id
    )
    if write and not can_close_handover(user, handover):
        raise PermissionDenied(
            "Only a COE lead or the head of the account's department closes its hand-over."
        )
    return handover


def require_account_registrar(user: User) -> None:
    """Leads register any account; heads register accounts of the departments they head."""
    if not (is_lead(user) or is_head(user)):
        raise PermissionDenied("Only COE leads and department heads register accounts.")


def account_for_user(user: User, account_id: int, *, write: bool = False) -> SocialAccount:
    account = get_object_or_404(SocialAccount.objects.select_related("owner"), pk=account_id)
    if write and not can_edit_account(user, account):
        raise PermissionDenied("Only the owning department's head or a COE lead may edit this.")
    return account


def require_lead(user: User) -> None:
    if not is_lead(user):
        raise PermissionDenied("Only COE leads may do this.")


# --- departments and stakeholder groups (create, edit, archive) ----------------------

# What a department's head may change on the departments they head (and those below):
# the facts they know best. Where the department sits, who heads it and the COE's
# power/interest rating of it are the COE leads' call.
HEAD_EDITABLE_DEPARTMENT_FIELDS = frozenset({"name", "headcount", "customer_facing"})
DEPARTMENT_FIELDS = frozenset(
    {
        "name",
        "parent",
        "kind",
        "function",
        "headcount",
        "customer_facing",
        "influence",
        "interest",
        "head",
    }
)


def can_manage_departments(user: User) -> bool:
    """Add, archive and restore departments, and edit every field but the key."""
    return is_lead(user)


def department_editable_fields(user: User, department: Department) -> frozenset[str]:
    """The fields of this department the user may change (empty: none)."""
    if can_manage_departments(user):
        return DEPARTMENT_FIELDS
    if department.pk in headed_department_ids(user):
        return HEAD_EDITABLE_DEPARTMENT_FIELDS
    return frozenset()


def require_department_manager(user: User) -> None:
    if not can_manage_departments(user):
        raise PermissionDenied("Only COE leads add, archive and restore departments.")


def department_to_edit(user: User, key: str, *, manage: bool = False) -> Department:
    """A department to edit (its head or a lead) or, with `manage`, to archive or restore
    (leads only). 404 for an unknown key, 403 when the user may not."""
    department = department_for_user(user, key)
    if manage:
        require_department_manager(user)
    elif not department_editable_fields(user, department):
        raise PermissionDenied("Only the department's head or a COE lead may edit it.")
    return department


def can_manage_groups(user: User) -> bool:
    return is_lead(user)


def require_group_manager(user: User) -> None:
    if not can_manage_groups(user):
        raise PermissionDenied("Only COE leads add and edit stakeholder groups.")


def group_to_edit(user: User, key: str) -> StakeholderGroup:
    group = get_object_or_404(StakeholderGroup, key=key)
    require_group_manager(user)
    return group


# --- people ----------------------------------------------------------------------------
# Everyone signed in reads every person (the registry is transparent). A COE lead edits
# anyone; a department head edits the people of the departments they head and of the
# departments below them, as `can_act_for_department` does for nominations. Someone
# without a department (an outside voice) is the leads' business.


def can_register_people(user: User) -> bool:
    return is_lead(user) or is_head(user)


def require_person_registrar(user: User) -> None:
    """Leads add anyone; heads add people to the departments they head."""
    if not can_register_people(user):
        raise PermissionDenied("Only COE leads and department heads add people.")


def can_edit_person(user: User, person: Person) -> bool:
    if is_lead(user):
        return True
    return person.department_id is not None and person.department_id in headed_department_ids(user)


def person_for_user(user: User, person_id: int, *, write: bool = False) -> Person:
    person = get_object_or_404(Person.objects.select_related("department", "user"), pk=person_id)
    if write and not can_edit_person(user, person):
        raise PermissionDenied("Only a COE lead or the head of their department may do this.")
    return person
