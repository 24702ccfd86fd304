from django.contrib.sessions.backends.db import SessionStore as DbSessionStore

from videocall.accounts.sessions import EncryptedSessionMixin


class SessionStore(EncryptedSessionMixin, DbSessionStore):
    """Database sessions whose ``session_data`` column holds only ciphertext."""
