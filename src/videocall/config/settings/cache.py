"""The cache (rate limits, sessions when Redis is there): Redis with ``REDIS_URL``, else in-process."""

from __future__ import annotations

from videocall.config.env import env

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "videocall"}
    }
