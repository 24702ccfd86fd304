from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from videocall.core.crypto.fields import EncryptedTextField


class Notification(models.Model):
    """An in-app alert in the user's inbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=48, db_index=True)
    title = EncryptedTextField()
    body = EncryptedTextField(blank=True, default="")
    url = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for #{self.user_id}"
