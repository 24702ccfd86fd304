"""JSON log lines without personal data.

Messages are written by our code and never carry personal data; as a second line of defence the
formatter removes email addresses, IP addresses and credentials from every message, replaces the
request path of Django's request log lines by the route name (paths can carry ids and reset keys),
and keeps exceptions to their type outside DEBUG.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from datetime import UTC, datetime

_SAFE_EXTRA = {"route", "status", "latency_ms", "task", "task_id", "code", "count", "event", "job"}

_SCRUBBERS = (
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (
        re.compile(r"(?i)\b(bearer|token|key|secret|password|passwd|session(id)?|csrftoken)\b([=:\s]+)\S+"),
        r"\1\3[redacted]",
    ),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), "[ip]"),
    (re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+"), "[jwt]"),
)


_IPV6_CANDIDATE = re.compile(r"(?<![\w:])[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?![\w:])")


def _ipv6(match: re.Match[str]) -> str:
    try:
        ipaddress.IPv6Address(match.group(0))
    except ValueError:
        return match.group(0)
    return "[ip]"


def scrub(text: str) -> str:
    for pattern, replacement in _SCRUBBERS:
        text = pattern.sub(replacement, text)
    text = _IPV6_CANDIDATE.sub(_ipv6, text)
    return text[:2000]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        request = getattr(record, "request", None)
        if request is not None:
            # "Internal Server Error: /accounts/password/reset/key/<key>/" -> the text before the path.
            message = message.split(":", 1)[0]
            match = getattr(request, "resolver_match", None)
            payload["route"] = (match.view_name if match is not None else "unmatched") or "unnamed"
            if hasattr(record, "status_code"):
                payload["status"] = record.status_code
        payload["message"] = scrub(message)
        for key in _SAFE_EXTRA:
            if hasattr(record, key) and key not in payload:
                value = getattr(record, key)
                payload[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info and record.exc_info[0] is not None:
            payload["exception"] = record.exc_info[0].__name__
        return json.dumps(payload, default=str)
