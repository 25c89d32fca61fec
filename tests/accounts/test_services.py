"""API tokens: issued with an expiry, reused while valid, revoked on demand."""

import datetime

import pytest
from rest_framework.authtoken.models import Token

from accounts import services

pytestmark = pytest.mark.django_db


def age(token: Token, hours: float) -> None:
    Token.objects.filter(pk=token.pk).update(
        created=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=hours)
    )


def test_a_token_is_issued_once_and_reused_while_valid(reader):
    first = services.token_issue(user=reader)
    assert services.token_issue(user=reader).key == first.key
    assert Token.objects.count() == 1


def test_an_expired_token_is_replaced_by_a_new_key(reader, settings):
    first = services.token_issue(user=reader)
    age(first, settings.API_TOKEN_TTL_HOURS + 1)
    second = services.token_issue(user=reader)
    assert second.key != first.key
    assert list(Token.objects.values_list("key", flat=True)) == [second.key]


def test_a_token_expires_api_token_ttl_hours_after_it_was_issued(reader, settings):
    settings.API_TOKEN_TTL_HOURS = 2
    token = services.token_issue(user=reader)
    assert services.token_expires_at(token) == token.created + datetime.timedelta(hours=2)
    assert not services.token_is_expired(token, now=token.created + datetime.timedelta(hours=1))
    assert services.token_is_expired(token, now=token.created + datetime.timedelta(hours=2))


def test_revoking_deletes_the_users_token_and_no_one_elses(reader, lead):
    services.token_issue(user=reader)
    kept = services.token_issue(user=lead)
    assert services.token_revoke_all(user=reader) == 1
    assert list(Token.objects.values_list("key", flat=True)) == [kept.key]
    assert services.token_revoke_all(user=reader) == 0
