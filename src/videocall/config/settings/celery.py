"""Celery (docs/jobs.md): broker, delivery guarantees, and the one periodic schedule of the project.

Without a broker, tasks run in-process (still only after the transaction commits).
"""

from __future__ import annotations

from celery.schedules import crontab

from videocall.config.env import env, env_int
from videocall.config.settings.cache import REDIS_URL

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_TRACK_STARTED = True

# Every periodic job, in one place (times in UTC). docs/jobs.md describes each one.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Alert retention, old job records and idempotency keys.
    "notifications-sweep": {
        "task": "videocall.notifications.tasks.notifications_sweep",
        "schedule": crontab(minute=17, hour=3),
    },
    # Ended sessions; unverified sign-ups are erased by the privacy center's retention sweep.
    "accounts-purge-ended-sessions": {
        "task": "videocall.accounts.tasks.purge_ended_sessions",
        "schedule": 3600.0,
    },
    # Every retention period of RETENTION_DAYS (core/datamap.py: each app registers its sweep).
    "privacy-retention-sweep": {
        "task": "videocall.privacy.tasks.retention_sweep",
        "schedule": crontab(hour=3, minute=17),
    },
    "privacy-policy-continued-use": {
        "task": "videocall.privacy.tasks.policy_record_continued_use",
        "schedule": crontab(hour=4, minute=7),
    },
    # `videocall audit-verify` as a job: alerts administrators (in-app + email) when the chain breaks.
    "staff-audit-chain-verify": {"task": "staff.audit_chain_verify", "schedule": 3600.0},
    "staff-retention-sweep": {"task": "staff.retention_sweep", "schedule": 24 * 3600.0},
}
