"""What /health/ checks: each dependency a request needs, quickly, with a bounded wait.

A check returns a Result and never raises: one dependency down must not hide the state
of the others. The reason shown is the error's class only (the endpoint is public, and
a driver's message names internal hosts); the full message goes to the log.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Result:
    ok: bool
    detail: str


def database() -> Result:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return Result(True, connection.vendor)


def migrations() -> Result:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return Result(False, f"{len(plan)} unapplied migration(s): run manage.py migrate")
    return Result(True, "all applied")


def cache_roundtrip() -> Result:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != "ok":
        return Result(False, "a value written could not be read back")
    return Result(True, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1])


def broker() -> Result:
    if not settings.REDIS_URL:
        # The embedded default: tasks run inside the request, there is no broker.
        return Result(True, "inline")
    from coe.celery import app

    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0.2, interval_max=0.5, timeout=2
        )
    return Result(True, "redis")


CHECKS: dict[str, Callable[[], Result]] = {
    "database": database,
    "migrations": migrations,
    "cache": cache_roundtrip,
    "broker": broker,
}


def run_all() -> dict[str, Result]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure is an unhealthy dependency
            logger.warning("Health check %s failed: %s", name, error, exc_info=True)
            results[name] = Result(False, type(error).__name__)
    return results
