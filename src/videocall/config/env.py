"""Reading configuration from the environment, with embedded defaults for the local set-up.

Secrets come only from the environment (or a mounted file named by ``<VAR>_FILE``). In the embedded
default they are generated once and kept in ``var/secrets.json`` so a developer needs no configuration;
with ``VIDEOCALL_ENV=production`` a missing secret stops the process with a clear message.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path


class ConfigurationError(RuntimeError):
    """A required setting is missing or malformed."""


def env(name: str, default: str | None = None) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def embedded_secrets(var_dir: Path) -> dict[str, str]:
    """Secrets for the embedded default, created once (atomically) in ``var/secrets.json``."""
    path = var_dir / "secrets.json"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        generated = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "VIDEOCALL_DATA_KEYS": f"k1:{_new_key()}",
            "VIDEOCALL_INDEX_KEY": _new_key(),
            "VIDEOCALL_METRICS_TOKEN": secrets.token_urlsafe(24),
        }
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(generated, handle)
            return generated
    for _ in range(50):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:  # another process is still writing it
            import time

            time.sleep(0.05)
            continue
        return {str(k): str(v) for k, v in data.items()}
    raise ConfigurationError(f"{path} is not valid JSON")


def secret(name: str, *, production: bool, fallback: dict[str, str]) -> str:
    value = env(name)
    if value:
        return value
    if production:
        raise ConfigurationError(
            f"{name} is required when VIDEOCALL_ENV=production. Set it in the environment "
            f"(or point {name}_FILE at a mounted file). See docs/configuration.md."
        )
    return fallback[name]
