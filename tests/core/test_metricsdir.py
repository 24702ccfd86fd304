"""Prometheus multiprocess mode: the directory is created before Django starts, and a starting server or
worker removes the metric files of processes that have ended, never the live files of another one."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from videocall import cli
from videocall.core.metricsdir import prepare


def _ended_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_nothing_happens_without_the_variable(monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    assert prepare(clean=True) is None


def test_prepare_creates_the_directory_and_cleans_only_ended_processes(monkeypatch, tmp_path):
    directory = tmp_path / "metrics"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    assert prepare(clean=False) == directory and directory.is_dir()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        ended = _ended_pid()
        files = {
            "mine": directory / f"counter_{os.getpid()}.db",
            "live": directory / f"histogram_{live.pid}.db",
            "ended": directory / f"counter_{ended}.db",
            "ended_gauge": directory / f"gauge_livesum_{ended}.db",
            "stray": directory / "leftover.db",
        }
        for path in files.values():
            path.write_bytes(b"x")
        prepare(clean=False)
        assert all(path.exists() for path in files.values())  # only a starting server/worker cleans
        prepare(clean=True)
        assert {name for name, path in files.items() if path.exists()} == {"mine", "live"}
    finally:
        live.kill()
        live.wait()


@pytest.mark.parametrize(("command", "cleans"), [("worker", True), ("check", False)])
def test_the_videocall_command_prepares_the_directory_first(monkeypatch, tmp_path, settings, command, cleans):
    directory: Path = tmp_path / "metrics"
    directory.mkdir()
    stale = directory / f"counter_{_ended_pid()}.db"
    stale.write_bytes(b"x")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    settings.CELERY_BROKER_URL = None  # `worker` stops at once: no broker
    with contextlib.suppress(SystemExit):
        cli.main([command])
    assert stale.exists() is not cleans
