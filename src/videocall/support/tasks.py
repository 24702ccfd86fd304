from __future__ import annotations

from typing import Any

from celery import shared_task

from videocall.core.tasks import SWEEP
from videocall.support.retention import retention_sweep


@shared_task(name="videocall.support.tasks.support_retention_sweep", **SWEEP)
def support_retention_sweep() -> dict[str, Any]:
    """Hourly (CELERY_BEAT_SCHEDULE): auto-close idle resolved tickets, delete closed tickets past their
    retention and unverified contact-form tickets. Idempotent: a second run finds nothing due."""
    return retention_sweep(actor=None)
