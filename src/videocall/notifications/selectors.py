"""Reads for the inbox, preferences and the jobs page (permission-checked)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from videocall.core.permissions import Perm, require_perm
from videocall.notifications.models import JobRecord, Notification, NotificationPreference
from videocall.notifications.topics import ALWAYS_SENT, TOPICS, Topic, available_topics
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.selectors import consenting_users


def inbox_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-id")


def unread_count(user: Any) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox_page(
    user: Any, *, limit: int, before: int | None = None, since: int | None = None
) -> tuple[list[Notification], int | None]:
    """Newest first. ``before``: the next page of older alerts; ``since``: only alerts newer than that id
    (what arrived since the app last looked). Returns the items and the cursor for the next older page."""
    qs = inbox_for(user)
    if before is not None:
        qs = qs.filter(id__lt=before)
    if since is not None:
        qs = qs.filter(id__gt=since)
    items = list(qs[: limit + 1])
    next_cursor = items[limit - 1].pk if len(items) > limit else None
    return items[:limit], next_cursor


def preferences_for(user: Any) -> list[tuple[Topic, bool, bool]]:
    """(topic, by_email, by_push) for every topic the preferences page offers."""
    return [(topic, *preference_for(user, topic)) for topic in available_topics()]


def always_sent_labels() -> list[str]:
    """What no preference stops, for the "Always sent" note of the preferences page and API."""
    return [str(group.label) for group in ALWAYS_SENT.values()]


def jobs_list(actor: Any, *, state: str = "") -> QuerySet[JobRecord]:
    require_perm(actor, Perm.JOBS_VIEW)
    qs = JobRecord.objects.all()
    if state in JobRecord.State.values:
        qs = qs.filter(state=state)
    return qs


def jobs_summary(actor: Any) -> dict[str, int]:
    require_perm(actor, Perm.JOBS_VIEW)
    from django.db.models import Count

    counts = dict(JobRecord.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {state: counts.get(state, 0) for state in JobRecord.State.values}


def preference_for(user: Any, topic: Topic) -> tuple[bool, bool]:
    """(by_email, by_push) for ``topic``: the user's row, else the topic's default."""
    row = (
        NotificationPreference.objects.filter(user=user, topic=topic.key)
        .values_list("by_email", "by_push")
        .first()
    )
    return (row[0], row[1]) if row else (topic.default_email, topic.default_push)


def news_recipients() -> QuerySet[Any]:
    """Who a news mailing goes to: every active, not deleted account whose current choice is consent to
    news by email (:func:`~videocall.privacy.selectors.consenting_users`: the re-consent rule included)
    and whose ``news`` topic allows email (no row: the topic's default). Ordered by id, for batches."""
    topic = TOPICS["news"]
    users = consenting_users(ConsentPurpose.MARKETING_EMAIL).filter(is_active=True, is_deleted=False)
    opted = NotificationPreference.objects.filter(topic=topic.key, by_email=not topic.default_email)
    opted_ids = opted.values("user_id")
    users = users.exclude(pk__in=opted_ids) if topic.default_email else users.filter(pk__in=opted_ids)
    return users.order_by("pk")


def news_recipient_count(actor: Any) -> int:
    """How many people a news mailing sent now would reach (the console's preview and confirmation)."""
    require_perm(actor, Perm.NEWS_SEND)
    return news_recipients().count()
