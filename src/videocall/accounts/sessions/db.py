from django.contrib.sessions.backends.db import SessionStore as DbSessionStore

from videocall.accounts.sessions import EncryptedSessionMixin


class SessionStore(EncryptedSessionMixin, DbSessionStore):  # type: ignore[misc]
    """Database sessions whose ``session_data`` column holds only ciphertext."""
