"""Reads for the accounts pages."""

from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Invitation, User, UserSession


def invitation_list(limit: int = 200) -> QuerySet[Invitation]:
    """The latest invitations with whom they invite and who sent them (one query)."""
    return Invitation.objects.select_related("user", "invited_by").order_by("-created_at", "-pk")[
        :limit
    ]


def session_list(*, user: User) -> QuerySet[UserSession]:
    """The user's browsers that are still signed in, newest first."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=live)


def departments_headed(*, user: User):
    from stakeholders.models import Department

    return Department.objects.filter(head=user).order_by("name").only("key", "name", "active")
