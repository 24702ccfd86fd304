"""Session engines that encrypt the session data with the data key ring (AES-256-GCM).

Django stores session data as signed, base64-encoded JSON: readable to anyone with the database. allauth
keeps the email of a pending login in it, and we keep authentication records there, so the stored form is
encrypted instead. Use ``videocall.accounts.sessions.db`` (default) or ``.cache`` (with Redis).
"""

from __future__ import annotations

from typing import Any

from videocall.core.crypto import DecryptionError, decrypt_text, encrypt_text, is_encrypted

SESSION_AAD = "django.session"


class EncryptedSessionMixin:
    def encode(self, session_dict: dict[str, Any]) -> str:
        return encrypt_text(super().encode(session_dict), SESSION_AAD)  # type: ignore[misc]

    def decode(self, session_data: str) -> Any:
        if not is_encrypted(session_data):
            return {}
        try:
            plain = decrypt_text(session_data, SESSION_AAD)
        except DecryptionError:
            return {}
        return super().decode(plain)  # type: ignore[misc]
