from collections.abc import Iterator
from typing import Any

from videocall.core.datamap import (
    Category,
    Erasure,
    ExportSection,
    FieldDecl,
    LegalBasis,
    Purpose,
    data_map,
    is_held,
    register_eraser,
    register_exporter,
    register_retention,
)
from videocall.notifications.models import (
    JobRecord,
    NewsMailing,
    Notification,
    NotificationPreference,
    TaskOnce,
)

_COMMS = (Purpose.COMMUNICATIONS,)


def _comms(**kw: Any) -> FieldDecl:
    return FieldDecl(
        Category.COMMUNICATIONS, _COMMS, LegalBasis.CONTRACT, "notifications", erasure=Erasure.CASCADE, **kw
    )


data_map.declare(
    Notification,
    personal={
        "kind": _comms(),
        "title": _comms(),
        "body": _comms(),
        "url": _comms(),
        "created_at": _comms(),
        "read_at": _comms(),
    },
    not_personal={"id": "row id", "user": "owner"},
    owner_path="user",
)

_ACCOUNT = FieldDecl(
    Category.ACCOUNT,
    (Purpose.COMMUNICATIONS, Purpose.ACCOUNT),
    LegalBasis.CONTRACT,
    "account",
    erasure=Erasure.CASCADE,
    note="which optional notices reach the user by email or push",
)

data_map.declare(
    NotificationPreference,
    personal={"by_email": _ACCOUNT, "by_push": _ACCOUNT, "updated_at": _ACCOUNT},
    not_personal={"id": "row id", "user": "owner", "topic": "key from the fixed list of notice topics"},
    owner_path="user",
)

data_map.declare(
    JobRecord,
    personal={},
    not_personal={
        "id": "row id",
        "task_id": "random task id from the queue",
        "task_name": "code path of the task",
        "state": "lifecycle state",
        "retries": "count",
        "deliveries": "count",
        "error": "exception class name only, never its message",
        "worker": "worker host name (a machine, not a person)",
        "queued_at": "time",
        "started_at": "time",
        "finished_at": "time",
        "updated_at": "time",
    },
)

data_map.declare(
    TaskOnce,
    personal={},
    not_personal={
        "id": "row id",
        "key": "idempotency key built from row ids and random ids, never from personal data",
        "task_name": "code path of the task",
        "created_at": "time",
    },
)


data_map.declare(
    NewsMailing,
    personal={
        "created_by": FieldDecl(
            Category.ACTIVITY,
            (Purpose.SECURITY,),
            LegalBasis.LEGITIMATE_INTERESTS,
            "account",
            exported=False,
            erasure=Erasure.ANONYMISE,
            note="which staff member wrote a news mailing (accountability); unlinked when that account is erased",
        ),
    },
    not_personal={
        "id": "row id",
        "subject": "news written by staff for everyone; no recipient data",
        "body": "news written by staff for everyone; no recipient data",
        "created_at": "time",
        "sent_at": "time",
        "recipients": "count",
    },
    owner_path="created_by",
)


@register_exporter("notifications")
def export(user: Any) -> Iterator[ExportSection]:
    yield ExportSection(
        name="notifications",
        category=Category.COMMUNICATIONS,
        description="Notices we sent you in the app (and by email where they had an email template).",
        rows=(
            {
                "id": n.pk,
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).order_by("id").iterator()
        ),
    )
    yield ExportSection(
        name="notification_preferences",
        category=Category.ACCOUNT,
        description="Which optional notices you chose to receive by email or push.",
        rows=(
            {
                "topic": p.topic,
                "by_email": p.by_email,
                "by_push": p.by_push,
                "updated_at": p.updated_at.isoformat(),
            }
            for p in NotificationPreference.objects.filter(user=user).order_by("topic")
        ),
    )


@register_eraser("notifications", order=100)
def erase(*, user: Any, holds: Any) -> dict[str, int]:
    authored = NewsMailing.objects.filter(created_by=user).update(created_by=None)  # the mailing stays
    if is_held(holds, Category.COMMUNICATIONS):
        held = Notification.objects.filter(user=user).count()
        counts = {"notifications_held": held, "notification_preferences": 0}
    else:
        counts = {
            "notifications": Notification.objects.filter(user=user).delete()[0],
            "notification_preferences": NotificationPreference.objects.filter(user=user).delete()[0],
        }
    if authored:
        counts["news_mailings_unlinked"] = authored
    return counts


@register_retention("notifications")
def sweep_notifications(*, now: Any, days: int) -> int:
    """In-app alerts past their retention (run by the privacy center's daily sweep)."""
    from datetime import timedelta

    return Notification.objects.filter(created_at__lt=now - timedelta(days=days)).delete()[0]
