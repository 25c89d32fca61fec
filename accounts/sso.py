"""Single sign-on through an OpenID Connect provider, with mozilla-django-oidc doing the
protocol (state, nonce, PKCE, code exchange, ID token signature, userinfo).

Its settings are read from settings.SSO (built from the OIDC_* variables), and its
endpoints from the provider's discovery document unless all four are configured. The
views are in accounts/views_sso.py; who a provider's user is, in services.sso_user_resolve.
"""

from __future__ import annotations

import time

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from accounts import services

# Whether a session was signed in through the identity provider (two-factor policy).
SESSION_KEY = "signed_in_with_sso"
DISCOVERY_SECONDS = 60 * 60
ENDPOINT_KEYS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")

_discovered: dict[str, tuple[float, dict[str, str]]] = {}


class ProviderUnavailable(Exception):
    """The identity provider did not answer, or not as an OpenID Connect provider."""


def enabled() -> bool:
    return settings.SSO is not None


def label() -> str:
    return settings.SSO["label"] if enabled() else ""


def endpoints() -> dict[str, str]:
    """The provider's endpoints: the configured ones, else its discovery document's
    (fetched on first use and kept an hour, so a restart is not needed when it moves)."""
    config = settings.SSO
    if config["endpoints"]:
        return config["endpoints"]
    issuer = config["issuer"].rstrip("/")
    fetched_at, found = _discovered.get(issuer, (0.0, {}))
    if found and time.monotonic() - fetched_at < DISCOVERY_SECONDS:
        return found
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=config["timeout"])
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from None
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(
            f"{url} names the issuer {document.get('issuer')!r}, not OIDC_ISSUER_URL {issuer!r}."
        )
    missing = [key for key in ENDPOINT_KEYS if not document.get(key)]
    if missing:
        raise ProviderUnavailable(f"{url} lacks {', '.join(missing)}.")
    found = {key: document[key] for key in ENDPOINT_KEYS}
    _discovered[issuer] = (time.monotonic(), found)
    return found


def oidc_setting(name: str, *default):
    """mozilla-django-oidc's settings, taken from settings.SSO (so that tests can turn
    single sign-on on and off) and the provider's endpoints."""
    config = settings.SSO
    fixed = {
        "OIDC_RP_CLIENT_ID": config["client_id"],
        "OIDC_RP_CLIENT_SECRET": config["client_secret"],
        "OIDC_RP_SIGN_ALGO": config["sign_algo"],
        "OIDC_RP_SCOPES": config["scopes"],
        "OIDC_TIMEOUT": config["timeout"],
        "OIDC_USE_PKCE": True,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:sso-callback",
    }
    if name in fixed:
        return fixed[name]
    endpoint = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
        "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
        "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
        "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    }.get(name)
    if endpoint:
        return endpoints()[endpoint]
    return import_from_settings(name, *default)


class SSOBackend(OIDCAuthenticationBackend):
    """Answers only the sign-in callback (the only caller passing a nonce), and only
    while single sign-on is on; every other authenticate() passes it by."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every sign-in, password ones too: read the
        # provider's settings only when this one is used.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "nonce" not in kwargs:
            return None
        OIDCAuthenticationBackend.__init__(self)
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        return services.sso_user_resolve(claims=claims)

    # ModelBackend's: a user deactivated since they signed in is signed out.
    get_user = ModelBackend.get_user
