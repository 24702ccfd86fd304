"""The database: ``DATABASE_URL`` (PostgreSQL in production), SQLite in ``var/`` by default."""

from __future__ import annotations

import dj_database_url

from videocall.config.env import env, env_int
from videocall.config.settings.base import VAR_DIR

DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'videocall.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL or "", conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
