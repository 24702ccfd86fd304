"""The requester's side: opening tickets, replying, closing, attachments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from videocall.core.permissions import Perm, has_perm
from videocall.core.signals import privacy_inquiry_received
from videocall.support.errors import SupportError
from videocall.support.models import (
    Attachment,
    Message,
    Ticket,
    TicketCategory,
    TicketStatus,
)

from .desk import _alert_desk_member, _set_status
from .rules import _attach_files, _validate_category, _validate_text


def _send_privacy_inquiry(ticket: Ticket, first_message: Message) -> None:
    privacy_inquiry_received.send(
        sender=Ticket,
        ticket_id=ticket.pk,
        user=ticket.requester,
        email=ticket.requester_email,
        subject=ticket.subject,
        message=first_message.body,
    )


def _own_ticket(actor: Any, ticket: Ticket, *, contact: bool) -> Ticket:
    """The ticket, locked for the write, when it is the actor's own (else "not found"); with
    ``contact=True`` the caller already matched the visitor's link session to it."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not contact and (ticket.requester_id is None or ticket.requester_id != getattr(actor, "pk", None)):
        raise NotFound()
    return ticket


@transaction.atomic
def ticket_open(
    *,
    actor: Any,
    category: str,
    subject: str,
    message: str,
    files: Sequence[IO[bytes]] = (),
    ip_country: str = "",
) -> Ticket:
    """A signed-in member opens a ticket. Privacy tickets go to the privacy requests desk."""
    if not has_perm(actor, Perm.SUPPORT_OPEN_TICKET):
        raise PermissionDenied()
    _validate_category(category)
    _validate_text(subject=subject, body=message)
    now = timezone.now()
    ticket = Ticket.objects.create(
        requester=actor, category=category, subject=subject.strip(), created_at=now, last_activity_at=now
    )
    first = Message.objects.create(ticket=ticket, author=actor, body=message.strip(), created_at=now)
    count = _attach_files(message=first, files=files, uploader=actor)
    audit_record(
        actor=actor,
        action=AuditAction.SUPPORT_TICKET_OPEN,
        subject=ticket,
        metadata={"category": category, "attachments": count},
        ip_country=ip_country,
    )
    if category == TicketCategory.PRIVACY:
        _send_privacy_inquiry(ticket, first)
    return ticket


@transaction.atomic
def ticket_reply_by_requester(
    *, actor: Any, ticket: Ticket, body: str, files: Sequence[IO[bytes]] = (), contact: bool = False
) -> Message:
    """The requester answers (a member, or with ``contact=True`` a visitor holding a link session)."""
    ticket = _own_ticket(actor, ticket, contact=contact)
    if ticket.is_closed:
        raise Conflict(_("This ticket is closed. Please open a new one."), code=SupportError.TICKET_CLOSED)
    _validate_text(body=body)
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket, author=None if contact else actor, body=body.strip(), created_at=now
    )
    count = _attach_files(message=message, files=files, uploader=None if contact else actor)
    audit_record(
        actor=None if contact else actor,
        action=AuditAction.SUPPORT_REQUESTER_REPLY,
        subject=ticket,
        metadata={"message_id": message.pk, "attachments": count},
    )
    ticket.last_activity_at = now
    ticket.save(update_fields=["last_activity_at"])
    _set_status(ticket=ticket, status=TicketStatus.OPEN, actor=None if contact else actor)
    if ticket.assignee_id and ticket.assignee is not None:
        _alert_desk_member(
            ticket.assignee,
            ticket,
            kind="support_requester_reply",
            title=_("Ticket #%(id)s has a new reply") % {"id": ticket.pk},
        )
    return message


@transaction.atomic
def ticket_close_by_requester(*, actor: Any, ticket: Ticket, contact: bool = False) -> Ticket:
    ticket = _own_ticket(actor, ticket, contact=contact)
    return _set_status(ticket=ticket, status=TicketStatus.CLOSED, actor=None if contact else actor)


@transaction.atomic
def message_attachments_add(*, actor: Any, message: Message, files: Sequence[IO[bytes]]) -> list[Attachment]:
    """Add screenshots to a message the member wrote on their own open ticket."""
    message = Message.objects.select_related("ticket").get(pk=message.pk)
    if message.from_staff or message.author_id != getattr(actor, "pk", None):
        raise NotFound()
    if message.ticket.is_closed:
        raise Conflict(_("This ticket is closed. Please open a new one."), code=SupportError.TICKET_CLOSED)
    existing = message.attachments.count()
    if existing + len(files) > settings.VIDEOCALL_SUPPORT_MAX_ATTACHMENTS:
        raise ValidationFailed(
            _("At most %(n)d screenshots per message.") % {"n": settings.VIDEOCALL_SUPPORT_MAX_ATTACHMENTS},
            fields={"screenshots": [_("Too many files.")]},
        )
    count = _attach_files(message=message, files=files, uploader=actor)
    audit_record(
        actor=actor,
        action=AuditAction.SUPPORT_ATTACHMENT_ADD,
        subject=message.ticket,
        metadata={"message_id": message.pk, "attachments": count},
    )
    return list(message.attachments.order_by("-id")[:count])[::-1]
