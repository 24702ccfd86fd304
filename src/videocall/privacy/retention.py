"""Retention (Art. 5(1)(e)): per-category sweeps from ``settings.RETENTION_DAYS``.

Built-in sweeps cover this app's data and the account tables; other apps add theirs with
``@register_retention("<category>")`` in their ``privacy.py``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from videocall.accounts.selectors import unverified_signups_due
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.datamap import register_retention, retention_sweeps
from videocall.privacy.erasure import account_erase
from videocall.privacy.exports import export_file_delete
from videocall.privacy.models import ConsentRecord, DataExport, PageView, PrivacyRequest


@register_retention("exports")
def sweep_exports(*, now: Any, days: int) -> int:
    """Archives past their expiry (or already downloaded) lose their file; rows older than the limit go."""
    removed = 0
    stale = DataExport.objects.filter(
        Q(expires_at__lte=now) | Q(status=DataExport.Status.DOWNLOADED) | Q(status=DataExport.Status.FAILED)
    ).exclude(file_name="")
    for export in stale.iterator(chunk_size=200):
        export_file_delete(export)
        DataExport.objects.filter(pk=export.pk).update(
            file_name="",
            status=DataExport.Status.EXPIRED if export.status == DataExport.Status.READY else export.status,
        )
        removed += 1
    removed += DataExport.objects.filter(requested_at__lt=now - timedelta(days=days)).delete()[0]
    return removed


@register_retention("unverified_signups")
def sweep_unverified_signups(*, now: Any, days: int) -> int:
    """Accounts that never verified an address, older than the limit, are erased like a deletion."""
    erased = 0
    for user in unverified_signups_due(cutoff=now - timedelta(days=days)):
        account_erase(actor=None, user=user, reason="unverified_signup", notify_user=False)
        erased += 1
    return erased


@register_retention("consent_visitors")
def sweep_visitor_consents(*, now: Any, days: int) -> int:
    return ConsentRecord.objects.filter(
        user__isnull=True, created_at__lt=now - timedelta(days=days)
    ).delete()[0]


@register_retention("analytics")
def sweep_page_views(*, now: Any, days: int) -> int:
    return PageView.objects.filter(created_at__lt=now - timedelta(days=days)).delete()[0]


@register_retention("privacy_requests")
def sweep_privacy_requests(*, now: Any, days: int) -> int:
    closed = PrivacyRequest.objects.filter(closed_at__lt=now - timedelta(days=days))
    return closed.delete()[0]


def retention_run(*, now: Any = None) -> dict[str, int]:
    """Run every registered sweep whose limit is finite; one audit event sums it up."""
    now = now or timezone.now()
    summary: dict[str, int] = {}
    for category, sweep in retention_sweeps():
        days = int(settings.RETENTION_DAYS.get(category, 0) or 0)
        if days <= 0:
            continue
        with transaction.atomic():
            count = int(sweep(now=now, days=days) or 0)
        summary[category] = summary.get(category, 0) + count
    with transaction.atomic():
        audit_record(actor=None, action=AuditAction.PRIVACY_RETENTION_SWEEP, metadata={"deleted": summary})
    return summary
