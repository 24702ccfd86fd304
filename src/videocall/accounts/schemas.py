from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field

from videocall.accounts.forms import NAME_MAX_LENGTH


class MeOut(Schema):
    id: int
    email: str
    email_verified: bool
    first_name: str
    last_name: str
    display_name: str
    timezone: str
    language: str
    has_picture: bool
    picture_url: str | None
    mfa_enabled: bool
    roles: list[str]
    date_joined: datetime


class MeUpdateIn(Schema):
    """Only these fields can be changed here; anything else in the body (``role``, ``email``,
    ``is_staff``...) is ignored, so mass assignment is impossible."""

    model_config = ConfigDict(extra="ignore")

    first_name: str | None = Field(default=None, min_length=1, max_length=NAME_MAX_LENGTH)
    last_name: str | None = Field(default=None, min_length=1, max_length=NAME_MAX_LENGTH)
    timezone: str | None = Field(default=None, min_length=1, max_length=64)
    language: str | None = Field(default=None, min_length=2, max_length=16)


class SignInSessionOut(Schema):
    id: int
    kind: str
    browser: str
    os: str
    device_model: str
    country: str
    first_seen: datetime
    last_seen: datetime
    current: bool


class SessionsRevokedOut(Schema):
    revoked: int
