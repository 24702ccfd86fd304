from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AuditEvent(models.Model):
    """Append-only, hash-chained record of security- and privacy-relevant actions.

    Rows hold no personal data: actors and subjects are referenced by type and numeric id, metadata
    is limited to identifiers and counts by the services that write it, and the IP is reduced to a
    country code. Each row's ``hash`` covers its own content and the previous row's hash.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_kind = models.CharField(max_length=16, default="user")
    action = models.CharField(max_length=64, db_index=True)
    subject_type = models.CharField(max_length=64, blank=True, default="")
    subject_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    metadata = models.JSONField(default=dict, blank=True)
    ip_country = models.CharField(max_length=2, blank=True, default="")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("audit events are append-only")

    def canonical(self) -> bytes:
        created = self.created_at.astimezone(UTC).isoformat(timespec="microseconds")
        payload: dict[str, Any] = {
            "created_at": created,
            "actor_id": self.actor_id,
            "actor_kind": self.actor_kind,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "metadata": self.metadata,
            "ip_country": self.ip_country,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


class ChainCheck(models.Model):
    """The result of one verification of the audit chain (the scheduled task or "verify now" in the
    console); the audit log page shows the latest. Kept for the audit-log retention period."""

    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    ok = models.BooleanField()
    checked = models.PositiveIntegerField()
    broken_at = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"chain check #{self.pk}"
