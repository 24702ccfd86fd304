"""Task lifecycle from Celery signals into :class:`JobRecord` rows, for the staff jobs page.

Only the task name, id, state, retry/delivery counts, times, worker name and an exception class are
stored: never arguments, results or messages (they may hold personal data). Tasks run eagerly
(embedded default, no broker) are not recorded. A failure to record never breaks a task.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import signals
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from videocall.notifications.models import JobRecord

logger = logging.getLogger(__name__)


def _record(task_id: str | None, task_name: str, *, only_create: bool = False, **changes: Any) -> None:
    if not task_id:
        return
    increments = {k: F(k) + v for k, v in list(changes.items()) if k in {"deliveries"}}
    for k in increments:
        changes.pop(k)
    try:
        with transaction.atomic():  # a savepoint: a failure here never poisons the caller's transaction
            _write(task_id, task_name, only_create, increments, changes)
    except Exception:  # never let bookkeeping break the task or the publisher
        logger.warning("job record not written", extra={"task": task_name}, exc_info=True)


def _write(
    task_id: str, task_name: str, only_create: bool, increments: dict[str, Any], changes: dict[str, Any]
) -> None:
    now = timezone.now()
    record, created = JobRecord.objects.get_or_create(
        task_id=str(task_id)[:64],
        defaults={"task_name": task_name[:200], "updated_at": now, **changes},
    )
    if only_create:
        if not created and "queued_at" in changes:
            # a fast worker got there first: keep its state, add the queue time
            JobRecord.objects.filter(pk=record.pk, queued_at__isnull=True).update(
                queued_at=changes["queued_at"]
            )
        return  # "queued" never overwrites a state a worker already wrote
    if created and not increments:
        return
    update = {**changes, "updated_at": now, **increments}
    JobRecord.objects.filter(pk=record.pk).update(**update)


def _eager(task: Any) -> bool:
    request = getattr(task, "request", None)
    return bool(getattr(request, "is_eager", False))


@signals.after_task_publish.connect(dispatch_uid="videocall.jobs.published")
def _published(sender: str | None = None, headers: dict[str, Any] | None = None, **_: Any) -> None:
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER or not headers:
        return
    if headers.get("retries"):
        return  # a retry is re-published by the worker; task_retry recorded it

    _record(
        headers.get("id"),
        str(sender or headers.get("task", "")),
        state=JobRecord.State.QUEUED,
        queued_at=timezone.now(),
        only_create=True,
    )


@signals.task_prerun.connect(dispatch_uid="videocall.jobs.prerun")
def _prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task is None or _eager(task):
        return

    request = task.request
    _record(
        task_id,
        task.name,
        state=JobRecord.State.STARTED,
        started_at=timezone.now(),
        retries=int(getattr(request, "retries", 0) or 0),
        worker=str(getattr(request, "hostname", "") or "")[:120],
        deliveries=1,
    )


@signals.task_retry.connect(dispatch_uid="videocall.jobs.retry")
def _retry(sender: Any = None, request: Any = None, reason: Any = None, **_: Any) -> None:
    if sender is None or request is None or getattr(request, "is_eager", False):
        return

    _record(
        request.id,
        sender.name,
        state=JobRecord.State.RETRY,
        retries=int(getattr(request, "retries", 0) or 0) + 1,
        error=type(reason).__name__[:120] if isinstance(reason, BaseException) else "",
    )


@signals.task_success.connect(dispatch_uid="videocall.jobs.success")
def _success(sender: Any = None, **_: Any) -> None:
    if sender is None or _eager(sender):
        return

    _record(
        sender.request.id, sender.name, state=JobRecord.State.SUCCEEDED, finished_at=timezone.now(), error=""
    )


@signals.task_failure.connect(dispatch_uid="videocall.jobs.failure")
def _failure(sender: Any = None, task_id: str | None = None, exception: Any = None, **_: Any) -> None:
    if sender is None or _eager(sender):
        return

    _record(
        task_id,
        sender.name,
        state=JobRecord.State.FAILED,
        finished_at=timezone.now(),
        error=type(exception).__name__[:120] if exception is not None else "",
    )


@signals.task_revoked.connect(dispatch_uid="videocall.jobs.revoked")
def _revoked(sender: Any = None, request: Any = None, **_: Any) -> None:
    if sender is None or request is None:
        return

    _record(request.id, sender.name, state=JobRecord.State.REVOKED, finished_at=timezone.now())


class RedactTaskLogs(logging.Filter):
    """Celery's own task log lines carry the exception text and the task arguments, which may hold
    personal data (an address in an SMTP error, a user's name in an argument). Keep only the class."""

    LOGGERS = ("celery.app.trace", "celery.worker.request", "celery.worker.job", "celery.worker.strategy")

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, dict):
            exc_type = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
            redacted = dict(args)
            for key in ("exc", "args", "kwargs", "traceback", "return_value"):
                if key in redacted:
                    redacted[key] = exc_type if key == "exc" and exc_type else "[redacted]"
            record.args = redacted
        if hasattr(record, "data"):
            record.data = {
                "id": getattr(record, "data", {}).get("id"),
                "name": getattr(record, "data", {}).get("name"),
            }
        return True


def install_log_redaction() -> None:
    redactor = RedactTaskLogs()
    for name in RedactTaskLogs.LOGGERS:
        log = logging.getLogger(name)
        if not any(isinstance(f, RedactTaskLogs) for f in log.filters):
            log.addFilter(redactor)
