"""Who may do what in governance: meetings and the scoring policy. Everyone signed in
reads them; COE leads record attendance and change the policy. The roles themselves
(who is a lead, who heads what) are the registry's: stakeholders/access.py.

The helpers raise Http404 when the object does not exist and PermissionDenied (403)
when the user may see it but not change it.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import User
from governance.models import Meeting, Policy
from stakeholders.access import is_lead, require_lead

__all__ = [
    "can_change_policy",
    "can_manage_meetings",
    "is_lead",
    "meeting_for_user",
    "policy_for_user",
    "require_lead",
]


def can_manage_meetings(user: User) -> bool:
    return is_lead(user)


def meeting_for_user(user: User, meeting_id: int, *, write: bool = False) -> Meeting:
    """A meeting: everyone signed in reads it, COE leads record its attendance."""
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    if write and not can_manage_meetings(user):
        raise PermissionDenied("Only COE leads record attendance.")
    return meeting


def can_change_policy(user: User) -> bool:
    return is_lead(user)


def policy_for_user(user: User, *, write: bool = False) -> Policy:
    """The scoring policy: everyone signed in reads it (the rules of the score are part of
    its transparency), COE leads change it."""
    if write and not can_change_policy(user):
        raise PermissionDenied("Only COE leads change the scoring policy.")
    return Policy.load()
