"""POST /api/token/ (a username and password for a token) and POST /api/token/revoke/.

The token view is where a password guesser aims, so it is guarded twice: django-axes
locks a username out from one address after AXES_FAILURE_LIMIT wrong passwords (as on
the web sign-in page), and a throttle bounds the tries per address whatever the
usernames (API_TOKEN_THROTTLE_RATE): each try costs a password hash.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import services
from api.schema import RoundtableSchema
from api.serializers import ErrorSerializer
from api.views import Api

TokenSerializer = inline_serializer(
    "Token",
    {
        "token": drf_serializers.CharField(),
        "expires": drf_serializers.DateTimeField(),
    },
)


class LockedOut(Throttled):
    default_detail = "Too many wrong passwords for this username from this address."
    default_code = "locked_out"


class TokenView(ObtainAuthToken):
    """Exchange a username and password for the user's API token."""

    schema = RoundtableSchema()
    # ObtainAuthToken also takes forms; the API takes JSON only (see REST_FRAMEWORK).
    parser_classes = (JSONParser,)
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "token"

    @extend_schema(
        summary="Exchange a username and password for an API token",
        description=(
            "Returns the user's token while it is valid, else a new one. A token expires "
            "`expires` (API_TOKEN_TTL_HOURS after it was issued). 429 after too many tries "
            "from one address, or during a lockout after too many wrong passwords."
        ),
        responses={200: TokenSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # The serializer passes this (DRF) request to authenticate(), so django-axes
            # flags it here rather than on the request its middleware sees.
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(wait=settings.AXES_COOLOFF_MINUTES * 60) from None
            raise
        token = services.token_issue(user=serializer.validated_data["user"])
        return Response({"token": token.key, "expires": services.token_expires_at(token)})


class TokenRevokeView(Api, APIView):
    """Revoke the caller's own token (the one in the Authorization header, or the
    signed-in browser user's)."""

    @extend_schema(
        summary="Revoke your API token",
        request=None,
        responses={204: None},
    )
    def post(self, request):
        services.token_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
