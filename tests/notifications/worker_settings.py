"""Settings for the worker subprocess of the services tests: the real settings plus a test-only slow task
and a queue of the test's own (so parallel runs never share messages)."""

import os

from videocall.config.settings import *  # noqa: F403

CELERY_IMPORTS = ["tests.notifications.worker_tasks"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["VIDEOCALL_TEST_QUEUE"]

if os.environ.get("VIDEOCALL_TEST_BEAT_SECONDS"):
    CELERY_BEAT_SCHEDULE = {
        **CELERY_BEAT_SCHEDULE,  # noqa: F405
        "test-sweep": {
            "task": "videocall.notifications.tasks.notifications_sweep",
            "schedule": float(os.environ["VIDEOCALL_TEST_BEAT_SECONDS"]),
        },
    }

# kombu scans for unacknowledged messages every interval x throttle seconds (10 x 10 by default); the
# kill-and-restart test uses a visibility timeout of seconds, so scan every second.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
