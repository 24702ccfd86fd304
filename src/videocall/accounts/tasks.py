from __future__ import annotations

from typing import Any

from celery import shared_task

from videocall.accounts.services import ended_sessions_purge
from videocall.core.tasks import SWEEP


@shared_task(bind=True, **SWEEP)
def purge_ended_sessions(self: Any) -> int:
    """Hourly: expired sessions and their session-list rows (encrypted IP, user agent) are deleted."""
    return ended_sessions_purge()
