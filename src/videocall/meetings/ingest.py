"""Storing what Jitsi reports and folding it into sessions, participation and content records.

Ingestion is idempotent (one row per idempotency key) and order-independent: after each new event the
sessions of that room are recomputed from every stored event, ordered by the event's own timestamp.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from videocall.accounts.models import User
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.metrics import WEBHOOK_ERRORS
from videocall.meetings.jitsi import webhooks as w
from videocall.meetings.models import JitsiEvent, Meeting, MeetingContent, MeetingSession, Participation

_PRIORITY = {w.ROOM_CREATED: 0, w.PARTICIPANT_JOINED: 1, w.PARTICIPANT_LEFT: 2, w.ROOM_DESTROYED: 3}
ORPHAN_PREFIX = "orphan:"
CONTENT_LINK_HOURS = 24


def _dt(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def payload_of(event: JitsiEvent) -> dict[str, Any]:
    payload = event.payload
    return payload if isinstance(payload, dict) else {}


def participant_data(event: JitsiEvent) -> dict[str, Any]:
    payload = payload_of(event)
    if event.source == "event_sync":
        occupant = payload.get("occupant")
        return occupant if isinstance(occupant, dict) else {}
    data = payload.get("data")
    return data if isinstance(data, dict) else {}


def _user_id_from(data: dict[str, Any]) -> int | None:
    raw = data.get("id")
    if isinstance(raw, str) and raw.isdigit() and len(raw) < 19:
        return int(raw)
    return None


def _participant_key(event: JitsiEvent, data: dict[str, Any]) -> str:
    raw = (
        data.get("participantId")
        or data.get("occupant_jid")
        or data.get("participantJid")
        or data.get("id")
        or data.get("name")
        or ""
    )
    return hashlib.sha256(str(raw).encode()).hexdigest()


def _explicit_session_key(event: JitsiEvent) -> str:
    if event.session_key:
        return event.session_key
    if event.event_type in (w.ROOM_CREATED, w.ROOM_DESTROYED):
        return f"es:{payload_of(event).get('created_at', '')}"
    return ""


@dataclass
class _Person:
    user_id: int | None = None
    guest_name: str = ""
    moderator: bool = False
    marks: list[tuple[int, str]] = field(default_factory=list)  # (ms, JOINED|LEFT)


@dataclass
class _Session:
    key: str
    created_ms: int | None = None
    destroyed_ms: int | None = None
    first_ms: int | None = None
    people: dict[str, _Person] = field(default_factory=dict)

    def see(self, ms: int) -> None:
        self.first_ms = ms if self.first_ms is None else min(self.first_ms, ms)

    @property
    def start_ms(self) -> int:
        if self.created_ms is not None:
            return self.created_ms
        return self.first_ms or 0


def _sort_key(event: JitsiEvent) -> tuple[int, int, str]:
    return (event.occurred_at_ms, _PRIORITY.get(event.event_type, 9), event.idempotency_key)


def fold_sessions(events: list[JitsiEvent]) -> list[_Session]:
    """Pure fold: the sessions (with participants' join/leave marks) the events describe."""
    ordered = sorted(events, key=_sort_key)
    sessions: dict[str, _Session] = {}
    pending: list[JitsiEvent] = []
    for event in ordered:
        if event.event_type not in _PRIORITY:
            continue
        key = _explicit_session_key(event)
        if not key:
            pending.append(event)
            continue
        session = sessions.setdefault(key, _Session(key))
        if event.event_type == w.ROOM_CREATED:
            start = _seconds_ms(payload_of(event).get("created_at"))
            ms = start if event.source == "event_sync" and start is not None else event.occurred_at_ms
            session.created_ms = ms if session.created_ms is None else min(session.created_ms, ms)
        elif event.event_type == w.ROOM_DESTROYED:
            session.destroyed_ms = max(session.destroyed_ms or 0, event.occurred_at_ms)
            created = _seconds_ms(payload_of(event).get("created_at"))
            if event.source == "event_sync" and created is not None and session.created_ms is None:
                session.created_ms = created
        session.see(event.occurred_at_ms)
        if event.event_type in (w.PARTICIPANT_JOINED, w.PARTICIPANT_LEFT):
            _mark(session, event)
    # Events without a session id (event_sync occupants) go to the latest session begun by then.
    for event in pending:
        candidates = sorted(sessions.values(), key=lambda s: s.start_ms)
        chosen = None
        for session in candidates:
            if session.start_ms <= event.occurred_at_ms:
                chosen = session
        if chosen is None and candidates:
            chosen = candidates[0]
        if chosen is None:
            chosen = sessions.setdefault(ORPHAN_PREFIX + "room", _Session(ORPHAN_PREFIX + "room"))
        chosen.see(event.occurred_at_ms)
        _mark(chosen, event)
    return list(sessions.values())


def _seconds_ms(value: Any) -> int | None:
    """Unix seconds (event_sync) to milliseconds, or None when it is not a number."""
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and 0 < value * 1000 < w.MAX_TIMESTAMP_MS
    ):
        return int(float(value) * 1000)
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _mark(session: _Session, event: JitsiEvent) -> None:
    data = participant_data(event)
    if _truthy(data.get("isBreakout")) or _truthy(payload_of(event).get("is_breakout")):
        return
    key = _participant_key(event, data)
    person = session.people.setdefault(key, _Person())
    user_id = event.user_id or _user_id_from(data)
    if user_id is not None:
        person.user_id = user_id
    elif not person.guest_name and isinstance(data.get("name"), str):
        person.guest_name = data["name"][:200]
    person.moderator = person.moderator or _truthy(data.get("moderator"))
    kind = "JOINED" if event.event_type == w.PARTICIPANT_JOINED else "LEFT"
    person.marks.append((event.occurred_at_ms, kind))


def _intervals(person: _Person, session: _Session) -> tuple[int, int | None, int | None]:
    """(joined ms, left ms or None, total ms or None) from the person's sorted marks."""
    marks = sorted(person.marks, key=lambda m: (m[0], 0 if m[1] == "JOINED" else 1))
    total = 0
    opened: int | None = None
    first: int | None = None
    last_left: int | None = None
    for ms, kind in marks:
        if kind == "JOINED":
            if opened is None:
                opened = ms
            first = ms if first is None else min(first, ms)
        else:
            begin = opened if opened is not None else session.start_ms
            total += max(0, ms - begin)
            first = begin if first is None else min(first, begin)
            last_left = ms
            opened = None
    if opened is not None:
        if session.destroyed_ms is None:
            return first or opened, None, None
        total += max(0, session.destroyed_ms - opened)
        last_left = session.destroyed_ms
    return first if first is not None else session.start_ms, last_left, total


def refold_meeting(meeting: Meeting) -> int:
    """Recompute this meeting's sessions and participation from its stored events; returns sessions."""
    events = list(meeting.events.all())
    folded = fold_sessions(events)
    keys = {s.key for s in folded}
    replaced = Q(session_key__in=keys) | Q(session_key__startswith=ORPHAN_PREFIX)
    # participations first (a fast DELETE), then their sessions
    Participation.objects.filter(meeting=meeting).filter(
        Q(session__session_key__in=keys) | Q(session__session_key__startswith=ORPHAN_PREFIX)
    ).delete()
    MeetingSession.objects.filter(meeting=meeting).filter(replaced).delete()
    wanted = {p.user_id for s in folded for p in s.people.values() if p.user_id}
    known_users = set(User.objects.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()
    for session in folded:
        end = session.destroyed_ms
        row = MeetingSession.objects.create(
            meeting=meeting,
            session_key=session.key[:200],
            started_at=_dt(session.start_ms),
            ended_at=_dt(end) if end is not None else None,
            duration_seconds=max(0, (end - session.start_ms) // 1000) if end is not None else None,
            participant_count=len(session.people),
        )
        rows = []
        for key, person in session.people.items():
            joined, left, total = _intervals(person, session)
            user_id = person.user_id if person.user_id in known_users else None
            rows.append(
                Participation(
                    session=row,
                    meeting=meeting,
                    user_id=user_id,
                    guest_name="" if user_id else person.guest_name,
                    participant_key=key,
                    joined_at=_dt(joined),
                    left_at=_dt(left) if left is not None else None,
                    duration_seconds=total // 1000 if total is not None else None,
                    moderator=person.moderator,
                )
            )
        Participation.objects.bulk_create(rows)
    return len(folded)


def _content_from(event: JitsiEvent, meeting: Meeting) -> MeetingContent | None:
    kind = w.CONTENT_TYPES.get(event.event_type)
    raw = payload_of(event).get("data")
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    link = data.get("preAuthenticatedLink")
    if kind is None or not isinstance(link, str) or not link.startswith("https://"):
        return None
    duration = data.get("durationSec")
    content, _created = MeetingContent.objects.get_or_create(
        source_key=event.idempotency_key,
        defaults={
            "meeting": meeting,
            "event": event,
            "kind": kind,
            "link": link[:4000],
            "expires_at": _dt(event.occurred_at_ms) + timedelta(hours=CONTENT_LINK_HOURS),
            "duration_seconds": int(duration)
            if isinstance(duration, int | float) and 0 <= duration < 10**7
            else None,
        },
    )
    return content


@dataclass(frozen=True)
class IngestResult:
    event_id: int
    duplicate: bool
    meeting_id: str | None


@transaction.atomic
def jitsi_event_ingest(*, event: w.NormalisedEvent) -> IngestResult:
    """Store one authenticated delivery (once) and refold its meeting. Repeats change nothing."""
    existing = (
        JitsiEvent.objects.filter(idempotency_key=event.idempotency_key)
        .values_list("pk", "meeting_id")
        .first()
    )
    if existing:
        return IngestResult(existing[0], True, str(existing[1]) if existing[1] else None)
    meeting = Meeting.objects.select_for_update().filter(room_name=event.room_name).first()
    data = event.payload.get("occupant") if event.source == "event_sync" else event.payload.get("data")
    user_id = _user_id_from(data) if isinstance(data, dict) else None
    if user_id is not None and not User.objects.filter(pk=user_id).exists():
        user_id = None
    try:
        with transaction.atomic():  # a savepoint: a concurrent repeat loses the race on the unique key
            stored = JitsiEvent.objects.create(
                idempotency_key=event.idempotency_key,
                source=event.source,
                event_type=event.event_type,
                room_name=event.room_name,
                session_key=event.session_key,
                meeting=meeting,
                user_id=user_id,
                occurred_at_ms=event.timestamp_ms,
                payload=event.payload,  # type: ignore[misc]  # EncryptedJSONField stores any JSON value
            )
    except IntegrityError:
        duplicate = JitsiEvent.objects.get(idempotency_key=event.idempotency_key)
        return IngestResult(duplicate.pk, True, str(duplicate.meeting_id) if duplicate.meeting_id else None)
    content = None
    if meeting is not None:
        if event.event_type in _PRIORITY:
            refold_meeting(meeting)
        content = _content_from(stored, meeting)
    else:  # stored (it is authentic) but about no room of ours: a misrouted feed or a stale room name
        WEBHOOK_ERRORS.labels(source=event.source, reason="unknown_room").inc()
    audit_record(
        actor="jitsi",
        action=AuditAction.MEETINGS_EVENT_INGESTED,
        subject=meeting,
        metadata={
            "event_id": stored.pk,
            "type": event.event_type,
            "source": event.source,
            "content_id": content.pk if content else None,
        },
    )
    return IngestResult(stored.pk, False, str(meeting.pk) if meeting else None)
