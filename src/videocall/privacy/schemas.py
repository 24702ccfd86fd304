from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from videocall.privacy.consents import ConsentPurpose


class PolicyCurrentOut(Schema):
    number: int
    summary: str
    effective_at: datetime
    published_at: datetime | None
    url: str
    text_markdown: str
    reconsent_purposes: list[str]
    acknowledged: bool | None = None


class PolicyAcknowledgeIn(Schema):
    number: int = Field(ge=1, le=1_000_000)


class PolicyAcknowledgeOut(Schema):
    number: int
    acknowledged_at: datetime


class ConsentOut(Schema):
    purpose: ConsentPurpose
    label: str
    description: str
    granted: bool


class ConsentSetIn(Schema):
    purpose: ConsentPurpose
    granted: bool


class ExportCreateIn(Schema):
    format: Literal["zip"]


class ExportOut(Schema):
    id: UUID
    status: str
    requested_at: datetime
    completed_at: datetime | None
    expires_at: datetime | None
    downloaded_at: datetime | None
    size_bytes: int


class AccountDeleteIn(Schema):
    confirm: Literal["DELETE"]


class AccountDeleteOut(Schema):
    deleted: bool


class RestrictionSetIn(Schema):
    restricted: bool


class RestrictionOut(Schema):
    restricted: bool
