"""Data map, export and erasure for meetings.

Erasure: the user's own meetings are deleted (with their invitations, sessions, events and content
links); in other people's meetings the user's participation rows stay as tombstones pointing to the
anonymised account ("Deleted user"), raw events naming them are redacted, and invitations addressed
to their email are deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q

from videocall.core.crypto import blind_index
from videocall.core.datamap import (
    Category,
    Erasure,
    ExportSection,
    FieldDecl,
    LegalBasis,
    Purpose,
    data_map,
    register_eraser,
    register_exporter,
    register_retention,
)
from videocall.meetings.models import (
    Invitation,
    JitsiEvent,
    Meeting,
    MeetingContent,
    MeetingSession,
    Participation,
)
from videocall.meetings.retention import meeting_events_sweep

_MEET = (Purpose.MEETINGS,)
_HIST = "meeting_history"
_EVENTS = "meeting_events"


def _meta(erasure: Erasure = Erasure.CASCADE, **kw: Any) -> FieldDecl:
    return FieldDecl(Category.MEETING_METADATA, _MEET, LegalBasis.CONTRACT, _HIST, erasure=erasure, **kw)


data_map.declare(
    Meeting,
    personal={
        "title": FieldDecl(
            Category.MEETING_CONTENT, _MEET, LegalBasis.CONTRACT, _HIST, erasure=Erasure.DELETE
        ),
        "description": FieldDecl(
            Category.MEETING_CONTENT, _MEET, LegalBasis.CONTRACT, _HIST, erasure=Erasure.DELETE
        ),
        "starts_at": _meta(Erasure.DELETE),
        "ends_at": _meta(Erasure.DELETE),
        "created_at": _meta(Erasure.DELETE),
        "updated_at": _meta(Erasure.DELETE),
        "co_hosts": _meta(Erasure.DELETE, note="removed from others' meetings when a co-host is erased"),
    },
    not_personal={
        "id": "random meeting id",
        "owner": "link to the owning account",
        "room_name": "random room name, no personal data",
        "timezone": "IANA zone name the meeting is scheduled in (an option of the meeting)",
        "is_instant": "option",
        "recurrence": "option",
        "recurrence_count": "option",
        "recurrence_until": "option",
        "access": "option",
        "lobby_enabled": "option",
        "mute_on_join": "option",
        "max_participants": "option",
        "sequence": "calendar revision counter",
        "cancelled_at": "meeting state",
    },
    owner_path="owner",
)
data_map.exclude("meetings.meeting_co_hosts", "co-host links; declared as Meeting.co_hosts")

data_map.declare(
    Invitation,
    personal={
        "email": FieldDecl(Category.CONTACT, (*_MEET, Purpose.COMMUNICATIONS), LegalBasis.CONTRACT, _HIST),
        "email_index": FieldDecl(
            Category.CONTACT, _MEET, LegalBasis.CONTRACT, _HIST, exported=False, note="HMAC blind index"
        ),
        "responded_at": _meta(Erasure.DELETE),
        "last_sent_at": _meta(Erasure.DELETE),
        "created_at": _meta(Erasure.DELETE),
    },
    not_personal={
        "id": "random id",
        "meeting": "link",
        "user": "link to the invitee's account, when they have one",
        "invited_by": "link to the host who invited",
        "sent_count": "counter",
        "status": "invitation state (pending, accepted, declined, revoked)",
        "token_hash": "SHA-256 of a random guest-link token; no personal data",
    },
    owner_path="user",
)

data_map.declare(
    JitsiEvent,
    personal={
        "payload": FieldDecl(
            Category.MEETING_METADATA,
            (*_MEET, Purpose.SECURITY),
            LegalBasis.LEGITIMATE_INTERESTS,
            _EVENTS,
            exported=False,
            erasure=Erasure.ANONYMISE,
            recipients=("jitsi",),
            note="the raw delivery from Jitsi (names, emails of participants), kept for replay; redacted on erasure",
        ),
        "occurred_at_ms": FieldDecl(
            Category.MEETING_METADATA,
            _MEET,
            LegalBasis.LEGITIMATE_INTERESTS,
            _EVENTS,
            exported=False,
            erasure=Erasure.ANONYMISE,
        ),
        "received_at": FieldDecl(
            Category.MEETING_METADATA,
            _MEET,
            LegalBasis.LEGITIMATE_INTERESTS,
            _EVENTS,
            exported=False,
            erasure=Erasure.ANONYMISE,
        ),
    },
    not_personal={
        "id": "row id",
        "source": "jaas or event_sync",
        "idempotency_key": "Jitsi's delivery id or a hash of the event",
        "event_type": "event type",
        "room_name": "random room name",
        "session_key": "Jitsi's conference id",
        "meeting": "link",
        "user": "link to the account named in the token",
    },
    owner_path="user",
)

data_map.declare(
    MeetingSession,
    personal={
        "started_at": _meta(),
        "ended_at": _meta(),
        "duration_seconds": _meta(),
        "participant_count": _meta(),
    },
    not_personal={"id": "row id", "meeting": "link", "session_key": "Jitsi's conference id"},
    owner_path="meeting__owner",
)

data_map.declare(
    Participation,
    personal={
        "guest_name": FieldDecl(Category.IDENTITY, _MEET, LegalBasis.CONTRACT, _HIST, erasure=Erasure.DELETE),
        "joined_at": _meta(Erasure.ANONYMISE, note="kept in others' meetings, pointing to the deleted user"),
        "left_at": _meta(Erasure.ANONYMISE),
        "duration_seconds": _meta(Erasure.ANONYMISE),
        "moderator": _meta(Erasure.ANONYMISE),
    },
    not_personal={
        "id": "row id",
        "session": "link",
        "meeting": "link",
        "user": "link to the account (tombstone after erasure)",
        "participant_key": "SHA-256 of Jitsi's random per-connection participant id",
    },
    owner_path="user",
)

data_map.declare(
    MeetingContent,
    personal={
        "link": FieldDecl(
            Category.MEETING_CONTENT,
            _MEET,
            LegalBasis.CONTRACT,
            _HIST,
            recipients=("jitsi",),
            note="pre-authenticated link to a recording, transcript or chat log held by Jitsi (expires in 24 h)",
        ),
        "expires_at": _meta(),
        "duration_seconds": _meta(),
        "created_at": _meta(),
    },
    not_personal={
        "id": "row id",
        "meeting": "link",
        "event": "link to the raw event",
        "source_key": "the event's idempotency key",
        "kind": "recording, transcript or chat",
    },
    owner_path="meeting__owner",
)


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


def _meeting_rows(user: Any) -> Iterator[dict[str, Any]]:
    meetings = (
        Meeting.objects.filter(
            Q(owner=user) | Q(co_hosts=user) | Q(invitations__user=user) | Q(participations__user=user)
        )
        .distinct()
        .select_related("owner")
        .prefetch_related("co_hosts")
    )
    for meeting in meetings.iterator(chunk_size=500):
        own = meeting.owner_id == user.pk
        yield {
            "id": str(meeting.pk),
            "role": "owner"
            if own
            else ("co-host" if meeting.co_hosts.filter(pk=user.pk).exists() else "invitee or participant"),
            "title": meeting.title,
            "description": meeting.description,
            "host": meeting.owner.display_name,
            # co-hosts' names are shown to everyone in the meeting
            "co_hosts": [co_host.display_name for co_host in meeting.co_hosts.all()],
            "starts_at": _iso(meeting.starts_at),
            "ends_at": _iso(meeting.ends_at),
            "timezone": meeting.timezone,
            "recurrence": meeting.recurrence,
            "cancelled_at": _iso(meeting.cancelled_at),
            "created_at": _iso(meeting.created_at),
            # invitees' addresses are other people's contact data: only their number for the owner
            "invitations_sent": meeting.invitations.count() if own else "",
        }


def _invitation_rows(user: Any) -> Iterator[dict[str, Any]]:
    for invitation in Invitation.objects.filter(user=user).iterator():
        yield {
            "meeting_id": str(invitation.meeting_id),
            "email": invitation.email,
            "status": invitation.status,
            "created_at": _iso(invitation.created_at),
            "responded_at": _iso(invitation.responded_at),
            "last_sent_at": _iso(invitation.last_sent_at),
        }


def _participation_rows(user: Any) -> Iterator[dict[str, Any]]:
    for p in Participation.objects.filter(user=user).select_related("session").iterator():
        yield {
            "meeting_id": str(p.meeting_id),
            "started_at": _iso(p.session.started_at),
            "ended_at": _iso(p.session.ended_at),
            "participant_count": p.session.participant_count,
            "guest_name": p.guest_name,
            "joined_at": _iso(p.joined_at),
            "left_at": _iso(p.left_at),
            "duration_seconds": p.duration_seconds,
            "moderator": p.moderator,
        }


def _co_participant_rows(user: Any) -> Iterator[dict[str, Any]]:
    """Names shown in the same meetings (what the user saw), never others' emails or times."""
    sessions = Participation.objects.filter(user=user).values("session_id")
    for p in (
        Participation.objects.filter(session_id__in=sessions)
        .exclude(user=user)
        .select_related("user")
        .iterator()
    ):
        yield {"meeting_id": str(p.meeting_id), "name": p.display_name}


def _content_rows(user: Any) -> Iterator[dict[str, Any]]:
    for c in MeetingContent.objects.filter(meeting__owner=user).iterator():
        yield {
            "meeting_id": str(c.meeting_id),
            "kind": c.kind,
            "link": c.link,
            "expires_at": _iso(c.expires_at),
            "duration_seconds": c.duration_seconds,
        }


@register_exporter("meetings")
def export(user: Any) -> Iterable[ExportSection]:
    yield ExportSection(
        "meetings",
        Category.MEETING_METADATA,
        "Meetings you host, co-host, were invited to or joined",
        _meeting_rows(user),
    )
    yield ExportSection(
        "meeting_invitations", Category.CONTACT, "Invitations addressed to you", _invitation_rows(user)
    )
    yield ExportSection(
        "meeting_participation",
        Category.MEETING_METADATA,
        "When you joined and left meetings",
        _participation_rows(user),
    )
    yield ExportSection(
        "meeting_co_participants",
        Category.MEETING_METADATA,
        "Names shown with you in the same meetings",
        _co_participant_rows(user),
    )
    yield ExportSection(
        "meeting_content",
        Category.MEETING_CONTENT,
        "Recording, transcript and chat links of your meetings",
        _content_rows(user),
    )


REDACTED = "Deleted user"


def _redact(payload: Any) -> Any:
    if isinstance(payload, dict):
        out = {}
        for key, value in payload.items():
            if key in {"name", "email", "avatar", "participantJid", "occupant_jid"} and isinstance(
                value, str
            ):
                out[key] = REDACTED if key == "name" else ""
            else:
                out[key] = _redact(value)
        return out
    if isinstance(payload, list):
        return [_redact(item) for item in payload]
    return payload


@register_eraser("meetings", order=100)
def erase(*, user: Any, holds: Any) -> dict[str, int]:
    owned = Meeting.objects.filter(owner=user)
    owned_count = owned.count()
    owned.delete()
    invitations = Invitation.objects.filter(Q(user=user) | Q(email_index=blind_index(user.email or "")))
    invitation_count = invitations.count()
    invitations.delete()
    cohosting = Meeting.co_hosts.through.objects.filter(user_id=user.pk)
    cohost_count = cohosting.count()
    cohosting.delete()
    redacted = 0
    for event in JitsiEvent.objects.filter(user=user).iterator():
        event.payload = _redact(event.payload)
        event.save(update_fields=["payload"])
        redacted += 1
    tombstones = Participation.objects.filter(user=user).update(guest_name="")
    return {
        "meetings_deleted": owned_count,
        "invitations_deleted": invitation_count,
        "cohost_links_removed": cohost_count,
        "events_redacted": redacted,
        "participation_tombstones": tombstones,
    }


@register_retention("meeting_events")
def _sweep_meeting_events(*, now: Any, days: int) -> int:
    """Raw Jitsi events and expired content links; run by the privacy center's daily retention sweep."""
    return sum(meeting_events_sweep().values())
