"""Staff console entries (MEETINGS_MANAGE_ALL, read-only: meetings change through their owners' services).
Lists show ids, states and counts only; titles and addresses stay masked."""

from __future__ import annotations

from django.contrib import admin

from videocall.core.admin import ReadOnlyPermissionAdmin
from videocall.core.permissions import Perm
from videocall.meetings.models import Invitation, JitsiEvent, Meeting, MeetingContent, MeetingSession


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.MEETINGS_MANAGE_ALL
    list_display = ("id", "owner_id", "starts_at", "is_instant", "access", "cancelled_at", "created_at")
    list_filter = ("access", "is_instant", "recurrence")
    fields = ("id", "owner", "room_name", "starts_at", "ends_at", "timezone", "access", "cancelled_at")
    readonly_fields = fields
    search_fields = ("=room_name",)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.MEETINGS_MANAGE_ALL
    list_display = ("id", "meeting_id", "status", "sent_count", "created_at")
    list_filter = ("status",)
    fields = ("id", "meeting", "status", "sent_count", "created_at")
    readonly_fields = fields


@admin.register(MeetingSession)
class MeetingSessionAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.MEETINGS_MANAGE_ALL
    list_display = ("id", "meeting_id", "started_at", "ended_at", "duration_seconds", "participant_count")
    readonly_fields = (
        "meeting",
        "session_key",
        "started_at",
        "ended_at",
        "duration_seconds",
        "participant_count",
    )


@admin.register(JitsiEvent)
class JitsiEventAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.MEETINGS_MANAGE_ALL
    list_display = ("id", "source", "event_type", "meeting_id", "occurred_at_ms", "received_at")
    list_filter = ("source", "event_type")
    fields = (
        "source",
        "event_type",
        "idempotency_key",
        "room_name",
        "session_key",
        "meeting",
        "occurred_at_ms",
        "received_at",
    )
    readonly_fields = fields


@admin.register(MeetingContent)
class MeetingContentAdmin(ReadOnlyPermissionAdmin):
    view_perm = Perm.MEETINGS_MANAGE_ALL
    list_display = ("id", "meeting_id", "kind", "expires_at", "duration_seconds")
    fields = ("meeting", "kind", "expires_at", "duration_seconds", "created_at")
    readonly_fields = fields
