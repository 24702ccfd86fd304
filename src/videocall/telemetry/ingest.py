"""Crash report intake, compatible with the Sentry SDKs: envelope and store endpoints.

Wire format (https://develop.sentry.dev/sdk/envelopes/): a JSON header line, then items, each an
item-header JSON line followed by its payload (``length`` bytes when the header gives a length, else up
to the next newline). Bodies may be gzip, deflate or (if the ``brotli`` module is installed) br
compressed; both the compressed and the decompressed sizes are limited.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from videocall.core import ratelimit
from videocall.core.errors import (
    NotAuthenticated,
    PayloadTooLarge,
    RateLimited,
    UnsupportedMediaType,
    ValidationFailed,
)
from videocall.core.ratelimit import Rate
from videocall.telemetry.errors import TelemetryError
from videocall.telemetry.models import CrashProject

KEY_RE = re.compile(r"^[0-9a-f]{32}$")
_AUTH_PAIR = re.compile(r"(\w+)\s*=\s*([^,\s]+)")


def max_compressed() -> int:
    return int(getattr(settings, "VIDEOCALL_CRASH_MAX_COMPRESSED_BYTES", 1024 * 1024))


def max_decompressed() -> int:
    return int(getattr(settings, "VIDEOCALL_CRASH_MAX_BYTES", 5 * 1024 * 1024))


def public_key_from(request: HttpRequest, envelope_header: dict[str, Any] | None = None) -> str:
    """The ``sentry_key`` from X-Sentry-Auth, ``Authorization: Sentry ...``, the query string, or the
    envelope header's DSN (all ways the SDKs send it)."""
    for header in (request.headers.get("X-Sentry-Auth", ""), request.headers.get("Authorization", "")):
        if header.lower().startswith("sentry "):
            pairs = dict(_AUTH_PAIR.findall(header[7:]))
            if pairs.get("sentry_key"):
                return pairs["sentry_key"].strip().lower()
    key = request.GET.get("sentry_key", "")
    if key:
        return key.strip().lower()
    dsn = str((envelope_header or {}).get("dsn", ""))
    if "://" in dsn and "@" in dsn:
        return dsn.split("://", 1)[1].split("@", 1)[0].split(":", 1)[0].lower()
    return ""


def read_body(request: HttpRequest) -> bytes:
    """The request body, decompressed, within both size limits (never more than the limit + 1 read)."""
    limit = max_compressed()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise PayloadTooLarge("The report is too large.", code=TelemetryError.CRASH_TOO_LARGE)
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise PayloadTooLarge("The report is too large.", code=TelemetryError.CRASH_TOO_LARGE)
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    return decompress(raw, encoding, max_decompressed())


def decompress(raw: bytes, encoding: str, limit: int) -> bytes:
    if encoding in ("", "identity"):
        data = raw
    elif encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if encoding != "deflate" else zlib.MAX_WBITS
        if encoding == "deflate" and raw[:1] != b"\x78":
            wbits = -zlib.MAX_WBITS  # raw deflate stream without the zlib header
        inflater = zlib.decompressobj(wbits)
        try:
            data = inflater.decompress(raw, limit + 1)
        except zlib.error:
            raise ValidationFailed(
                "The body is not valid compressed data.", code=TelemetryError.CRASH_BAD_ENCODING
            ) from None
        if not inflater.eof and not inflater.unconsumed_tail and len(data) <= limit:
            raise ValidationFailed(
                "The compressed body is truncated.", code=TelemetryError.CRASH_BAD_ENCODING
            )
    elif encoding == "br":
        try:
            import brotli
        except ImportError:
            raise UnsupportedMediaType(
                "Brotli is not supported here.", code=TelemetryError.CRASH_UNSUPPORTED_ENCODING
            ) from None
        decoder = brotli.Decompressor()
        try:
            data = decoder.process(raw)
        except brotli.error:
            raise ValidationFailed(
                "The body is not valid compressed data.", code=TelemetryError.CRASH_BAD_ENCODING
            ) from None
    else:
        raise UnsupportedMediaType(
            "Unsupported Content-Encoding.", code=TelemetryError.CRASH_UNSUPPORTED_ENCODING
        )
    if len(data) > limit:
        raise PayloadTooLarge(
            "The report is too large once decompressed.", code=TelemetryError.CRASH_TOO_LARGE
        )
    return data


@dataclass
class Envelope:
    header: dict[str, Any]
    items: list[tuple[dict[str, Any], bytes]] = field(default_factory=list)


def _json_line(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationFailed(
            f"The envelope {what} is not JSON.", code=TelemetryError.ENVELOPE_INVALID
        ) from None
    if not isinstance(value, dict):
        raise ValidationFailed(f"The envelope {what} is not an object.", code=TelemetryError.ENVELOPE_INVALID)
    return value


def parse_envelope(data: bytes, *, max_items: int = 100) -> Envelope:
    newline = data.find(b"\n")
    head, pos = (data, len(data)) if newline < 0 else (data[:newline], newline + 1)
    envelope = Envelope(_json_line(head, "header"))
    while pos < len(data):
        if data[pos : pos + 1] == b"\n":  # tolerate blank lines between items
            pos += 1
            continue
        end = data.find(b"\n", pos)
        if end < 0:
            end = len(data)
        item_header = _json_line(data[pos:end], "item header")
        pos = end + 1
        length = item_header.get("length")
        if length is not None:
            if not isinstance(length, int) or length < 0 or pos + length > len(data):
                raise ValidationFailed(
                    "An envelope item has a bad length.", code=TelemetryError.ENVELOPE_INVALID
                )
            payload = data[pos : pos + length]
            pos += length
            if data[pos : pos + 1] == b"\n":
                pos += 1
        else:
            end = data.find(b"\n", pos)
            if end < 0:
                end = len(data)
            payload = data[pos:end]
            pos = end + 1
        envelope.items.append((item_header, payload))
        if len(envelope.items) > max_items:
            raise ValidationFailed("Too many items in the envelope.", code=TelemetryError.ENVELOPE_INVALID)
    return envelope


def event_from_json(payload: bytes) -> dict[str, Any]:
    return _json_line(payload, "event")


def check_rate(project_id: int) -> None:
    """Per project key and minute, in the shared cache (Redis in production)."""
    rate = Rate(limit=int(getattr(settings, "VIDEOCALL_CRASH_RATE_PER_MINUTE", 60)), window=60)
    if not ratelimit.consume("telemetry.crash", str(project_id), rate):
        raise RateLimited(
            "Too many crash reports; try again later.",
            code=TelemetryError.CRASH_RATE_LIMITED,
            extra={"retry_after": ratelimit.retry_after(rate)},
        )


def project_for_key(project_id: int, key: str) -> Any:
    if not key or not KEY_RE.match(key) or not 0 < project_id < 2**63:
        raise NotAuthenticated("A valid sentry_key is required.", code=TelemetryError.CRASH_BAD_KEY)
    project = CrashProject.objects.filter(pk=project_id, public_key=key, is_active=True).first()
    if project is None:
        raise NotAuthenticated("Unknown project or key.", code=TelemetryError.CRASH_BAD_KEY)
    return project


# --- Event normalisation --------------------------------------------------------------------------

_FRAME_KEYS = ("filename", "abs_path", "module", "function", "lineno", "colno", "in_app", "context_line")


def _text(value: Any, limit: int) -> str:
    if value is None:
        return ""
    return str(value)[:limit]


def _frames(stacktrace: Any, *, keep_vars: bool) -> list[dict[str, Any]]:
    frames = stacktrace.get("frames") if isinstance(stacktrace, dict) else None
    if not isinstance(frames, list):
        return []
    cleaned: list[dict[str, Any]] = []
    for frame in frames[-100:]:
        if not isinstance(frame, dict):
            continue
        item = {k: frame[k] for k in _FRAME_KEYS if k in frame and isinstance(frame[k], (str, int, bool))}
        for k in ("filename", "abs_path", "module", "function", "context_line"):
            item[k] = _text(item.get(k, ""), 300)
        item.setdefault("lineno", None)
        item["in_app"] = bool(item.get("in_app", False))
        if keep_vars and isinstance(frame.get("vars"), dict):
            item["vars"] = {_text(k, 100): _text(v, 300) for k, v in list(frame["vars"].items())[:50]}
        cleaned.append(item)
    return cleaned


def exceptions_of(event: dict[str, Any], *, keep_vars: bool) -> list[dict[str, Any]]:
    """The exception chain as ``[{type, value, module, frames}]``, innermost cause first (Sentry order)."""
    exc = event.get("exception")
    values = exc.get("values") if isinstance(exc, dict) else exc
    if not isinstance(values, list):
        values = []
    result = []
    for value in values[-10:]:
        if not isinstance(value, dict):
            continue
        result.append(
            {
                "type": _text(value.get("type"), 200),
                "value": _text(value.get("value"), 2000),
                "module": _text(value.get("module"), 200),
                "frames": _frames(value.get("stacktrace"), keep_vars=keep_vars),
            }
        )
    if not result:
        threads = event.get("threads")
        tvalues = threads.get("values") if isinstance(threads, dict) else None
        for thread in tvalues or []:
            if isinstance(thread, dict) and thread.get("crashed") and thread.get("stacktrace"):
                result.append(
                    {
                        "type": "",
                        "value": "",
                        "module": "",
                        "frames": _frames(thread["stacktrace"], keep_vars=keep_vars),
                    }
                )
    return result


def message_of(event: dict[str, Any]) -> str:
    logentry = event.get("logentry") or {}
    if isinstance(logentry, dict) and (logentry.get("formatted") or logentry.get("message")):
        return _text(logentry.get("formatted") or logentry.get("message"), 2000)
    message = event.get("message")
    if isinstance(message, dict):
        return _text(message.get("formatted") or message.get("message"), 2000)
    return _text(message, 2000)


def top_frames(frames: list[dict[str, Any]], count: int = 5) -> list[dict[str, Any]]:
    """The innermost frames, preferring the app's own code."""
    in_app = [f for f in frames if f.get("in_app")]
    chosen = in_app or frames
    return list(reversed(chosen))[:count]


def fingerprint_of(event: dict[str, Any], exceptions: list[dict[str, Any]], message: str) -> str:
    custom = event.get("fingerprint")
    parts: list[str] = []
    if isinstance(custom, list) and custom and custom != ["{{ default }}"]:
        parts = ["custom", *(_text(p, 200) for p in custom[:20])]
    elif exceptions:
        main = exceptions[-1]
        parts = [main["type"] or "unknown"]
        for frame in top_frames(main["frames"]):
            parts.append(f"{frame.get('module') or frame.get('filename', '')}:{frame.get('function', '')}")
        if len(parts) == 1:
            parts.append(main["value"])
    else:
        logentry = event.get("logentry")
        template = logentry.get("message") if isinstance(logentry, dict) else None
        parts = ["message", _text(template or message, 500)]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def contexts_of(event: dict[str, Any]) -> dict[str, dict[str, Any]]:
    contexts = event.get("contexts")
    if not isinstance(contexts, dict):
        return {}
    return {k: v for k, v in contexts.items() if isinstance(v, dict)}


def breadcrumbs_of(event: dict[str, Any]) -> list[dict[str, Any]]:
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
    if not isinstance(values, list):
        return []
    cleaned = []
    for crumb in values[-100:]:
        if isinstance(crumb, dict):
            cleaned.append(
                {
                    "timestamp": _text(crumb.get("timestamp"), 40),
                    "category": _text(crumb.get("category"), 100),
                    "level": _text(crumb.get("level"), 16),
                    "message": _text(crumb.get("message"), 500),
                }
            )
    return cleaned
