"""Faults with real processes: a Celery worker killed with SIGKILL mid-recompute, a Redis
server stopped under writes, database connections terminated between requests.

Each test starts its own redis-server on a spare port (stopping it affects nobody
else), and workers, beat and gunicorn as subprocesses on the test database; the tests
are transactional so that what they write is committed and visible to those processes.
They need PostgreSQL (the subprocesses share the test database) and redis-server, so
they run in CI's PostgreSQL + Redis pass and are skipped on the embedded default.

The worker test slows the recompute with ROUNDTABLE_TEST_RECOMPUTE_SLEEP (read only by
governance.services._pause_for_fault_tests) so that a kill lands inside it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
import requests
from django.db import connection, transaction
from rest_framework.authtoken.models import Token

from coe.celery import app as celery_app
from governance import selectors, services
from governance.models import RecomputeState, Snapshot
from stakeholders.models import Department
from tests.factories import DepartmentFactory, PersonFactory, SeatFactory

ROOT = Path(__file__).resolve().parents[2]
# A message taken by a worker that was killed is delivered again after 3 s (600 s in
# production): the killed workers' messages reach the next worker within the test.
REDELIVER_SOON = {"BROKER_VISIBILITY_TIMEOUT": "3"}
BIN = Path(sys.executable).parent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.faults,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="fault tests share the test database with subprocesses: PostgreSQL only",
    ),
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="fault tests start their own redis-server"
    ),
    pytest.mark.django_db(transaction=True),
]


# --- processes ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, *, timeout: float, every: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}.")


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=2)

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="redis-server")

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Processes:
    """Subprocesses of one test, each logging to a file; all stopped at the end."""

    def __init__(self, tmp_path: Path, env: dict[str, str]):
        self.tmp_path = tmp_path
        self.env = env
        self.started: list[subprocess.Popen] = []

    def start(self, name: str, args: list[str], **env: str) -> subprocess.Popen:
        log = (self.tmp_path / f"{name}.log").open("w")
        process = subprocess.Popen(
            args, cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        process.log_path = self.tmp_path / f"{name}.log"
        self.started.append(process)
        return process

    def worker(self, name: str, **env: str) -> subprocess.Popen:
        return self.start(
            name,
            [str(BIN / "celery"), "-A", "coe", "worker", "--pool=solo", "--concurrency=1"]
            + ["--loglevel=info", "--without-gossip", "--without-mingle", "--without-heartbeat"]
            + ["-n", f"{name}@%h"],
            **env,
        )

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
        for process in self.started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        # Their database sessions end a moment after them; the test database is
        # dropped at the end of the run, which fails while any is left.
        wait_for(lambda: other_sessions() == 0, timeout=10, what="the sessions to close")


def other_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def log_of(process: subprocess.Popen) -> str:
    return process.log_path.read_text(errors="replace")


def database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def redis_server():
    server = RedisServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def processes(tmp_path, redis_server):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="coe.settings",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_server.url,
        RECOMPUTE_DELAY_SECONDS="0",
        LOG_LEVEL="INFO",
    )
    running = Processes(tmp_path, env)
    yield running
    running.stop_all()


@pytest.fixture
def publishing_to(monkeypatch, settings):
    """Make this process enqueue for real, to the test's own Redis (tests otherwise run
    tasks inline)."""

    def point_at(server: RedisServer) -> None:
        settings.RECOMPUTE_DELAY_SECONDS = 0
        monkeypatch.setattr(services, "_broker_down_until", 0.0)
        monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
        monkeypatch.setattr(celery_app.conf, "broker_url", server.url)
        monkeypatch.setattr(celery_app.conf, "broker_transport", "coe.broker:Transport")
        celery_app._after_fork()  # forget connections made to any other broker

    yield point_at
    celery_app._after_fork()


def registry_change(key: str) -> None:
    """A committed registry change, as a service makes one."""
    with transaction.atomic():
        DepartmentFactory(key=key, function="legal", headcount=10)
        services.snapshot_request()


def is_stale() -> bool:
    return selectors.snapshot_is_stale(selectors.snapshot_latest())


def is_current() -> bool:
    latest = selectors.snapshot_latest()
    return latest is not None and not selectors.snapshot_is_stale(latest)


# --- 1. a worker killed mid-recompute ---------------------------------------------------


def test_a_worker_killed_mid_recompute_ten_times_loses_no_change_and_stores_no_duplicate(
    processes, redis_server, publishing_to, client, lead
):
    marketing = DepartmentFactory(key="mkt", function="marketing", headcount=100)
    SeatFactory(person=PersonFactory(department=marketing), department=marketing)
    services.snapshot_take()
    publishing_to(redis_server)
    client.force_login(lead)

    for round_ in range(10):
        registry_change(f"round-{round_}")
        assert client.get("/api/assessment/").json()["stale"] is True
        worker = processes.worker(
            f"killed{round_}", ROUNDTABLE_TEST_RECOMPUTE_SLEEP="60", **REDELIVER_SOON
        )
        wait_for(
            lambda w=worker: "Recomputing the assessment of registry generation" in log_of(w),
            timeout=30,
            what="the worker to start recomputing",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        assert is_stale(), f"round {round_}: a killed recompute must leave the snapshot stale"
    assert Snapshot.objects.count() == 1
    assert client.get("/api/assessment/").json()["stale"] is True

    started = time.monotonic()
    survivor = processes.worker("survivor", **REDELIVER_SOON)
    wait_for(is_current, timeout=60, what="a snapshot of the current registry")
    caught_up = time.monotonic() - started
    # Every message a killed worker held is delivered again (visibility timeout) and run.
    queue = redis_server.client()
    wait_for(
        lambda: queue.llen("celery") == 0 and queue.hlen("unacked") == 0,
        timeout=40,
        what="the redelivered messages to be run",
    )
    assert survivor.poll() is None

    latest = Snapshot.objects.latest()
    assert latest.registry_generation == services.registry_generation()
    assert {f"round-{i}" for i in range(10)} <= set(latest.representation)
    # One snapshot for the state before the changes, one for the state after them: the
    # intermediate states were never stored (each of their recomputes was killed), and
    # the redelivered messages found nothing new to store.
    assert Snapshot.objects.count() == 2
    per_state = Counter(Snapshot.objects.values_list("registry_generation", "as_of"))
    assert max(per_state.values()) == 1
    assert RecomputeState.objects.get().pending_since is None
    assert client.get("/api/assessment/").json()["stale"] is False
    print(f"\ncaught up {caught_up:.1f} s after the fresh worker started")


# --- 2. Redis stopped under 100 writes ---------------------------------------------------


def gunicorn(processes: Processes, *, workers: int = 2, **env: str) -> str:
    port = free_port()
    processes.start(
        "gunicorn",
        [str(BIN / "gunicorn"), "coe.wsgi:application", "-b", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--timeout", "60"],
        **env,
    )
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return requests.get(f"{base}/api/assessment/", timeout=20).status_code == 401
        except requests.RequestException:  # not listening yet, or still loading
            return False

    wait_for(answers, timeout=60, what="gunicorn")
    return base


def test_redis_stopped_during_100_writes_loses_none_and_the_worker_catches_up(
    processes, redis_server, lead, tmp_path
):
    DepartmentFactory(key="mkt", function="marketing", headcount=100)
    services.snapshot_take()
    token = Token.objects.create(user=lead).key
    env = {"RECOMPUTE_DELAY_SECONDS": "1", "SNAPSHOT_CHECK_SECONDS": "5"}
    base = gunicorn(processes, **env)
    worker = processes.worker("worker", **env)
    beat = processes.start(
        "beat",
        [str(BIN / "celery"), "-A", "coe", "beat", "--loglevel=info"]
        + ["-s", str(tmp_path / "beat-schedule")],
        **env,
    )
    wait_for(lambda: " ready." in log_of(worker), timeout=30, what="the worker")
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"

    statuses = []
    started = time.monotonic()
    for i in range(100):
        if i == 30:
            redis_server.stop()
            stopped_at = time.monotonic()
        response = session.post(
            f"{base}/api/departments/",
            json={"key": f"outage-{i}", "name": f"Outage {i}", "headcount": 10},
            timeout=30,
        )
        statuses.append(response.status_code)
        if i in (10, 50, 99):  # reads during the outage answer too
            assert session.get(f"{base}/api/assessment/", timeout=30).status_code == 200
    writes_took = time.monotonic() - started
    outage_writes = time.monotonic() - stopped_at

    assert statuses == [201] * 100
    assert Department.objects.filter(key__startswith="outage-").count() == 100

    redis_server.start()
    back = time.monotonic()
    wait_for(is_current, timeout=60, what="a snapshot of the current registry")
    caught_up = time.monotonic() - back
    # The same worker and beat, reconnected rather than exited.
    wait_for(
        lambda: log_of(worker).count("Connected to") >= 2,
        timeout=60,
        what="the worker to reconnect",
    )
    assert worker.poll() is None, log_of(worker)[-3000:]
    assert beat.poll() is None
    assert "Unrecoverable error" not in log_of(worker)

    # After the web's back-off, a write is queued again and this worker computes it.
    time.sleep(max(0.0, back + services.BROKER_RETRY_AFTER + 1 - time.monotonic()))
    response = session.post(
        f"{base}/api/departments/", json={"key": "after", "name": "After"}, timeout=30
    )
    assert response.status_code == 201
    generation = services.registry_generation()
    wait_for(is_current, timeout=30, what="the worker's recompute of the last write")
    assert f"registry generation {generation}." in log_of(worker)
    assert worker.poll() is None
    print(
        f"\n100 writes {writes_took:.1f} s (70 during the outage: {outage_writes:.1f} s); "
        f"current again {caught_up:.1f} s after Redis returned"
    )


# --- 3. database connections terminated between requests --------------------------------


def test_terminated_database_connections_cost_no_request(processes, lead):
    token = Token.objects.create(user=lead).key
    # One process, so every request reuses the same persistent connection.
    base = gunicorn(processes, workers=1, DATABASE_CONN_MAX_AGE="60", REDIS_URL="")
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"

    statuses, terminated = [], 0
    for i in range(20):
        statuses.append(session.get(f"{base}/api/departments/", timeout=30).status_code)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            terminated += cursor.fetchone()[0]
        if i % 2:
            response = session.post(
                f"{base}/api/departments/", json={"key": f"t{i}", "name": f"T {i}"}, timeout=30
            )
            statuses.append(response.status_code)
        else:
            statuses.append(session.get(f"{base}/api/assessment/", timeout=30).status_code)

    assert terminated >= 20  # the persistent connections really were cut under gunicorn
    assert all(status < 500 for status in statuses), statuses
    assert Department.objects.filter(key__startswith="t").count() == 10
