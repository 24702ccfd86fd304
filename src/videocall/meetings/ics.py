"""iCalendar (RFC 5545) for meetings, written by hand (see docs/decisions/0004-ics.md): one VEVENT
per meeting with UTC times, an RRULE for recurrences, METHOD REQUEST/CANCEL for invitations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from videocall.meetings.models import Meeting, Recurrence

PRODID = "-//VideoCall Network//Meetings//EN"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold content lines at 75 octets without splitting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    limit = 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("meetings:join", kwargs={"meeting_id": meeting.pk})


def _vevent(meeting: Meeting, *, now: datetime, cancelled: bool) -> list[str]:
    if meeting.is_instant or meeting.starts_at is None or meeting.ends_at is None:
        start, end = meeting.created_at, meeting.last_end
    else:
        start, end = meeting.starts_at, meeting.ends_at
    url = meeting_url(meeting)
    description = meeting.description or ""
    body = f"{description}\n\n{url}".strip()
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting.pk}@{settings.SITE_URL.split('://', 1)[-1].split('/')[0]}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(start)}",
        f"DTEND:{_stamp(end)}",
        f"SEQUENCE:{meeting.sequence}",
        f"SUMMARY:{_escape(meeting.title)}",
        f"DESCRIPTION:{_escape(body)}",
        f"LOCATION:{_escape(url)}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if meeting.recurrence != Recurrence.NONE and not meeting.is_instant:
        rule = f"RRULE:FREQ={'DAILY' if meeting.recurrence == Recurrence.DAILY else 'WEEKLY'}"
        if meeting.recurrence_count:
            rule += f";COUNT={meeting.recurrence_count}"
        elif meeting.recurrence_until:
            rule += f";UNTIL={meeting.recurrence_until.strftime('%Y%m%d')}T235959Z"
        lines.append(rule)
    lines.append("END:VEVENT")
    return lines


def calendar(meetings: Iterable[Meeting], *, method: str = "PUBLISH", now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN", f"METHOD:{method}"]
    for meeting in meetings:
        lines.extend(_vevent(meeting, now=now, cancelled=meeting.is_cancelled or method == "CANCEL"))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def meeting_ics(meeting: Meeting, *, method: str = "PUBLISH") -> bytes:
    return calendar([meeting], method=method)
