from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocall.core.crypto.fields import EncryptedTextField

AUTHORITY_DEADLINE = timedelta(hours=72)


class Incident(models.Model):
    """A personal-data breach or security incident (GDPR Art. 33/34 register, R16).

    The authority must be told within 72 hours of becoming aware (``aware_at``); the decision on
    telling affected users is recorded with its date and reason.
    """

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONTAINED = "contained", _("Contained")
        CLOSED = "closed", _("Closed")

    class UsersDecision(models.TextChoices):
        PENDING = "pending", _("Not decided yet")
        NOTIFY = "notify", _("Notify affected users")
        NOT_REQUIRED = "not_required", _("No notification (no high risk to users)")

    title = EncryptedTextField(_("title"))
    description = EncryptedTextField(_("description"), blank=True, default="")
    aware_at = models.DateTimeField(_("became aware at"), default=timezone.now)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    affected_categories = models.JSONField(_("affected data categories"), default=list, blank=True)
    affected_count = models.PositiveIntegerField(_("approximate number of people affected"), default=0)
    authority_notified_at = models.DateTimeField(_("authority notified at"), null=True, blank=True)
    authority_reference = models.CharField(_("authority reference"), max_length=64, blank=True, default="")
    users_decision = models.CharField(
        _("decision on notifying users"),
        max_length=16,
        choices=UsersDecision.choices,
        default=UsersDecision.PENDING,
    )
    users_decision_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    users_decision_reason = EncryptedTextField(_("reason for the decision"), blank=True, default="")
    users_notified_at = models.DateTimeField(_("users notified at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-aware_at"]
        verbose_name = _("security incident")
        verbose_name_plural = _("security incidents")

    def __str__(self) -> str:
        return _("Incident #%(id)s") % {"id": self.pk}

    @property
    def authority_deadline(self) -> Any:
        return self.aware_at + AUTHORITY_DEADLINE

    def authority_time_left(self, now: Any = None) -> timedelta | None:
        """Time left before the 72-hour deadline, or ``None`` once the authority was notified."""
        if self.authority_notified_at is not None:
            return None
        return self.authority_deadline - (now or timezone.now())


class RevealRecord(models.Model):
    """One look at masked personal data in the staff console: who, what, and why (reason encrypted)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64)
    field = models.CharField(max_length=64)
    reason = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"reveal #{self.pk}"
