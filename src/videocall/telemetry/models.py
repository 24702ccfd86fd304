from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocall.core.crypto.fields import EncryptedJSONField, EncryptedTextField


class AccessLogEntry(models.Model):
    """One request of a signed-in user or app client. Never the path, query string, headers or body:
    the route is the URL *name*; the IP is encrypted and blanked after ``RETENTION_DAYS["ip_address"]``;
    browser and OS are reduced to family and major version; the session is an HMAC of its key."""

    class Auth(models.TextChoices):
        SESSION = "session", _("Website session")
        APP = "app", _("App session token")
        JWT = "jwt", _("App access token")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log_entries"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    session_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    auth = models.CharField(max_length=8, choices=Auth.choices, default=Auth.SESSION)
    method = models.CharField(max_length=8)
    route = models.CharField(max_length=120)
    status = models.PositiveSmallIntegerField()
    latency_ms = models.PositiveIntegerField()
    ip = EncryptedTextField(_("IP address"), blank=True, default="")
    country = EncryptedTextField(_("country"), blank=True, default="")
    browser = EncryptedTextField(_("browser"), blank=True, default="")
    os = EncryptedTextField(_("operating system"), blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.route} {self.status}"


class CrashProject(models.Model):
    """An app that sends crash reports (the Sentry DSN's project). The public key is public by design:
    it is compiled into the apps and only lets them submit reports."""

    class Platform(models.TextChoices):
        ANDROID = "android", "Android"
        IOS = "ios", "iOS"
        WEB = "javascript", _("Website (JavaScript)")
        PYTHON = "python", "Python"
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=80)
    public_key = models.CharField(_("public key"), max_length=32, unique=True)
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    is_active = models.BooleanField(_("accepting reports"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def dsn(self, site_url: str) -> str:
        scheme, _sep, rest = site_url.partition("://")
        return f"{scheme}://{self.public_key}@{rest}/{self.pk}"


class CrashGroup(models.Model):
    """Reports with the same fingerprint (exception type + top frames)."""

    project = models.ForeignKey(CrashProject, on_delete=models.CASCADE, related_name="groups")
    fingerprint = models.CharField(max_length=64)
    exception_type = models.CharField(max_length=200, blank=True, default="")
    title = EncryptedTextField(blank=True, default="")
    culprit = EncryptedTextField(blank=True, default="")
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    count = models.PositiveIntegerField(default=0)
    last_app_version = models.CharField(max_length=64, blank=True, default="")
    last_os = models.CharField(max_length=64, blank=True, default="")
    last_device = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-last_seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "fingerprint"], name="telemetry_crashgroup_unique")
        ]

    def __str__(self) -> str:
        return self.exception_type or "crash"


class CrashReport(models.Model):
    """One event. Free text (message, stack trace, breadcrumbs) is encrypted: it can hold personal
    data. Without the "crash report detail" consent, ``user``, ``ip`` and ``breadcrumbs`` stay empty."""

    group = models.ForeignKey(CrashGroup, on_delete=models.CASCADE, related_name="reports")
    event_id = models.CharField(max_length=32)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    platform = models.CharField(max_length=32, blank=True, default="")
    level = models.CharField(max_length=16, blank=True, default="error")
    app_version = EncryptedTextField(blank=True, default="")
    environment = models.CharField(max_length=64, blank=True, default="")
    os_name = EncryptedTextField(blank=True, default="")
    os_version = EncryptedTextField(blank=True, default="")
    device_model = EncryptedTextField(blank=True, default="")
    message = EncryptedTextField(blank=True, default="")
    exception = EncryptedJSONField(default=list, blank=True)
    breadcrumbs = EncryptedJSONField(default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="crash_reports",
    )
    ip = EncryptedTextField(blank=True, default="")
    detail_consent = models.BooleanField(default=False)
    size_bytes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.event_id
