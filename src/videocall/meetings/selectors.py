"""Reads about meetings, permission-checked. A meeting someone may not see is a 404 (IDOR rule)."""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocall.core.errors import NotAuthenticated, NotFound
from videocall.core.permissions import Perm, has_perm
from videocall.core.ports import Series, UsageWindow
from videocall.meetings.models import (
    Access,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingContent,
    MeetingSession,
    Participation,
)

_VISIBLE_INVITES = [InvitationStatus.PENDING, InvitationStatus.ACCEPTED, InvitationStatus.DECLINED]


def _require_user(user: Any) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        raise NotAuthenticated()


def _connected(user: Any) -> Q:
    """The meetings a person is part of: owns, co-hosts, is invited to (not revoked) or took part in."""
    return (
        Q(owner=user)
        | Q(co_hosts=user)
        | Q(invitations__user=user, invitations__status__in=_VISIBLE_INVITES)
        | Q(participations__user=user)
    )


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    """Meetings the user owns, co-hosts, is invited to (not revoked) or took part in."""
    _require_user(user)
    return Meeting.objects.filter(_connected(user)).distinct().select_related("owner")


def meeting_get(*, user: Any, meeting_id: uuid.UUID | str) -> Meeting:
    _require_user(user)
    try:
        key = uuid.UUID(str(meeting_id))
    except ValueError:
        raise NotFound() from None
    if has_perm(user, Perm.MEETINGS_MANAGE_ALL):
        meeting = Meeting.objects.select_related("owner").filter(pk=key).first()
    else:
        meeting = meetings_visible_to(user).filter(pk=key).first()
    if meeting is None:
        raise NotFound()
    return meeting


def meeting_for_join(meeting_id: uuid.UUID | str) -> Meeting:
    """The meeting behind a join link (the permission check is the join service's)."""
    try:
        key = uuid.UUID(str(meeting_id))
    except ValueError:
        raise NotFound() from None
    meeting = Meeting.objects.select_related("owner").filter(pk=key).first()
    if meeting is None:
        raise NotFound()
    return meeting


def meeting_for_host(*, user: Any, meeting_id: uuid.UUID | str, owner_only: bool = False) -> Meeting:
    meeting = meeting_get(user=user, meeting_id=meeting_id)
    allowed = meeting.owner_id == user.pk if owner_only else meeting.is_host(user)
    if not allowed and not has_perm(user, Perm.MEETINGS_MANAGE_ALL):
        raise NotFound()
    return meeting


def meetings_upcoming(*, user: Any) -> list[Meeting]:
    now = timezone.now()
    return [
        m
        for m in meetings_visible_to(user)
        .filter(cancelled_at__isnull=True)
        .order_by("starts_at", "created_at")
        if not m.is_over(now)
    ]


def meetings_past(*, user: Any, limit: int = 200) -> list[Meeting]:
    now = timezone.now()
    candidates = meetings_visible_to(user).order_by("-starts_at", "-created_at")[: limit * 2]
    return [m for m in candidates if m.is_cancelled or m.is_over(now)][:limit]


def invitation_for_user(*, user: Any, invitation_id: uuid.UUID | str) -> Invitation:
    _require_user(user)
    invitation = (
        Invitation.objects.select_related("meeting")
        .filter(pk=invitation_id, user=user)
        .exclude(status=InvitationStatus.REVOKED)
    ).first()
    if invitation is None:
        raise NotFound()
    return invitation


def invitation_for_host(*, user: Any, meeting: Meeting, invitation_id: uuid.UUID | str) -> Invitation:
    invitation = meeting.invitations.select_related("meeting", "user").filter(pk=invitation_id).first()
    if invitation is None or not (meeting.is_host(user) or has_perm(user, Perm.MEETINGS_MANAGE_ALL)):
        raise NotFound()
    return invitation


def my_invitation(*, user: Any, meeting: Meeting) -> Invitation | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return meeting.invitations.filter(user=user).exclude(status=InvitationStatus.REVOKED).first()


def users_share_meeting(viewer: Any, owner: Any) -> bool:
    """Both took part in (or host / are invited to) the same meeting: profile pictures become visible."""
    if viewer is None or owner is None:
        return False
    mine = meetings_visible_to(viewer).values("pk")
    return Meeting.objects.filter(pk__in=mine).filter(_connected(owner)).exists()


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    joined_at: Any
    left_at: Any
    duration_seconds: int | None
    moderator: bool
    guest: bool
    session_started_at: Any


def attendance(*, user: Any, meeting: Meeting) -> list[AttendanceRow]:
    """Who attended. Hosts see everyone; participants see the names shown in the same meeting."""
    rows = (
        Participation.objects.filter(meeting=meeting)
        .select_related("user", "session")
        .order_by("session__started_at", "joined_at")
    )
    return [
        AttendanceRow(
            name=p.display_name,
            joined_at=p.joined_at,
            left_at=p.left_at,
            duration_seconds=p.duration_seconds,
            moderator=p.moderator,
            guest=p.user_id is None,
            session_started_at=p.session.started_at,
        )
        for p in rows
    ]


def sessions_of(meeting: Meeting) -> list[MeetingSession]:
    return list(meeting.sessions.all())


def contents_of(*, user: Any, meeting: Meeting) -> list[MeetingContent]:
    """Recording/transcript/chat links are for hosts only."""
    if not (meeting.is_host(user) or has_perm(user, Perm.MEETINGS_MANAGE_ALL)):
        return []
    return list(meeting.contents.all())


@dataclass(frozen=True)
class HistoryEntry:
    meeting: Meeting
    duration_seconds: int
    sessions: int
    participants: list[str]


def history(*, user: Any, limit: int = 100) -> list[HistoryEntry]:
    """Past meetings with a session, newest first, with total duration and participant names."""
    _require_user(user)
    visible = meetings_visible_to(user).values("pk")
    meetings = (
        Meeting.objects.filter(pk__in=visible, sessions__isnull=False)
        .distinct()
        .select_related("owner")
        .order_by("-created_at")[:limit]
    )
    entries = []
    for meeting in meetings:
        sessions = list(meeting.sessions.all())
        names: list[str] = []
        for p in Participation.objects.filter(meeting=meeting).select_related("user"):
            name = p.display_name
            if name not in names:
                names.append(name)
        entries.append(
            HistoryEntry(
                meeting=meeting,
                duration_seconds=sum(s.duration_seconds or 0 for s in sessions),
                sessions=len(sessions),
                participants=names,
            )
        )
    entries.sort(
        key=lambda e: max((s.started_at for s in e.meeting.sessions.all()), default=e.meeting.created_at),
        reverse=True,
    )
    return entries


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_by_token(token: str) -> Invitation:
    if not token or len(token) > 100:
        raise NotFound()
    invitation = (
        Invitation.objects.select_related("meeting", "meeting__owner")
        .filter(token_hash=hash_token(token))
        .exclude(status=InvitationStatus.REVOKED)
        .first()
    )
    if invitation is None:
        raise NotFound()
    return invitation


def can_join(user: Any, meeting: Meeting, *, invitation: Invitation | None = None) -> bool:
    """Owner, co-hosts, invitees (not declined/revoked), then signed-in users or guests per the option."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if signed_in and meeting.is_host(user):
        return True
    if invitation is not None and invitation.meeting_id == meeting.pk:
        return invitation.status in (InvitationStatus.PENDING, InvitationStatus.ACCEPTED)
    if (
        signed_in
        and meeting.invitations.filter(
            user=user, status__in=[InvitationStatus.PENDING, InvitationStatus.ACCEPTED]
        ).exists()
    ):
        return True
    if meeting.access == Access.GUESTS:
        return True
    return bool(meeting.access == Access.SIGNED_IN and signed_in)


# --- Usage trends (telemetry's charts, through core.ports) ------------------------------------------


def meeting_usage_series(window: UsageWindow) -> list[Series]:
    """Meetings held, minutes and participants per meeting, from the sessions Jitsi reported.

    These are counts of meeting sessions, not of people, so they need no per-user analytics consent.
    Registered as a usage-series provider in ``MeetingsConfig.ready``.
    """
    held = Series("meetings_held", _("Meetings held"), _("meetings"))
    minutes = Series("meeting_minutes", _("Meeting minutes"), _("minutes"))
    per = Series("participants_per_meeting", _("Participants per meeting"), _("people"))
    counts: dict[date, int] = defaultdict(int)
    mins: dict[date, float] = defaultdict(float)
    people: dict[date, int] = defaultdict(int)
    rows = MeetingSession.objects.filter(
        started_at__gte=window.start_at, started_at__lt=window.end_at
    ).values_list("started_at", "duration_seconds", "participant_count")
    for started_at, duration, participant_count in rows.iterator():
        bucket = window.bucket_of(started_at.astimezone(UTC).date())
        counts[bucket] += 1
        mins[bucket] += (duration or 0) / 60
        people[bucket] += participant_count or 0
    buckets = window.buckets
    held.points = [(b, float(counts.get(b, 0))) for b in buckets]
    minutes.points = [(b, round(mins.get(b, 0.0), 1)) for b in buckets]
    per.points = [(b, round(people[b] / counts[b], 2) if counts.get(b) else None) for b in buckets]
    return [held, minutes, per]
