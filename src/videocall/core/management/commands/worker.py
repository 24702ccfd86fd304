from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run a Celery worker (needs REDIS_URL); --beat also runs the periodic schedule in this process."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--beat", action="store_true")
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--queues", default="celery")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "no broker configured: set REDIS_URL (without it, tasks run inside the web process)"
            )
        from videocall.config.celery import app

        argv = [
            "worker",
            f"--loglevel={opts['loglevel']}",
            f"--concurrency={opts['concurrency']}",
            f"--queues={opts['queues']}",
            "--without-gossip",
            "--without-mingle",
        ]
        if opts["beat"]:
            argv += ["--beat", f"--schedule={settings.VAR_DIR / 'celerybeat-schedule'}"]
        app.worker_main(argv)
