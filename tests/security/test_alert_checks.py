"""The alerts of docs/operations.md ("Alert list") that are checks rather than metrics can fire:
Site down (a real server answers /healthz, then stops answering), Not ready (/readyz 503 naming the
dependency that is down) and Dependency advisory (.ci/audit-deps fails when the audit reports one).
The metric alerts are in test_alerts.py."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.security.conftest import VIDEOCALL
from tests.security.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def _healthz(port: int) -> int | None:
    """The status /healthz answers, or None when nothing answers (what the outside probe sees)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return int(response.status)
    except (urllib.error.URLError, OSError):
        return None


def test_site_down_fires_when_the_server_stops(tmp_path):
    port = free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith("VIDEOCALL_") and k != "DJANGO_SETTINGS_MODULE"
        },
        "VIDEOCALL_VAR_DIR": str(tmp_path / "var"),
    }
    server = subprocess.Popen(
        [VIDEOCALL, "serve", "--no-migrate", "--workers", "1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while _healthz(port) is None:
            assert server.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        assert _healthz(port) == 200  # up: the probe passes
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert _healthz(port) is None  # down: the probe fails, so the alert's condition holds


def test_not_ready_fires_naming_the_dependency(client, db, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unreachable"
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.parametrize(
    ("report", "status", "fails"),
    [
        (
            "Found 1 known vulnerability in 1 package\nName Version ID Fix Versions\ndjango 5.2.0 GHSA-x 5.2.1",
            1,
            True,
        ),
        ("No known vulnerabilities found", 0, False),
        ("ConnectionError: Max retries exceeded", 1, False),  # offline: says "skipped", does not fail
    ],
)
def test_dependency_advisory_fires_when_the_audit_reports_one(tmp_path, report, status, fails):
    """.ci/audit-deps propagates pip-audit's verdict; only an unreachable advisory service is skipped.
    The stand-in prints what pip-audit prints in each case (pip-audit itself needs the network)."""
    fake = tmp_path / "pip-audit"
    fake.write_text(f"#!/bin/sh\ncat <<'OUT'\n{report}\nOUT\nexit {status}\n")
    fake.chmod(0o755)
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "audit-deps")],
        env={**os.environ, "PIP_AUDIT": str(fake)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode != 0) is fails, result.stdout + result.stderr
    if not fails and status:
        assert "skipped" in result.stdout
