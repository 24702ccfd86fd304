"""Limits and validation every support write applies."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.core.errors import ValidationFailed
from videocall.support.images import clean_image
from videocall.support.models import (
    Attachment,
    Message,
    Ticket,
    TicketCategory,
)

SUBJECT_MAX = 200


BODY_MAX = 10_000


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
