"""Access-log overhead: requests per second with and without the middleware, in the same run.

Starts ``videocall serve`` twice on one fresh database (``VIDEOCALL_ACCESS_LOG_ENABLED`` false, then
true), signs one user in through the app API, and drives a bounded number of authenticated requests
(``GET /api/v1/telemetry/devices`` with ``X-Session-Token``) from a pool of threads, alternating the two
servers for several rounds. Prints requests/second for each, the ratio, the in-process cost of
``record()`` per request, and checks that every logged request reached the database after shutdown.

    .venv/bin/python bench/access_log_bench.py [--requests 600] [--threads 8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIDEOCALL = str(ROOT / ".venv" / "bin" / "videocall")
EMAIL = "bench@example.org"
PASSWORD = "bench horse battery staple"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def setup_database(env: dict[str, str]) -> str:
    """Migrate the fresh database, create a verified user, return an app session token."""
    os.environ.update(env)
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from videocall.accounts.models import User

    call_command("migrate", interactive=False, verbosity=0)
    user = User.objects.create_user(email=EMAIL, password=PASSWORD, age_check_passed_at=timezone.now())
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    response = Client().post(
        "/api/v1/auth/app/v1/auth/login",
        data={"email": EMAIL, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return str(response.json()["meta"]["session_token"])


def start(
    env: dict[str, str], port: int, enabled: bool, workers: int, threads: int
) -> subprocess.Popen[bytes]:
    server_env = {**env, "VIDEOCALL_ACCESS_LOG_ENABLED": "true" if enabled else "false"}
    proc = subprocess.Popen(
        [
            VIDEOCALL,
            "serve",
            "--no-migrate",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"server on port {port} did not start")


def drive(port: int, token: str, requests: int, threads: int) -> float:
    url = f"http://127.0.0.1:{port}/api/v1/telemetry/devices"

    def one(_i: int) -> int:
        req = urllib.request.Request(
            url, headers={"X-Session-Token": token, "User-Agent": "VideoCallBench/1.0"}
        )
        with urllib.request.urlopen(req, timeout=30) as response:
            response.read()
            return int(response.status)

    with ThreadPoolExecutor(max_workers=threads) as pool:  # warm-up
        list(pool.map(one, range(threads * 2)))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - started
    assert all(s == 200 for s in statuses), set(statuses)
    return requests / elapsed


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def record_cost(samples: int = 20000) -> float:
    """Microseconds per ``record()`` call (the only work on the request path), no flushing."""
    from django.conf import settings
    from django.test import RequestFactory

    from videocall.accounts.models import User
    from videocall.telemetry import accesslog

    settings.VIDEOCALL_ACCESS_LOG_BATCH = samples + 1
    settings.VIDEOCALL_ACCESS_LOG_FLUSH_SECONDS = 0
    settings.VIDEOCALL_ACCESS_LOG_MAX_PENDING = samples + 1
    user = User.objects.get_by_email(EMAIL)
    request = RequestFactory().get("/api/v1/telemetry/devices", HTTP_X_SESSION_TOKEN="t" * 32)
    request.user = user

    class Response:
        status_code = 200

    started = time.perf_counter()
    for _ in range(samples):
        accesslog.record(request, Response(), started)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    accesslog.buffer.clear()
    return elapsed / samples * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server-threads", type=int, default=4)
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="vc-bench-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "videocall.config.settings",
        "VIDEOCALL_VAR_DIR": var_dir,
        "VIDEOCALL_ENV": "development",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    token = setup_database(env)

    port_off, port_on = free_port(), free_port()
    off = start(env, port_off, False, args.workers, args.server_threads)
    on = start(env, port_on, True, args.workers, args.server_threads)
    rps_off: list[float] = []
    rps_on: list[float] = []
    try:
        for _ in range(args.rounds):
            rps_off.append(drive(port_off, token, args.requests, args.threads))
            rps_on.append(drive(port_on, token, args.requests, args.threads))
    finally:
        stop(off)
        stop(on)  # SIGTERM: each worker flushes its buffer at exit

    from videocall.telemetry.models import AccessLogEntry

    logged = AccessLogEntry.objects.count()
    expected = args.rounds * (args.requests + args.threads * 2)
    cost_us = record_cost()
    median_off, median_on = statistics.median(rps_off), statistics.median(rps_on)
    print(f"workers={args.workers} server-threads={args.server_threads} client-threads={args.threads}")
    print(f"requests per round={args.requests} rounds={args.rounds} (database: SQLite, embedded default)")
    print(
        "without access log: " + ", ".join(f"{r:.0f}" for r in rps_off) + f" req/s (median {median_off:.0f})"
    )
    print("with access log:    " + ", ".join(f"{r:.0f}" for r in rps_on) + f" req/s (median {median_on:.0f})")
    print(f"ratio with/without: {median_on / median_off:.3f}")
    print(f"per-request overhead: {1e3 / median_on - 1e3 / median_off:+.3f} ms (from medians)")
    print(f"record() on the request path: {cost_us:.1f} us per request (buffer append only)")
    print(f"rows in the access log after shutdown: {logged} of {expected} logged requests")
    shutil.rmtree(var_dir, ignore_errors=True)
    sys.exit(0 if logged == expected else 1)


if __name__ == "__main__":
    main()
