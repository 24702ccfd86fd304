from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone

from videocall.core.tasks import SWEEP
from videocall.telemetry.services import sweep_access_log, sweep_crash_reports


@shared_task(bind=True, **SWEEP)
def telemetry_retention_sweep(self: Any) -> dict[str, int]:
    """Hourly (CELERY_BEAT_SCHEDULE): delete what is past its retention. Idempotent."""
    now = timezone.now()
    return {**sweep_access_log(now), **sweep_crash_reports(now)}
