from __future__ import annotations

from typing import Any

from celery import shared_task

from videocall.accounts.services import ended_sessions_purge


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def purge_ended_sessions(self: Any) -> int:
    """Hourly: expired sessions and their session-list rows (encrypted IP, user agent) are deleted."""
    return ended_sessions_purge()
