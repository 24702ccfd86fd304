from typing import Any

from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore

from videocall.accounts.sessions import EncryptedSessionMixin


class SessionStore(EncryptedSessionMixin, CacheSessionStore):
    """Cache (Redis) sessions stored encrypted: the cache holds ciphertext strings, not dicts."""

    def load(self) -> dict[str, Any]:
        try:
            stored = self._cache.get(self.cache_key)
        except Exception:
            stored = None
        if isinstance(stored, str):
            return self.decode(stored)
        self._session_key = None
        return {}

    def create(self) -> None:
        from django.contrib.sessions.backends.base import CreateError

        for _ in range(10000):
            self._session_key = self._get_new_session_key()
            try:
                self.save(must_create=True)
            except CreateError:
                continue
            self.modified = True
            return
        raise RuntimeError("Unable to create a new session key.")

    def save(self, must_create: bool = False) -> None:
        from django.contrib.sessions.backends.base import CreateError

        if self.session_key is None:
            return self.create()
        func = self._cache.add if must_create else self._cache.set
        result = func(
            self.cache_key, self.encode(self._get_session(no_load=must_create)), self.get_expiry_age()
        )
        if must_create and not result:
            raise CreateError
        return None
