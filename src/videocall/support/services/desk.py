"""The agents' desk: replies, status, priority, assignment and revealing the requester."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from videocall.core.masking import reveal_reason_clean
from videocall.core.permissions import Perm, has_perm
from videocall.notifications.services import alert_create, email_send, notify
from videocall.support.errors import SupportError
from videocall.support.models import (
    Message,
    PIIReveal,
    Ticket,
    TicketPriority,
    TicketStatus,
)
from videocall.support.selectors import can_assign, can_handle, can_reply_as_staff

from .rules import _absolute, _new_link_token, _validate_text


def _require_handler(actor: Any, ticket: Ticket) -> None:
    if not can_handle(actor, ticket):
        raise NotFound()


def _handled_ticket(actor: Any, ticket: Ticket) -> Ticket:
    """The ticket, locked for the write, when the actor handles it on the desk (else "not found")."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _require_handler(actor, ticket)
    return ticket


@transaction.atomic
def ticket_reply_by_staff(
    *, actor: Any, ticket: Ticket, body: str, internal: bool = False, new_status: str | None = None
) -> Message:
    """An agent answers the requester (emailed a link back) or writes an internal note (never shown to
    the requester). A public reply puts the ticket in "waiting on user" unless another status is given."""
    ticket = _handled_ticket(actor, ticket)
    if not can_reply_as_staff(actor, ticket):
        raise PermissionDenied()
    if ticket.is_closed and not internal:
        raise Conflict(_("This ticket is closed."), code=SupportError.TICKET_CLOSED)
    _validate_text(body=body)
    if new_status is not None and new_status not in TicketStatus.values:
        raise ValidationFailed(_("Choose a status."), fields={"status": [_("Unknown status.")]})
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket, author=actor, from_staff=True, body=body.strip(), is_internal=internal, created_at=now
    )
    audit_record(
        actor=actor,
        action=AuditAction.SUPPORT_INTERNAL_NOTE if internal else AuditAction.SUPPORT_STAFF_REPLY,
        subject=ticket,
        metadata={"message_id": message.pk},
    )
    if internal:
        if new_status and new_status != ticket.status:
            _set_status(ticket=ticket, status=new_status, actor=actor)
        return message
    ticket.last_activity_at = now
    fields = ["last_activity_at"]
    if ticket.first_response_at is None:
        ticket.first_response_at = now
        fields.append("first_response_at")
    token = None
    if ticket.is_anonymous:
        token = _new_link_token(ticket)
        fields += ["link_token_hash", "link_expires_at"]
    ticket.save(update_fields=fields)
    _set_status(ticket=ticket, status=new_status or TicketStatus.WAITING, actor=actor)
    _email_requester_about_reply(ticket, token)
    return message


def _email_requester_about_reply(ticket: Ticket, token: str | None) -> None:
    """The email names the ticket and links back; it never carries the reply itself."""
    context = {"ticket_id": ticket.pk}
    if ticket.requester is not None:
        if ticket.requester.is_deleted:
            return
        path = reverse("support:ticket_detail", args=[ticket.pk])
        notify(
            user=ticket.requester,
            kind="support_reply",
            title=_("New reply to your support request #%(id)s") % {"id": ticket.pk},
            url=path,
            email_template="support_reply",
            context={**context, "link": _absolute(path)},
        )
    elif token and ticket.contact_email:
        email_send(
            to=ticket.contact_email,
            kind="support_contact_reply",
            template="support_contact_reply",
            context={
                **context,
                "link": _absolute(reverse("support:contact_verify", args=[token])),
                "hours": settings.VIDEOCALL_SUPPORT_LINK_TTL_SECONDS // 3600,
            },
        )


def _set_status(*, ticket: Ticket, status: str, actor: Any) -> Ticket:
    if status not in TicketStatus.values:
        raise ValidationFailed(_("Choose a status."), fields={"status": [_("Unknown status.")]})
    previous = ticket.status
    if previous == status:
        return ticket
    now = timezone.now()
    ticket.status = status
    if status == TicketStatus.RESOLVED:
        ticket.resolved_at = now
    elif status == TicketStatus.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = None
        ticket.closed_at = None
    ticket.last_activity_at = now
    return _save_change(
        ticket,
        ["status", "resolved_at", "closed_at", "last_activity_at"],
        actor=actor,
        action=AuditAction.SUPPORT_TICKET_STATUS,
        before=previous,
        after=status,
    )


def _save_change(
    ticket: Ticket, fields: list[str], *, actor: Any, action: AuditAction, before: Any, after: Any
) -> Ticket:
    """Save the changed ``fields`` of a ticket and audit the change from ``before`` to ``after``."""
    ticket.save(update_fields=fields)
    audit_record(actor=actor, action=action, subject=ticket, metadata={"from": before, "to": after})
    return ticket


def _alert_desk_member(user: Any, ticket: Ticket, *, kind: str, title: str) -> None:
    """An in-app alert to a desk member about a ticket, linking to the ticket's desk page."""
    alert_create(user=user, kind=kind, title=title, url=reverse("support:desk_ticket", args=[ticket.pk]))


@transaction.atomic
def ticket_status_set(*, actor: Any, ticket: Ticket, status: str) -> Ticket:
    ticket = _handled_ticket(actor, ticket)
    if not can_reply_as_staff(actor, ticket):
        raise PermissionDenied()
    return _set_status(ticket=ticket, status=status, actor=actor)


@transaction.atomic
def ticket_priority_set(*, actor: Any, ticket: Ticket, priority: str) -> Ticket:
    ticket = _handled_ticket(actor, ticket)
    if priority and priority not in TicketPriority.values:
        raise ValidationFailed(_("Choose a priority."), fields={"priority": [_("Unknown priority.")]})
    previous = ticket.priority
    ticket.priority = priority
    return _save_change(
        ticket,
        ["priority"],
        actor=actor,
        action=AuditAction.SUPPORT_TICKET_PRIORITY,
        before=previous,
        after=priority,
    )


@transaction.atomic
def ticket_assign(*, actor: Any, ticket: Ticket, assignee: Any | None) -> Ticket:
    """Assign to a staff member who may handle the ticket (or unassign with ``assignee=None``)."""
    ticket = _handled_ticket(actor, ticket)
    if not can_assign(actor, ticket):
        raise PermissionDenied()
    if assignee is not None and not can_handle(assignee, ticket):
        raise ValidationFailed(
            _("That person cannot handle this ticket."), fields={"assignee": [_("Not a desk member.")]}
        )
    previous = ticket.assignee_id
    ticket.assignee = assignee
    _save_change(
        ticket,
        ["assignee"],
        actor=actor,
        action=AuditAction.SUPPORT_TICKET_ASSIGN,
        before=previous,
        after=assignee.pk if assignee else None,
    )
    if assignee is not None and assignee.pk != getattr(actor, "pk", None):
        _alert_desk_member(
            assignee,
            ticket,
            kind="support_assigned",
            title=_("Ticket #%(id)s was assigned to you") % {"id": ticket.pk},
        )
    return ticket


@transaction.atomic
def requester_reveal(*, actor: Any, ticket: Ticket, reason: str, ip_country: str = "") -> PIIReveal:
    """Log (and audit) that a staff member looked at the requester's unmasked name and email."""
    _require_handler(actor, ticket)
    if not has_perm(actor, Perm.PII_REVEAL):
        raise PermissionDenied()
    reason = reveal_reason_clean(reason)
    reveal = PIIReveal.objects.create(agent=actor, ticket=ticket, reason=reason)
    audit_record(
        actor=actor,
        action=AuditAction.SUPPORT_PII_REVEAL,
        subject=ticket,
        metadata={"reveal_id": reveal.pk},
        ip_country=ip_country,
    )
    return reveal
