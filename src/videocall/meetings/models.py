"""Meetings, invitations, what Jitsi reported (raw events) and what we folded from it (sessions,
participation, content records). Free text and contact data are encrypted at rest."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.timezone import now as tz_now
from django.utils.translation import gettext_lazy as _

from videocall.core.crypto.fields import EncryptedJSONField, EncryptedSearchableTextField, EncryptedTextField
from videocall.meetings.jitsi.rooms import new_room_name

INSTANT_MEETING_HOURS = 24
JOIN_GRACE_MINUTES = 30
MAX_OCCURRENCES = 366


class Access(models.TextChoices):
    GUESTS = "guests", _("Anyone with the link (guests enter a display name)")
    SIGNED_IN = "signed_in", _("Signed-in users with the link")
    INVITED = "invited", _("Only invited people")


class Recurrence(models.TextChoices):
    NONE = "none", _("Does not repeat")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Meeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meetings_owned"
    )
    co_hosts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="meetings_cohosted", blank=True)
    title = EncryptedTextField(_("title"))
    description = EncryptedTextField(_("description"), blank=True, default="")
    room_name = models.CharField(max_length=64, unique=True, default=new_room_name, editable=False)
    is_instant = models.BooleanField(_("instant meeting"), default=False)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    recurrence = models.CharField(max_length=8, choices=Recurrence.choices, default=Recurrence.NONE)
    recurrence_count = models.PositiveSmallIntegerField(null=True, blank=True)
    recurrence_until = models.DateField(null=True, blank=True)
    access = models.CharField(max_length=12, choices=Access.choices, default=Access.SIGNED_IN)
    lobby_enabled = models.BooleanField(_("lobby (waiting room)"), default=False)
    mute_on_join = models.BooleanField(_("mute on join"), default=False)
    max_participants = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE, bumped on each change
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=tz_now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("starts_at", "created_at")
        indexes = [models.Index(fields=["owner", "starts_at"])]

    def __str__(self) -> str:
        return f"Meeting {self.pk}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def occurrences(self) -> list[tuple[datetime, datetime]]:
        """Every scheduled (start, end) pair, recurrences expanded (capped)."""
        if self.is_instant or self.starts_at is None or self.ends_at is None:
            return []
        step = {Recurrence.DAILY: timedelta(days=1), Recurrence.WEEKLY: timedelta(weeks=1)}.get(
            Recurrence(self.recurrence)
        )
        if step is None:
            return [(self.starts_at, self.ends_at)]
        length = self.ends_at - self.starts_at
        result: list[tuple[datetime, datetime]] = []
        start = self.starts_at
        limit = self.recurrence_count or MAX_OCCURRENCES
        while len(result) < min(limit, MAX_OCCURRENCES):
            if self.recurrence_until and start.date() > self.recurrence_until:
                break
            result.append((start, start + length))
            start = start + step
        return result

    @property
    def last_end(self) -> datetime:
        if self.is_instant or self.ends_at is None:
            return self.created_at + timedelta(hours=INSTANT_MEETING_HOURS)
        occurrences = self.occurrences()
        return occurrences[-1][1] if occurrences else self.ends_at

    def is_over(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return now > self.last_end + timedelta(minutes=JOIN_GRACE_MINUTES)

    def next_occurrence(self, now: datetime | None = None) -> tuple[datetime, datetime] | None:
        now = now or timezone.now()
        for start, end in self.occurrences():
            if end >= now:
                return start, end
        return None

    def is_host(self, user: Any) -> bool:
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return self.owner_id == user.pk or self.co_hosts.filter(pk=user.pk).exists()


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


class Invitation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    email = EncryptedSearchableTextField(_("email address"))
    email_index = models.CharField(max_length=64, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    sent_count = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=tz_now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email_index"], name="meetings_invitation_once_per_email"
            )
        ]
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"Invitation {self.pk}"


class JitsiEvent(models.Model):
    """One delivery from Jitsi, stored raw (encrypted) for replay; unique per idempotency key."""

    source = models.CharField(max_length=12)
    idempotency_key = models.CharField(max_length=220, unique=True)
    event_type = models.CharField(max_length=64)
    room_name = models.CharField(max_length=200, db_index=True)
    session_key = models.CharField(max_length=200, blank=True, default="")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at_ms = models.BigIntegerField()
    payload = EncryptedJSONField()
    received_at = models.DateTimeField(default=tz_now)

    class Meta:
        indexes = [models.Index(fields=["meeting", "occurred_at_ms"])]

    def __str__(self) -> str:
        return f"{self.source} {self.event_type}"


class MeetingSession(models.Model):
    """One conference in the room, folded from the events (recomputed on every new event)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    participant_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("started_at",)
        constraints = [
            models.UniqueConstraint(fields=["meeting", "session_key"], name="meetings_session_once")
        ]

    def __str__(self) -> str:
        return f"Session {self.pk}"


class Participation(models.Model):
    """Who was in a session: a platform user (from the token's user id) or a named guest."""

    session = models.ForeignKey(MeetingSession, on_delete=models.CASCADE, related_name="participations")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    guest_name = EncryptedTextField(blank=True, default="")
    participant_key = models.CharField(max_length=64)  # sha256 of Jitsi's participant id / occupant JID
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    moderator = models.BooleanField(default=False)

    class Meta:
        ordering = ("joined_at",)

    def __str__(self) -> str:
        return f"Participation {self.pk}"

    @property
    def display_name(self) -> str:
        if self.user_id is not None and self.user is not None:
            return self.user.display_name
        return self.guest_name or str(_("Guest"))


class ContentKind(models.TextChoices):
    RECORDING = "recording", _("Recording")
    TRANSCRIPT = "transcript", _("Transcript")
    CHAT = "chat", _("Chat")


class MeetingContent(models.Model):
    """A recording, transcript or chat log Jitsi uploaded (we keep the link, not the file)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="contents")
    event = models.OneToOneField(
        JitsiEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_key = models.CharField(max_length=220, unique=True)  # the event's idempotency key
    kind = models.CharField(max_length=12, choices=ContentKind.choices)
    link = EncryptedTextField()
    expires_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=tz_now)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at < timezone.now()
