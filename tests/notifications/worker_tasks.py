"""Test-only tasks run by the real worker of the services tests (loaded only by the test worker): a
deliberately slow export-like task for the worker-kill test, a flaky one and a broken one."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from celery import shared_task
from django.db import IntegrityError, transaction

from videocall.notifications.models import TaskOnce


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


@shared_task(bind=True, acks_late=True, name="tests.notifications.slow_export")
def slow_export(self: Any, *, key: str, user_id: int, hold_file: str) -> str:
    """Builds "an export" for as long as ``hold_file`` exists, then notifies the user (alert + email)."""
    from videocall.accounts.models import User
    from videocall.notifications.services import notify

    with once(f"export:{key}", task_name=self.name) as first:
        if not first:
            return "duplicate"
        while Path(hold_file).exists():
            time.sleep(0.1)
        user = User.objects.get(pk=user_id)
        notify(
            user=user,
            kind="privacy.export_ready",
            title="Your data export is ready",
            url="/privacy/exports/",
            email_template="privacy_export_ready",
            context={
                "expires_at": datetime(2030, 1, 31, tzinfo=UTC),
                "link": "https://videocall.example/privacy/exports/",
            },
        )
    return "done"


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    max_retries=2,
    default_retry_delay=0,
    acks_late=True,
    name="tests.notifications.flaky",
)
def flaky(self: Any) -> str:
    """Fails with a transient error on its first attempt, succeeds on the retry."""
    if self.request.retries == 0:
        raise OSError("transient trouble")
    return "ok"


@shared_task(bind=True, acks_late=True, name="tests.notifications.broken")
def broken(self: Any, *, email: str) -> str:
    """Always fails, with personal data in its argument and message (neither may reach the job record)."""
    raise ValueError(f"cannot handle {email}")
