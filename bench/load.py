"""Load benchmark: the main pages under concurrent load, served by gunicorn in production mode.

    python bench/load.py --departments 2000 --database-url postgres://postgres@127.0.0.1:5432/roundtable_perf_2000
    python bench/load.py --skip-generate --database-url postgres://…/roundtable_perf_20000

Generates a company with bench/scale.py's generator (unless --skip-generate: the data
already there is reused), migrates, stores the meetings' counts, creates a superuser
(`bench-lead`), takes today's snapshot (stored once: a second run finds the same
result and keeps it), collects the static files, starts
gunicorn (2 workers, DEBUG off, the security settings a plain-HTTP localhost needs),
signs in by creating a session directly (no password check, so django-axes and the
sign-in throttle are not involved), then for each page sends --requests requests from
--concurrency clients at once and prints p50, p99, the size of a response and the
ratio of its p50 to the baseline's. A page may name `{latest_meeting}` (the latest
meeting's id): `/meetings/{latest_meeting}/` is its attendance form.

The baseline is `/policy/`: a signed-in page of one query of its own (the policy row)
after the session and the user, rendered through the same middleware and base
template as every page -- what a page costs when it does (almost) nothing.

With --no-memo the server remembers nothing between requests (READ_MEMO_ENTRIES=0):
each page costs what it costs the first reader after a registry change.

The database is emptied when generating: never point it at a database you care about.
Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BASELINE = "/policy/"
PAGES = [
    "/",
    "/map/data.json",
    "/people/",
    "/social/",
    "/roster/",
    "/nominations/",
    "/meetings/",
    "/meetings/{latest_meeting}/",
    "/report/",
    "/api/assessment/",
    "/api/meetings/",
]


def production_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="coe.settings",
        DEBUG="false",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(args: argparse.Namespace) -> tuple[str, dict[str, int]]:
    """Data, schema, snapshot, static files and a signed-in session; returns its cookie
    and the values of the pages' placeholders (`{latest_meeting}`: the latest meeting's id)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.utils.module_loading import import_string

    call_command("migrate", verbosity=0)
    if not args.skip_generate:
        import scale

        start = time.perf_counter()
        sizes = scale.generate(args.departments, date.fromisoformat(args.as_of))
        print(f"generated in {time.perf_counter() - start:.1f} s: {sizes}")

    from accounts.models import User
    from governance import services
    from governance.models import Meeting

    call_command("store_meeting_counts", verbosity=0)
    # Today's snapshot, with its stored roster and account flags (the same result as
    # the latest is not stored twice; what it lacks is filled in).
    start = time.perf_counter()
    services.snapshot_take()
    print(f"snapshot taken in {time.perf_counter() - start:.1f} s")

    user, _ = User.objects.get_or_create(
        username="bench-lead", defaults={"is_superuser": True, "is_staff": True}
    )
    if not user.is_superuser:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()

    call_command("collectstatic", interactive=False, verbosity=0)
    latest = Meeting.objects.order_by("-date", "-pk").values_list("pk", flat=True).first()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}", {"latest_meeting": latest or 0}


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "coe.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--timeout=300",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit("gunicorn exited on start") from None
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start within 60 s")


def fetch(conn: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, int]:
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    return response.status, len(body)


def run_page(
    port: int, path: str, cookie: str, requests: int, concurrency: int
) -> tuple[list[float], int, set[int]]:
    timings: list[float] = []
    statuses: set[int] = set()
    size = 0
    lock = threading.Lock()
    remaining = [requests]

    def client() -> None:
        nonlocal size
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        while True:
            with lock:
                if remaining[0] == 0:
                    break
                remaining[0] -= 1
            start = time.perf_counter()
            status, length = fetch(conn, path, cookie)
            elapsed = time.perf_counter() - start
            with lock:
                timings.append(elapsed)
                statuses.add(status)
                size = length
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, size, statuses


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--departments", type=int, default=2000)
    parser.add_argument("--skip-generate", action="store_true", help="Reuse the data there.")
    parser.add_argument("--as-of", default="2026-11-26")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--requests", type=int, default=20, help="Per page.")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument(
        "--no-memo",
        action="store_true",
        help="Serve with READ_MEMO_ENTRIES=0: every page reads afresh, as the first "
        "reader after a registry change does.",
    )
    args = parser.parse_args()

    env = production_env(args.database_url, args.redis_url)
    if args.no_memo:
        env["READ_MEMO_ENTRIES"] = "0"
    os.environ.update(env)
    print(f"database: {args.database_url}")
    cookie, placeholders = prepare(args)
    pages = [path.format(**placeholders) for path in args.pages]
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    try:
        results = {}
        for path in [BASELINE, *pages]:
            # One request first: each worker's first hit loads code and warms caches.
            run_page(port, path, cookie, args.workers, args.workers)
            results[path] = run_page(port, path, cookie, args.requests, args.concurrency)
        base = statistics.median(results[BASELINE][0])
        print(
            f"\n{args.requests} requests per page, {args.concurrency} at a time, "
            f"gunicorn {args.workers} workers; baseline {BASELINE}"
            + ("; nothing remembered (--no-memo)" if args.no_memo else "")
        )
        print(f"{'page':<22} {'status':>6} {'p50 ms':>8} {'p99 ms':>8} {'KB':>8} {'× base':>7}")
        for path, (timings, size, statuses) in results.items():
            p50 = statistics.median(timings)
            print(
                f"{path:<22} {','.join(map(str, sorted(statuses))):>6} {p50 * 1000:8.0f} "
                f"{percentile(timings, 0.99) * 1000:8.0f} {size / 1024:8.1f} {p50 / base:7.1f}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
