"""The access log: a middleware that records requests of signed-in users and app clients.

On the request path it only appends a small tuple to an in-process buffer (no parsing, no database).
A background thread flushes the buffer every ``VIDEOCALL_ACCESS_LOG_FLUSH_SECONDS`` seconds, or as soon
as ``VIDEOCALL_ACCESS_LOG_BATCH`` rows are waiting, and once more at process exit: it parses the
user agent (family + major version only), looks up the country, encrypts the IP and bulk-inserts.

What is never recorded: the path (the URL *name* is stored instead), the query string, headers,
cookies, tokens and bodies. The session is stored as an HMAC of its key.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from videocall.accounts.models import Device
from videocall.core.clients import client_ip, country_of, device_label
from videocall.core.crypto import blind_index
from videocall.telemetry.models import AccessLogEntry

logger = logging.getLogger(__name__)

UNRESOLVED_ROUTE = "<unresolved>"


@dataclass(slots=True)
class PendingEntry:
    """A request waiting in memory for the next flush. Raw values here never reach the database:
    the flush reduces them (user agent -> family/major, session key -> HMAC)."""

    at: datetime
    user_id: int
    session_key: str
    auth: str
    method: str
    route: str
    status: int
    latency_ms: int
    ip: str
    user_agent: str


def _config() -> tuple[bool, int, float, int]:
    return (
        bool(getattr(settings, "VIDEOCALL_ACCESS_LOG_ENABLED", True)),
        int(getattr(settings, "VIDEOCALL_ACCESS_LOG_BATCH", 200)),
        float(getattr(settings, "VIDEOCALL_ACCESS_LOG_FLUSH_SECONDS", 5.0)),
        int(getattr(settings, "VIDEOCALL_ACCESS_LOG_MAX_PENDING", 20000)),
    )


def session_hash(session_key: str) -> str:
    return blind_index(session_key, purpose="session") if session_key else ""


class AccessLogBuffer:
    """Per-process buffer. ``append`` is the only call on the request path."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[PendingEntry] = []
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self.dropped = 0
        self.written = 0
        self._failures = 0

    def append(self, entry: PendingEntry) -> None:
        _enabled, batch, interval, max_pending = _config()
        with self._lock:
            if len(self._pending) >= max_pending:
                self._pending.pop(0)
                self.dropped += 1
            self._pending.append(entry)
            size = len(self._pending)
        if interval > 0:
            self._ensure_thread(interval)
            if size >= batch:
                self._wake.set()
        elif size >= batch:
            self.flush()

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def _ensure_thread(self, interval: float) -> None:
        pid = os.getpid()
        if self._thread is not None and self._pid == pid and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is not None and self._pid == pid and self._thread.is_alive():
                return
            self._pid = pid
            self._thread = threading.Thread(
                target=self._run, args=(interval,), name="access-log-flush", daemon=True
            )
            self._thread.start()

    def _run(self, interval: float) -> None:
        from django.db import close_old_connections, connections

        while True:
            self._wake.wait(interval)
            self._wake.clear()
            stopping = self._stopping.is_set()  # asked to stop: this flush is the last one
            try:
                self.flush()
            except Exception:  # never let the flusher die; rows stay buffered for the next try
                logger.exception("access log flush failed")
            finally:
                close_old_connections()
            if stopping:
                break
        connections.close_all()  # this thread's own connections

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the flush thread after one last flush; the next ``append`` starts a new one."""
        thread = self._thread
        if thread is None or not thread.is_alive():
            return
        self._stopping.set()
        self._wake.set()
        thread.join(timeout)
        if not thread.is_alive():
            self._stopping.clear()
            self._thread = None

    def flush(self) -> int:
        """Write everything pending in one bulk insert. Returns the number of rows written."""
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return 0
        try:
            written = write_entries(batch)
        except Exception:
            self._failures += 1
            if self._failures <= 3:
                with self._lock:  # put them back (oldest first): a transient error loses nothing
                    self._pending[:0] = batch
            else:  # a batch that keeps failing is dropped (counted), never retried forever
                self.dropped += len(batch)
                self._failures = 0
            raise
        self._failures = 0
        self.written += written
        return written

    def clear(self) -> None:
        with self._lock:
            self._pending = []


def write_entries(batch: list[PendingEntry]) -> int:
    from django.db import transaction

    rows = []
    last_seen: dict[str, datetime] = {}
    for e in batch:
        browser, os_name = device_label(e.user_agent)
        rows.append(
            AccessLogEntry(
                user_id=e.user_id,
                created_at=e.at,
                session_hash=session_hash(e.session_key),
                auth=e.auth,
                method=e.method,
                route=e.route,
                status=e.status,
                latency_ms=e.latency_ms,
                ip=e.ip,
                country=country_of(e.ip),
                browser=browser,
                os=os_name,
            )
        )
        if e.session_key and e.at > last_seen.get(e.session_key, e.at.replace(year=1)):
            last_seen[e.session_key] = e.at
    with transaction.atomic():
        AccessLogEntry.objects.bulk_create(rows, batch_size=500)
        for key, at in last_seen.items():
            Device.objects.filter(session_key=key, last_seen_at__lt=at).update(last_seen_at=at)
    return len(rows)


buffer = AccessLogBuffer()


def flush() -> int:
    return buffer.flush()


def _flush_at_exit() -> None:
    try:
        buffer.flush()
    except Exception:
        logger.exception("access log flush at exit failed")


atexit.register(_flush_at_exit)


def identify(request: HttpRequest) -> tuple[Any, str, str] | None:
    """(user, session key, auth kind) for a signed-in user or an app client; ``None`` otherwise.

    The API's token classes set ``request.user`` when a token authenticates; our own non-API
    endpoints (crash ingestion) set ``request.telemetry_identity``.
    """
    identity = getattr(request, "telemetry_identity", None)
    if identity is not None:
        return identity  # type: ignore[no-any-return]
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    token = request.META.get("HTTP_X_SESSION_TOKEN")
    if token:
        return user, token, "app"
    auth = getattr(request, "auth", None)
    if request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer ") and isinstance(auth, dict):
        from allauth.headless.tokens.strategies.jwt.internal import session_key_from_sid

        sid = auth.get("sid")
        return user, (session_key_from_sid(sid) or "") if isinstance(sid, str) else "", "jwt"
    session = getattr(request, "session", None)
    return user, (session.session_key or "") if session is not None else "", "session"


def route_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    name = match.view_name if match is not None else ""
    return (name or UNRESOLVED_ROUTE)[:120]


def record(request: HttpRequest, response: HttpResponse, started: float) -> None:
    found = identify(request)
    if found is None:
        return
    user, session_key, auth = found
    buffer.append(
        PendingEntry(
            at=timezone.now(),
            user_id=user.pk,
            session_key=session_key,
            auth=auth,
            method=request.method[:8] if request.method else "",
            route=route_name(request),
            status=response.status_code,
            latency_ms=max(0, int((time.perf_counter() - started) * 1000)),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    )


class AccessLogMiddleware:
    """Goes after ``AuthenticationMiddleware``. Off with ``VIDEOCALL_ACCESS_LOG_ENABLED=false``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if _config()[0]:
            try:
                record(request, response, started)
            except Exception:  # the log must never break a request
                logger.exception("access log record failed")
        return response
