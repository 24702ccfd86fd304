"""The Celery app. Without a broker (embedded default) tasks run in-process; with ``REDIS_URL`` they go
to Redis and ``videocall worker`` runs them. Services queue tasks with ``task.delay_on_commit(...)`` so
nothing is sent for a transaction that rolls back."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocall.config.settings")

app = Celery("videocall")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
