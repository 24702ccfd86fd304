"""JSON log lines carry no personal data, tokens or request paths."""

from __future__ import annotations

import json
import logging

import pytest

from videocall.core.logging import JsonFormatter


def _format(record: logging.LogRecord) -> dict:
    line = JsonFormatter().format(record)
    return json.loads(line)


def _record(msg: str, *args, exc_info=None, **extra) -> logging.LogRecord:
    record = logging.LogRecord("videocall.test", logging.ERROR, __file__, 1, msg, args, exc_info)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_personal_data_and_secrets_are_scrubbed():
    payload = _format(
        _record(
            "sign-in for %s from %s / %s failed, token=%s, Authorization: Bearer %s",
            "mia.member@example.org",
            "203.0.113.7",
            "2001:db8::1:2",
            "abc123secret",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        )
    )
    text = json.dumps(payload)
    for leaked in ("mia.member", "example.org", "203.0.113.7", "2001:db8", "abc123secret", "eyJhbGci"):
        assert leaked not in text
    assert payload["level"] == "ERROR" and payload["logger"] == "videocall.test"


def test_exception_text_is_reduced_to_its_type():
    try:
        raise ValueError("mia@example.org is not allowed")
    except ValueError:
        import sys

        record = _record("failed", exc_info=sys.exc_info())
    payload = _format(record)
    assert payload["exception"] == "ValueError"
    assert "mia@example.org" not in json.dumps(payload)


def test_unknown_extra_fields_are_dropped():
    payload = _format(_record("ok", email="mia@example.org", route="home", count=3))
    assert "email" not in payload
    assert payload["route"] == "home" and payload["count"] == 3


@pytest.mark.django_db
def test_request_errors_log_the_route_not_the_path(client, caplog):
    """A 404 logged by Django names the route and status; the path (which may hold keys) is dropped."""
    client.raise_request_exception = False
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    lines: list[str] = []
    handler.emit = lambda record: lines.append(handler.format(record))  # type: ignore[method-assign]
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        client.get("/accounts/password/reset/key/1-secretresetkey123/")
        client.get("/no-such-page/mia@example.org/")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    assert lines, "Django logged nothing for the requests"
    for line in lines:
        payload = json.loads(line)
        assert "secretresetkey123" not in line and "mia@example.org" not in line
        assert payload["route"]
        assert isinstance(payload["status"], int)


@pytest.mark.django_db
def test_access_log_names_route_status_and_latency_only(member_client, caplog):
    with caplog.at_level(logging.INFO, logger="videocall.access"):
        member_client.get("/?email=mia@example.org")
    records = [r for r in caplog.records if r.name == "videocall.access"]
    assert len(records) == 1
    line = JsonFormatter().format(records[0])
    payload = json.loads(line)
    assert payload["route"] == "home" and payload["status"] == 200 and payload["latency_ms"] >= 0
    assert "mia@example.org" not in line and "127.0.0.1" not in line
