"""/health/ for load balancers: every dependency checked for real, 200 or 503."""

import socket
import time

import pytest
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db

HEALTH = "/health/"
NOTHING_LISTENS = "redis://127.0.0.1:1/0"  # port 1: refused at once
DEAD_REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": NOTHING_LISTENS,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
}


def redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_the_configured_services_are_healthy(client, settings):
    response = client.get(HEALTH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())
    # Inline on the embedded default; Redis when REDIS_URL is set (the PostgreSQL CI run).
    assert body["checks"]["broker"]["detail"] == ("redis" if settings.REDIS_URL else "inline")
    assert body["checks"]["migrations"]["detail"] == "all applied"


def test_no_sign_in_is_needed_and_nothing_is_cached(client):
    response = client.get(HEALTH)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_a_head_request_works_and_a_post_does_not(client):
    assert client.head(HEALTH).status_code == 200
    assert client.post(HEALTH).status_code == 405


def test_an_unreachable_cache_makes_it_503_and_names_the_check(client, settings):
    settings.CACHES = DEAD_REDIS_CACHE
    started = time.monotonic()
    response = client.get(HEALTH)
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["cache"] == {"ok": False, "detail": "ConnectionError"}
    assert body["checks"]["database"]["ok"]


def test_the_reason_shown_does_not_name_internal_hosts(client, settings):
    settings.CACHES = DEAD_REDIS_CACHE
    assert "127.0.0.1" not in client.get(HEALTH).content.decode()


def test_an_unreachable_broker_makes_it_503_within_seconds(client, settings):
    settings.REDIS_URL = NOTHING_LISTENS
    settings.CELERY_BROKER_URL = NOTHING_LISTENS
    started = time.monotonic()
    response = client.get(HEALTH)
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.skipif(not redis_is_running(), reason="no Redis at 127.0.0.1:6379")
def test_a_running_redis_broker_and_cache_are_healthy(client, settings):
    url = "redis://127.0.0.1:6379/15"
    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = url
    settings.CACHES = {"default": {**DEAD_REDIS_CACHE["default"], "LOCATION": url}}
    response = client.get(HEALTH)
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["broker"] == {"ok": True, "detail": "redis"}
    assert response.json()["checks"]["cache"] == {"ok": True, "detail": "RedisCache"}


def test_an_unapplied_migration_makes_it_503(client):
    MigrationRecorder.Migration.objects.filter(app="accounts").delete()
    response = client.get(HEALTH)
    assert response.status_code == 503
    migrations = response.json()["checks"]["migrations"]
    assert migrations["ok"] is False
    assert "unapplied migration" in migrations["detail"]


def test_the_https_redirect_spares_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(HEALTH).status_code == 200
    assert client.get("/accounts/login/").status_code == 301
