"""A real worker process on Redis: queued work completes (alert + email through SMTP on loopback), and a
worker killed mid-task loses and duplicates nothing once a new worker takes over.

The worker and this test share a fresh SQLite file (migrated by ``videocall migrate`` in a subprocess);
the test reads it through an extra connection alias. Needs Redis on 127.0.0.1:6379 (``services`` mark).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.conf import settings
from django.db import connections

from tests.notifications.conftest import bodies

# One xdist worker runs these in sequence: they share a Redis database and its "unacked" bookkeeping.
pytestmark = [pytest.mark.services, pytest.mark.xdist_group("celery-worker")]

ROOT = Path(__file__).resolve().parents[2]
VIDEOCALL = str(Path(sys.executable).with_name("videocall"))
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get("VIDEOCALL_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{13 - _XDIST_INDEX % 4}")
VISIBILITY_TIMEOUT = 3


def _wait(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Stack:
    """Shared SQLite file, a queue of this test's own, an env for ``videocall`` subprocesses."""

    def __init__(self, tmp_path: Path, smtp_port: int, blocker: Any) -> None:
        self.db_path = tmp_path / "jobs.sqlite3"
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.blocker = blocker
        self.workers: list[subprocess.Popen[bytes]] = []
        self.logs = tmp_path
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "REDIS_URL": REDIS_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "VIDEOCALL_TEST_QUEUE": self.queue,
            "VIDEOCALL_SITE_URL": "https://videocall.example",
            "SECRET_KEY": settings.SECRET_KEY,
            "VIDEOCALL_DATA_KEYS": settings.VIDEOCALL_DATA_KEYS,
            "VIDEOCALL_INDEX_KEY": settings.VIDEOCALL_INDEX_KEY,
            "VIDEOCALL_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        self.sender = Celery("test-sender", broker=REDIS_URL)
        self.sender.conf.broker_transport_options = {"visibility_timeout": VISIBILITY_TIMEOUT}

    def migrate(self) -> None:
        subprocess.run(
            [VIDEOCALL, "migrate", "--noinput"], env=self.env, cwd=ROOT, check=True, capture_output=True
        )
        import dj_database_url

        config = dj_database_url.parse(f"sqlite:///{self.db_path}")
        config["OPTIONS"] = {"init_command": "PRAGMA busy_timeout=10000;"}
        connections.settings["jobs"] = connections.configure_settings({"default": config})["default"]

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = (self.logs / f"worker{len(self.workers)}.log").open("wb")
        proc = subprocess.Popen(
            [
                VIDEOCALL,
                "worker",
                "--concurrency",
                "1",
                "--queues",
                self.queue,
                "--hostname",
                f"w{len(self.workers)}@%h",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(proc)
        return proc

    @staticmethod
    def kill(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, sig)  # the worker's own process group: main process and its pool child
            proc.wait(timeout=30)

    def send(self, name: str, **kwargs: Any) -> str:
        return str(self.sender.send_task(name, kwargs=kwargs, queue=self.queue).id)

    def read(self, fn: Callable[[], Any]) -> Any:
        with self.blocker.unblock():
            try:
                return fn()
            finally:
                connections["jobs"].close()

    def close(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.kill(proc)
        if "jobs" in connections.settings:
            connections["jobs"].close()
            del connections["jobs"]  # the cached wrapper would keep pointing at this test's file
            del connections.settings["jobs"]
        self.sender.close()


@pytest.fixture
def stack(tmp_path: Path, smtp_server: Any, django_db_blocker: Any) -> Iterator[tuple[Stack, Any]]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: the services tests need it")
    # This database belongs to these tests alone. Start from empty: a worker of an earlier test that was
    # SIGKILLed at teardown can leave kombu's "unacked_mutex" held (300 s), which would stop the next
    # worker from restoring unacknowledged messages in time.
    client.flushdb()
    recorder, port = smtp_server
    s = Stack(tmp_path, port, django_db_blocker)
    s.migrate()
    try:
        yield s, recorder
    finally:
        s.close()


def _user(s: Stack) -> int:
    from allauth.account.models import EmailAddress

    from videocall.accounts.models import User

    def create() -> int:
        user = User.objects.db_manager("jobs").create_user(
            email="worker-test@example.org", password=None, first_name="Wanda"
        )
        EmailAddress.objects.using("jobs").create(user=user, email=user.email, verified=True, primary=True)
        return int(user.pk)

    return int(s.read(create))


def _state(s: Stack, user_id: int) -> dict[str, Any]:
    from videocall.notifications.models import JobRecord, Notification, TaskOnce

    def read() -> dict[str, Any]:
        return {
            "alerts": list(
                Notification.objects.using("jobs").filter(user_id=user_id).values_list("kind", "title")
            ),
            "jobs": {j.task_id: j for j in JobRecord.objects.using("jobs").all()},
            "keys": set(TaskOnce.objects.using("jobs").values_list("key", flat=True)),
        }

    return dict(s.read(read))


def test_queued_task_completes_with_alert_and_email(stack, tmp_path):
    s, smtp = stack
    user_id = _user(s)
    s.start_worker()
    no_hold = str(tmp_path / "no-hold")  # absent: the export-like task finishes at once
    task_id = s.send("tests.notifications.slow_export", key="export-41", user_id=user_id, hold_file=no_hold)
    [message] = _wait(lambda: smtp.to("worker-test@example.org"), 60, "the email")
    assert message["Subject"] == "Your data export is ready" and message["List-Unsubscribe"] is None
    text, _html = bodies(message)
    assert "2030-01-31" in text and "https://videocall.example/privacy/exports/" in text
    state = _wait(
        lambda: (
            (st := _state(s, user_id))["jobs"].get(task_id)
            and st["jobs"][task_id].state == "succeeded"
            and st
        ),
        30,
        "job record",
    )
    assert state["alerts"] == [("privacy.export_ready", "Your data export is ready")]
    job = state["jobs"][task_id]
    assert (job.task_name, job.retries, job.deliveries, job.error) == (
        "tests.notifications.slow_export",
        0,
        1,
        "",
    )
    assert job.started_at and job.finished_at and job.worker.startswith("w0@")

    def email_jobs() -> list[str]:
        jobs = _state(s, user_id)["jobs"].values()
        return [j.state for j in jobs if j.task_name.endswith("deliver_email")]

    _wait(lambda: email_jobs() == ["succeeded"], 30, "the email job to be recorded as succeeded")
    assert "export:export-41" in state["keys"]
    # Queuing the same job again (a client retry, a duplicated message) changes nothing.
    again = s.send("tests.notifications.slow_export", key="export-41", user_id=user_id, hold_file=no_hold)
    _wait(
        lambda: (j := _state(s, user_id)["jobs"].get(again)) and j.state == "succeeded", 30, "duplicate run"
    )
    time.sleep(1)
    assert len(smtp.to("worker-test@example.org")) == 1
    assert len(_state(s, user_id)["alerts"]) == 1


def test_worker_killed_mid_task_completes_once_after_restart(stack, tmp_path):
    s, smtp = stack
    user_id = _user(s)
    hold = tmp_path / "hold"
    hold.touch()
    first = s.start_worker()
    task_id = s.send("tests.notifications.slow_export", key="export-7", user_id=user_id, hold_file=str(hold))
    _wait(
        lambda: (j := _state(s, user_id)["jobs"].get(task_id)) and j.state == "started",
        60,
        "the task to start",
    )
    time.sleep(0.5)
    s.kill(first)  # SIGKILL: no warm shutdown, no ack, the transaction never commits
    state = _state(s, user_id)
    assert state["alerts"] == [] and "export:export-7" not in state["keys"]
    assert state["jobs"][task_id].state == "started" and state["jobs"][task_id].deliveries == 1
    hold.unlink()
    s.start_worker()
    # acks_late + visibility timeout: the unacknowledged message goes back to the queue for the new worker
    _wait(lambda: (j := _state(s, user_id)["jobs"].get(task_id)) and j.state == "succeeded", 90, "redelivery")
    _wait(lambda: smtp.to("worker-test@example.org"), 60, "the email")
    time.sleep(VISIBILITY_TIMEOUT + 2)  # room for any stray duplicate to show up
    state = _state(s, user_id)
    assert state["alerts"] == [("privacy.export_ready", "Your data export is ready")]
    assert len(smtp.to("worker-test@example.org")) == 1
    job = state["jobs"][task_id]
    assert job.deliveries == 2 and job.worker.startswith("w1@")
    assert "export:export-7" in state["keys"]


def test_job_records_retries_failures_and_beat(stack):
    s, _smtp = stack
    s.env["VIDEOCALL_TEST_BEAT_SECONDS"] = "1"
    user_id = _user(s)
    proc = subprocess.Popen(
        [VIDEOCALL, "worker", "--beat", "--concurrency", "1", "--queues", s.queue, "--hostname", "wb@%h"],
        env=s.env,
        cwd=ROOT,
        stdout=(s.logs / "beat.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    s.workers.append(proc)
    flaky = s.send("tests.notifications.flaky")
    broken = s.send("tests.notifications.broken", email="alice@example.org")

    def jobs() -> dict[str, Any]:
        return dict(_state(s, user_id)["jobs"])

    _wait(lambda: (j := jobs().get(flaky)) and j.state == "succeeded", 60, "the flaky task")
    _wait(lambda: (j := jobs().get(broken)) and j.state == "failed", 60, "the broken task")
    records = jobs()
    assert records[flaky].retries == 1
    assert (records[broken].error, records[broken].retries) == ("ValueError", 0)
    for record in records.values():
        assert "alice" not in " ".join(str(v) for v in vars(record).values())
    log = (s.logs / "beat.log").read_text()
    assert "tests.notifications.broken" in log and "ValueError" in log
    assert "alice" not in log and "transient trouble" not in log  # Celery's log lines are redacted
    # the embedded beat queued the sweep (recorded as queued by the publisher) and the worker ran it
    sweeps = _wait(
        lambda: [
            j
            for j in jobs().values()
            if j.task_name.endswith("notifications_sweep") and j.state == "succeeded"
        ],
        60,
        "a scheduled sweep",
    )
    assert sweeps[0].queued_at is not None


def test_worker_counters_are_on_metrics_in_multiprocess_mode(stack, tmp_path, settings, monkeypatch):
    """Prometheus multiprocess mode: task outcomes counted in the worker's pool process (another process
    than this one, which serves /metrics) are exposed by the web endpoint."""
    from django.test import RequestFactory

    from videocall.staff.metrics import metrics_view

    s, _smtp = stack
    directory = tmp_path / "prometheus"
    s.env["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    s.start_worker()
    flaky = s.send("tests.notifications.flaky")
    broken = s.send("tests.notifications.broken", email="alice@example.org")
    verify = s.send("staff.audit_chain_verify")

    def finished() -> bool:
        jobs = _state(s, 0)["jobs"]
        return all(
            task in jobs and jobs[task].state in {"succeeded", "failed"} for task in (flaky, broken, verify)
        )

    _wait(finished, 90, "the three tasks")
    settings.VIDEOCALL_METRICS_TOKEN = "metrics-token-for-tests"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    request = RequestFactory().get("/metrics", HTTP_AUTHORIZATION="Bearer metrics-token-for-tests")
    expected = [
        'videocall_celery_tasks_total{state="failure",task="tests.notifications.broken"} 1.0',
        'videocall_celery_tasks_total{state="retry",task="tests.notifications.flaky"} 1.0',
        'videocall_celery_tasks_total{state="success",task="tests.notifications.flaky"} 1.0',
        'videocall_celery_tasks_total{state="success",task="staff.audit_chain_verify"} 1.0',
    ]
    body = _wait(
        lambda: (
            (text := metrics_view(request).content.decode()) and all(e in text for e in expected) and text
        ),
        30,
        "the worker's counters on /metrics",
    )
    assert "alice" not in body
    writers = {int(p.stem.rsplit("_", 1)[1]) for p in directory.glob("*.db")}
    assert writers and os.getpid() not in writers  # every value came from the worker's processes
