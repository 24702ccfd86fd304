from __future__ import annotations

import logging

from celery import shared_task

from videocall.audit.models import ChainCheck
from videocall.core.tasks import SWEEP
from videocall.staff.models import RevealRecord
from videocall.staff.services import audit_chain_check

logger = logging.getLogger(__name__)


@shared_task(name="staff.audit_chain_verify", **SWEEP)
def audit_chain_verify() -> dict[str, object]:
    """Scheduled `videocall audit-verify`: keeps the result and alerts administrators on a break.
    Idempotent: a break already reported at the same row is not reported again."""
    check = audit_chain_check(actor=None)
    if not check.ok:
        logger.error("audit chain broken", extra={"event": "audit_chain_broken", "count": check.checked})
    else:
        logger.info("audit chain intact", extra={"event": "audit_chain_ok", "count": check.checked})
    return {"ok": check.ok, "checked": check.checked, "broken_at": check.broken_at}


@shared_task(name="staff.retention_sweep", **SWEEP)
def retention_sweep() -> dict[str, int]:
    """Delete reveal records and chain-check results older than the audit-log retention."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    days = settings.RETENTION_DAYS["audit_log"]
    if not days:
        return {"reveal_records": 0, "chain_checks": 0}
    cutoff = timezone.now() - timedelta(days=days)
    reveals, _detail = RevealRecord.objects.filter(created_at__lt=cutoff).delete()
    checks, _detail = ChainCheck.objects.filter(checked_at__lt=cutoff).delete()
    if reveals or checks:
        logger.info("staff retention sweep", extra={"event": "retention_sweep", "count": reveals + checks})
    return {"reveal_records": reveals, "chain_checks": checks}
