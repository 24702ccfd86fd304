"""Idle timeout for web sessions (S8, docs/requirements.md): the absolute lifetime is SESSION_COOKIE_AGE; a session not
used for VIDEOCALL_SESSION_IDLE_SECONDS is flushed server-side and the user signs in again."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_SEEN_KEY = "_videocall_last_seen"
# Write the timestamp at most this often, so every request does not rewrite the session row.
TOUCH_INTERVAL_SECONDS = 60


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if isinstance(last_seen, int) and now - last_seen > settings.VIDEOCALL_SESSION_IDLE_SECONDS:
                logout(request)
            elif not isinstance(last_seen, int) or now - last_seen >= TOUCH_INTERVAL_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
