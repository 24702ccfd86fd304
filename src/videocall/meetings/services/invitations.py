"""Invitations: create, resend, revoke, and the invitee's answer."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.accounts.models import User
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.crypto import blind_index, normalise_email
from videocall.core.errors import (
    Conflict,
    Gone,
    NotAuthenticated,
    NotFound,
    ValidationFailed,
)
from videocall.meetings import ics
from videocall.meetings.errors import MeetingsError
from videocall.meetings.models import (
    Invitation,
    InvitationStatus,
    Meeting,
)
from videocall.meetings.selectors import hash_token, invitation_by_token
from videocall.notifications.services import email_send, notify

from .rules import MAX_INVITATIONS, _require_host


def _send_invitation(
    invitation: Invitation, *, template: str, token: str | None, method: str = "REQUEST"
) -> None:
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
        email_send(
            to=invitation.email,
            kind=f"meetings.{template}",
            template=template,
            context=context,
            attachments=[attachment],
        )


def _audit_invitation(actor: Any, invitation: Invitation, action: AuditAction, **metadata: Any) -> None:
    """Invitation events are the meeting's, naming the invitation by id (never its address)."""
    audit_record(
        actor=actor,
        action=action,
        subject=invitation.meeting,
        metadata={"invitation_id": str(invitation.pk), **metadata},
    )


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

    _require_host(actor, meeting)
    if meeting.is_cancelled or meeting.is_over():
        raise Gone(_("This meeting is over or was cancelled."), code=MeetingsError.MEETING_CLOSED)
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
        raise Conflict(_("This address is already invited."), code=MeetingsError.ALREADY_INVITED)
    if invitation is None and meeting.invitations.count() >= MAX_INVITATIONS:
        raise ValidationFailed(
            _("Too many invitations for one meeting."), code=MeetingsError.TOO_MANY_INVITATIONS
        )
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
    _audit_invitation(actor, invitation, AuditAction.MEETINGS_INVITATION_CREATED, member=user is not None)
    return invitation


@transaction.atomic
def invitation_resend(*, actor: Any, invitation: Invitation) -> Invitation:
    meeting = invitation.meeting
    _require_host(actor, meeting)
    if meeting.is_cancelled or meeting.is_over():
        raise Gone(_("This meeting is over or was cancelled."), code=MeetingsError.MEETING_CLOSED)
    if invitation.status == InvitationStatus.REVOKED:
        raise Conflict(_("This invitation was revoked."), code=MeetingsError.INVITATION_REVOKED)
    token = _issue_token(invitation)  # the previous link stops working
    invitation.save(update_fields=["token_hash", "sent_count", "last_sent_at"])
    _send_invitation(invitation, template="meeting_invitation", token=token)
    _audit_invitation(actor, invitation, AuditAction.MEETINGS_INVITATION_RESENT)
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
    _audit_invitation(actor, invitation, AuditAction.MEETINGS_INVITATION_REVOKED)
    return invitation


def _respond(invitation: Invitation, accept: bool, *, actor: Any, **metadata: Any) -> None:
    """The invitee's answer, by either way of answering: saved and audited."""
    if invitation.status == InvitationStatus.REVOKED:
        raise NotFound()
    if invitation.meeting.is_cancelled:
        raise Gone(_("This meeting was cancelled."), code=MeetingsError.MEETING_CANCELLED)
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    action = AuditAction.MEETINGS_INVITATION_ACCEPTED if accept else AuditAction.MEETINGS_INVITATION_DECLINED
    _audit_invitation(actor, invitation, action, **metadata)


@transaction.atomic
def invitation_respond(*, actor: Any, invitation: Invitation, accept: bool) -> Invitation:
    """A signed-in invitee accepts or declines (their own invitation only)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if invitation.user_id != actor.pk:
        raise NotFound()
    _respond(invitation, accept, actor=actor)
    if not accept:
        invitation.meeting.co_hosts.remove(actor.pk)
    return invitation


@transaction.atomic
def invitation_respond_by_token(*, actor: Any, token: str, accept: bool) -> Invitation:
    """A guest (or anyone holding the emailed link) accepts or declines."""
    invitation = invitation_by_token(token)
    _respond(invitation, accept, actor=actor, via="link")
    return invitation
