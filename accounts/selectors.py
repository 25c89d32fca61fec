"""Reads for the accounts pages."""

from django.db.models import QuerySet

from accounts.models import Invitation


def invitation_list(limit: int = 200) -> QuerySet[Invitation]:
    """The latest invitations with whom they invite and who sent them (one query)."""
    return Invitation.objects.select_related("user", "invited_by").order_by("-created_at", "-pk")[
        :limit
    ]
