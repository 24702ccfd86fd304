from typing import Any

from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore

from videocall.accounts.sessions import EncryptedSessionMixin


class SessionStore(EncryptedSessionMixin, CacheSessionStore):  # type: ignore[misc]
    """Cache (Redis) sessions stored encrypted: the cache holds ciphertext strings, not dicts."""

    @property
    def _cache_backend(self) -> Any:
        return self._cache  # type: ignore[attr-defined]

    def load(self) -> dict[str, Any]:
        try:
            stored = self._cache_backend.get(self.cache_key)
        except Exception:
            stored = None
        if isinstance(stored, str):
            return self.decode(stored)
        self._session_key = None
        return {}

    def create(self) -> None:
        from django.contrib.sessions.backends.base import CreateError

        for _ in range(10000):
            self._session_key = self._get_new_session_key()  # type: ignore[attr-defined]
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
        func = self._cache_backend.add if must_create else self._cache_backend.set
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]
        result = func(self.cache_key, self.encode(data), self.get_expiry_age())
        if must_create and not result:
            raise CreateError
        return None
