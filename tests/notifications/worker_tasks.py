"""A deliberately slow export-like task for the worker-kill test (loaded only by the test worker)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from celery import shared_task

from videocall.notifications.tasks import once


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
            email_template="export_ready",
            context={"expires_days": 7},
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
