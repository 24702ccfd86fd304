"""The one rate limiter (videocall.core.ratelimit): counts atomically, per scope and key, per window."""

import os
import threading
import uuid
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import override_settings

from videocall.core import ratelimit
from videocall.core.ratelimit import Rate


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_limit_is_reached_exactly_once_per_window():
    rate = Rate(limit=3, window=60)
    assert [ratelimit.consume("t.scope", "198.51.100.1", rate) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    # another key and another scope have their own counters
    assert ratelimit.consume("t.scope", "198.51.100.2", rate)
    assert ratelimit.consume("t.other", "198.51.100.1", rate)


def test_a_new_window_starts_a_new_count():
    rate = Rate(limit=1, window=60)
    with mock.patch("videocall.core.ratelimit.time.time", return_value=1_000_000.0):
        assert ratelimit.consume("t.window", "k", rate)
        assert not ratelimit.consume("t.window", "k", rate)
        assert ratelimit.retry_after(rate) == 60 - 1_000_000 % 60
    with mock.patch("videocall.core.ratelimit.time.time", return_value=1_000_000.0 + 60):
        assert ratelimit.consume("t.window", "k", rate)


def test_zero_disables_the_limit():
    assert all(ratelimit.consume("t.off", "k", Rate(limit=0, window=60)) for _ in range(50))


def _race(key: str) -> list[bool]:
    rate = Rate(limit=10, window=3600)
    results: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def attempt() -> None:
        start.wait()
        for _ in range(5):
            allowed = ratelimit.consume("t.race", key, rate)
            with lock:
                results.append(allowed)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_attempts_never_exceed_the_limit():
    """Read-then-write counters let two requests take the last slot; add + incr does not."""
    results = _race("same-client")
    assert results.count(True) == 10 and len(results) == 40


REDIS_URL = os.environ.get("VIDEOCALL_TEST_RATELIMIT_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.mark.services
def test_concurrent_attempts_never_exceed_the_limit_on_redis():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: the services tests need it")
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    with override_settings(CACHES={"default": backend}):
        results = _race(uuid.uuid4().hex)
    assert results.count(True) == 10 and len(results) == 40


def test_the_cache_never_holds_the_limited_value_in_clear():
    ratelimit.consume("t.private", "mia@example.org", Rate(limit=5, window=60))
    if not hasattr(cache, "_cache"):
        pytest.skip("inspects the local-memory cache")
    keys = list(cache._cache.keys())
    assert keys and not any("mia" in key or "example.org" in key for key in keys)
