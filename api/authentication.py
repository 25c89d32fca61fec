"""Token authentication with an expiry: a token older than API_TOKEN_TTL_HOURS is
refused, so a key copied into a script or a laptop stops working on its own."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts import services


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if services.token_is_expired(token):
            raise exceptions.AuthenticationFailed(
                "Token expired. Ask for a new one: POST /api/token/ with your username and "
                "password."
            )
        return user, token
