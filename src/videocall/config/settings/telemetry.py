"""Telemetry: the access log, crash intake and the /metrics endpoint (docs/telemetry.md)."""

from __future__ import annotations

from videocall.config.env import env, env_bool, env_int, env_list

# Access log: buffered in-process, bulk-inserted by a background thread every FLUSH_SECONDS or as soon
# as BATCH rows wait (0 seconds = no thread: flush inline whenever the batch is full).
VIDEOCALL_ACCESS_LOG_ENABLED = env_bool("VIDEOCALL_ACCESS_LOG_ENABLED", True)
VIDEOCALL_ACCESS_LOG_BATCH = env_int("VIDEOCALL_ACCESS_LOG_BATCH", 200)
VIDEOCALL_ACCESS_LOG_FLUSH_SECONDS = float(env("VIDEOCALL_ACCESS_LOG_FLUSH_SECONDS", "5") or "5")
VIDEOCALL_ACCESS_LOG_MAX_PENDING = env_int("VIDEOCALL_ACCESS_LOG_MAX_PENDING", 20000)

# Crash intake (Sentry-compatible): size limits and a rate limit per project key and minute.
VIDEOCALL_CRASH_MAX_COMPRESSED_BYTES = env_int("VIDEOCALL_CRASH_MAX_COMPRESSED_BYTES", 1024 * 1024)
VIDEOCALL_CRASH_MAX_BYTES = env_int("VIDEOCALL_CRASH_MAX_BYTES", 5 * 1024 * 1024)
VIDEOCALL_CRASH_RATE_PER_MINUTE = env_int("VIDEOCALL_CRASH_RATE_PER_MINUTE", 60)

# /metrics (staff/metrics.py): the bearer token is VIDEOCALL_METRICS_TOKEN (base.py, with the secrets);
# these networks may read it without the token (comma-separated IPs or CIDRs).
VIDEOCALL_METRICS_ALLOW_IPS = env_list("VIDEOCALL_METRICS_ALLOW_IPS", [])
