from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1"
BINARY_MAGIC = b"VCE1"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class DecryptionError(ValueError):
    """The value was tampered with, bound to another field, or encrypted with a key we do not hold."""


def _decode_key(raw: str) -> bytes:
    padded = raw.strip() + "=" * (-len(raw.strip()) % 4)
    try:
        key = base64.urlsafe_b64decode(padded)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("data keys must be base64") from exc
    if len(key) != 32:
        raise ValueError("data keys must be 32 bytes (AES-256)")
    return key


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    active_id: str

    @classmethod
    def parse(cls, spec: str) -> KeyRing:
        """Parse ``id:base64key[,id:base64key...]``; the first entry is the active (newest) key."""
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            key_id, sep, material = item.partition(":")
            if not sep or not _KEY_ID.match(key_id):
                raise ValueError("VIDEOCALL_DATA_KEYS entries look like <id>:<base64 32-byte key>")
            if key_id in keys:
                raise ValueError(f"key id {key_id!r} appears twice in VIDEOCALL_DATA_KEYS")
            keys[key_id] = _decode_key(material)
            order.append(key_id)
        if not order:
            raise ValueError("VIDEOCALL_DATA_KEYS holds no key")
        return cls(keys=keys, active_id=order[0])

    def encrypt(self, plaintext: bytes, aad: bytes) -> tuple[str, bytes]:
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[self.active_id]).encrypt(nonce, plaintext, aad)
        return self.active_id, nonce + sealed

    def decrypt(self, key_id: str, blob: bytes, aad: bytes) -> bytes:
        key = self.keys.get(key_id)
        if key is None:
            raise DecryptionError(f"no key with id {key_id!r} in the key ring")
        if len(blob) < 12 + 16:
            raise DecryptionError("ciphertext is too short")
        try:
            return AESGCM(key).decrypt(blob[:12], blob[12:], aad)
        except InvalidTag as exc:
            raise DecryptionError(
                "ciphertext failed authentication (tampered, or bound to another field)"
            ) from exc


@lru_cache(maxsize=8)
def _ring_for(spec: str) -> KeyRing:
    return KeyRing.parse(spec)


def get_keyring() -> KeyRing:
    return _ring_for(settings.VIDEOCALL_DATA_KEYS)


def encrypt_text(value: str, aad: str) -> str:
    key_id, blob = get_keyring().encrypt(value.encode("utf-8"), aad.encode("utf-8"))
    return f"{PREFIX}:{key_id}:{base64.urlsafe_b64encode(blob).decode('ascii')}"


def is_encrypted(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + ":") and value.count(":") >= 2


def key_id_of(value: str | bytes) -> str:
    if isinstance(value, bytes):
        if not value.startswith(BINARY_MAGIC):
            raise DecryptionError("not an encrypted file")
        length = value[4]
        return value[5 : 5 + length].decode("ascii")
    if not is_encrypted(value):
        raise DecryptionError("not an encrypted value")
    return value.split(":", 2)[1]


def decrypt_text(value: str, aad: str) -> str:
    if not is_encrypted(value):
        raise DecryptionError("value is not in the v1:<key id>:<data> form")
    _, key_id, payload = value.split(":", 2)
    try:
        blob = base64.urlsafe_b64decode(payload.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise DecryptionError("ciphertext is not valid base64") from exc
    return get_keyring().decrypt(key_id, blob, aad.encode("utf-8")).decode("utf-8")


def encrypt_bytes(data: bytes, aad: str) -> bytes:
    """Binary envelope for files: magic, key id length, key id, nonce+ciphertext+tag."""
    key_id, blob = get_keyring().encrypt(data, aad.encode("utf-8"))
    encoded_id = key_id.encode("ascii")
    return BINARY_MAGIC + bytes([len(encoded_id)]) + encoded_id + blob


def decrypt_bytes(data: bytes, aad: str) -> bytes:
    key_id = key_id_of(data)
    blob = data[5 + len(key_id) :]
    return get_keyring().decrypt(key_id, blob, aad.encode("utf-8"))


def normalise_email(email: str) -> str:
    return unicodedata.normalize("NFKC", email).strip().lower()


@lru_cache(maxsize=8)
def _index_key(spec: str) -> bytes:
    return hashlib.sha256(b"videocall-blind-index\x00" + spec.encode("utf-8")).digest()


def blind_index(value: str, *, purpose: str = "email") -> str:
    """HMAC-SHA256 of a normalised value under its own key: exact lookups without storing the value."""
    key = _index_key(settings.VIDEOCALL_INDEX_KEY)
    message = purpose.encode("utf-8") + b"\x00" + normalise_email(value).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()
