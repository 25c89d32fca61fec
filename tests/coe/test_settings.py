import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from coe import settings as project_settings

ROOT = Path(__file__).resolve().parents[2]


def start_with(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "coe.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_environment_starts_on_the_embedded_default():
    assert start_with().returncode == 0


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "mysql://root@localhost/x", "DATABASE_URL must be a postgres"),
        ("DATABASE_URL", "postgres://localhost", "DATABASE_URL must name a database"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must be a redis://"),
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
        ("UPLOAD_MAX_BYTES", "0", "UPLOAD_MAX_BYTES must be at least 1"),
        ("AXES_FAILURE_LIMIT", "five", "AXES_FAILURE_LIMIT must be a whole number"),
        ("AXES_COOLOFF_MINUTES", "0", "AXES_COOLOFF_MINUTES must be at least 1"),
        ("API_TOKEN_TTL_HOURS", "0", "API_TOKEN_TTL_HOURS must be at least 1"),
        ("API_TOKEN_THROTTLE_RATE", "10 per minute", "API_TOKEN_THROTTLE_RATE must be a rate"),
        ("SECURE_SSL_REDIRECT", "always", "SECURE_SSL_REDIRECT must be true or false"),
        ("SECURE_HSTS_SECONDS", "1y", "SECURE_HSTS_SECONDS must be a whole number"),
        ("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto", "SECURE_PROXY_SSL_HEADER must be true"),
    ],
)
def test_a_bad_value_stops_the_start_naming_the_variable(name, value, message):
    result = start_with(**{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_off_without_a_secret_key_stops_the_start():
    result = start_with(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_TEST_INT", "42")
    assert project_settings.env_int("ROUNDTABLE_TEST_INT", 1) == 42


def test_env_bool_rejects_anything_but_true_or_false(monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_TEST_BOOL", "si")
    with pytest.raises(ImproperlyConfigured, match="ROUNDTABLE_TEST_BOOL"):
        project_settings.env_bool("ROUNDTABLE_TEST_BOOL", False)


def test_database_url_selects_another_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.setenv("ROUNDTABLE_TEST_DB", f"sqlite:///{tmp_path}/other.sqlite3")
    config = project_settings.database_from_env("ROUNDTABLE_TEST_DB")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"].endswith("other.sqlite3")


def test_database_url_selects_postgresql(monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_TEST_DB", "postgres://postgres@127.0.0.1:5432/roundtable")
    config = project_settings.database_from_env("ROUNDTABLE_TEST_DB")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "roundtable"


def test_env_rate_reads_a_throttle_rate(monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_TEST_RATE", "20/hour")
    assert project_settings.env_rate("ROUNDTABLE_TEST_RATE", "10/min") == "20/hour"
    monkeypatch.setenv("ROUNDTABLE_TEST_RATE", "0/min")
    with pytest.raises(ImproperlyConfigured, match="ROUNDTABLE_TEST_RATE"):
        project_settings.env_rate("ROUNDTABLE_TEST_RATE", "10/min")


def settings_of(**env: str) -> dict:
    """The security settings Django ends up with under this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "coe.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_embedded_default_serves_plain_http_for_local_use():
    values = settings_of()
    assert values["DEBUG"] is True
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False


def test_debug_off_turns_https_and_secure_cookies_on():
    values = settings_of(SECRET_KEY="x" * 60, DEBUG="false")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_each_security_setting_can_be_set_from_the_environment():
    values = settings_of(
        SECRET_KEY="x" * 60,
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="3600",
        SESSION_COOKIE_SECURE="false",
        SECURE_PROXY_SSL_HEADER="true",
    )
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_database_connections_are_kept_and_checked_before_reuse(monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_TEST_DB", "postgres://postgres@127.0.0.1:5432/roundtable")
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "30")
    config = project_settings.database_from_env("ROUNDTABLE_TEST_DB")
    assert config["CONN_MAX_AGE"] == 30
    assert config["CONN_HEALTH_CHECKS"] is True
