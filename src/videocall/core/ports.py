"""Interfaces that a lower app calls and a higher app provides (registered in its ``AppConfig.ready()``).

The app layers (docs/architecture.md) let a higher app import a lower one, never the reverse. Where a
lower app must reach up, it calls a port defined here and the higher app registers the implementation
at start-up:

* :class:`Notifier` — accounts and privacy send notices (security notices, export ready, erasure
  confirmation, privacy-request receipt, policy change) without importing notifications. Registered
  by ``videocall.notifications`` (the module ``videocall.notifications.services`` itself).
* usage-series providers — telemetry's usage-trend charts show figures other apps own (meetings held)
  without telemetry and meetings importing each other. Registered by ``videocall.meetings``.

A port with nothing registered fails loudly (:class:`PortNotRegistered`) instead of doing nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

Attachment = tuple[str, bytes, str]  # (filename, content, mimetype)


class PortNotRegistered(ImproperlyConfigured):
    """A lower app called a port that no installed app provides."""


# --- Notifier -------------------------------------------------------------------------------------


class Notifier(Protocol):
    """What the lower apps need from notification delivery. Both operations render now and queue the
    delivery with ``transaction.on_commit``, so they belong inside the caller's transaction: nothing is
    sent when it rolls back."""

    def notify(
        self,
        *,
        user: Any,
        kind: str,
        title: str,
        body: str = "",
        url: str = "",
        email_template: str | None = None,
        context: dict[str, Any] | None = None,
        attachments: Sequence[Attachment] = (),
    ) -> Any:
        """In-app alert for ``user``, plus an email from ``email_template`` and a push when allowed."""
        ...

    def email_send(
        self,
        *,
        to: str,
        kind: str,
        template: str,
        context: dict[str, Any],
        attachments: Sequence[Attachment] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        """An email of notice ``kind`` from ``template`` to the address ``to`` (which need not be a user's)."""
        ...


_notifier: Notifier | None = None


def register_notifier(implementation: Notifier) -> None:
    """Called once by the notifications app at start-up; a second registration replaces the first."""
    global _notifier
    _notifier = implementation


def notifier() -> Notifier:
    """The registered :class:`Notifier`; :class:`PortNotRegistered` when no app provides one."""
    if _notifier is None:
        raise PortNotRegistered(
            "No notifier is registered: videocall.notifications must be in INSTALLED_APPS "
            "(it registers itself in NotificationsConfig.ready())."
        )
    return _notifier


# --- Usage series ---------------------------------------------------------------------------------


@dataclass
class Series:
    """One line of a usage-trend chart: a value (or ``None``: no data) per bucket."""

    key: str
    label: Any
    unit: Any
    points: list[tuple[date, float | None]] = field(default_factory=list)
    available: bool = True
    note: Any = ""


@dataclass(frozen=True)
class UsageWindow:
    """The time span a chart covers: ``[start_at, end_at)``, in daily or weekly buckets (UTC)."""

    start_at: datetime
    end_at: datetime
    period: str  # "day" or "week"
    buckets: tuple[date, ...]

    @staticmethod
    def bucket_start(day: date, period: str) -> date:
        """The first day of the bucket ``day`` falls in: the day itself, or the Monday of its week."""
        return day - timedelta(days=day.weekday()) if period == "week" else day

    def bucket_of(self, day: date) -> date:
        return self.bucket_start(day, self.period)


UsageSeriesProvider = Callable[[UsageWindow], list[Series]]

_usage_series: dict[str, UsageSeriesProvider] = {}


def register_usage_series(name: str, provider: UsageSeriesProvider) -> None:
    """Add (or replace, by ``name``) a provider of usage-trend series. Providers count events, not
    people, unless they apply the analytics-consent rule themselves."""
    _usage_series[name] = provider


def usage_series(window: UsageWindow) -> list[Series]:
    """Every registered provider's series for ``window``, in registration order."""
    return [series for provider in _usage_series.values() for series in provider(window)]
