"""The single sign-on variables: off without OIDC_ISSUER_URL, and a half-configured
provider or SSO_ONLY stops the start with a message naming what is missing."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from coe import settings as project_settings
from tests.coe.test_settings import start_with

VARIABLES = [
    "OIDC_ISSUER_URL",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_BUTTON_LABEL",
    "OIDC_SIGN_ALGO",
    "OIDC_SCOPES",
    "OIDC_TIMEOUT_SECONDS",
    "SSO_ONLY",
    "SSO_BREAK_GLASS_USERNAME",
    *project_settings.SSO_ENDPOINTS,
]
COMPLETE = {
    "OIDC_ISSUER_URL": "https://id.acme.test/realms/acme",
    "OIDC_CLIENT_ID": "roundtable",
    "OIDC_CLIENT_SECRET": "s3cret",
}


@pytest.fixture
def env(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def test_single_sign_on_is_off_without_an_issuer(env):
    assert project_settings.sso_from_env() is None
    assert project_settings.sso_only_from_env(None) == (False, "")


def test_an_issuer_with_its_client_turns_it_on_with_discovery(env):
    env(**COMPLETE, OIDC_BUTTON_LABEL="Acme ID")
    sso = project_settings.sso_from_env()
    assert sso["issuer"] == "https://id.acme.test/realms/acme"
    assert (sso["client_id"], sso["label"], sso["endpoints"]) == ("roundtable", "Acme ID", None)
    assert (sso["sign_algo"], sso["scopes"]) == ("RS256", "openid email profile")


def test_the_button_label_has_a_default(env):
    env(**COMPLETE)
    assert project_settings.sso_from_env()["label"] == "single sign-on"


def test_all_four_endpoints_replace_discovery(env):
    env(
        **COMPLETE,
        OIDC_AUTHORIZATION_ENDPOINT="https://id.acme.test/auth",
        OIDC_TOKEN_ENDPOINT="https://id.acme.test/token",
        OIDC_USERINFO_ENDPOINT="https://id.acme.test/userinfo",
        OIDC_JWKS_URI="https://id.acme.test/jwks",
    )
    assert project_settings.sso_from_env()["endpoints"]["token_endpoint"] == (
        "https://id.acme.test/token"
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"OIDC_CLIENT_ID": "roundtable"}, "OIDC_CLIENT_ID set without OIDC_ISSUER_URL"),
        ({"OIDC_ISSUER_URL": "id.acme.test"}, "OIDC_ISSUER_URL must be an http(s):// URL"),
        (
            {"OIDC_ISSUER_URL": COMPLETE["OIDC_ISSUER_URL"], "OIDC_CLIENT_ID": "roundtable"},
            "needs OIDC_CLIENT_SECRET too",
        ),
        (
            {"OIDC_ISSUER_URL": COMPLETE["OIDC_ISSUER_URL"]},
            "needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too",
        ),
        (
            {**COMPLETE, "OIDC_TOKEN_ENDPOINT": "https://id.acme.test/token"},
            "OIDC_TOKEN_ENDPOINT set without OIDC_AUTHORIZATION_ENDPOINT, "
            "OIDC_USERINFO_ENDPOINT, OIDC_JWKS_URI",
        ),
        ({**COMPLETE, "OIDC_JWKS_URI": "ftp://id.acme.test"}, "OIDC_JWKS_URI must be an http"),
        ({**COMPLETE, "OIDC_SIGN_ALGO": "none"}, "OIDC_SIGN_ALGO must be one of"),
        (
            {**COMPLETE, "OIDC_SCOPES": "openid profile"},
            "OIDC_SCOPES must include openid and email",
        ),
        ({**COMPLETE, "OIDC_TIMEOUT_SECONDS": "0"}, "OIDC_TIMEOUT_SECONDS must be at least 1"),
    ],
)
def test_a_half_configured_provider_is_refused_naming_what_is_missing(env, values, message):
    env(**values)
    with pytest.raises(ImproperlyConfigured) as refused:
        project_settings.sso_from_env()
    assert message in str(refused.value)


def test_sso_only_needs_single_sign_on(env):
    env(SSO_ONLY="true", SSO_BREAK_GLASS_USERNAME="admin")
    with pytest.raises(ImproperlyConfigured, match="SSO_ONLY=true needs single sign-on"):
        project_settings.sso_only_from_env(None)


def test_sso_only_needs_a_break_glass_admin(env):
    env(**COMPLETE, SSO_ONLY="true")
    with pytest.raises(ImproperlyConfigured, match="needs SSO_BREAK_GLASS_USERNAME"):
        project_settings.sso_only_from_env(project_settings.sso_from_env())


def test_sso_only_with_a_break_glass_admin_is_on(env):
    env(**COMPLETE, SSO_ONLY="yes", SSO_BREAK_GLASS_USERNAME="admin")
    assert project_settings.sso_only_from_env(project_settings.sso_from_env()) == (True, "admin")


def test_a_half_configured_provider_stops_the_start():
    result = start_with(OIDC_ISSUER_URL="https://id.acme.test")
    assert result.returncode != 0
    assert "needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too" in result.stderr
