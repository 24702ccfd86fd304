"""The retry policies of background tasks, one per kind of task; every task uses exactly one.

Each policy is a dict of Celery task options: ``@shared_task(bind=True, **DELIVERY)``. All of them
acknowledge late (a worker that dies mid-task leaves the message for another) and retry only on errors
that pass by themselves (:data:`RETRYABLE`: network, SMTP, storage, the database going away), with
exponential backoff and jitter; any other exception fails the task at once (a bug does not get
better by retrying). No backoff step is longer than the broker's visibility timeout
(``CELERY_VISIBILITY_TIMEOUT``, 3600 s by default), so a waiting retry is never handed out twice.
docs/jobs.md lists which task has which policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from django.db import OperationalError

# SMTP errors, requests' errors and the push clients' PushTransientError are OSErrors.
RETRYABLE: Final = (OSError, OperationalError)

# Marks a task with the name of its policy (a task attribute; tests check every task has one).
POLICY_ATTRIBUTE: Final = "retry_policy_name"


def _policy(name: str, **options: Any) -> Mapping[str, Any]:
    return MappingProxyType(
        {
            POLICY_ATTRIBUTE: name,
            "autoretry_for": RETRYABLE,
            "acks_late": True,
            "retry_backoff": True,
            "retry_jitter": True,
            **options,
        }
    )


DELIVERY: Final = _policy("delivery", retry_backoff=60, retry_backoff_max=1800, max_retries=10)
"""Email and push to one person: the mail server or push service may be away for a while, so retry
long: 1, 2, 4, 8, 16 minutes, then every 30 minutes, 10 times (about 3 hours). Sending is idempotent
(a ``TaskOnce`` key per message and device)."""

SWEEP: Final = _policy("sweep", retry_backoff=60, retry_backoff_max=600, max_retries=3)
"""Periodic housekeeping (retention sweeps, purges, the audit-chain check): few retries, 1 to 4
minutes apart; whatever is left the next scheduled run does. Sweeps are idempotent."""

EXPORT: Final = _policy("export", retry_backoff=30, retry_backoff_max=600, max_retries=5)
"""Building an archive (the data export): heavy, so a handful of retries 30 s to 10 minutes apart;
after the last one the export is marked failed and the user can ask again."""

POLICIES: Final = {policy[POLICY_ATTRIBUTE]: policy for policy in (DELIVERY, SWEEP, EXPORT)}
