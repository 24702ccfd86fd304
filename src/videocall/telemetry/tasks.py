from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from videocall.telemetry.services import sweep_access_log, sweep_crash_reports


@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def telemetry_retention_sweep(self: Any) -> dict[str, int]:
    """Hourly (CELERY_BEAT_SCHEDULE): delete what is past its retention. Idempotent."""
    now = timezone.now()
    return {**sweep_access_log(now), **sweep_crash_reports(now)}
