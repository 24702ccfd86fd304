"""Privacy jobs: export archives, change notices, retention sweeps. Each is idempotent and retried."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from videocall.core.tasks import DELIVERY, EXPORT, RETRYABLE, SWEEP


@shared_task(bind=True, **EXPORT)
def export_build(self: Any, export_id: str) -> str:
    # local import: exports and services import this module to queue its tasks (a cycle inside privacy)
    from videocall.privacy.exports import export_build_now, export_mark_failed

    try:
        export = export_build_now(export_id=export_id)
    except RETRYABLE:
        if self.request.retries >= self.max_retries:
            export_mark_failed(export_id=export_id)  # the last attempt: the user may ask again
        raise
    except Exception:
        export_mark_failed(export_id=export_id)
        raise
    return export.status if export else "missing"


@shared_task(bind=True, **DELIVERY)
def policy_notify(self: Any, version_id: int) -> int:
    """Notify one batch, then queue the next: resumable after a crash, because sent notices are rows."""
    # local import: exports and services import this module to queue its tasks (a cycle inside privacy)
    from videocall.privacy.services import policy_notify_batch

    sent = policy_notify_batch(version_id=version_id, batch=settings.VIDEOCALL_PRIVACY_NOTICE_BATCH)
    if sent:
        policy_notify.delay(version_id)
    return sent


@shared_task(**SWEEP)
def policy_record_continued_use() -> int:
    # local import: exports and services import this module to queue its tasks (a cycle inside privacy)
    from videocall.privacy.services import policy_record_continued_use as record

    return record()


@shared_task(**SWEEP)
def retention_sweep() -> dict[str, int]:
    # local import: retention imports the services, which import this module to queue their tasks
    from videocall.privacy.retention import retention_run

    return retention_run()
