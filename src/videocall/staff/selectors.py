"""Staff-console reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from videocall.staff.models import AUTHORITY_DEADLINE, Incident


def masked_secret(value: Any) -> str:
    """A configured secret shown as its length class only: never a character of it."""
    if not value:
        return ""
    return "•" * 8 + f" ({len(str(value))} characters)"


def jitsi_summary() -> list[tuple[str, str]]:
    return [
        ("JITSI_MODE", settings.JITSI_MODE or ""),
        ("JITSI_DOMAIN", settings.JITSI_DOMAIN or ""),
        ("JITSI_APP_ID", settings.JITSI_APP_ID or ""),
        ("JITSI_APP_SECRET", masked_secret(settings.JITSI_APP_SECRET)),
        ("JITSI_PRIVATE_KEY", masked_secret(settings.JITSI_PRIVATE_KEY)),
        ("JITSI_KEY_ID", masked_secret(settings.JITSI_KEY_ID)),
        ("JITSI_WEBHOOK_SECRET", masked_secret(settings.JITSI_WEBHOOK_SECRET)),
        ("JITSI_TOKEN_TTL_SECONDS", str(settings.JITSI_TOKEN_TTL_SECONDS)),
    ]


def retention_rules() -> list[tuple[str, int]]:
    return sorted(settings.RETENTION_DAYS.items())


DEADLINE_WARNING = timedelta(hours=24)


def incidents_deadline_near(now: Any = None) -> int:
    """Open (or contained) incidents whose authority was not notified and whose 72-hour deadline is
    less than 24 hours away or already passed: the "Incident deadline near" alert."""
    now = now or timezone.now()
    return (
        Incident.objects.exclude(status=Incident.Status.CLOSED)
        .filter(
            authority_notified_at__isnull=True, aware_at__lte=now - (AUTHORITY_DEADLINE - DEADLINE_WARNING)
        )
        .count()
    )
