"""Retention of support data: closing idle resolved tickets, deleting closed tickets past
RETENTION_DAYS["closed_tickets"] and contact-form tickets never verified."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.support.models import Attachment, Ticket, TicketStatus


def delete_files_on_commit(attachments: Iterable[Attachment]) -> None:
    """Delete the stored screenshot files once the deleting transaction commits (a rollback keeps
    them); the rows are the caller's to delete."""
    for attachment in attachments:
        if attachment.file:
            transaction.on_commit(partial(attachment.file.storage.delete, str(attachment.file.name)))


def _delete_tickets(tickets: Any) -> int:
    count = 0
    for ticket in tickets.iterator():
        delete_files_on_commit(Attachment.objects.filter(message__ticket=ticket))
        ticket.delete()
        count += 1
    return count


@transaction.atomic
def retention_sweep(*, actor: Any = None, now: Any = None) -> dict[str, int]:
    """Close resolved tickets left idle, delete closed tickets past RETENTION_DAYS["closed_tickets"]
    and contact-form tickets never verified within RETENTION_DAYS["unverified_signups"]."""
    now = now or timezone.now()
    counts = {"autoclosed": 0, "closed_deleted": 0, "unverified_deleted": 0}
    autoclose_days = settings.VIDEOCALL_SUPPORT_AUTOCLOSE_DAYS
    if autoclose_days > 0:
        idle = Ticket.objects.filter(
            status=TicketStatus.RESOLVED, last_activity_at__lt=now - timedelta(days=autoclose_days)
        )
        counts["autoclosed"] = idle.update(status=TicketStatus.CLOSED, closed_at=now, last_activity_at=now)
    closed_days = settings.RETENTION_DAYS.get("closed_tickets", 0)
    if closed_days > 0:
        counts["closed_deleted"] = _delete_tickets(
            Ticket.objects.filter(status=TicketStatus.CLOSED, closed_at__lt=now - timedelta(days=closed_days))
        )
    unverified_days = settings.RETENTION_DAYS.get("unverified_signups", 0)
    if unverified_days > 0:
        counts["unverified_deleted"] = _delete_tickets(
            Ticket.objects.filter(
                requester__isnull=True,
                contact_verified_at__isnull=True,
                requester_erased_at__isnull=True,
                created_at__lt=now - timedelta(days=unverified_days),
            )
        )
    if any(counts.values()):
        audit_record(actor=actor, action=AuditAction.SUPPORT_RETENTION_SWEEP, metadata=counts)
    return counts
