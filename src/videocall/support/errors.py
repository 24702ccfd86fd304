"""The support app's problem+json codes (listed in the OpenAPI document's ``ProblemCode``)."""

from __future__ import annotations

from videocall.core.errors import ProblemCode


class SupportError(ProblemCode):
    TICKET_CLOSED = "ticket_closed"
    CONTACT_RATE_LIMITED = "contact_rate_limited"
    LINK_INVALID = "link_invalid"  # a contact-form link that is not valid or has expired
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    ATTACHMENT_TYPE = "attachment_type"  # screenshots must be JPEG, PNG, WebP or GIF
