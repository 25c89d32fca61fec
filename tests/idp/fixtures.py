"""pytest fixtures of the test identity provider (loaded by tests/conftest.py).

`idp` starts the provider once per test run, in its own process on a spare port, and
stops it at the end; `sso` points Roundtable's settings at it for one test."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Provider:
    url: str

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"

    def user_put(
        self, email: str, password: str, *, email_verified: bool | None = True, **names: str
    ) -> None:
        """A company account at the provider (username = e-mail); email_verified None
        leaves the claim out."""
        self._post(
            "/test/users/",
            {
                "username": email,
                "email": email,
                "password": password,
                "email_verified": email_verified,
                **names,
            },
        )

    def redirect_uri_allow(self, uri: str) -> None:
        self._post("/test/redirect-uris/", {"uri": uri})

    def _post(self, path: str, data: dict) -> None:
        import requests

        requests.post(self.url + path, json=data, timeout=10).raise_for_status()

    def sso_settings(self) -> dict:
        return sso_settings(self.issuer)


def sso_settings(issuer: str, **changes) -> dict:
    """settings.SSO for the test provider's client at `issuer` (what sso_from_env builds)."""
    from tests.idp import CLIENT_ID, CLIENT_SECRET

    return {
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "endpoints": None,
        "sign_algo": "RS256",
        "scopes": "openid email profile",
        "label": "Acme ID",
        "timeout": 10,
        **changes,
    }


def _spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(process: subprocess.Popen, url: str, log: Path) -> None:
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The test identity provider stopped:\n{log.read_text()}")
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"The test identity provider did not answer at {url}:\n{log.read_text()}")


@pytest.fixture(scope="session")
def idp(tmp_path_factory) -> Provider:
    # Looked up, not imported: its models belong to the provider's process only.
    if importlib.util.find_spec("oidc_provider") is None:
        pytest.skip(
            "django-oidc-provider (the test identity provider) is not installed: "
            "pip install -r requirements.txt"
        )
    folder = tmp_path_factory.mktemp("idp")
    port = _spare_port()
    provider = Provider(url=f"http://127.0.0.1:{port}")
    log = folder / "idp.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.idp.settings",
        "IDP_DATABASE": str(folder / "idp.sqlite3"),
        "IDP_SITE_URL": provider.url,
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.idp.serve", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(process, provider.issuer + "/.well-known/openid-configuration", log)
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(idp, settings) -> Provider:
    """Single sign-on on, through the test identity provider."""
    settings.SSO = idp.sso_settings()
    return idp
