"""Production refuses to start without its secrets; the embedded default needs none."""

import os
import subprocess
import sys

import pytest

BASE_ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("SECRET_KEY", "VIDEOCALL_", "DATABASE_URL", "DJANGO_"))
}


def _run(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "videocall.cli", "check"],
        env={**BASE_ENV, "VIDEOCALL_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "VIDEOCALL_DATA_KEYS", "VIDEOCALL_INDEX_KEY", "ALLOWED_HOSTS"]
)
def test_production_without_a_secret_fails_fast(tmp_path, missing):
    env = {
        "VIDEOCALL_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "VIDEOCALL_DATA_KEYS": "k1:" + "A" * 43 + "=",
        "VIDEOCALL_INDEX_KEY": "B" * 44,
        "ALLOWED_HOSTS": "videocall.example",
    }
    env.pop(missing)
    result = _run(env, tmp_path)
    assert result.returncode != 0
    assert missing in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "secrets.json").exists()


def test_embedded_default_generates_its_secrets_once(tmp_path):
    first = _run({}, tmp_path)
    assert first.returncode == 0, first.stderr
    secrets_file = tmp_path / "secrets.json"
    content = secrets_file.read_text()
    assert oct(secrets_file.stat().st_mode & 0o777) == "0o600"
    assert _run({}, tmp_path).returncode == 0
    assert secrets_file.read_text() == content


def test_debug_cannot_be_on_in_production(tmp_path):
    result = _run(
        {
            "VIDEOCALL_ENV": "production",
            "DEBUG": "1",
            "SECRET_KEY": "x" * 60,
            "VIDEOCALL_DATA_KEYS": "k1:" + "A" * 43 + "=",
            "VIDEOCALL_INDEX_KEY": "B" * 44,
            "ALLOWED_HOSTS": "videocall.example",
        },
        tmp_path,
    )
    assert result.returncode != 0 and "DEBUG" in result.stderr
