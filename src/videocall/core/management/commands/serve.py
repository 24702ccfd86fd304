from __future__ import annotations

import os
import ssl
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Run the platform with a production server (gunicorn, several workers, static files via WhiteNoise)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("VIDEOCALL_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("VIDEOCALL_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("VIDEOCALL_WORKERS", "0")) or None
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("VIDEOCALL_THREADS", "4")))
        parser.add_argument("--certfile", default=settings.VIDEOCALL_TLS_CERTFILE or None)
        parser.add_argument("--keyfile", default=settings.VIDEOCALL_TLS_KEYFILE or None)
        parser.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations first")

    def handle(self, *args: Any, **opts: Any) -> None:
        from gunicorn.app.base import BaseApplication

        if bool(opts["certfile"]) != bool(opts["keyfile"]):
            raise CommandError("--certfile and --keyfile go together")
        if not settings.PRODUCTION and not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            self.stdout.write("Database is up to date.")
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        workers = opts["workers"] or max(2, (os.cpu_count() or 1) + 1)
        scheme = "https" if opts["certfile"] else "http"
        host = opts["host"]
        shown = f"[{host}]" if ":" in host else host
        url = f"{scheme}://{shown}:{opts['port']}/"
        config: dict[str, Any] = {
            "bind": f"{shown}:{opts['port']}",
            "workers": workers,
            "threads": opts["threads"],
            "worker_class": "gthread",
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "timeout": 60,
            "graceful_timeout": 20,
            "forwarded_allow_ips": os.environ.get("VIDEOCALL_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        }
        if opts["certfile"]:
            config["certfile"] = opts["certfile"]
            config["keyfile"] = opts["keyfile"]
            config["ssl_context"] = _tls_context

        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()

        class VideoCallServer(BaseApplication):
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        self.stdout.write(f"VideoCall Network is running: open {url}  (Ctrl+C stops it)", ending="\n")
        self.stdout.flush()
        VideoCallServer().run()


def _tls_context(config: Any, default_ssl_context_factory: Any) -> ssl.SSLContext:
    context = default_ssl_context_factory()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context
