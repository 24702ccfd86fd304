"""Builders for realistic JaaS and event_sync deliveries."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from videocall.meetings.jitsi.webhooks import jaas_signature

APP_ID = "vpaas-magic-cookie-1234abcd"
SECRET = "whsec_TESTsecretValue0123456789"


def jaas_event(
    event_type: str, room: str, ts_ms: int, session: str, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "idempotencyKey": str(uuid.uuid4()),
        "customerId": "cust-1",
        "appId": APP_ID,
        "eventType": event_type,
        "sessionId": session,
        "timestamp": ts_ms,
        "fqn": f"{APP_ID}/{room}",
        "data": data or {},
    }


def participant(
    pid: str, *, user_id: str = "", name: str = "Someone", moderator: bool = False
) -> dict[str, Any]:
    return {
        "moderator": "true" if moderator else "false",
        "name": name,
        "email": "",
        "id": user_id,
        "participantId": pid,
        "participantJid": f"{pid}@meet.jitsi/abc",
        "avatar": "",
        "isBreakout": False,
        "breakoutRoomId": "",
    }


def signed_headers(body: bytes, *, secret: str = SECRET, t: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if t is None else t)
    return {"HTTP_X_JAAS_SIGNATURE": f"t={stamp},v1={jaas_signature(secret, stamp, body)}"}


def body_of(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode()


def occupant_event(
    kind: str,
    room: str,
    *,
    jid: str,
    joined_at: float,
    left_at: float | None = None,
    user_id: str = "",
    name: str = "X",
) -> dict[str, Any]:
    occupant: dict[str, Any] = {
        "occupant_jid": jid,
        "joined_at": joined_at,
        "name": name,
        "email": "",
        "id": user_id,
    }
    if left_at is not None:
        occupant["left_at"] = left_at
    return {
        "event_name": "muc-occupant-left" if kind == "left" else "muc-occupant-joined",
        "room_name": room,
        "room_jid": f"{room}@conference.meet.example.org",
        "is_breakout": False,
        "breakout_room_id": None,
        "active_occupants_count": 1,
        "occupant": occupant,
    }
