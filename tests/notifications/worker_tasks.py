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
