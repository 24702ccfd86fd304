"""Every write of the support desk. Keyword-only arguments, ``actor=`` required, one transaction,
one audit event each; email and signals after commit (or inside, where the receiver must share it)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.audit.services import audit_record
from videocall.core.crypto import blind_index, normalise_email
from videocall.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationFailed
from videocall.core.permissions import Perm, has_perm
from videocall.core.signals import privacy_inquiry_received
from videocall.support.images import clean_image
from videocall.support.models import (
    Attachment,
    Message,
    PIIReveal,
    Ticket,
    TicketCategory,
    TicketPriority,
    TicketStatus,
)
from videocall.support.selectors import can_handle, can_reply_as_staff

SUBJECT_MAX = 200
BODY_MAX = 10_000
REASON_MAX = 500
EMAIL_INDEX_PURPOSE = "support_email"


def _validate_text(*, subject: str | None = None, body: str | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if subject is not None and not (1 <= len(subject.strip()) <= SUBJECT_MAX):
        errors["subject"] = [_("Enter a subject of at most %(n)d characters.") % {"n": SUBJECT_MAX}]
    if body is not None and not (1 <= len(body.strip()) <= BODY_MAX):
        errors["message"] = [_("Enter a message of at most %(n)d characters.") % {"n": BODY_MAX}]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)


def _validate_contact_email(email: str) -> None:
    """The address must be a valid email address that a message can actually be sent to (Django's
    validator accepts some international domains that cannot be IDNA-encoded for the To header)."""
    try:
        if len(email) > 254:
            raise ValueError("too long")
        validate_email(email)
        EmailMessage(to=[email], from_email=settings.DEFAULT_FROM_EMAIL).message()
    except (DjangoValidationError, ValueError) as exc:  # UnicodeError is a ValueError
        raise ValidationFailed(
            _("Enter a valid email address."), fields={"email": [_("Not valid.")]}
        ) from exc


def _validate_category(category: str) -> None:
    if category not in TicketCategory.values:
        raise ValidationFailed(
            _("Choose a category."), fields={"category": [_("Choose one of the listed categories.")]}
        )


def _attach_files(*, message: Message, files: Sequence[IO[bytes]], uploader: Any) -> int:
    if len(files) > settings.VIDEOCALL_SUPPORT_MAX_ATTACHMENTS:
        raise ValidationFailed(
            _("At most %(n)d screenshots per message.") % {"n": settings.VIDEOCALL_SUPPORT_MAX_ATTACHMENTS},
            fields={"screenshots": [_("Too many files.")]},
        )
    # Check every file before storing any, so a bad second file leaves no stored first one.
    cleaned_files = [clean_image(upload) for upload in files]
    for cleaned in cleaned_files:
        attachment = Attachment(
            message=message,
            uploaded_by=uploader if getattr(uploader, "is_authenticated", False) else None,
            content_type=cleaned.content_type,
            size=len(cleaned.content),
            width=cleaned.width,
            height=cleaned.height,
        )
        attachment.file.save("screenshot", ContentFile(cleaned.content), save=False)
        attachment.save()
    return len(files)


def _new_link_token(ticket: Ticket) -> str:
    token = secrets.token_urlsafe(32)
    ticket.link_token_hash = hashlib.sha256(token.encode()).hexdigest()
    ticket.link_expires_at = timezone.now() + timedelta(seconds=settings.VIDEOCALL_SUPPORT_LINK_TTL_SECONDS)
    return token


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send_privacy_inquiry(ticket: Ticket, first_message: Message) -> None:
    privacy_inquiry_received.send(
        sender=Ticket,
        ticket_id=ticket.pk,
        user=ticket.requester,
        email=ticket.requester_email,
        subject=ticket.subject,
        message=first_message.body,
    )


# --- Requesters ------------------------------------------------------------------------------------


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
        action="support.ticket_open",
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
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not contact and (ticket.requester_id is None or ticket.requester_id != getattr(actor, "pk", None)):
        raise NotFound()
    if ticket.is_closed:
        raise Conflict(_("This ticket is closed. Please open a new one."), code="ticket_closed")
    _validate_text(body=body)
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket, author=None if contact else actor, body=body.strip(), created_at=now
    )
    count = _attach_files(message=message, files=files, uploader=None if contact else actor)
    audit_record(
        actor=None if contact else actor,
        action="support.requester_reply",
        subject=ticket,
        metadata={"message_id": message.pk, "attachments": count},
    )
    ticket.last_activity_at = now
    ticket.save(update_fields=["last_activity_at"])
    _set_status(ticket=ticket, status=TicketStatus.OPEN, actor=None if contact else actor)
    if ticket.assignee_id and ticket.assignee is not None:
        from videocall.notifications.services import alert_create

        path = reverse("support:desk_ticket", args=[ticket.pk])
        alert_create(
            user=ticket.assignee,
            kind="support_requester_reply",
            title=_("Ticket #%(id)s has a new reply") % {"id": ticket.pk},
            url=path,
        )
    return message


@transaction.atomic
def ticket_close_by_requester(*, actor: Any, ticket: Ticket, contact: bool = False) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not contact and (ticket.requester_id is None or ticket.requester_id != getattr(actor, "pk", None)):
        raise NotFound()
    return _set_status(ticket=ticket, status=TicketStatus.CLOSED, actor=None if contact else actor)


@transaction.atomic
def message_attachments_add(*, actor: Any, message: Message, files: Sequence[IO[bytes]]) -> list[Attachment]:
    """Add screenshots to a message the member wrote on their own open ticket."""
    message = Message.objects.select_related("ticket").get(pk=message.pk)
    if message.from_staff or message.author_id != getattr(actor, "pk", None):
        raise NotFound()
    if message.ticket.is_closed:
        raise Conflict(_("This ticket is closed. Please open a new one."), code="ticket_closed")
    existing = message.attachments.count()
    if existing + len(files) > settings.VIDEOCALL_SUPPORT_MAX_ATTACHMENTS:
        raise ValidationFailed(
            _("At most %(n)d screenshots per message.") % {"n": settings.VIDEOCALL_SUPPORT_MAX_ATTACHMENTS},
            fields={"screenshots": [_("Too many files.")]},
        )
    count = _attach_files(message=message, files=files, uploader=actor)
    audit_record(
        actor=actor,
        action="support.attachment_add",
        subject=message.ticket,
        metadata={"message_id": message.pk, "attachments": count},
    )
    return list(message.attachments.order_by("-id")[:count])[::-1]


# --- Contact form (no account) -------------------------------------------------------------------


def _rate_limit(key: str, limit: int) -> bool:
    """Count one attempt in a one-hour window; False when the limit is already reached."""
    if limit <= 0:
        return True
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= limit


@transaction.atomic
def contact_ticket_open(
    *, actor: Any, email: str, category: str, subject: str, message: str, client_ip: str
) -> Ticket:
    """A visitor writes through the contact form. Nobody on staff sees it until the address is verified
    through the one-time link emailed here. The answer is the same whether or not the address has an
    account (no enumeration)."""
    email = normalise_email(email or "")
    _validate_contact_email(email)
    _validate_category(category)
    _validate_text(subject=subject, body=message)
    ip_key = blind_index(client_ip or "unknown", purpose="support_ip")
    email_key = blind_index(email, purpose=EMAIL_INDEX_PURPOSE)
    ip_ok = _rate_limit(f"support:contact:ip:{ip_key}", settings.VIDEOCALL_SUPPORT_CONTACT_PER_IP_PER_HOUR)
    email_ok = _rate_limit(
        f"support:contact:email:{email_key}", settings.VIDEOCALL_SUPPORT_CONTACT_PER_EMAIL_PER_HOUR
    )
    if not (ip_ok and email_ok):
        raise RateLimited(_("Too many messages. Please try again in an hour."), code="contact_rate_limited")
    now = timezone.now()
    ticket = Ticket(
        contact_email=email,
        contact_email_index=email_key,
        category=category,
        subject=subject.strip(),
        created_at=now,
        last_activity_at=now,
    )
    token = _new_link_token(ticket)
    ticket.save()
    Message.objects.create(ticket=ticket, author=None, body=message.strip(), created_at=now)
    audit_record(actor=actor, action="support.contact_open", subject=ticket, metadata={"category": category})
    from videocall.notifications.services import email_send

    email_send(
        to=email,
        template="support_contact_verify",
        context={
            "link": _absolute(reverse("support:contact_verify", args=[token])),
            "ticket_id": ticket.pk,
            "hours": settings.VIDEOCALL_SUPPORT_LINK_TTL_SECONDS // 3600,
        },
    )
    return ticket


def _ticket_for_token(token: str) -> Ticket | None:
    if not token or len(token) > 100:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    ticket = Ticket.objects.filter(link_token_hash=digest, requester__isnull=True).first()
    if ticket is None or ticket.link_expires_at is None or ticket.link_expires_at <= timezone.now():
        return None
    return ticket


def contact_link_check(*, token: str) -> Ticket | None:
    """Whether a one-time link is still good (read-only: showing the page does not use it up)."""
    return _ticket_for_token(token)


@transaction.atomic
def contact_link_use(*, actor: Any, token: str) -> Ticket:
    """Use up a one-time link: the first use verifies the address (and hands a privacy inquiry to the
    privacy desk); every use opens a short reading session for this one ticket."""
    found = _ticket_for_token(token)
    if found is None:
        raise NotFound(_("This link is not valid or has expired."), code="link_invalid")
    ticket = Ticket.objects.select_for_update().get(pk=found.pk)
    if ticket.link_token_hash != found.link_token_hash:
        raise NotFound(_("This link is not valid or has expired."), code="link_invalid")
    ticket.link_token_hash = ""
    ticket.link_expires_at = None
    first_verification = ticket.contact_verified_at is None
    if first_verification:
        ticket.contact_verified_at = timezone.now()
    ticket.save(update_fields=["link_token_hash", "link_expires_at", "contact_verified_at"])
    audit_record(
        actor=actor,
        action="support.contact_verify" if first_verification else "support.contact_link_use",
        subject=ticket,
    )
    if first_verification and ticket.category == TicketCategory.PRIVACY:
        first = ticket.messages.order_by("id").first()
        if first is not None:
            _send_privacy_inquiry(ticket, first)
    return ticket


# --- Agents (and the privacy desk for privacy tickets) --------------------------------------------


def _require_handler(actor: Any, ticket: Ticket) -> None:
    if not can_handle(actor, ticket):
        raise NotFound()


@transaction.atomic
def ticket_reply_by_staff(
    *, actor: Any, ticket: Ticket, body: str, internal: bool = False, new_status: str | None = None
) -> Message:
    """An agent answers the requester (emailed a link back) or writes an internal note (never shown to
    the requester). A public reply puts the ticket in "waiting on user" unless another status is given."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _require_handler(actor, ticket)
    if not can_reply_as_staff(actor, ticket):
        raise PermissionDenied()
    if ticket.is_closed and not internal:
        raise Conflict(_("This ticket is closed."), code="ticket_closed")
    _validate_text(body=body)
    if new_status is not None and new_status not in TicketStatus.values:
        raise ValidationFailed(_("Choose a status."), fields={"status": [_("Unknown status.")]})
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket, author=actor, from_staff=True, body=body.strip(), is_internal=internal, created_at=now
    )
    audit_record(
        actor=actor,
        action="support.internal_note" if internal else "support.staff_reply",
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
    from videocall.notifications.services import email_send, notify

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
    ticket.save(update_fields=["status", "resolved_at", "closed_at", "last_activity_at"])
    audit_record(
        actor=actor,
        action="support.ticket_status",
        subject=ticket,
        metadata={"from": previous, "to": status},
    )
    return ticket


@transaction.atomic
def ticket_status_set(*, actor: Any, ticket: Ticket, status: str) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _require_handler(actor, ticket)
    if not can_reply_as_staff(actor, ticket):
        raise PermissionDenied()
    return _set_status(ticket=ticket, status=status, actor=actor)


@transaction.atomic
def ticket_priority_set(*, actor: Any, ticket: Ticket, priority: str) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _require_handler(actor, ticket)
    if priority and priority not in TicketPriority.values:
        raise ValidationFailed(_("Choose a priority."), fields={"priority": [_("Unknown priority.")]})
    previous = ticket.priority
    ticket.priority = priority
    ticket.save(update_fields=["priority"])
    audit_record(
        actor=actor,
        action="support.ticket_priority",
        subject=ticket,
        metadata={"from": previous, "to": priority},
    )
    return ticket


@transaction.atomic
def ticket_assign(*, actor: Any, ticket: Ticket, assignee: Any | None) -> Ticket:
    """Assign to a staff member who may handle the ticket (or unassign with ``assignee=None``)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _require_handler(actor, ticket)
    privacy = ticket.category == TicketCategory.PRIVACY
    if not (
        has_perm(actor, Perm.SUPPORT_ASSIGN) or (privacy and has_perm(actor, Perm.PRIVACY_REQUESTS_MANAGE))
    ):
        raise PermissionDenied()
    if assignee is not None and not can_handle(assignee, ticket):
        raise ValidationFailed(
            _("That person cannot handle this ticket."), fields={"assignee": [_("Not a desk member.")]}
        )
    previous = ticket.assignee_id
    ticket.assignee = assignee
    ticket.save(update_fields=["assignee"])
    audit_record(
        actor=actor,
        action="support.ticket_assign",
        subject=ticket,
        metadata={"from": previous, "to": assignee.pk if assignee else None},
    )
    if assignee is not None and assignee.pk != getattr(actor, "pk", None):
        from videocall.notifications.services import alert_create

        alert_create(
            user=assignee,
            kind="support_assigned",
            title=_("Ticket #%(id)s was assigned to you") % {"id": ticket.pk},
            url=reverse("support:desk_ticket", args=[ticket.pk]),
        )
    return ticket


@transaction.atomic
def requester_reveal(*, actor: Any, ticket: Ticket, reason: str, ip_country: str = "") -> PIIReveal:
    """Log (and audit) that a staff member looked at the requester's unmasked name and email."""
    _require_handler(actor, ticket)
    if not has_perm(actor, Perm.PII_REVEAL):
        raise PermissionDenied()
    reason = (reason or "").strip()
    if not 3 <= len(reason) <= REASON_MAX:
        raise ValidationFailed(
            _("Say why you need to see these details."),
            fields={"reason": [_("Between 3 and %(n)d characters.") % {"n": REASON_MAX}]},
        )
    reveal = PIIReveal.objects.create(agent=actor, ticket=ticket, reason=reason)
    audit_record(
        actor=actor,
        action="support.pii_reveal",
        subject=ticket,
        metadata={"reveal_id": reveal.pk},
        ip_country=ip_country,
    )
    return reveal
