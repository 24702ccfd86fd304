"""A whole day of Jitsi events, replayed twice and shuffled, folds to the same sessions and durations
as one in-order pass (idempotent and order-independent ingestion)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from tests.meetings.events import body_of, jaas_event, occupant_event, participant
from videocall.meetings.ingest import jitsi_event_ingest
from videocall.meetings.jitsi.webhooks import normalise_event_sync, normalise_jaas
from videocall.meetings.models import JitsiEvent, MeetingSession, Participation

DAY = int(datetime(2026, 11, 26, tzinfo=UTC).timestamp())


def _jaas_day(room: str, owner_id: int, member_id: int) -> list:
    """Three conferences in one room over a day, with rejoins, a guest and a missing ROOM_DESTROYED."""
    events = []
    rng = random.Random(7)
    for n, (start_h, end_h) in enumerate([(9, 10), (13, 14.5), (17, None)]):
        session = f"sess-{n}"
        t0 = int((DAY + start_h * 3600) * 1000)
        events.append(jaas_event("ROOM_CREATED", room, t0, session))
        people = [
            ("p-owner", str(owner_id), "Olga Owner", True),
            ("p-member", str(member_id), "Mia Member", False),
            (f"p-guest-{n}", "", f"Guest {n}", False),
        ]
        for pid, uid, name, mod in people:
            join = t0 + rng.randint(1, 300) * 1000
            events.append(
                jaas_event(
                    "PARTICIPANT_JOINED",
                    room,
                    join,
                    session,
                    participant(pid, user_id=uid, name=name, moderator=mod),
                )
            )
            leave = join + rng.randint(600, 2400) * 1000
            events.append(
                jaas_event(
                    "PARTICIPANT_LEFT",
                    room,
                    leave,
                    session,
                    participant(pid, user_id=uid, name=name, moderator=mod),
                )
            )
        # the member drops out and comes back with a new connection
        back = t0 + 2600 * 1000
        events.append(
            jaas_event(
                "PARTICIPANT_JOINED",
                room,
                back,
                session,
                participant(f"p-member-again-{n}", user_id=str(member_id), name="Mia Member"),
            )
        )
        if end_h is not None:
            t1 = int((DAY + end_h * 3600) * 1000)
            events.append(jaas_event("ROOM_DESTROYED", room, t1, session))
    return [normalise_jaas(body_of(e)) for e in events]


def _event_sync_day(room: str) -> list:
    events = []
    for n, start_h in enumerate([8, 20]):
        created = DAY + start_h * 3600
        destroyed = created + 3000
        events.append(
            (
                "room/created",
                {
                    "event_name": "muc-room-created",
                    "room_name": room,
                    "room_jid": f"{room}@c",
                    "is_breakout": False,
                    "created_at": created,
                },
            )
        )
        for k in range(3):
            joined = created + 60 * (k + 1)
            left = joined + 900 * (k + 1)
            jid = f"{room}@c/occ{n}{k}"
            events.append(
                (
                    "occupant/joined",
                    occupant_event("joined", room, jid=jid, joined_at=joined, name=f"Occupant {k}"),
                )
            )
            events.append(
                (
                    "occupant/left",
                    occupant_event(
                        "left", room, jid=jid, joined_at=joined, left_at=left, name=f"Occupant {k}"
                    ),
                )
            )
        events.append(
            (
                "room/destroyed",
                {
                    "event_name": "muc-room-destroyed",
                    "room_name": room,
                    "room_jid": f"{room}@c",
                    "is_breakout": False,
                    "created_at": created,
                    "destroyed_at": destroyed,
                    "all_occupants": [],
                },
            )
        )
    return [normalise_event_sync(kind, body_of(body)) for kind, body in events]


def _snapshot() -> list:
    sessions = [
        (s.meeting_id, s.session_key, s.started_at, s.ended_at, s.duration_seconds, s.participant_count)
        for s in MeetingSession.objects.order_by("meeting_id", "started_at")
    ]
    people = sorted(
        (
            p.meeting_id,
            p.session.session_key,
            p.user_id or 0,
            p.guest_name,
            p.participant_key,
            p.joined_at,
            p.left_at,
            p.duration_seconds,
            p.moderator,
        )
        for p in Participation.objects.select_related("session")
    )
    return [sessions, people]


def _reset() -> None:
    JitsiEvent.objects.all().delete()
    MeetingSession.objects.all().delete()


@pytest.mark.django_db
def test_day_replayed_twice_shuffled_equals_once_in_order(make_meeting, owner, member):
    jaas_meeting = make_meeting()
    sync_meeting = make_meeting(title="Second room")
    day = _jaas_day(jaas_meeting.room_name, owner.pk, member.pk) + _event_sync_day(sync_meeting.room_name)
    assert len(day) > 40

    for event in sorted(day, key=lambda e: e.timestamp_ms):
        jitsi_event_ingest(event=event)
    in_order = _snapshot()
    sessions, people = in_order
    assert len(sessions) == 5
    jaas_sessions = [s for s in sessions if s[0] == jaas_meeting.pk]
    assert [s[4] for s in jaas_sessions] == [3600, 5400, None]  # the evening conference is still open
    assert all(s[4] == 3000 for s in sessions if s[0] == sync_meeting.pk)
    owner_rows = [p for p in people if p[2] == owner.pk]
    assert len(owner_rows) == 3 and all(p[8] for p in owner_rows)  # moderator from the events
    assert any(p[3] == "Guest 0" for p in people)

    _reset()
    twice = day + day
    random.Random(2026).shuffle(twice)
    for event in twice:
        jitsi_event_ingest(event=event)
    assert JitsiEvent.objects.count() == len(day)
    assert _snapshot() == in_order


@pytest.mark.django_db
def test_join_before_room_created_still_ends_right(make_meeting):
    meeting = make_meeting()
    room = meeting.room_name
    created_at = DAY + 3600
    joined = occupant_event("joined", room, jid="j@c/1", joined_at=created_at + 5, name="Early")
    left = occupant_event(
        "left", room, jid="j@c/1", joined_at=created_at + 5, left_at=created_at + 605, name="Early"
    )
    created = {
        "event_name": "muc-room-created",
        "room_name": room,
        "room_jid": f"{room}@c",
        "created_at": created_at,
    }
    destroyed = {**created, "event_name": "muc-room-destroyed", "destroyed_at": created_at + 900}
    for kind, body in [
        ("occupant/joined", joined),
        ("occupant/left", left),
        ("room/destroyed", destroyed),
        ("room/created", created),
    ]:
        jitsi_event_ingest(event=normalise_event_sync(kind, body_of(body)))
        assert MeetingSession.objects.count() == 1  # an orphan session is replaced once the room is known
    session = MeetingSession.objects.get()
    assert session.started_at.timestamp() == created_at and session.duration_seconds == 900
    person = Participation.objects.get()
    assert person.duration_seconds == 600 and person.guest_name == "Early"
