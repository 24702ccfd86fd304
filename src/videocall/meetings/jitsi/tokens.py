"""Minting the JWT that lets one person into exactly one room, per JITSI.md.

``open``: no token. ``self-hosted``: Prosody ``authentication = "token"`` (HS256 with the app secret,
or RS256 with ``kid``). ``jaas``: 8x8 JaaS (RS256, ``kid`` = ``vpaas-magic-cookie-<id>/<keyid>``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from django.conf import settings

NBF_BACKDATE_SECONDS = 45  # Prosody checks nbf/exp with no clock-skew allowance

JAAS_DOMAIN = "8x8.vc"
# Features JaaS knows (unknown keys are rejected by its client); moderators get the recording tools.
JAAS_FEATURES = ("livestreaming", "recording", "transcription", "outbound-call", "sip-outbound-call")
SELF_HOSTED_FEATURES = ("livestreaming", "recording", "transcription", "outbound-call")


class JitsiConfigurationError(Exception):
    """The Jitsi settings cannot produce a valid token (the message names the setting to fix)."""


@dataclass(frozen=True)
class TokenUser:
    id: str
    name: str
    email: str = ""
    avatar: str = ""
    moderator: bool = False


@dataclass(frozen=True)
class JitsiConfig:
    mode: str
    domain: str
    app_id: str
    app_secret: str
    algorithm: str
    audience: str
    subject: str
    private_key: str
    key_id: str
    ttl_seconds: int
    script_origin: str
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_settings(cls) -> JitsiConfig:
        mode = settings.JITSI_MODE or "open"
        configured = settings.JITSI_DOMAIN or ""
        domain = JAAS_DOMAIN if mode == "jaas" and not configured.endswith("8x8.vc") else configured
        return cls(
            mode=mode,
            domain=domain,
            app_id=settings.JITSI_APP_ID or "",
            app_secret=settings.JITSI_APP_SECRET or "",
            algorithm=(settings.JITSI_ALGORITHM or "HS256").upper(),
            audience=settings.JITSI_AUDIENCE or "",
            subject=settings.JITSI_SUBJECT or "",
            private_key=settings.JITSI_PRIVATE_KEY or "",
            key_id=settings.JITSI_KEY_ID or "",
            ttl_seconds=max(60, min(settings.JITSI_TOKEN_TTL_SECONDS, 3600)),
            script_origin=(settings.JITSI_SCRIPT_ORIGIN or "").rstrip("/"),
        )

    # --- What the website and the app need -------------------------------------------------------
    @property
    def origin(self) -> str:
        """The one origin the meeting page's CSP allows for the script and the iframe."""
        if self.script_origin:
            return self.script_origin
        return f"https://{self.domain}"

    @property
    def script_url(self) -> str:
        if self.mode == "jaas":
            return f"{self.origin}/{self.app_id}/external_api.js"
        return f"{self.origin}/external_api.js"

    @property
    def server_url(self) -> str:
        return self.origin

    def client_room(self, room: str) -> str:
        """The roomName the IFrame API / SDK opens (JaaS prefixes the AppID)."""
        return f"{self.app_id}/{room}" if self.mode == "jaas" else room

    @property
    def kid(self) -> str:
        if self.mode == "jaas":
            return self.key_id if "/" in self.key_id else f"{self.app_id}/{self.key_id}"
        return self.key_id

    @property
    def token_subject(self) -> str:
        if self.mode == "jaas":
            return self.app_id
        return self.subject or self.domain


def _load_private_key(value: str) -> str:
    if "-----BEGIN" in value:
        return value.replace("\\n", "\n")
    path = Path(value)
    if value and path.is_file():
        return path.read_text()
    raise JitsiConfigurationError("JITSI_PRIVATE_KEY must be a PEM private key or the path to one")


@lru_cache(maxsize=4)
def _signing_key_cached(value: str) -> Any:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(_load_private_key(value).encode(), password=None)


def check_config(config: JitsiConfig) -> list[str]:
    """Problems that make tokens unusable; empty when the configuration can mint valid tokens."""
    problems: list[str] = []
    if config.mode == "open":
        return problems
    if config.mode == "jaas":
        if not config.app_id.startswith("vpaas-magic-cookie-"):
            problems.append("JITSI_APP_ID must be the JaaS AppID (vpaas-magic-cookie-...)")
        if not config.key_id:
            problems.append("JITSI_KEY_ID (the JaaS API key id) is required")
        elif "/" in config.key_id and not config.key_id.startswith(config.app_id + "/"):
            problems.append("JITSI_KEY_ID's AppID part must equal JITSI_APP_ID")
        if not config.private_key:
            problems.append("JITSI_PRIVATE_KEY is required in jaas mode")
        return problems
    if config.algorithm not in {"HS256", "RS256"}:
        problems.append("JITSI_ALGORITHM must be HS256 or RS256")
    if config.algorithm == "HS256" and not config.app_secret:
        problems.append("JITSI_APP_SECRET (Prosody app_secret) is required for HS256")
    if config.algorithm == "RS256":
        if not config.private_key:
            problems.append("JITSI_PRIVATE_KEY is required for RS256")
        if not config.key_id:
            problems.append(
                "JITSI_KEY_ID is required for RS256 (Prosody fetches <asap_key_server>/<sha256(kid)>.pem)"
            )
    if not config.app_id:
        problems.append("JITSI_APP_ID (Prosody app_id, the token's iss) is required")
    return problems


def _features(keys: tuple[str, ...], moderator: bool) -> dict[str, bool]:
    return {key: moderator and key in {"livestreaming", "recording", "transcription"} for key in keys}


def claims_for(
    config: JitsiConfig, *, room: str, user: TokenUser, now: float | None = None
) -> dict[str, Any]:
    """The claim set for ``user`` in ``room`` (exposed for the diagnostic command)."""
    issued = int(now if now is not None else time.time())
    user_claims: dict[str, str] = {
        "id": str(user.id),
        "name": str(user.name),
        "email": str(user.email or ""),
        "avatar": str(user.avatar or ""),
        "moderator": "true" if user.moderator else "false",
    }
    base: dict[str, Any] = {
        "room": room.lower(),
        "nbf": issued - NBF_BACKDATE_SECONDS,
        "exp": issued + config.ttl_seconds,
    }
    if config.mode == "jaas":
        return {
            "aud": "jitsi",
            "iss": "chat",
            "sub": config.app_id,
            **base,
            "context": {"user": user_claims, "features": _features(JAAS_FEATURES, user.moderator)},
        }
    # token_affiliation reads "affiliation"; without that module every token holder is moderator.
    user_claims["affiliation"] = "owner" if user.moderator else "member"
    return {
        "iss": config.app_id,
        "aud": config.audience or config.app_id,
        "sub": config.token_subject,
        **base,
        "context": {"user": user_claims, "features": _features(SELF_HOSTED_FEATURES, user.moderator)},
    }


def mint_token(
    *, room: str, user: TokenUser, config: JitsiConfig | None = None, now: float | None = None
) -> str | None:
    """A token for exactly ``room``, valid ``JITSI_TOKEN_TTL_SECONDS``; ``None`` in open mode."""
    config = config or JitsiConfig.from_settings()
    if config.mode == "open":
        return None
    problems = check_config(config)
    if problems:
        raise JitsiConfigurationError("; ".join(problems))
    claims = claims_for(config, room=room, user=user, now=now)
    headers: dict[str, Any] = {"typ": "JWT"}
    if config.mode == "jaas":
        headers["kid"] = config.kid
        return jwt.encode(claims, _signing_key_cached(config.private_key), algorithm="RS256", headers=headers)
    if config.algorithm == "RS256":
        headers["kid"] = config.kid
        return jwt.encode(claims, _signing_key_cached(config.private_key), algorithm="RS256", headers=headers)
    return jwt.encode(claims, config.app_secret, algorithm="HS256", headers=headers)
