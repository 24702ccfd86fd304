"""Notification tasks. Every delivery is idempotent (a :class:`TaskOnce` key per message or per alert and
device), acknowledged late (so a worker that dies mid-task leaves the message for another worker) and
retried with backoff."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from videocall.accounts.models import Device
from videocall.core.tasks import DELIVERY, SWEEP
from videocall.notifications.models import JobRecord, Notification, TaskOnce
from videocall.notifications.push import PushMessage, configured_providers
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.selectors import has_consent

logger = logging.getLogger(__name__)


@shared_task(bind=True, **DELIVERY)
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


@shared_task(bind=True, **DELIVERY)
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


@shared_task(bind=True, **DELIVERY)
def news_deliver(self: Any, mailing_id: int, after: int = 0) -> int:
    """Email one batch of a sent news mailing's recipients, then queue the next batch: resumable after
    a crash and safe to redeliver, because every (mailing, user) sent is a ``TaskOnce`` row."""
    # local import: notifications.news queues this task and imports services, which import this module
    from videocall.notifications.news import news_batch_size, news_deliver_batch

    queued, next_after = news_deliver_batch(mailing_id=mailing_id, after=after, batch=news_batch_size())
    if next_after is not None:
        news_deliver.delay(mailing_id, next_after)
    return queued


# --- Periodic housekeeping (celery beat) ----------------------------------------------------------


@shared_task(bind=True, **SWEEP)
def notifications_sweep(self: Any) -> dict[str, int]:
    """Delete old job records and idempotency keys (operational rows, no personal data). Alerts past
    their retention are the privacy center's daily sweep's (``sweep_notifications``, registered with the
    data map), so they are swept once, by the one path every retention rule takes."""
    now = timezone.now()
    counts = {"jobs": 0, "keys": 0}
    jobs_cutoff = now - timedelta(days=settings.NOTIFICATIONS_JOB_RECORD_DAYS)
    counts["jobs"] = JobRecord.objects.filter(updated_at__lt=jobs_cutoff).delete()[0]
    counts["keys"] = TaskOnce.objects.filter(created_at__lt=jobs_cutoff).delete()[0]
    return counts
