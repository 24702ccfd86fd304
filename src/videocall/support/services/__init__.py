"""Every write of the support desk. Keyword-only arguments, ``actor=`` required, one transaction,
one audit event each; email and signals after commit (or inside, where the receiver must share it).

A package by sub-domain; every public name is re-exported here so callers keep importing
``videocall.support.services``."""

from .contact import (
    contact_link_check,
    contact_link_use,
    contact_ticket_open,
)
from .desk import (
    requester_reveal,
    ticket_assign,
    ticket_priority_set,
    ticket_reply_by_staff,
    ticket_status_set,
)
from .rules import (
    BODY_MAX,
    EMAIL_INDEX_PURPOSE,
    SUBJECT_MAX,
)
from .tickets import (
    message_attachments_add,
    ticket_close_by_requester,
    ticket_open,
    ticket_reply_by_requester,
)

__all__ = [
    "BODY_MAX",
    "EMAIL_INDEX_PURPOSE",
    "SUBJECT_MAX",
    "contact_link_check",
    "contact_link_use",
    "contact_ticket_open",
    "message_attachments_add",
    "requester_reveal",
    "ticket_assign",
    "ticket_close_by_requester",
    "ticket_open",
    "ticket_priority_set",
    "ticket_reply_by_requester",
    "ticket_reply_by_staff",
    "ticket_status_set",
]
