"""The Jitsi deployment meetings run on (docs/meetings.md): open meet.jit.si, self-hosted or JaaS."""

from __future__ import annotations

from videocall.config.env import ConfigurationError, env, env_int

JITSI_MODE = env("JITSI_MODE", "open")
if JITSI_MODE not in {"open", "self-hosted", "jaas"}:
    raise ConfigurationError("JITSI_MODE must be open, self-hosted or jaas")
JITSI_DOMAIN = env("JITSI_DOMAIN", "meet.jit.si")
JITSI_APP_ID = env("JITSI_APP_ID", "videocall")
JITSI_APP_SECRET = env("JITSI_APP_SECRET")
JITSI_ALGORITHM = env("JITSI_ALGORITHM", "HS256")
JITSI_AUDIENCE = env("JITSI_AUDIENCE", "videocall")
JITSI_SUBJECT = env("JITSI_SUBJECT")
JITSI_PRIVATE_KEY = env("JITSI_PRIVATE_KEY")
JITSI_KEY_ID = env("JITSI_KEY_ID")
JITSI_TOKEN_TTL_SECONDS = env_int("JITSI_TOKEN_TTL_SECONDS", 300)
JITSI_WEBHOOK_SECRET = env("JITSI_WEBHOOK_SECRET")
JITSI_WEBHOOK_TOLERANCE_SECONDS = env_int("JITSI_WEBHOOK_TOLERANCE_SECONDS", 300)
JITSI_SCRIPT_ORIGIN = env("JITSI_SCRIPT_ORIGIN")
