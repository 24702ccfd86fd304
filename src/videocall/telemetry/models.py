from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocall.core.crypto.fields import EncryptedTextField


class Device(models.Model):
    """A mobile device or app install the user registered (model and OS come from the app itself,
    because reduced User-Agent strings no longer carry them)."""

    class Platform(models.TextChoices):
        ANDROID = "android", "Android"
        IOS = "ios", "iOS"
        WEB = "web", _("Web")
        OTHER = "other", _("Other")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices")
    platform = models.CharField(max_length=16, choices=Platform.choices, default=Platform.OTHER)
    model = EncryptedTextField(_("device model"), blank=True, default="")
    os_name = models.CharField(_("operating system"), max_length=32, blank=True, default="")
    os_version = models.CharField(_("OS version"), max_length=32, blank=True, default="")
    app_version = models.CharField(_("app version"), max_length=32, blank=True, default="")
    locale = models.CharField(_("locale"), max_length=16, blank=True, default="")
    push_token = EncryptedTextField(_("push token"), blank=True, default="")
    push_provider = models.CharField(
        max_length=8, blank=True, default="", choices=[("fcm", "FCM"), ("apns", "APNs")]
    )
    session_key = models.CharField(max_length=64, blank=True, default="", db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.os_name} {self.os_version}".strip()
