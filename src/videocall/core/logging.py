"""JSON log lines. Messages are written by our code and never carry personal data; request paths are
logged as route names by the access log, and exception text is kept to the type outside DEBUG."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

_SAFE_EXTRA = {"route", "status", "latency_ms", "task", "task_id", "code", "count", "event", "job"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in _SAFE_EXTRA:
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info and record.exc_info[0] is not None:
            payload["exception"] = record.exc_info[0].__name__
        return json.dumps(payload, default=str)
