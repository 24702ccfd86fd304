"""Joining a meeting: the permission check, capacity and the Jitsi ticket."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from videocall.accounts.selectors import avatar_link_token
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.errors import (
    Conflict,
    Gone,
    NotAuthenticated,
    NotFound,
    ValidationFailed,
)
from videocall.meetings.errors import MeetingsError
from videocall.meetings.jitsi.tokens import JitsiConfig, TokenUser, mint_token
from videocall.meetings.models import (
    Invitation,
    Meeting,
    Participation,
)
from videocall.meetings.selectors import can_join

from .rules import GUEST_NAME_MAX


@dataclass(frozen=True)
class JoinTicket:
    """What the IFrame API or the mobile SDK needs to enter exactly this room."""

    mode: str
    domain: str
    server_url: str
    script_url: str
    room: str
    client_room: str
    token: str | None
    display_name: str
    email: str
    avatar_url: str
    moderator: bool
    lobby_enabled: bool
    mute_on_join: bool
    expires_in: int | None


def _live_count(meeting: Meeting) -> int:
    return Participation.objects.filter(
        meeting=meeting, session__ended_at__isnull=True, left_at__isnull=True
    ).count()


def _avatar_url(user: Any) -> str:
    """A signed, expiring picture link: Jitsi loads it from its own site, without our cookies."""
    if not getattr(user, "avatar", None):
        return ""
    return settings.SITE_URL + reverse("accounts:avatar_link", kwargs={"token": avatar_link_token(user)})


@transaction.atomic
def meeting_join(
    *, actor: Any, meeting: Meeting, guest_name: str = "", invitation: Invitation | None = None
) -> JoinTicket:
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    if not can_join(actor, meeting, invitation=invitation):
        if not signed_in:
            raise NotAuthenticated()
        raise NotFound()
    if meeting.is_cancelled:
        raise Gone(_("This meeting was cancelled."), code=MeetingsError.MEETING_CANCELLED)
    if meeting.is_over():
        raise Gone(_("This meeting has ended."), code=MeetingsError.MEETING_ENDED)
    moderator = bool(signed_in and meeting.is_host(actor))
    if meeting.max_participants and not moderator and _live_count(meeting) >= meeting.max_participants:
        raise Conflict(_("This meeting is full."), code=MeetingsError.MEETING_FULL)
    if signed_in:
        identity = TokenUser(
            id=str(actor.pk),
            name=actor.display_name,
            email=actor.email,
            avatar=_avatar_url(actor),
            moderator=moderator,
        )
    else:
        name = " ".join((guest_name or "").split())
        if not name or len(name) > GUEST_NAME_MAX:
            raise ValidationFailed(
                fields={"display_name": [_("Enter the name others will see (up to 80 characters).")]}
            )
        identity = TokenUser(id=f"guest-{secrets.token_hex(8)}", name=name, moderator=False)
    config = JitsiConfig.from_settings()
    token = mint_token(room=meeting.room_name, user=identity, config=config)
    audit_record(
        actor=actor if signed_in else "guest",
        action=AuditAction.MEETINGS_MEETING_JOINED,
        subject=meeting,
        metadata={"moderator": moderator, "mode": config.mode, "invitation": bool(invitation)},
    )
    return JoinTicket(
        mode=config.mode,
        domain=config.domain,
        server_url=config.server_url,
        script_url=config.script_url,
        room=meeting.room_name,
        client_room=config.client_room(meeting.room_name),
        token=token,
        display_name=identity.name,
        email=identity.email,
        avatar_url=identity.avatar,
        moderator=moderator,
        lobby_enabled=meeting.lobby_enabled,
        mute_on_join=meeting.mute_on_join,
        expires_in=config.ttl_seconds if token else None,
    )
