"""Sessions, cookies, HTTPS and the security headers Django sets (docs/security.md)."""

from __future__ import annotations

import os

from csp.constants import NONE, SELF

from videocall.config.env import ConfigurationError, env_bool, env_int
from videocall.config.settings.base import PRODUCTION
from videocall.config.settings.cache import REDIS_URL

# --- Sessions and cookies -------------------------------------------------------------------------
# Session data is encrypted with the data key ring (allauth keeps pending-login emails in it).
SESSION_ENGINE = "videocall.accounts.sessions.cache" if REDIS_URL else "videocall.accounts.sessions.db"
SESSION_COOKIE_AGE = env_int("VIDEOCALL_SESSION_ABSOLUTE_SECONDS", 14 * 24 * 3600)
VIDEOCALL_SESSION_IDLE_SECONDS = env_int("VIDEOCALL_SESSION_IDLE_SECONDS", 2 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("VIDEOCALL_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- HTTPS and headers ----------------------------------------------------------------------------
SECURE_HSTS_SECONDS = env_int("VIDEOCALL_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False  # the deploy check's reminder (security.W021) is silenced in base.py
SECURE_SSL_REDIRECT = env_bool("VIDEOCALL_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
VIDEOCALL_BEHIND_PROXY = env_bool("VIDEOCALL_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if VIDEOCALL_BEHIND_PROXY else None
# Trusted proxies in front of the app: the client IP is the N-th X-Forwarded-For entry from the right
# (videocall.core.clients.client_ip, which is allauth's, so allauth's rate limits count the client).
VIDEOCALL_PROXY_COUNT = env_int("VIDEOCALL_PROXY_COUNT", 1 if VIDEOCALL_BEHIND_PROXY else 0)
if not 0 <= VIDEOCALL_PROXY_COUNT <= 10:
    raise ConfigurationError("VIDEOCALL_PROXY_COUNT must be between 0 and 10")
ALLAUTH_TRUSTED_PROXY_COUNT = VIDEOCALL_PROXY_COUNT
# The certificate and key `videocall serve` terminates TLS with (unset: the proxy terminates TLS).
VIDEOCALL_TLS_CERTFILE = os.environ.get("VIDEOCALL_TLS_CERTFILE", "")
VIDEOCALL_TLS_KEYFILE = os.environ.get("VIDEOCALL_TLS_KEYFILE", "")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp, docs/decisions/0010-csp.md) -----------------------------
# No inline script or style anywhere. No page is framed and none frames another, except the meeting
# page: it replaces script-src and frame-src with 'self' plus the Jitsi origin (meetings/views.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- API CSRF failures ----------------------------------------------------------------------------
# A request under /api/ refused by Django's CSRF middleware answers problem+json (code csrf_failed);
# website pages keep Django's HTML page.
CSRF_FAILURE_VIEW = "videocall.core.views.csrf_failure"
