"""Every write about meetings: keyword-only, one transaction, an audit event, side effects on commit."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.audit.services import audit_record
from videocall.core.crypto import blind_index, normalise_email
from videocall.core.errors import (
    Conflict,
    Gone,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from videocall.core.permissions import Perm, has_perm
from videocall.meetings import ics
from videocall.meetings.jitsi.tokens import JitsiConfig, TokenUser, mint_token
from videocall.meetings.models import (
    MAX_OCCURRENCES,
    Access,
    Invitation,
    InvitationStatus,
    Meeting,
    Participation,
    Recurrence,
)

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
GUEST_NAME_MAX = 80
MAX_DURATION = timedelta(hours=24)
MAX_INVITATIONS = 200
MAX_PAST = timedelta(days=1)
MAX_AHEAD = timedelta(days=5 * 365)


def email_verified(user: Any) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _require_creator(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not has_perm(actor, Perm.MEETING_CREATE):
        raise PermissionDenied()
    if not email_verified(actor):
        raise PermissionDenied(
            _("Please verify your email address before creating meetings."), code="email_unverified"
        )


def _require_host(actor: Any, meeting: Meeting, *, owner_only: bool = False) -> None:
    """Hosts manage a meeting; anyone else gets 404 (IDOR rule: never confirm the meeting exists)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    allowed = meeting.owner_id == actor.pk if owner_only else meeting.is_host(actor)
    if not allowed and not has_perm(actor, Perm.MEETINGS_MANAGE_ALL):
        raise NotFound()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Schedule:
    """The validated timing and options of a meeting (shared by create and edit, web and API)."""

    title: str
    description: str = ""
    is_instant: bool = False
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    timezone: str = "UTC"
    recurrence: str = Recurrence.NONE
    recurrence_count: int | None = None
    recurrence_until: date | None = None
    access: str = Access.SIGNED_IN
    lobby_enabled: bool = False
    mute_on_join: bool = False
    max_participants: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def validate(self) -> None:
        errors: dict[str, list[str]] = {}

        def add(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        self.title = (self.title or "").strip()
        self.description = (self.description or "").strip()
        if not self.title:
            add("title", _("Give the meeting a title."))
        elif len(self.title) > TITLE_MAX:
            add("title", _("The title is too long (at most %(n)d characters).") % {"n": TITLE_MAX})
        if len(self.description) > DESCRIPTION_MAX:
            add(
                "description",
                _("The description is too long (at most %(n)d characters).") % {"n": DESCRIPTION_MAX},
            )
        try:
            zone = zoneinfo.ZoneInfo(self.timezone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            add("timezone", _("Unknown time zone."))
            zone = zoneinfo.ZoneInfo("UTC")
        if self.access not in Access.values:
            add("access", _("Choose who may join."))
        if self.recurrence not in Recurrence.values:
            add("recurrence", _("Choose how the meeting repeats."))
        if self.max_participants is not None and not 2 <= self.max_participants <= 1000:
            add("max_participants", _("Between 2 and 1000 participants, or leave it empty."))
        if self.is_instant:
            self.starts_at = self.ends_at = None
            self.recurrence, self.recurrence_count, self.recurrence_until = Recurrence.NONE, None, None
        else:
            if self.starts_at is None:
                add("starts_at", _("When does it start?"))
            if self.ends_at is None:
                add("ends_at", _("When does it end?"))
            if self.starts_at is not None and timezone.is_naive(self.starts_at):
                self.starts_at = timezone.make_aware(self.starts_at, zone)
            if self.ends_at is not None and timezone.is_naive(self.ends_at):
                self.ends_at = timezone.make_aware(self.ends_at, zone)
            now = timezone.now()
            if self.starts_at and not now - MAX_PAST <= self.starts_at <= now + MAX_AHEAD:
                add("starts_at", _("Choose a start within the next five years."))
            elif self.starts_at and self.ends_at:
                if self.ends_at <= self.starts_at:
                    add("ends_at", _("The end must be after the start."))
                elif self.ends_at - self.starts_at > MAX_DURATION:
                    add("ends_at", _("A meeting lasts at most 24 hours."))
            if self.recurrence == Recurrence.NONE:
                self.recurrence_count, self.recurrence_until = None, None
            else:
                if self.recurrence_count is None and self.recurrence_until is None:
                    add("recurrence_count", _("Say how many times, or until when, it repeats."))
                if self.recurrence_count is not None and self.recurrence_until is not None:
                    add("recurrence_until", _("Give either a number of times or an end date, not both."))
                if self.recurrence_count is not None and not 2 <= self.recurrence_count <= MAX_OCCURRENCES:
                    add("recurrence_count", _("Between 2 and %(n)d times.") % {"n": MAX_OCCURRENCES})
                if self.recurrence_until and self.starts_at and self.recurrence_until < self.starts_at.date():
                    add("recurrence_until", _("The last day must be after the first meeting."))
                elif (
                    self.recurrence_until
                    and self.starts_at
                    and self.recurrence_until > (self.starts_at + MAX_AHEAD).date()
                ):
                    add("recurrence_until", _("Repeat for at most five years."))
        if errors:
            raise ValidationFailed(_("Some fields are not valid."), fields=errors)

    def apply(self, meeting: Meeting) -> list[str]:
        changed = []
        for name in (
            "title",
            "description",
            "is_instant",
            "starts_at",
            "ends_at",
            "timezone",
            "recurrence",
            "recurrence_count",
            "recurrence_until",
            "access",
            "lobby_enabled",
            "mute_on_join",
            "max_participants",
        ):
            value = getattr(self, name)
            if getattr(meeting, name) != value:
                setattr(meeting, name, value)
                changed.append(name)
        return changed


@transaction.atomic
def meeting_create(*, actor: Any, schedule: Schedule) -> Meeting:
    _require_creator(actor)
    schedule.validate()
    meeting = Meeting(owner=actor)
    schedule.apply(meeting)
    meeting.save()
    audit_record(
        actor=actor,
        action="meetings.meeting_created",
        subject=meeting,
        metadata={"instant": meeting.is_instant, "recurrence": meeting.recurrence, "access": meeting.access},
    )
    return meeting


def _active_invitations(meeting: Meeting) -> list[Invitation]:
    return list(
        meeting.invitations.filter(
            status__in=[InvitationStatus.PENDING, InvitationStatus.ACCEPTED]
        ).select_related("user")
    )


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, schedule: Schedule) -> Meeting:
    _require_host(actor, meeting)
    if meeting.is_cancelled:
        raise Gone(_("This meeting was cancelled."), code="meeting_cancelled")
    schedule.validate()
    changed = schedule.apply(meeting)
    if changed:
        meeting.sequence += 1
        meeting.save()
        timing = {"starts_at", "ends_at", "is_instant", "recurrence", "recurrence_count", "recurrence_until"}
        if timing & set(changed):
            for invitation in _active_invitations(meeting):
                _send_invitation(invitation, template="meeting_updated", token=None)
    audit_record(
        actor=actor, action="meetings.meeting_updated", subject=meeting, metadata={"fields": sorted(changed)}
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting) -> Meeting:
    _require_host(actor, meeting, owner_only=True)
    if meeting.is_cancelled:
        return meeting
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    invitations = _active_invitations(meeting)
    for invitation in invitations:
        _send_invitation(invitation, template="meeting_cancelled", token=None, method="CANCEL")
    audit_record(
        actor=actor,
        action="meetings.meeting_cancelled",
        subject=meeting,
        metadata={"notified": len(invitations)},
    )
    return meeting


@transaction.atomic
def meeting_cohost_add(*, actor: Any, meeting: Meeting, email: str) -> Any:
    """Co-hosts are invitees with an account who have not declined (so the lookup reveals nothing new)."""
    _require_host(actor, meeting, owner_only=True)
    invitation = (
        meeting.invitations.filter(email_index=blind_index(normalise_email(email)), user__isnull=False)
        .exclude(status__in=[InvitationStatus.DECLINED, InvitationStatus.REVOKED])
        .select_related("user")
        .first()
    )
    if invitation is None or invitation.user is None or getattr(invitation.user, "is_deleted", False):
        raise ValidationFailed(
            _("Co-hosts must be invited people with an account who have not declined."),
            code="cohost_not_invitee",
            fields={"email": [_("Invite this person first; they need an account.")]},
        )
    user = invitation.user
    meeting.co_hosts.add(user)
    audit_record(actor=actor, action="meetings.cohost_added", subject=meeting, metadata={"user_id": user.pk})
    return user


@transaction.atomic
def meeting_cohost_remove(*, actor: Any, meeting: Meeting, user_id: int) -> None:
    _require_host(actor, meeting, owner_only=True)
    if not meeting.co_hosts.filter(pk=user_id).exists():
        raise NotFound()
    meeting.co_hosts.remove(user_id)
    audit_record(
        actor=actor, action="meetings.cohost_removed", subject=meeting, metadata={"user_id": user_id}
    )


# --- Invitations ------------------------------------------------------------------------------------


def _send_invitation(
    invitation: Invitation, *, template: str, token: str | None, method: str = "REQUEST"
) -> None:
    from videocall.notifications.services import email_send, notify

    meeting = invitation.meeting
    attachment = ("invite.ics", ics.meeting_ics(meeting, method=method), f"text/calendar; method={method}")
    link = settings.SITE_URL + (
        reverse("meetings:invitation_open", kwargs={"token": token})
        if token
        else reverse("meetings:join", kwargs={"meeting_id": meeting.pk})
    )
    context = {
        "meeting_title": meeting.title,
        "host_name": meeting.owner.display_name,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "time_zone": meeting.timezone,
        "is_instant": meeting.is_instant,
        "link": link,
    }
    titles = {
        "meeting_invitation": _("Invitation: %(title)s"),
        "meeting_updated": _("Updated: %(title)s"),
        "meeting_cancelled": _("Cancelled: %(title)s"),
    }
    if invitation.user is not None and not invitation.user.is_deleted:
        notify(
            user=invitation.user,
            kind=f"meetings.{template}",
            title=titles[template] % {"title": meeting.title},
            url=reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}),
            email_template=template,
            context=context,
            attachments=[attachment],
        )
    else:
        email_send(to=invitation.email, template=template, context=context, attachments=[attachment])


def _issue_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.sent_count += 1
    invitation.last_sent_at = timezone.now()
    return token


@transaction.atomic
def invitation_create(*, actor: Any, meeting: Meeting, email: str) -> Invitation:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from videocall.accounts.models import User

    _require_host(actor, meeting)
    if meeting.is_cancelled or meeting.is_over():
        raise Gone(_("This meeting is over or was cancelled."), code="meeting_closed")
    address = normalise_email(email or "")
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationFailed(fields={"email": [_("Enter a valid email address.")]}) from None
    if len(address) > 254:
        raise ValidationFailed(fields={"email": [_("Enter a valid email address.")]})
    index = blind_index(address)
    invitation = meeting.invitations.filter(email_index=index).first()
    if invitation is not None and invitation.status != InvitationStatus.REVOKED:
        raise Conflict(_("This address is already invited."), code="already_invited")
    if invitation is None and meeting.invitations.count() >= MAX_INVITATIONS:
        raise ValidationFailed(_("Too many invitations for one meeting."), code="too_many_invitations")
    user = User.objects.filter(email_index=index, is_active=True, is_deleted=False).first()
    if invitation is None:
        invitation = Invitation(meeting=meeting, email=address, email_index=index)
    invitation.user = user
    invitation.invited_by = actor
    invitation.status = InvitationStatus.PENDING
    invitation.responded_at = None
    token = _issue_token(invitation)
    invitation.save()
    _send_invitation(invitation, template="meeting_invitation", token=token)
    audit_record(
        actor=actor,
        action="meetings.invitation_created",
        subject=meeting,
        metadata={"invitation_id": str(invitation.pk), "member": user is not None},
    )
    return invitation


@transaction.atomic
def invitation_resend(*, actor: Any, invitation: Invitation) -> Invitation:
    meeting = invitation.meeting
    _require_host(actor, meeting)
    if meeting.is_cancelled or meeting.is_over():
        raise Gone(_("This meeting is over or was cancelled."), code="meeting_closed")
    if invitation.status == InvitationStatus.REVOKED:
        raise Conflict(_("This invitation was revoked."), code="invitation_revoked")
    token = _issue_token(invitation)  # the previous link stops working
    invitation.save(update_fields=["token_hash", "sent_count", "last_sent_at"])
    _send_invitation(invitation, template="meeting_invitation", token=token)
    audit_record(
        actor=actor,
        action="meetings.invitation_resent",
        subject=meeting,
        metadata={"invitation_id": str(invitation.pk)},
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    meeting = invitation.meeting
    _require_host(actor, meeting)
    invitation.status = InvitationStatus.REVOKED
    invitation.token_hash = None
    invitation.save(update_fields=["status", "token_hash"])
    if invitation.user_id is not None:
        meeting.co_hosts.remove(invitation.user_id)
    audit_record(
        actor=actor,
        action="meetings.invitation_revoked",
        subject=meeting,
        metadata={"invitation_id": str(invitation.pk)},
    )
    return invitation


def _respond(invitation: Invitation, accept: bool) -> None:
    if invitation.status == InvitationStatus.REVOKED:
        raise NotFound()
    if invitation.meeting.is_cancelled:
        raise Gone(_("This meeting was cancelled."), code="meeting_cancelled")
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])


@transaction.atomic
def invitation_respond(*, actor: Any, invitation: Invitation, accept: bool) -> Invitation:
    """A signed-in invitee accepts or declines (their own invitation only)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if invitation.user_id != actor.pk:
        raise NotFound()
    _respond(invitation, accept)
    if not accept:
        invitation.meeting.co_hosts.remove(actor.pk)
    audit_record(
        actor=actor,
        action="meetings.invitation_accepted" if accept else "meetings.invitation_declined",
        subject=invitation.meeting,
        metadata={"invitation_id": str(invitation.pk)},
    )
    return invitation


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


@transaction.atomic
def invitation_respond_by_token(*, actor: Any, token: str, accept: bool) -> Invitation:
    """A guest (or anyone holding the emailed link) accepts or declines."""
    invitation = invitation_by_token(token)
    _respond(invitation, accept)
    audit_record(
        actor=actor,
        action="meetings.invitation_accepted" if accept else "meetings.invitation_declined",
        subject=invitation.meeting,
        metadata={"invitation_id": str(invitation.pk), "via": "link"},
    )
    return invitation


# --- Joining ----------------------------------------------------------------------------------------


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


def _live_count(meeting: Meeting) -> int:
    return Participation.objects.filter(
        meeting=meeting, session__ended_at__isnull=True, left_at__isnull=True
    ).count()


def _avatar_url(user: Any) -> str:
    """A signed, expiring picture link: Jitsi loads it from its own site, without our cookies."""
    from videocall.accounts.selectors import avatar_link_token

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
        raise Gone(_("This meeting was cancelled."), code="meeting_cancelled")
    if meeting.is_over():
        raise Gone(_("This meeting has ended."), code="meeting_ended")
    moderator = bool(signed_in and meeting.is_host(actor))
    if meeting.max_participants and not moderator and _live_count(meeting) >= meeting.max_participants:
        raise Conflict(_("This meeting is full."), code="meeting_full")
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
        action="meetings.meeting_joined",
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
