"""The support API for the app: a member's own tickets, and the contact form for visitors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Path, Router, Status
from ninja.files import UploadedFile

from videocall.core.api import api_auth
from videocall.core.clients import client_ip
from videocall.core.errors import NotFound
from videocall.core.schemas import ProblemOut
from videocall.support import selectors, services
from videocall.support.images import attachment_response
from videocall.support.models import Attachment, Message, Ticket
from videocall.support.schemas import (
    AttachmentOut,
    ContactOpenIn,
    ContactOpenOut,
    MessageCreateIn,
    MessageOut,
    TicketDetailOut,
    TicketOpenIn,
    TicketOut,
)

router = Router(tags=["support"])

MAX_ID = 2**62
ERRORS = {401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut}


def _ticket_out(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "category": ticket.category,
        "subject": ticket.display_subject,
        "status": ticket.status,
        "created_at": ticket.created_at,
        "last_activity_at": ticket.last_activity_at,
        "first_response_at": ticket.first_response_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
    }


def _attachment_out(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "width": attachment.width,
        "height": attachment.height,
    }


def _message_out(message: Message, user: Any) -> dict[str, Any]:
    return {
        "id": message.pk,
        "author": message.author_label,
        "from_staff": message.from_staff,
        "mine": not message.from_staff and message.author_id == user.pk,
        "body": message.body,
        "created_at": message.created_at,
        "attachments": [_attachment_out(a) for a in message.attachments.all()],
    }


def _detail_out(ticket: Ticket, user: Any) -> dict[str, Any]:
    return {
        **_ticket_out(ticket),
        "messages": [_message_out(m, user) for m in selectors.public_thread(ticket)],
    }


@router.get(
    "/tickets", auth=api_auth, response={200: list[TicketOut], 401: ProblemOut}, url_name="support_tickets"
)
def ticket_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Your support tickets, most recently active first."""
    return [_ticket_out(t) for t in selectors.tickets_of(request.user)]


@router.post("/tickets", auth=api_auth, response={201: TicketDetailOut, **ERRORS}, url_name="support_tickets")
def ticket_open(request: HttpRequest, payload: TicketOpenIn) -> Status[dict[str, Any]]:
    """Open a ticket. Add screenshots afterwards with the attachments route of your first message.
    Privacy tickets go to the privacy requests desk."""
    ticket = services.ticket_open(
        actor=request.user, category=payload.category, subject=payload.subject, message=payload.message
    )
    return Status(201, _detail_out(ticket, request.user))


@router.get(
    "/tickets/{ticket_id}",
    auth=api_auth,
    response={200: TicketDetailOut, **ERRORS},
    url_name="support_ticket",
)
def ticket_detail(request: HttpRequest, ticket_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    """One of your tickets with its whole thread (internal notes of the staff are never included)."""
    return _detail_out(selectors.ticket_of(request.user, ticket_id), request.user)


@router.post(
    "/tickets/{ticket_id}/messages",
    auth=api_auth,
    response={201: MessageOut, **ERRORS},
    url_name="support_ticket_messages",
)
def ticket_reply(
    request: HttpRequest, payload: MessageCreateIn, ticket_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[dict[str, Any]]:
    """Reply on your ticket (a resolved or waiting ticket opens again; a closed one answers 409)."""
    ticket = selectors.ticket_of(request.user, ticket_id)
    message = services.ticket_reply_by_requester(actor=request.user, ticket=ticket, body=payload.body)
    return Status(201, _message_out(message, request.user))


@router.post(
    "/tickets/{ticket_id}/close",
    auth=api_auth,
    response={200: TicketOut, **ERRORS},
    url_name="support_ticket_close",
)
def ticket_close(request: HttpRequest, ticket_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    ticket = selectors.ticket_of(request.user, ticket_id)
    return _ticket_out(services.ticket_close_by_requester(actor=request.user, ticket=ticket))


@router.post(
    "/tickets/{ticket_id}/messages/{message_id}/attachments",
    auth=api_auth,
    response={201: list[AttachmentOut], 413: ProblemOut, 415: ProblemOut, **ERRORS},
    url_name="support_message_attachments",
)
def message_attach(
    request: HttpRequest,
    file: File[UploadedFile],
    ticket_id: int = Path(..., ge=1, le=MAX_ID),
    message_id: int = Path(..., ge=1, le=MAX_ID),
) -> Status[list[dict[str, Any]]]:
    """Add a screenshot (JPEG, PNG, WebP or GIF) to one of your own messages. It is re-encoded
    (location and camera metadata removed) and stored encrypted."""
    ticket = selectors.ticket_of(request.user, ticket_id)
    message = ticket.messages.filter(pk=message_id, author_id=request.user.pk, from_staff=False).first()
    if message is None:
        raise NotFound()
    attachments = services.message_attachments_add(actor=request.user, message=message, files=[file])
    return Status(201, [_attachment_out(a) for a in attachments])


@router.get(
    "/attachments/{attachment_id}",
    auth=api_auth,
    response={200: None, **ERRORS},
    url_name="support_attachment",
)
def attachment_download(
    request: HttpRequest, attachment_id: int = Path(..., ge=1, le=MAX_ID)
) -> HttpResponse:
    """The image bytes of an attachment on one of your tickets."""
    found = selectors.attachment_for(request.user, attachment_id)
    return attachment_response(found)


@router.post(
    "/contact",
    auth=None,
    response={202: ContactOpenOut, 422: ProblemOut, 429: ProblemOut},
    url_name="support_contact",
)
def contact_open(request: HttpRequest, payload: ContactOpenIn) -> Status[dict[str, str]]:
    """The contact form for people without an account. The same answer whatever the address; the
    message reaches the staff only after the address is confirmed through the emailed one-time link.
    Rate-limited per IP address and per email address."""
    services.contact_ticket_open(
        actor=None,
        email=payload.email,
        category=payload.category,
        subject=payload.subject,
        message=payload.message,
        client_ip=client_ip(request),
    )
    return Status(202, {"status": "verification_sent"})
