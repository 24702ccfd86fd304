from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from videocall.config.celery import app


class Command(BaseCommand):
    help = "Run a Celery worker (needs REDIS_URL); --beat also runs the periodic schedule in this process."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--beat", action="store_true")
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--queues", default=None, help="comma-separated; default: the task default queue")
        parser.add_argument(
            "--hostname", default=None, help="node name, e.g. worker1@%%h (unique per worker)"
        )
        parser.add_argument("--pool", default=None, help="prefork (default), threads or solo")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "no broker configured: set REDIS_URL (without it, tasks run inside the web process)"
            )
        argv = [
            "worker",
            f"--loglevel={opts['loglevel']}",
            f"--concurrency={opts['concurrency']}",
            f"--queues={opts['queues'] or settings.CELERY_TASK_DEFAULT_QUEUE}",
            "--without-gossip",
            "--without-mingle",
        ]
        if opts["hostname"]:
            argv.append(f"--hostname={opts['hostname']}")
        if opts["pool"]:
            argv.append(f"--pool={opts['pool']}")
        if opts["beat"]:
            # Run exactly one beat in the whole deployment (see docs/jobs.md).
            argv += ["--beat", f"--schedule={settings.VAR_DIR / 'celerybeat-schedule'}"]
        app.worker_main(argv)
