from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from videocall.support.models import TicketCategory
from videocall.support.services import BODY_MAX, SUBJECT_MAX


class TicketOpenIn(Schema):
    category: TicketCategory
    subject: str = Field(min_length=1, max_length=SUBJECT_MAX)
    message: str = Field(min_length=1, max_length=BODY_MAX)


class ContactOpenIn(Schema):
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    category: TicketCategory
    subject: str = Field(min_length=1, max_length=SUBJECT_MAX)
    message: str = Field(min_length=1, max_length=BODY_MAX)


class ContactOpenOut(Schema):
    status: str = Field(description='Always "verification_sent": the address gets a one-time link.')


class MessageCreateIn(Schema):
    body: str = Field(min_length=1, max_length=BODY_MAX)


class AttachmentOut(Schema):
    id: int
    content_type: str
    size: int
    width: int
    height: int


class MessageOut(Schema):
    id: int
    author: str
    from_staff: bool
    mine: bool
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]


class TicketOut(Schema):
    id: int
    category: str
    subject: str
    status: str
    created_at: datetime
    last_activity_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None


class TicketDetailOut(TicketOut):
    messages: list[MessageOut]
