"""API schemas: explicit fields, validated lengths, ranges and enums."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

AccessLiteral = Literal["guests", "signed_in", "invited"]
RecurrenceLiteral = Literal["none", "daily", "weekly"]


class MeetingCreateIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    instant: bool = False
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    timezone: str = Field(default="UTC", min_length=1, max_length=64)
    recurrence: RecurrenceLiteral = "none"
    recurrence_count: int | None = Field(default=None, ge=2, le=366)
    recurrence_until: date | None = None
    access: AccessLiteral = "signed_in"
    lobby_enabled: bool = False
    mute_on_join: bool = False
    max_participants: int | None = Field(default=None, ge=2, le=1000)


class MeetingUpdateIn(MeetingCreateIn):
    pass


class PersonOut(Schema):
    id: int
    name: str


class MeetingOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    room_name: str
    instant: bool
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    recurrence: str
    recurrence_count: int | None
    recurrence_until: date | None
    access: str
    lobby_enabled: bool
    mute_on_join: bool
    max_participants: int | None
    cancelled: bool
    is_host: bool
    owner: PersonOut
    co_hosts: list[PersonOut]
    join_url: str


class MeetingListOut(Schema):
    upcoming: list[MeetingOut]
    past: list[MeetingOut]


class InvitationCreateIn(Schema):
    email: str = Field(min_length=3, max_length=254)


class InvitationOut(Schema):
    id: uuid.UUID
    email: str
    status: str
    member: bool
    sent_count: int


class InvitationListOut(Schema):
    items: list[InvitationOut]


class CohostAddIn(Schema):
    email: str = Field(min_length=3, max_length=254)


class InvitationRespondIn(Schema):
    accept: bool


class InvitationMineOut(Schema):
    id: uuid.UUID
    meeting_id: uuid.UUID
    status: str


class MeetingJoinIn(Schema):
    display_name: str = Field(default="", max_length=80)


class MeetingJoinOut(Schema):
    mode: str
    server_url: str
    domain: str
    room: str
    room_name: str = Field(description="the roomName to open (JaaS: <AppID>/<room>)")
    token: str | None
    display_name: str
    email: str
    avatar_url: str
    moderator: bool
    lobby_enabled: bool
    mute_on_join: bool
    expires_in: int | None


class AttendanceRowOut(Schema):
    name: str
    joined_at: datetime
    left_at: datetime | None
    duration_seconds: int | None
    moderator: bool
    guest: bool
    session_started_at: datetime


class MeetingSessionOut(Schema):
    started_at: datetime
    ended_at: datetime | None
    duration_seconds: int | None
    participant_count: int


class ContentOut(Schema):
    kind: str
    link: str
    expires_at: datetime | None
    expired: bool
    duration_seconds: int | None


class AttendanceOut(Schema):
    sessions: list[MeetingSessionOut]
    participants: list[AttendanceRowOut]
    contents: list[ContentOut]


class HistoryEntryOut(Schema):
    meeting_id: uuid.UUID
    title: str
    duration_seconds: int
    sessions: int
    participants: list[str]


class HistoryOut(Schema):
    items: list[HistoryEntryOut]


class WebhookAcceptedOut(Schema):
    status: Literal["stored", "duplicate"]
    event_id: int
