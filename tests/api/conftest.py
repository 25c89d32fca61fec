"""API clients: a persona signed in by token, or by session (with CSRF checks on)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def api_for():
    """`api_for(user)`: an APIClient authenticated with the user's token (None: anonymous)."""

    def make(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
