"""Sign-in state that outlives a request: API tokens."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User


def token_expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def token_is_expired(token: Token, *, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= token_expires_at(token)


@transaction.atomic
def token_issue(*, user: User) -> Token:
    """The user's token while it is still valid, else a fresh one (a new key, so a
    leaked expired key never comes back to life)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not token_is_expired(token):
        return token
    if token is not None:
        token.delete()
    return Token.objects.create(user=user)


def token_revoke_all(*, user: User) -> int:
    """Delete the user's API token(s); returns how many there were."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted
