"""Retention for what Jitsi reported: raw events after RETENTION_MEETING_EVENTS_DAYS, and the links of
recordings/transcripts/chats once they have expired (Jitsi's pre-authenticated links last 24 hours).
Sessions and participation (the meeting history) stay until the account is deleted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.meetings.models import JitsiEvent, MeetingContent


@transaction.atomic
def meeting_events_sweep(*, actor: Any = None) -> dict[str, int]:
    days = settings.RETENTION_DAYS.get("meeting_events", 90)
    counts = {"events_deleted": 0, "content_links_expired": 0}
    if days:
        cutoff = timezone.now() - timedelta(days=days)
        counts["events_deleted"] = JitsiEvent.objects.filter(received_at__lt=cutoff).delete()[0]
    expired = MeetingContent.objects.filter(expires_at__lt=timezone.now() - timedelta(days=1)).exclude(
        link=""
    )
    counts["content_links_expired"] = expired.update(link="")
    if any(counts.values()):
        audit_record(actor=actor, action=AuditAction.MEETINGS_RETENTION_SWEEP, metadata=counts)
    return counts
