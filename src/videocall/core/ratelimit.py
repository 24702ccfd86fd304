"""The one rate limiter for the project's own limits (allauth keeps its own for sign-in, sign-up and
password reset, configured in ``ACCOUNT_RATE_LIMITS``).

A fixed window counter in the shared cache: ``cache.add`` creates the window's counter, ``cache.incr``
counts the attempt. Both are atomic on Redis and on the local-memory cache, so concurrent requests can
never both take the last slot (a read-then-write would let them). The key is an HMAC of what is
limited (an IP address, an email address), so the cache never holds personal data in clear.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

from videocall.core.crypto import blind_index


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` attempts per ``window`` seconds. A limit of 0 or less disables the rate."""

    limit: int
    window: int


def _cache_key(scope: str, key: str, window: int, slot: int) -> str:
    return f"rl:{scope}:{blind_index(key or '-', purpose='ratelimit')[:32]}:{window}:{slot}"


def retry_after(rate: Rate) -> int:
    """Seconds until the current window of ``rate`` ends."""
    return max(1, rate.window - int(time.time()) % rate.window)


def consume(scope: str, key: str, rate: Rate) -> bool:
    """Count one attempt of ``key`` against ``rate``; False when the limit was already reached.

    ``scope`` names the limit (``"support.contact.ip"``); ``key`` is who or what is limited. The
    caller raises its own :class:`~videocall.core.errors.RateLimited` (with its code and, from
    :func:`retry_after`, the seconds to wait).
    """
    if rate.limit <= 0 or rate.window <= 0:
        return True
    slot = int(time.time()) // rate.window
    name = _cache_key(scope, key, rate.window, slot)
    for _attempt in range(3):
        cache.add(name, 0, timeout=rate.window + 1)
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr: add it again
            continue
        return count <= rate.limit
    return True  # the cache keeps dropping the key: fail open rather than lock everybody out
