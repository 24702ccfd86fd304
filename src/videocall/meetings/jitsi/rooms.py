"""Room names: unguessable, lowercase ``[a-z0-9-]`` only (Jitsi lowercases and URL-encodes the room it
compares with the token's ``room`` claim; anything else is the classic "room not allowed")."""

from __future__ import annotations

import base64
import re
import secrets

ROOM_NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def new_room_name() -> str:
    """100 random bits as four lowercase base32 groups, e.g. ``vc-k3x9q-...``."""
    raw = base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()  # 24 chars of [a-z2-7]
    return "vc-" + "-".join(raw[i : i + 6] for i in range(0, 24, 6))


def is_valid_room_name(name: str) -> bool:
    return bool(ROOM_NAME_RE.match(name))
