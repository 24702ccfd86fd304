"""A meeting's schedule as the forms and the API give it, validated once."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.core.errors import (
    ValidationFailed,
)
from videocall.meetings.models import (
    MAX_OCCURRENCES,
    Access,
    Meeting,
    Recurrence,
)

from .rules import DESCRIPTION_MAX, MAX_AHEAD, MAX_DURATION, MAX_PAST, TITLE_MAX


@dataclass
class Schedule:
    """The validated timing and options of a meeting (shared by create and edit, web and API)."""

    title: str
    description: str = ""
    is_instant: bool = False
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    timezone: str = "UTC"
    recurrence: str = Recurrence.NONE
    recurrence_count: int | None = None
    recurrence_until: date | None = None
    access: str = Access.SIGNED_IN
    lobby_enabled: bool = False
    mute_on_join: bool = False
    max_participants: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def validate(self) -> None:
        errors: dict[str, list[str]] = {}

        def add(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        self.title = (self.title or "").strip()
        self.description = (self.description or "").strip()
        if not self.title:
            add("title", _("Give the meeting a title."))
        elif len(self.title) > TITLE_MAX:
            add("title", _("The title is too long (at most %(n)d characters).") % {"n": TITLE_MAX})
        if len(self.description) > DESCRIPTION_MAX:
            add(
                "description",
                _("The description is too long (at most %(n)d characters).") % {"n": DESCRIPTION_MAX},
            )
        try:
            zone = zoneinfo.ZoneInfo(self.timezone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            add("timezone", _("Unknown time zone."))
            zone = zoneinfo.ZoneInfo("UTC")
        if self.access not in Access.values:
            add("access", _("Choose who may join."))
        if self.recurrence not in Recurrence.values:
            add("recurrence", _("Choose how the meeting repeats."))
        if self.max_participants is not None and not 2 <= self.max_participants <= 1000:
            add("max_participants", _("Between 2 and 1000 participants, or leave it empty."))
        if self.is_instant:
            self.starts_at = self.ends_at = None
            self.recurrence, self.recurrence_count, self.recurrence_until = Recurrence.NONE, None, None
        else:
            if self.starts_at is None:
                add("starts_at", _("When does it start?"))
            if self.ends_at is None:
                add("ends_at", _("When does it end?"))
            if self.starts_at is not None and timezone.is_naive(self.starts_at):
                self.starts_at = timezone.make_aware(self.starts_at, zone)
            if self.ends_at is not None and timezone.is_naive(self.ends_at):
                self.ends_at = timezone.make_aware(self.ends_at, zone)
            now = timezone.now()
            if self.starts_at and not now - MAX_PAST <= self.starts_at <= now + MAX_AHEAD:
                add("starts_at", _("Choose a start within the next five years."))
            elif self.starts_at and self.ends_at:
                if self.ends_at <= self.starts_at:
                    add("ends_at", _("The end must be after the start."))
                elif self.ends_at - self.starts_at > MAX_DURATION:
                    add("ends_at", _("A meeting lasts at most 24 hours."))
            if self.recurrence == Recurrence.NONE:
                self.recurrence_count, self.recurrence_until = None, None
            else:
                if self.recurrence_count is None and self.recurrence_until is None:
                    add("recurrence_count", _("Say how many times, or until when, it repeats."))
                if self.recurrence_count is not None and self.recurrence_until is not None:
                    add("recurrence_until", _("Give either a number of times or an end date, not both."))
                if self.recurrence_count is not None and not 2 <= self.recurrence_count <= MAX_OCCURRENCES:
                    add("recurrence_count", _("Between 2 and %(n)d times.") % {"n": MAX_OCCURRENCES})
                if self.recurrence_until and self.starts_at and self.recurrence_until < self.starts_at.date():
                    add("recurrence_until", _("The last day must be after the first meeting."))
                elif (
                    self.recurrence_until
                    and self.starts_at
                    and self.recurrence_until > (self.starts_at + MAX_AHEAD).date()
                ):
                    add("recurrence_until", _("Repeat for at most five years."))
        if errors:
            raise ValidationFailed(_("Some fields are not valid."), fields=errors)

    def apply(self, meeting: Meeting) -> list[str]:
        changed = []
        for name in SCHEDULE_FIELDS:
            value = getattr(self, name)
            if getattr(meeting, name) != value:
                setattr(meeting, name, value)
                changed.append(name)
        return changed


# The schedule's fields, which a meeting stores under the same names (everything but ``errors``).
SCHEDULE_FIELDS = tuple(f.name for f in fields(Schedule) if f.name != "errors")


def schedule_values(meeting: Meeting) -> dict[str, Any]:
    """A meeting's stored schedule, field by field: what the edit form starts from and the API shows."""
    return {name: getattr(meeting, name) for name in SCHEDULE_FIELDS}
