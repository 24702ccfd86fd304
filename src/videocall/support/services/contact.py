"""The contact form for people without an account, and its one-time links."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core import ratelimit
from videocall.core.crypto import blind_index, normalise_email
from videocall.core.errors import NotFound, RateLimited
from videocall.core.ratelimit import Rate
from videocall.notifications.services import email_send
from videocall.support.errors import SupportError
from videocall.support.models import (
    Message,
    Ticket,
    TicketCategory,
)

from .rules import (
    EMAIL_INDEX_PURPOSE,
    _absolute,
    _new_link_token,
    _validate_category,
    _validate_contact_email,
    _validate_text,
)
from .tickets import _send_privacy_inquiry


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
    email_key = blind_index(email, purpose=EMAIL_INDEX_PURPOSE)
    # Both are counted, even when the first is already exceeded.
    ip_ok = ratelimit.consume(
        "support.contact.ip", client_ip, Rate(settings.VIDEOCALL_SUPPORT_CONTACT_PER_IP_PER_HOUR, 3600)
    )
    email_ok = ratelimit.consume(
        "support.contact.email", email, Rate(settings.VIDEOCALL_SUPPORT_CONTACT_PER_EMAIL_PER_HOUR, 3600)
    )
    if not (ip_ok and email_ok):
        raise RateLimited(
            _("Too many messages. Please try again in an hour."), code=SupportError.CONTACT_RATE_LIMITED
        )
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
    audit_record(
        actor=actor, action=AuditAction.SUPPORT_CONTACT_OPEN, subject=ticket, metadata={"category": category}
    )

    email_send(
        to=email,
        kind="support_contact_verify",
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
        raise NotFound(_("This link is not valid or has expired."), code=SupportError.LINK_INVALID)
    ticket = Ticket.objects.select_for_update().get(pk=found.pk)
    if ticket.link_token_hash != found.link_token_hash:
        raise NotFound(_("This link is not valid or has expired."), code=SupportError.LINK_INVALID)
    ticket.link_token_hash = ""
    ticket.link_expires_at = None
    first_verification = ticket.contact_verified_at is None
    if first_verification:
        ticket.contact_verified_at = timezone.now()
    ticket.save(update_fields=["link_token_hash", "link_expires_at", "contact_verified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.SUPPORT_CONTACT_VERIFY
        if first_verification
        else AuditAction.SUPPORT_CONTACT_LINK_USE,
        subject=ticket,
    )
    if first_verification and ticket.category == TicketCategory.PRIVACY:
        first = ticket.messages.order_by("id").first()
        if first is not None:
            _send_privacy_inquiry(ticket, first)
    return ticket
