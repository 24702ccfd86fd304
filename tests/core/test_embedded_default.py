"""The embedded default end to end: a fresh var/ folder, migrations, an administrator created from the
command line, and personal data that never reaches the SQLite file in clear."""

import os
import subprocess
import sys
from pathlib import Path

BASE_ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("SECRET_KEY", "VIDEOCALL_", "DATABASE_URL", "DJANGO_"))
}
EMAIL = "Katherine.Johnson@Langley.example"
FIRST, LAST = "Katherine", "Goblewright"


def _videocall(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "videocall.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        **kwargs,
    )


def test_fresh_var_folder_keeps_no_personal_data_in_clear(tmp_path: Path):
    env = {
        **BASE_ENV,
        "VIDEOCALL_VAR_DIR": str(tmp_path),
        "VIDEOCALL_ADMIN_PASSWORD": "a long admin passphrase",
    }
    migrated = _videocall(["migrate", "--no-input"], env)
    assert migrated.returncode == 0, migrated.stderr
    created = _videocall(
        ["createadmin", "--no-input", "--email", EMAIL, "--first-name", FIRST, "--last-name", LAST], env
    )
    assert created.returncode == 0, created.stderr
    assert "Administrator #" in created.stdout
    again = _videocall(["createadmin", "--no-input", "--email", EMAIL.lower()], env)
    assert again.returncode != 0 and "exists already" in again.stderr

    # Checkpoint the WAL so every byte is in the main file, then read all database files raw.
    check = _videocall(
        [
            "shell",
            "-c",
            "from django.contrib.auth import authenticate\n"
            "from django.db import connection\n"
            "from videocall.accounts.models import User\n"
            f"u = User.objects.get(email={EMAIL.upper()!r})\n"
            "print('found', u.first_name, u.last_name, u.is_staff)\n"
            f"print('login', authenticate(username={EMAIL!r}, password='a long admin passphrase') == u)\n"
            "connection.cursor().execute('PRAGMA wal_checkpoint(TRUNCATE)')\n",
        ],
        env,
    )
    assert check.returncode == 0, check.stderr
    assert f"found {FIRST} {LAST} True" in check.stdout
    assert "login True" in check.stdout
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("videocall.sqlite3*")).lower()
    assert raw, "the database file exists"
    for needle in (EMAIL.lower(), "langley", FIRST.lower(), LAST.lower()):
        assert needle.encode() not in raw, f"{needle!r} found in clear in the SQLite file"
