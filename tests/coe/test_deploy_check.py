"""`manage.py check --deploy` is clean under production settings: what a real deployment
sets (DEBUG off, a long random SECRET_KEY, its host, the proxy's HTTPS header) and the
secure defaults that DEBUG off brings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "roundtable.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://roundtable.example.com",
    "SECURE_PROXY_SSL_HEADER": "true",
}
SECURITY_VARIABLES = {
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
}


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    # Nothing of the test run leaks in: not its database, nor the DJANGO_ALLOW_ASYNC_UNSAFE
    # that the browser tests set (check --deploy rightly refuses it).
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", *SECURITY_VARIABLES}
        and not k.startswith("DJANGO_")
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "coe.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = check_deploy(**PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_a_deployment_turns_the_secure_cookies_off():
    result = check_deploy(**PRODUCTION, SESSION_COOKIE_SECURE="false", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W012" in result.stderr + result.stdout
    assert "security.W004" in result.stderr + result.stdout
