from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocall.meetings.models import MAX_OCCURRENCES, Access, Recurrence
from videocall.meetings.services import DESCRIPTION_MAX, GUEST_NAME_MAX, TITLE_MAX, Schedule, schedule_values

_ZONES = sorted(zoneinfo.available_timezones())


def _wall_clock(value: datetime | None) -> datetime | None:
    if value is None or timezone.is_naive(value):
        return value
    return timezone.make_naive(value)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_instant = forms.BooleanField(label=_("Instant meeting (start now, no schedule)"), required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z) for z in _ZONES], initial="UTC")
    recurrence = forms.ChoiceField(label=_("Repeats"), choices=Recurrence.choices, initial=Recurrence.NONE)
    recurrence_count = forms.IntegerField(
        label=_("Number of times"), required=False, min_value=2, max_value=MAX_OCCURRENCES
    )
    recurrence_until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    access = forms.ChoiceField(
        label=_("Who may join"), choices=Access.choices, initial=Access.SIGNED_IN, widget=forms.RadioSelect
    )
    lobby_enabled = forms.BooleanField(
        label=_("Lobby: hosts admit people from a waiting room"), required=False
    )
    mute_on_join = forms.BooleanField(label=_("Mute participants when they join"), required=False)
    max_participants = forms.IntegerField(
        label=_("Maximum participants"), required=False, min_value=2, max_value=1000
    )

    def schedule(self) -> Schedule:
        data: dict[str, Any] = self.cleaned_data
        return Schedule(
            title=data["title"],
            description=data.get("description") or "",
            is_instant=bool(data.get("is_instant")),
            # the wall-clock time typed in the form is in the meeting's chosen zone, not the viewer's
            starts_at=_wall_clock(data.get("starts_at")),
            ends_at=_wall_clock(data.get("ends_at")),
            timezone=data.get("timezone") or "UTC",
            recurrence=data.get("recurrence") or Recurrence.NONE,
            recurrence_count=data.get("recurrence_count"),
            recurrence_until=data.get("recurrence_until"),
            access=data.get("access") or Access.SIGNED_IN,
            lobby_enabled=bool(data.get("lobby_enabled")),
            mute_on_join=bool(data.get("mute_on_join")),
            max_participants=data.get("max_participants"),
        )

    @classmethod
    def initial_for(cls, meeting: Any) -> dict[str, Any]:
        """The stored schedule, its times as the wall clock of the meeting's own zone."""
        zone = zoneinfo.ZoneInfo(meeting.timezone or "UTC")
        initial = schedule_values(meeting)
        for name in ("starts_at", "ends_at"):
            if initial[name]:
                initial[name] = initial[name].astimezone(zone).replace(tzinfo=None)
        return initial


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)


class CohostForm(forms.Form):
    email = forms.EmailField(label=_("Invitee's email address"), max_length=254)


class GuestJoinForm(forms.Form):
    display_name = forms.CharField(label=_("Your name, as others will see it"), max_length=GUEST_NAME_MAX)
