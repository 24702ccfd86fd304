"""Authenticating and normalising what Jitsi reports: JaaS webhooks and the self-hosted ``event_sync``
module. Pure functions: no database access here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

JAAS_SIGNATURE_HEADER = "X-Jaas-Signature"

EVENT_SYNC_KINDS = {
    "room/created": "muc-room-created",
    "room/destroyed": "muc-room-destroyed",
    "occupant/joined": "muc-occupant-joined",
    "occupant/left": "muc-occupant-left",
}

# Normalised event types (the JaaS names; event_sync events are mapped onto them).
ROOM_CREATED = "ROOM_CREATED"
ROOM_DESTROYED = "ROOM_DESTROYED"
PARTICIPANT_JOINED = "PARTICIPANT_JOINED"
PARTICIPANT_LEFT = "PARTICIPANT_LEFT"
CONTENT_TYPES = {
    "RECORDING_UPLOADED": "recording",
    "TRANSCRIPTION_UPLOADED": "transcript",
    "CHAT_UPLOADED": "chat",
}
KNOWN_JAAS_TYPES = {
    ROOM_CREATED,
    ROOM_DESTROYED,
    PARTICIPANT_JOINED,
    PARTICIPANT_LEFT,
    "PARTICIPANT_JOINED_LOBBY",
    "PARTICIPANT_LEFT_LOBBY",
    "RECORDING_STARTED",
    "RECORDING_ENDED",
    "LIVE_STREAM_STARTED",
    "LIVE_STREAM_ENDED",
    "SETTINGS_PROVISIONING",
    "TRANSCRIPTION_CHUNK_RECEIVED",
    "SIP_CALL_IN_STARTED",
    "SIP_CALL_IN_ENDED",
    "SIP_CALL_OUT_STARTED",
    "SIP_CALL_OUT_ENDED",
    "FEEDBACK",
    "DIAL_IN_STARTED",
    "DIAL_IN_ENDED",
    "DIAL_OUT_STARTED",
    "DIAL_OUT_ENDED",
    "ROLE_CHANGED",
    "USAGE",
    "VIDEO_SEGMENT_UPLOADED",
    "SPEAKER_STATS_UPLOADED",
    "POLL_CREATED",
    "POLL_ANSWER",
    "REACTIONS",
    "AGGREGATED_REACTIONS",
    "SCREEN_SHARING_HISTORY",
    "TRANSCRIPTION_STARTED",
    "TRANSCRIPTION_ENDED",
    *CONTENT_TYPES,
}


class SignatureError(Exception):
    """The request is not authentic (bad, missing or stale signature)."""


def jaas_signature(secret: str, timestamp: str, raw_body: bytes) -> str:
    """base64(HMAC-SHA256(secret verbatim incl. ``whsec_``, t + "." + raw body))."""
    message = timestamp.encode("ascii") + b"." + raw_body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_jaas_signature(
    *, secret: str, header: str | None, raw_body: bytes, now: float, tolerance_seconds: int
) -> int:
    """Check ``X-Jaas-Signature: t=<unix s>,v1=<base64>``; returns ``t``; raises :class:`SignatureError`."""
    if not secret:
        raise SignatureError("webhook secret not configured")
    if not header:
        raise SignatureError("missing signature")
    parts: dict[str, list[str]] = {}
    for element in header.split(","):
        key, sep, value = element.strip().partition("=")
        if sep:
            parts.setdefault(key.strip(), []).append(value.strip())
    timestamps = parts.get("t", [])
    signatures = parts.get("v1", [])
    if len(timestamps) != 1 or not signatures or not timestamps[0].isdigit():
        raise SignatureError("malformed signature header")
    timestamp = timestamps[0]
    if abs(now - int(timestamp)) > tolerance_seconds:
        raise SignatureError("stale timestamp")
    expected = jaas_signature(secret, timestamp, raw_body).encode("ascii")
    if not any(
        hmac.compare_digest(expected, candidate.encode("ascii", "replace")) for candidate in signatures
    ):
        raise SignatureError("signature mismatch")
    return int(timestamp)


def verify_bearer(*, secret: str, header: str | None) -> None:
    if not secret:
        raise SignatureError("event_sync secret not configured")
    scheme, _sep, value = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), secret.encode()):
        raise SignatureError("bad bearer token")


@dataclass(frozen=True)
class NormalisedEvent:
    """One Jitsi event in the platform's terms, ready to store."""

    source: str  # "jaas" | "event_sync"
    idempotency_key: str
    event_type: str
    room_name: str
    session_key: str  # JaaS sessionId; event_sync: "" (assigned by time when folding)
    timestamp_ms: int
    payload: dict[str, Any]


MAX_TIMESTAMP_MS = 10**13  # year 2286: anything larger is not a real event time


class PayloadError(ValueError):
    """The body is authentic but not an event we can read (answered 422)."""


def _room_from_fqn(fqn: str) -> str:
    room = fqn.rsplit("/", 1)[-1] if fqn else ""
    return unquote(room).lower()


def _as_object(raw_body: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError("body is not JSON") from exc
    if not isinstance(body, dict):
        raise PayloadError("body is not a JSON object")
    return body


def normalise_jaas(raw_body: bytes) -> NormalisedEvent:
    body = _as_object(raw_body)
    key = body.get("idempotencyKey")
    event_type = body.get("eventType")
    timestamp = body.get("timestamp")
    if not isinstance(key, str) or not 1 <= len(key) <= 200:
        raise PayloadError("idempotencyKey missing")
    if not isinstance(event_type, str) or not event_type or len(event_type) > 64:
        raise PayloadError("eventType missing")
    if (
        isinstance(timestamp, bool)
        or not isinstance(timestamp, int | float)
        or not 0 < timestamp < MAX_TIMESTAMP_MS
    ):
        raise PayloadError("timestamp missing or out of range")
    fqn = body.get("fqn") if isinstance(body.get("fqn"), str) else ""
    session_id = body.get("sessionId") if isinstance(body.get("sessionId"), str) else ""
    if not isinstance(body.get("data", {}), dict):
        raise PayloadError("data must be an object")
    return NormalisedEvent(
        source="jaas",
        idempotency_key=f"jaas:{key}",
        event_type=event_type.upper(),
        room_name=_room_from_fqn(str(fqn))[:200],
        session_key=str(session_id)[:200],
        timestamp_ms=int(timestamp),
        payload=body,
    )


def normalise_event_sync(kind: str, raw_body: bytes) -> NormalisedEvent:
    """``kind`` is the URL tail (room/created ...). event_sync has no idempotency key: derive one from
    the content (event name, room, the occupant and the event's own time), so a retry is a repeat."""
    if kind not in EVENT_SYNC_KINDS:
        raise PayloadError("unknown event kind")
    body = _as_object(raw_body)
    room = body.get("room_name")
    if not isinstance(room, str) or not room:
        raise PayloadError("room_name missing")
    occupant = body.get("occupant") if isinstance(body.get("occupant"), dict) else {}
    if kind.startswith("room/"):
        seconds = body.get("destroyed_at") if kind == "room/destroyed" else body.get("created_at")
        event_type = ROOM_DESTROYED if kind == "room/destroyed" else ROOM_CREATED
        identity = str(body.get("created_at", ""))
    else:
        if not occupant:
            raise PayloadError("occupant missing")
        seconds = occupant.get("left_at") if kind == "occupant/left" else occupant.get("joined_at")
        event_type = PARTICIPANT_LEFT if kind == "occupant/left" else PARTICIPANT_JOINED
        identity = f"{occupant.get('occupant_jid', '')}|{occupant.get('joined_at', '')}"
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not 0 < seconds * 1000 < MAX_TIMESTAMP_MS
    ):
        raise PayloadError("event time missing or out of range")
    room_name = unquote(room).lower()[:200]
    fingerprint = json.dumps(
        [EVENT_SYNC_KINDS[kind], room_name, body.get("room_jid", ""), identity, seconds],
        separators=(",", ":"),
        sort_keys=True,
        default=str,
    )
    key = "event_sync:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    return NormalisedEvent(
        source="event_sync",
        idempotency_key=key,
        event_type=event_type,
        room_name=room_name,
        session_key="",
        timestamp_ms=int(float(seconds) * 1000),
        payload=body,
    )
