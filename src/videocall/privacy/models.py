from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from videocall.privacy.consents import ConsentPurpose


class ConsentRecord(models.Model):
    """Append-only consent ledger: the latest row per (subject, purpose) is the current choice."""

    class Channel(models.TextChoices):
        WEB = "web", "Website"
        APP = "app", "App"
        SETTINGS = "settings", "Settings"
        BANNER = "banner", "Cookie banner"
        EMAIL = "email", "Email link"
        SYSTEM = "system", "System"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    visitor_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    purpose = models.CharField(max_length=32, choices=[(p.value, p.value) for p in ConsentPurpose])
    granted = models.BooleanField()
    policy_version = models.PositiveIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["user", "purpose", "-id"])]

    def __str__(self) -> str:
        return f"{self.purpose}={'granted' if self.granted else 'withdrawn'}"
