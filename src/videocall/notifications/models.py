from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class NotificationPreference(models.Model):
    """How one non-essential topic reaches the user: always in the inbox, plus email and/or push.

    Transactional notices ignore these choices (they always go by email). No row means the topic's
    default (see :mod:`videocall.notifications.topics`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    topic = models.CharField(max_length=48)
    by_email = models.BooleanField(default=False)
    by_push = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["topic"]
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="notification_pref_unique")]

    def __str__(self) -> str:
        return f"{self.topic} for #{self.user_id}"


class JobRecord(models.Model):
    """One Celery task's life, recorded from Celery signals for the staff jobs page.

    Arguments are never stored: they may hold personal data. ``error`` is the exception class only.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        STARTED = "started", _("Running")
        RETRY = "retry", _("Waiting to retry")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        REVOKED = "revoked", _("Revoked")

    task_id = models.CharField(max_length=64, unique=True)
    task_name = models.CharField(max_length=200, db_index=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED, db_index=True)
    retries = models.PositiveIntegerField(default=0)
    deliveries = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=120, blank=True, default="")
    worker = models.CharField(max_length=120, blank=True, default="")
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name} {self.state}"


class TaskOnce(models.Model):
    """Idempotency record: a task's effect with this key has been committed (or a mail was sent)."""

    key = models.CharField(max_length=200, unique=True)
    task_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.key


class NewsMailing(models.Model):
    """A news email written by staff in the console and sent to everyone who agreed to news by email
    (the consent) and keeps the ``news`` topic's email switch on. Read-only once sent.

    ``body`` is Markdown (rendered through :func:`videocall.core.markdown.markdown_to_html`).
    ``recipients`` is how many people it was queued for when it was sent.
    """

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("body"), help_text=_("Markdown: **bold**, *italic*, [links](https://…), lists, headings.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("news mailing")
        verbose_name_plural = _("news mailings")

    def __str__(self) -> str:
        return f"news mailing #{self.pk}"
