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


def test_database_connections_are_kept_and_checked_before_reuse(monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_TEST_DB", "postgres://postgres@127.0.0.1:5432/roundtable")
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "30")
    config = project_settings.database_from_env("ROUNDTABLE_TEST_DB")
    assert config["CONN_MAX_AGE"] == 30
    assert config["CONN_HEALTH_CHECKS"] is True
