"""Data map entries, export and erasure for the support desk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q
from django.utils import timezone

from videocall.core.crypto import blind_index
from videocall.core.datamap import (
    Category,
    Erasure,
    ExportSection,
    FieldDecl,
    LegalBasis,
    Purpose,
    data_map,
    is_held,
    register_eraser,
    register_exporter,
    register_retention,
)
from videocall.support.models import Attachment, CannedReply, Message, PIIReveal, Ticket, TicketStatus
from videocall.support.retention import delete_files_on_commit, retention_sweep

_SUPPORT = (Purpose.SUPPORT,)
_KEPT_AS_HISTORY = "the ticket stays for the operator's history, pointing to the tombstone"

data_map.declare(
    Ticket,
    personal={
        "contact_email": FieldDecl(
            Category.CONTACT,
            (*_SUPPORT, Purpose.COMMUNICATIONS),
            LegalBasis.LEGITIMATE_INTERESTS,
            "closed_tickets",
            exported=False,
            note="contact-form visitors only (no account); deleted with the ticket",
        ),
        "contact_email_index": FieldDecl(
            Category.CONTACT,
            (*_SUPPORT, Purpose.SECURITY),
            LegalBasis.LEGITIMATE_INTERESTS,
            "closed_tickets",
            exported=False,
            note="HMAC blind index of the contact address: rate limits and matching a later account erasure",
        ),
        "contact_verified_at": FieldDecl(
            Category.SUPPORT_MESSAGES,
            (*_SUPPORT, Purpose.SECURITY),
            LegalBasis.LEGITIMATE_INTERESTS,
            "closed_tickets",
            exported=False,
        ),
        "link_token_hash": FieldDecl(
            Category.COOKIES_TOKENS,
            (*_SUPPORT, Purpose.SECURITY),
            LegalBasis.LEGITIMATE_INTERESTS,
            "closed_tickets",
            exported=False,
            note="SHA-256 of the one-time link token; cleared when the link is used",
        ),
        "subject": FieldDecl(
            Category.SUPPORT_MESSAGES,
            _SUPPORT,
            LegalBasis.CONTRACT,
            "closed_tickets",
            erasure=Erasure.ANONYMISE,
            note="blanked on erasure; shown as '(erased)'",
        ),
        "created_at": FieldDecl(
            Category.SUPPORT_MESSAGES,
            _SUPPORT,
            LegalBasis.CONTRACT,
            "closed_tickets",
            erasure=Erasure.ANONYMISE,
            note=_KEPT_AS_HISTORY,
        ),
    },
    not_personal={
        "id": "row id",
        "requester": "owner (a tombstone after erasure)",
        "link_expires_at": "expiry time of the one-time link",
        "category": "one of four fixed categories (account, meetings, privacy, other)",
        "status": "workflow state",
        "priority": "workflow priority",
        "assignee": "the staff member handling the ticket",
        "last_activity_at": "workflow time",
        "first_response_at": "service-level time",
        "resolved_at": "service-level time",
        "closed_at": "service-level time; starts the retention period",
        "requester_erased_at": "time the requester's account was erased",
    },
    owner_path="requester",
)

data_map.declare(
    Message,
    personal={
        "body": FieldDecl(
            Category.SUPPORT_MESSAGES,
            _SUPPORT,
            LegalBasis.CONTRACT,
            "closed_tickets",
            erasure=Erasure.ANONYMISE,
            note="the requester's own messages are blanked on erasure (the row stays, marked deleted, so the "
            "thread reads coherently); staff replies on their tickets stay with the operator",
        ),
        "created_at": FieldDecl(
            Category.SUPPORT_MESSAGES,
            _SUPPORT,
            LegalBasis.CONTRACT,
            "closed_tickets",
            erasure=Erasure.ANONYMISE,
            note=_KEPT_AS_HISTORY,
        ),
    },
    not_personal={
        "id": "row id",
        "ticket": "link to the ticket",
        "author": "the writer (a tombstone after erasure)",
        "from_staff": "whether the staff wrote it",
        "is_internal": "internal note flag (never shown to the requester)",
        "erased_at": "time the text was erased",
    },
    owner_path="author",
)

data_map.declare(
    Attachment,
    personal={
        "file": FieldDecl(
            Category.SUPPORT_MESSAGES,
            _SUPPORT,
            LegalBasis.CONTRACT,
            "closed_tickets",
            note="re-encoded screenshot (no EXIF/GPS), stored encrypted; deleted on erasure",
        ),
    },
    not_personal={
        "id": "row id",
        "message": "link to the message",
        "uploaded_by": "owner",
        "content_type": "image type",
        "size": "byte count",
        "width": "pixels",
        "height": "pixels",
        "created_at": "upload time",
    },
    owner_path="uploaded_by",
)

data_map.declare(
    CannedReply,
    personal={},
    not_personal={
        "id": "row id",
        "title": "template title written by staff for everyone",
        "body": "template text written by staff for everyone; no requester data",
        "is_active": "in use flag",
        "created_by": "staff author",
        "created_at": "time",
        "updated_at": "time",
    },
)

data_map.declare(
    PIIReveal,
    personal={
        "reason": FieldDecl(
            Category.ACTIVITY,
            (Purpose.SECURITY,),
            LegalBasis.LEGITIMATE_INTERESTS,
            "closed_tickets",
            exported=False,
            erasure=Erasure.CASCADE,
            note="why a staff member looked at a requester's name and email (also in the audit log)",
        ),
    },
    not_personal={
        "id": "row id",
        "agent": "the staff member (accountability)",
        "ticket": "link to the ticket",
        "created_at": "time of the reveal",
    },
    owner_path="agent",
)


# --- Export ---------------------------------------------------------------------------------------


def _attachment_path(attachment: Attachment) -> str:
    return f"support/attachments/{attachment.filename}"


def _ticket_rows(user: Any) -> Iterator[dict[str, Any]]:
    for ticket in Ticket.objects.filter(requester=user).order_by("id").iterator():
        yield {
            "ticket_id": ticket.pk,
            "category": ticket.category,
            "subject": ticket.subject,
            "status": ticket.status,
            "created_at": ticket.created_at.isoformat(),
            "first_response_at": ticket.first_response_at.isoformat() if ticket.first_response_at else "",
            "resolved_at": ticket.resolved_at.isoformat() if ticket.resolved_at else "",
            "closed_at": ticket.closed_at.isoformat() if ticket.closed_at else "",
        }


def _message_rows(user: Any) -> Iterator[dict[str, Any]]:
    """The whole thread of the user's tickets (never internal notes); staff appear as the team."""
    messages = (
        Message.objects.filter(ticket__requester=user, is_internal=False)
        .prefetch_related("attachments")
        .order_by("ticket_id", "created_at", "id")
    )
    for message in messages.iterator(chunk_size=500):
        mine = not message.from_staff and message.author_id == user.pk
        yield {
            "ticket_id": message.ticket_id,
            "message_id": message.pk,
            "author": "you" if mine else "support team",
            "body": message.body,
            "created_at": message.created_at.isoformat(),
            "attachments": ";".join(
                _attachment_path(a) for a in message.attachments.all() if a.uploaded_by_id == user.pk
            ),
        }


def _files(user: Any) -> Iterator[tuple[str, bytes]]:
    attachments = Attachment.objects.filter(uploaded_by=user, message__is_internal=False).exclude(file="")
    for attachment in attachments.order_by("id").iterator():
        try:
            with attachment.file.open("rb") as handle:
                yield _attachment_path(attachment), handle.read()
        except FileNotFoundError:
            continue  # the stored file is gone (storage restored from an older backup): nothing to export


@register_exporter("support")
def export(user: Any) -> Iterable[ExportSection]:
    yield ExportSection(
        name="support_tickets",
        category=Category.SUPPORT_MESSAGES,
        description="Your support tickets: category, subject, status and service times.",
        rows=_ticket_rows(user),
    )
    yield ExportSection(
        name="support_messages",
        category=Category.SUPPORT_MESSAGES,
        description="Every message on your tickets (yours and the support team's replies), and the "
        "screenshots you uploaded. Staff internal notes are not part of your data.",
        rows=_message_rows(user),
        files=_files(user),
    )


# --- Erasure --------------------------------------------------------------------------------------


@register_eraser("support", order=100)
def erase(*, user: Any, holds: Iterable[str] = ()) -> dict[str, int]:
    """Blank the user's messages and subjects, delete their screenshots and contact-form tickets sent
    from their address, close their open tickets. Staff replies stay; the requester shows as
    "Deleted user". A legal hold on support messages keeps everything."""
    if is_held(holds, Category.SUPPORT_MESSAGES):
        return {"support_held": Ticket.objects.filter(requester=user).count()}
    now = timezone.now()
    # Everything the user wrote, including replies they wrote as an agent (a legal hold keeps those
    # when the operator must); the threads stay coherent with "(erased)" in their place.
    own_messages = Message.objects.filter(author=user)
    attachments = Attachment.objects.filter(Q(uploaded_by=user) | Q(message__in=own_messages))
    delete_files_on_commit(attachments)
    attachments_deleted, _by_model = attachments.delete()
    messages_erased = own_messages.update(body="", erased_at=now)
    tickets = Ticket.objects.filter(requester=user)
    tickets.exclude(status=TicketStatus.CLOSED).update(status=TicketStatus.CLOSED, closed_at=now)
    tickets_anonymised = tickets.update(
        subject="", requester_erased_at=now, link_token_hash="", contact_email="", contact_email_index=""
    )
    PIIReveal.objects.filter(Q(agent=user) | Q(ticket__requester=user)).update(reason="")
    contact_deleted = 0
    if getattr(user, "email", ""):
        index = blind_index(user.email, purpose="support_email")
        contact = Ticket.objects.filter(requester__isnull=True, contact_email_index=index)
        delete_files_on_commit(Attachment.objects.filter(message__ticket__in=contact))
        contact_deleted = contact.count()
        contact.delete()
    return {
        "support_messages_erased": messages_erased,
        "support_attachments_deleted": attachments_deleted,
        "support_tickets_anonymised": tickets_anonymised,
        "support_contact_tickets_deleted": contact_deleted,
    }


@register_retention("closed_tickets")
def _sweep_closed_tickets(*, now: Any, days: int) -> int:
    """Run by the privacy center's daily retention sweep."""
    return sum(retention_sweep(now=now).values())
