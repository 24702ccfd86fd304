"""An independent JWT reader for the tests: base64url split, HMAC-SHA256 / RSA PKCS#1 v1.5 check with
hmac + cryptography directly, then the JITSI.md rules. Shares no code with PyJWT or the signer."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding


def b64url_decode(part: str) -> bytes:
    assert re.fullmatch(r"[A-Za-z0-9_-]+", part), "not base64url without padding"
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def decode(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    parts = token.split(".")
    assert len(parts) == 3, "a JWS compact token has three parts"
    header = json.loads(b64url_decode(parts[0]))
    claims = json.loads(b64url_decode(parts[1]))
    signing_input = f"{parts[0]}.{parts[1]}".encode("ascii")
    return header, claims, signing_input, b64url_decode(parts[2])


def verify_hs256(token: str, secret: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, claims, signing_input, signature = decode(token)
    expected = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    assert hmac.compare_digest(expected, signature), "HS256 signature does not verify"
    return header, claims


def verify_rs256(token: str, public_key: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    header, claims, signing_input, signature = decode(token)
    public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())  # raises if wrong
    return header, claims


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_common(header: dict[str, Any], claims: dict[str, Any], *, room: str, now: float, ttl: int) -> None:
    assert header["typ"] == "JWT"
    for name in ("iss", "aud", "sub", "room", "nbf", "exp"):
        assert name in claims, f"missing {name}"
    assert is_number(claims["nbf"]) and is_number(claims["exp"]), "nbf/exp must be JSON numbers"
    assert now - 60 <= claims["nbf"] <= now - 30, "nbf should be 30-60 s in the past"
    assert claims["exp"] - now <= ttl + 1 and claims["exp"] > now, "exp should be minutes ahead"
    assert claims["room"] == room and claims["room"] == claims["room"].lower()
    assert re.fullmatch(r"[a-z0-9-]+", claims["room"])
    user = claims["context"]["user"]
    for name in ("id", "name", "email", "avatar"):
        assert isinstance(user[name], str), f"context.user.{name} must be a string"
    assert user["moderator"] in ("true", "false")
    assert isinstance(claims["context"]["features"], dict)
