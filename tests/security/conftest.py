from __future__ import annotations

import base64
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import pytest

VIDEOCALL = str(Path(sys.executable).with_name("videocall"))


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, Any]:
    """A complete production environment: every secret set, nothing inherited from the test run."""

    def key() -> str:
        return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()

    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "VIDEOCALL_ENV": "production",
        "VIDEOCALL_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "VIDEOCALL_DATA_KEYS": f"k1:{key()}",
        "VIDEOCALL_INDEX_KEY": key(),
        "VIDEOCALL_METRICS_TOKEN": secrets.token_urlsafe(24),
        "ALLOWED_HOSTS": "videocall.example",
        "VIDEOCALL_SITE_URL": "https://videocall.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
