from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationListOut(Schema):
    items: list[NotificationOut]
    unread_count: int
    next_cursor: int | None = Field(None, description="pass as `before` to get the next (older) page")
    latest_id: int | None = Field(None, description="pass as `since` later to get only newer alerts")


class NotificationReadAllOut(Schema):
    marked: int
    unread_count: int


class PreferenceItem(Schema):
    topic: str = Field(..., min_length=1, max_length=48)
    by_email: bool
    by_push: bool


class PreferenceOut(PreferenceItem):
    label: str
    description: str
    push_offered: bool = Field(
        True, description="false for an email-only topic (news): by_push stays false, whatever is sent"
    )


class PreferencesOut(Schema):
    items: list[PreferenceOut] = Field(..., description="the topics a user can switch, per channel")
    always_sent: list[str] = Field(
        ...,
        description="what no preference stops (security notices, answers to the user's requests, legal notices)",
    )
    email_consent: bool = Field(
        ..., description="consent to news by email (only topics that need it ask for it)"
    )
    push_consent: bool


class PreferencesUpdateIn(Schema):
    items: list[PreferenceItem] = Field(..., max_length=50)
