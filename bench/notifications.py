"""Notification figures: rendering, notify() cost, inbox queries at 10k alerts, and SMTP throughput on
loopback. Run: .venv/bin/python bench/notifications.py (uses a throw-away SQLite file)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

tmp = Path(tempfile.mkdtemp(prefix="bench-notifications-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocall.config.settings")
os.environ.setdefault("VIDEOCALL_VAR_DIR", str(tmp / "var"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def timed(label: str, n: int, fn) -> None:
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {n / elapsed:10.0f} /s   {elapsed / n * 1000:8.3f} ms each")


def main() -> None:
    call_command("migrate", verbosity=0)
    from django.conf import settings
    from django.core import mail

    from videocall.accounts.models import User
    from videocall.notifications.models import Notification
    from videocall.notifications.selectors import inbox_page, unread_count
    from videocall.notifications.services import alert_create, email_send, notify, render_email

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = User.objects.create_user(email="bench@example.org", password=None, first_name="Ben")
    print(f"python {sys.version.split()[0]}, sqlite file in {tmp}")
    timed(
        "render_email(export_ready) incl. layout",
        500,
        lambda i: render_email("export_ready", {"user": user, "url": "/x/", "transactional": True}),
    )
    timed(
        "alert_create (one encrypted row)",
        500,
        lambda i: alert_create(user=user, kind="generic", title=f"t{i}", body="b"),
    )
    timed(
        "notify + email rendered and sent (eager, locmem)",
        300,
        lambda i: notify(user=user, kind="generic", title=f"n{i}", email_template="generic"),
    )
    print(f"{'emails sent':<52} {len(mail.outbox):10d}")
    Notification.objects.bulk_create(
        [Notification(user=user, kind="generic", title=f"bulk {i}") for i in range(10_000)]
    )
    timed("unread_count with 10.8k alerts", 200, lambda i: unread_count(user))
    timed("inbox_page(limit=20) newest", 200, lambda i: inbox_page(user, limit=20))
    timed("inbox_page(limit=20, before=cursor)", 200, lambda i: inbox_page(user, limit=20, before=5000))
    with CaptureQueriesContext(connection) as ctx:
        inbox_page(user, limit=20, since=10_000)
    print(f"{'queries per inbox page':<52} {len(ctx.captured_queries):10d}")

    # SMTP through a real server on loopback
    from aiosmtpd.controller import Controller

    class Sink:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Sink.count += 1
            return "250 OK"

    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    from django.db import transaction

    def send(i: int) -> None:
        with transaction.atomic():
            email_send(to=f"r{i}@example.org", template="account_deleted", context={})

    timed("email_send over SMTP on loopback (one connection each)", 100, send)
    controller.stop()
    print(f"{'messages accepted by the SMTP server':<52} {Sink.count:10d}")


if __name__ == "__main__":
    main()
