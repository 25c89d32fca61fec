"""Permission-checked fetches for the accounts pages."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import Invitation, User


def require_lead(user: User) -> None:
    if not (user.is_authenticated and user.is_coe_lead):
        raise PermissionDenied("Only COE leads manage invitations.")


def invitation_for_lead(user: User, invitation_id: int) -> Invitation:
    """An invitation to resend or revoke: 403 unless a COE lead, 404 when unknown."""
    require_lead(user)
    return get_object_or_404(Invitation.objects.select_related("user"), pk=invitation_id)
