"""Creating, changing and cancelling meetings, and their co-hosts."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.crypto import blind_index, normalise_email
from videocall.core.errors import (
    Gone,
    NotFound,
    ValidationFailed,
)
from videocall.meetings.errors import MeetingsError
from videocall.meetings.models import (
    InvitationStatus,
    Meeting,
)

from .invitations import _send_invitation
from .rules import _require_creator, _require_host
from .schedule import Schedule


@transaction.atomic
def meeting_create(*, actor: Any, schedule: Schedule) -> Meeting:
    _require_creator(actor)
    schedule.validate()
    meeting = Meeting(owner=actor)
    schedule.apply(meeting)
    meeting.save()
    audit_record(
        actor=actor,
        action=AuditAction.MEETINGS_MEETING_CREATED,
        subject=meeting,
        metadata={"instant": meeting.is_instant, "recurrence": meeting.recurrence, "access": meeting.access},
    )
    return meeting


def _tell_invitees(meeting: Meeting, *, template: str, method: str = "REQUEST") -> int:
    """Email (or notify) every invitee who has not declined or been revoked; returns how many."""
    invitations = meeting.invitations.filter(
        status__in=[InvitationStatus.PENDING, InvitationStatus.ACCEPTED]
    ).select_related("user")
    count = 0
    for invitation in invitations:
        _send_invitation(invitation, template=template, token=None, method=method)
        count += 1
    return count


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, schedule: Schedule) -> Meeting:
    _require_host(actor, meeting)
    if meeting.is_cancelled:
        raise Gone(_("This meeting was cancelled."), code=MeetingsError.MEETING_CANCELLED)
    schedule.validate()
    changed = schedule.apply(meeting)
    if changed:
        meeting.sequence += 1
        meeting.save()
        timing = {"starts_at", "ends_at", "is_instant", "recurrence", "recurrence_count", "recurrence_until"}
        if timing & set(changed):
            _tell_invitees(meeting, template="meeting_updated")
    audit_record(
        actor=actor,
        action=AuditAction.MEETINGS_MEETING_UPDATED,
        subject=meeting,
        metadata={"fields": sorted(changed)},
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
    notified = _tell_invitees(meeting, template="meeting_cancelled", method="CANCEL")
    audit_record(
        actor=actor,
        action=AuditAction.MEETINGS_MEETING_CANCELLED,
        subject=meeting,
        metadata={"notified": notified},
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
            code=MeetingsError.COHOST_NOT_INVITEE,
            fields={"email": [_("Invite this person first; they need an account.")]},
        )
    user = invitation.user
    meeting.co_hosts.add(user)
    audit_record(
        actor=actor, action=AuditAction.MEETINGS_COHOST_ADDED, subject=meeting, metadata={"user_id": user.pk}
    )
    return user


@transaction.atomic
def meeting_cohost_remove(*, actor: Any, meeting: Meeting, user_id: int) -> None:
    _require_host(actor, meeting, owner_only=True)
    if not meeting.co_hosts.filter(pk=user_id).exists():
        raise NotFound()
    meeting.co_hosts.remove(user_id)
    audit_record(
        actor=actor,
        action=AuditAction.MEETINGS_COHOST_REMOVED,
        subject=meeting,
        metadata={"user_id": user_id},
    )
