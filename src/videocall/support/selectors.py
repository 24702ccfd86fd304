"""Reads of the support desk, permission-checked. A ticket that is not the caller's (or not on a desk
they work) is "not found", never "forbidden" (IDOR rule S14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from videocall.core.errors import NotFound
from videocall.core.permissions import Perm, has_perm
from videocall.support.models import Attachment, CannedReply, Message, Ticket, TicketCategory


def can_handle(user: Any, ticket: Ticket) -> bool:
    """Staff who may open this ticket on the desk: agents for the queue, the privacy desk for
    privacy inquiries. Unverified contact-form tickets are seen by nobody on staff."""
    if not Ticket.objects.visible_to_desk().filter(pk=ticket.pk).exists():
        return False
    if ticket.category == TicketCategory.PRIVACY:
        return has_perm(user, Perm.PRIVACY_REQUESTS_MANAGE)
    return has_perm(user, Perm.SUPPORT_QUEUE)


def can_reply_as_staff(user: Any, ticket: Ticket) -> bool:
    if ticket.category == TicketCategory.PRIVACY:
        return has_perm(user, Perm.PRIVACY_REQUESTS_MANAGE)
    return has_perm(user, Perm.SUPPORT_REPLY)


def can_assign(user: Any, ticket: Ticket) -> bool:
    """Who may (re)assign a ticket: holders of SUPPORT_ASSIGN, and the privacy desk for privacy
    inquiries."""
    if has_perm(user, Perm.SUPPORT_ASSIGN):
        return True
    return ticket.category == TicketCategory.PRIVACY and has_perm(user, Perm.PRIVACY_REQUESTS_MANAGE)


def can_enter_desk(user: Any) -> bool:
    return has_perm(user, Perm.SUPPORT_QUEUE) or has_perm(user, Perm.PRIVACY_REQUESTS_MANAGE)


# --- Requesters -----------------------------------------------------------------------------------


def tickets_of(user: Any) -> QuerySet[Ticket]:
    if not getattr(user, "is_authenticated", False):
        return Ticket.objects.none()
    return Ticket.objects.filter(requester=user)


def ticket_of(user: Any, ticket_id: int) -> Ticket:
    ticket = tickets_of(user).filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound()
    return ticket


def public_thread(ticket: Ticket) -> QuerySet[Message]:
    """What the requester sees: every message except internal notes."""
    return (
        ticket.messages.filter(is_internal=False)
        .select_related("author", "ticket__requester")
        .prefetch_related("attachments")
    )


def attachment_for(user: Any, attachment_id: int) -> Attachment:
    """An attachment the caller may download: on their own ticket (never of an internal note), or on a
    ticket they handle on the desk."""
    attachment = (
        Attachment.objects.select_related("message__ticket").filter(pk=attachment_id).first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if attachment is None:
        raise NotFound()
    ticket = attachment.message.ticket
    if ticket.requester_id == user.pk and not attachment.message.is_internal:
        return attachment
    if can_handle(user, ticket):
        return attachment
    raise NotFound()


# --- Desk -----------------------------------------------------------------------------------------


AGE_FILTERS = {
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    category: str = ""
    assignee: str = ""  # "", "me", "none" or a user id
    older_than: str = ""  # a key of AGE_FILTERS


def desk_tickets(user: Any, filters: QueueFilters, *, privacy: bool = False) -> QuerySet[Ticket]:
    """The agent queue (no privacy tickets), or with ``privacy=True`` the privacy desk's list."""
    if privacy:
        if not has_perm(user, Perm.PRIVACY_REQUESTS_MANAGE):
            return Ticket.objects.none()
        tickets = Ticket.objects.privacy_desk()
    else:
        if not has_perm(user, Perm.SUPPORT_QUEUE):
            return Ticket.objects.none()
        tickets = Ticket.objects.agent_queue()
        if filters.category in TicketCategory.values:
            tickets = tickets.filter(category=filters.category)
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        tickets = tickets.filter(assignee_id=int(filters.assignee))
    if filters.older_than in AGE_FILTERS:
        tickets = tickets.filter(created_at__lt=timezone.now() - AGE_FILTERS[filters.older_than])
    return tickets.select_related("requester", "assignee").order_by("created_at", "id")


def desk_ticket(user: Any, ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_related("requester", "assignee").filter(pk=ticket_id).first()
    if ticket is None or not can_handle(user, ticket):
        raise NotFound()
    return ticket


def desk_thread(ticket: Ticket) -> QuerySet[Message]:
    """The whole thread with internal notes, for staff who handle the ticket."""
    return ticket.messages.select_related("author").prefetch_related("attachments")


def assignable_staff(ticket: Ticket) -> list[Any]:
    from django.contrib.auth import get_user_model

    perm = Perm.PRIVACY_REQUESTS_MANAGE if ticket.category == TicketCategory.PRIVACY else Perm.SUPPORT_QUEUE
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, is_deleted=False, groups__permissions__codename=perm.value)
        .distinct()
        .order_by("id")
    )
    return [user for user in candidates if has_perm(user, perm)]


def canned_replies(user: Any, *, include_inactive: bool = False) -> QuerySet[CannedReply]:
    if not (can_enter_desk(user) or has_perm(user, Perm.SUPPORT_CANNED_MANAGE)):
        return CannedReply.objects.none()
    replies = CannedReply.objects.all()
    return replies if include_inactive else replies.filter(is_active=True)
