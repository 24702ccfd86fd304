"""News mailings: staff write one in the console, an administrator sends it, a task emails it in batches.

Who gets it is one rule, :func:`videocall.notifications.selectors.news_recipients`: consent to news by
email (with the re-consent rule) and the ``news`` topic's email switch on, active and not deleted. Each
email goes through :func:`~videocall.notifications.services.email_send` with the kind ``news.mailing``,
so preferences and consent are checked once more at sending and the RFC 8058 one-click
``List-Unsubscribe`` headers of the ``news`` topic are added. Sending is idempotent per (mailing, user):
a :class:`~videocall.notifications.models.TaskOnce` row written in the same transaction that queues the
email, so a redelivered task sends nobody twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.errors import Conflict, ValidationFailed
from videocall.core.markdown import markdown_to_html
from videocall.core.permissions import Perm, require_perm
from videocall.notifications.models import NewsMailing, TaskOnce
from videocall.notifications.selectors import news_recipients
from videocall.notifications.services import email_send
from videocall.notifications.tasks import news_deliver

NEWS_KIND = "news.mailing"
NEWS_TEMPLATE = "news"


def news_body_html(mailing: NewsMailing) -> SafeString:
    """The body as sanitised HTML (Markdown through nh3): for the email and the console's preview."""
    return mark_safe(markdown_to_html(mailing.body))  # noqa: S308 - sanitised by nh3


@transaction.atomic
def news_save(*, actor: Any, mailing: NewsMailing) -> NewsMailing:
    """Create or change a draft. A sent mailing is read-only."""
    require_perm(actor, Perm.NEWS_SEND)
    if mailing.pk is not None and NewsMailing.objects.filter(pk=mailing.pk, sent_at__isnull=False).exists():
        raise Conflict("This mailing was sent: it can no longer change.")
    if not mailing.subject.strip() or not mailing.body.strip():
        raise ValidationFailed("A mailing needs a subject and a body.")
    if mailing.pk is None and mailing.created_by_id is None:
        mailing.created_by = actor
    mailing.save()
    return mailing


@transaction.atomic
def news_send(*, actor: Any, mailing: NewsMailing) -> NewsMailing:
    """Mark the mailing sent, record who sent it to how many people, and queue its delivery (after
    commit). Sending twice is refused."""
    require_perm(actor, Perm.NEWS_SEND)
    locked = NewsMailing.objects.select_for_update().filter(pk=mailing.pk).first()
    if locked is None:
        raise ValidationFailed("Save the mailing before sending it.")
    if locked.sent_at is not None:
        raise Conflict("This mailing was already sent.")
    locked.sent_at = timezone.now()
    locked.recipients = news_recipients().count()
    locked.save(update_fields=["sent_at", "recipients"])
    audit_record(
        actor=actor,
        action=AuditAction.NOTIFICATION_NEWS_SENT,
        subject=locked,
        metadata={"recipients": locked.recipients},
    )
    mailing_id = locked.pk
    transaction.on_commit(lambda: news_deliver.delay(mailing_id))
    mailing.sent_at, mailing.recipients = locked.sent_at, locked.recipients
    return locked


def news_once_key(mailing_id: int, user_id: int) -> str:
    return f"news:{mailing_id}:{user_id}"


def news_deliver_batch(*, mailing_id: int, after: int, batch: int) -> tuple[int, int | None]:
    """Queue the emails of one batch of recipients with an id above ``after``, in one transaction.

    Returns (emails queued, the id to continue after, or ``None`` when this was the last batch). A
    recipient whose (mailing, user) key exists already is skipped, so a redelivered task sends nobody
    twice; the key is written in the same transaction that queues the email (sent after commit).
    """
    mailing = NewsMailing.objects.filter(pk=mailing_id, sent_at__isnull=False).first()
    if mailing is None:
        return 0, None
    users = list(news_recipients().filter(pk__gt=after)[:batch])
    body_html = news_body_html(mailing)
    queued = 0
    with transaction.atomic():
        for user in users:
            _key, created = TaskOnce.objects.get_or_create(
                key=news_once_key(mailing.pk, user.pk), defaults={"task_name": "news_deliver"}
            )
            if not created or not user.email:
                continue
            email_send(
                to=user.email,
                kind="news.mailing",  # NEWS_KIND, as a literal for the catalogue test
                template=NEWS_TEMPLATE,
                context={
                    "user": user,
                    "subject": mailing.subject,
                    "body_text": mailing.body,
                    "body_html": body_html,
                },
            )
            queued += 1
    next_after = users[-1].pk if len(users) == batch else None
    return queued, next_after


def news_batch_size() -> int:
    return max(1, int(settings.NOTIFICATIONS_NEWS_BATCH))
