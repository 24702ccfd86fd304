"""Join-endpoint throughput and webhook ingestion rate on PostgreSQL, each beside the bare /healthz
endpoint of the same server in the same run.

    .venv/bin/python bench/meetings_bench.py [--requests 600] [--threads 8] [--workers 2]

Creates a fresh PostgreSQL database (BENCH_PG, default postgres://postgres@127.0.0.1:5432), starts
``videocall serve`` on a free port against it, drives it with threads over http.client for a bounded
number of requests, prints requests/second and the ratios, then stops the server and drops the database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEBHOOK_SECRET = "whsec_bench_" + secrets.token_hex(8)
APP_SECRET = "bench-app-secret-" + secrets.token_hex(16)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def admin_sql(base: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def wait_ready(port: int, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("server did not become ready")


Request = Callable[[int], tuple[str, str, bytes, dict[str, str]]]


def drive(port: int, total: int, threads: int, make: Request, expect: set[int]) -> float:
    """Send ``total`` requests over ``threads`` keep-alive connections; returns requests/second."""
    counter = iter(range(total))
    lock = threading.Lock()
    failures: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            method, path, body, headers = make(n)
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            if response.status not in expect:
                failures.append(f"{path}: {response.status} {payload[:200]!r}")
        conn.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} failed requests, first: {failures[0]}")
    return total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rooms", type=int, default=30)
    args = parser.parse_args()

    base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    db_name = f"vc_meetings_bench_{os.getpid()}"
    var_dir = tempfile.mkdtemp(prefix="vc-bench-")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"{base}/{db_name}",
        "VIDEOCALL_VAR_DIR": var_dir,
        "VIDEOCALL_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "videocall.config.settings",
        "JITSI_MODE": "self-hosted",
        "JITSI_DOMAIN": "meet.example.org",
        "JITSI_APP_ID": "videocall",
        "JITSI_APP_SECRET": APP_SECRET,
        "JITSI_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "LOG_LEVEL": "WARNING",
    }
    admin_sql(base, f'DROP DATABASE IF EXISTS "{db_name}"')
    admin_sql(base, f'CREATE DATABASE "{db_name}"')
    os.environ.update(env)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/videocall"), "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_ready(port)
        run(port, args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        admin_sql(base, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def run(port: int, args: argparse.Namespace) -> None:
    import django

    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
    from importlib import import_module

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from videocall.accounts.models import User
    from videocall.meetings.jitsi.webhooks import jaas_signature
    from videocall.meetings.services import Schedule, meeting_create

    user = User.objects.create_user(
        email="bench-host@example.org", password=None, first_name="Bench", last_name="Host"
    )
    user.set_roles([])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    meetings = [
        meeting_create(actor=user, schedule=Schedule(title=f"Bench {n}", is_instant=True))
        for n in range(args.rooms)
    ]
    session = import_module(settings.SESSION_ENGINE).SessionStore()  # the encrypting session store
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = secrets.token_hex(16)  # 32 characters, an unmasked CSRF secret
    cookie = f"sessionid={session.session_key}; csrftoken={csrf}"

    def healthz(n: int) -> tuple[str, str, bytes, dict[str, str]]:
        return "GET", "/healthz", b"", {}

    def join(n: int) -> tuple[str, str, bytes, dict[str, str]]:
        meeting = meetings[n % len(meetings)]
        headers = {"Cookie": cookie, "X-CSRFToken": csrf, "Content-Type": "application/json"}
        return "POST", f"/api/v1/meetings/{meeting.pk}/join", b"{}", headers

    start_ms = int(time.time() * 1000)

    def webhook(n: int) -> tuple[str, str, bytes, dict[str, str]]:
        meeting = meetings[n % len(meetings)]
        kind = ["ROOM_CREATED", "PARTICIPANT_JOINED", "PARTICIPANT_LEFT"][(n // len(meetings)) % 3]
        event = {
            "idempotencyKey": str(uuid.uuid4()),
            "customerId": "bench",
            "appId": "vpaas-magic-cookie-bench",
            "eventType": kind,
            "sessionId": f"s-{meeting.pk}",
            "timestamp": start_ms + n,
            "fqn": f"vpaas-magic-cookie-bench/{meeting.room_name}",
            "data": {"participantId": f"p{n % 7}", "name": "Bench Guest", "moderator": "false", "id": ""},
        }
        body = json.dumps(event).encode()
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Jaas-Signature": f"t={stamp},v1={jaas_signature(WEBHOOK_SECRET, stamp, body)}",
        }
        return "POST", "/api/v1/meetings/webhooks/jaas", body, headers

    # Sanity: the join really is the signed-in host path (moderator token).
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    method, path, body, headers = join(0)
    conn.request(method, path, body=body, headers=headers)
    answer = json.loads(conn.getresponse().read())
    assert answer.get("moderator") is True and answer.get("token"), answer

    n, t = args.requests, args.threads
    drive(port, 100, t, healthz, {200})  # warm-up
    bare_1 = drive(port, n, t, healthz, {200})
    joins = drive(port, n, t, join, {200})
    bare_2 = drive(port, n, t, healthz, {200})
    hooks = drive(port, n, t, webhook, {200})
    bare_3 = drive(port, n, t, healthz, {200})
    bare = (bare_1 + bare_2 + bare_3) / 3
    from videocall.meetings.models import JitsiEvent

    stored = JitsiEvent.objects.count()
    print(
        f"server: videocall serve, {args.workers} gunicorn workers x 4 threads, PostgreSQL, {timezone.now():%Y-%m-%d %H:%M} UTC"
    )
    print(f"load: {n} requests per phase over {t} keep-alive connections, {len(meetings)} meetings")
    print(f"bare /healthz:            {bare:8.1f} req/s  (runs: {bare_1:.1f}, {bare_2:.1f}, {bare_3:.1f})")
    print(f"join (POST .../join):     {joins:8.1f} req/s  ratio to bare {joins / bare:.2f}")
    print(
        f"JaaS webhook ingestion:   {hooks:8.1f} ev/s   ratio to bare {hooks / bare:.2f}  ({stored} events stored)"
    )


if __name__ == "__main__":
    main()
