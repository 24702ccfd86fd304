"""Notification tasks. Every task is idempotent (a :class:`TaskOnce` key), acknowledged late (so a
worker that dies mid-task leaves the message for another worker) and retried with backoff."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from videocall.accounts.models import User
from videocall.notifications.models import JobRecord, Notification, TaskOnce
from videocall.notifications.privacy import sweep_notifications
from videocall.notifications.push import PushMessage, configured_providers
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.selectors import has_consent
from videocall.telemetry.models import Device

logger = logging.getLogger(__name__)


@contextmanager
def once(key: str, *, task_name: str) -> Iterator[bool]:
    """Run a block at most once per ``key``: yields False when the key's effect was already committed.

    The key and the block's writes commit in one transaction, so a worker killed mid-block leaves no
    key and the redelivered task does the work again; a finished one is never repeated.
    """
    with transaction.atomic():
        if TaskOnce.objects.filter(key=key).exists():
            yield False
            return
        try:
            with transaction.atomic():
                TaskOnce.objects.create(key=key, task_name=task_name)
        except IntegrityError:  # a concurrent worker holds the same key
            yield False
            return
        yield True


@shared_task(
    autoretry_for=(OSError, OperationalError),
    bind=True,
    acks_late=True,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def deliver_email(self: Any, payload: dict[str, Any]) -> str:
    """Send one rendered message. Sent-once by ``payload["key"]`` (at-least-once if the worker dies
    between the SMTP answer and the record; the stable Message-ID lets mail systems drop the copy)."""
    key = f"email:{payload['key']}" if payload.get("key") else ""
    if key and TaskOnce.objects.filter(key=key).exists():
        return "duplicate"
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["text"],
        to=[payload["to"]],
        headers=payload.get("headers") or {},
    )
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    for name, content, mime in payload.get("attachments") or []:
        message.attach(name, content.encode("latin-1"), mime)
    message.send()
    if key:
        TaskOnce.objects.get_or_create(key=key, defaults={"task_name": self.name})
    return "sent"


@shared_task(
    autoretry_for=(OSError, OperationalError),
    bind=True,
    acks_late=True,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def deliver_push(self: Any, notification_id: int) -> dict[str, int]:
    """Push one in-app alert to the user's registered devices; prune tokens the provider refuses."""
    counts = {"sent": 0, "pruned": 0, "skipped": 0}
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not has_consent(notification.user, ConsentPurpose.PUSH_NOTIFICATIONS):
        return counts
    providers = configured_providers()
    message = PushMessage(title=notification.title, url=notification.url, notification_id=notification.pk)
    for device in Device.objects.filter(user=notification.user).exclude(push_token=""):
        client = providers.get(device.push_provider)
        key = f"push:{notification.pk}:{device.pk}"
        if client is None or TaskOnce.objects.filter(key=key).exists():
            counts["skipped"] += 1
            continue
        result = client.send(device.push_token, message)
        if result.ok:
            TaskOnce.objects.get_or_create(key=key, defaults={"task_name": self.name})
            counts["sent"] += 1
        elif result.invalid_token:
            Device.objects.filter(pk=device.pk).update(push_token="", push_provider="")
            counts["pruned"] += 1
            logger.info("push token pruned", extra={"device_id": device.pk, "status": result.status})
        else:
            counts["skipped"] += 1
            logger.warning("push refused", extra={"device_id": device.pk, "status": result.status})
    return counts


@shared_task(
    autoretry_for=(OSError, OperationalError),
    bind=True,
    acks_late=True,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def notify_task(
    self: Any,
    *,
    key: str,
    user_id: int,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email_template: str | None = None,
    context: dict[str, Any] | None = None,
    transactional: bool = True,
) -> str:
    """:func:`~videocall.notifications.services.notify` from a queue, exactly once per ``key``.

    For jobs that finish later (an export, a batch): queue this with a key naming the job.
    ``context`` must be JSON (ids, codes, URLs), it travels through the broker.
    """
    # local import: services imports this module's tasks (a cycle inside notifications)
    from videocall.notifications.services import notify

    with once(f"notify:{key}", task_name=self.name) as first:
        if not first:
            return "duplicate"
        user = User.objects.filter(pk=user_id, is_deleted=False).first()
        if user is None:
            return "no-user"
        notify(
            user=user,
            kind=kind,
            title=title,
            body=body,
            url=url,
            email_template=email_template,
            context=context or {},
            transactional=transactional,
        )
    return "done"


# --- Periodic housekeeping (celery beat) ----------------------------------------------------------


@shared_task(
    autoretry_for=(OperationalError,),
    bind=True,
    acks_late=True,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def notifications_sweep(self: Any) -> dict[str, int]:
    """Delete alerts past their retention, old job records and idempotency keys."""
    now = timezone.now()
    counts = {"notifications": 0, "jobs": 0, "keys": 0}
    days = settings.RETENTION_DAYS.get("notifications", 0)
    if days:
        counts["notifications"] = sweep_notifications(now=now, days=days)
    jobs_cutoff = now - timedelta(days=settings.NOTIFICATIONS_JOB_RECORD_DAYS)
    counts["jobs"] = JobRecord.objects.filter(updated_at__lt=jobs_cutoff).delete()[0]
    counts["keys"] = TaskOnce.objects.filter(created_at__lt=jobs_cutoff).delete()[0]
    return counts
