"""Support desk costs: screenshot re-encoding (Pillow), opening tickets with encrypted text, and the agent
queue page over many tickets. Prints figures; asserts nothing.

    .venv/bin/python bench/support_bench.py            # embedded SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vc_bench .venv/bin/python bench/support_bench.py
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time


def main() -> None:
    os.environ.setdefault("VIDEOCALL_VAR_DIR", tempfile.mkdtemp(prefix="vc-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocall.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from PIL import Image

    from videocall.accounts.models import User
    from videocall.core.permissions import Role
    from videocall.support.images import clean_image
    from videocall.support.services import ticket_open, ticket_reply_by_staff

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)

    from PIL import ImageDraw

    def screenshot(size: tuple[int, int]) -> Image.Image:
        """A UI-like picture: flat panels and lines of text, as real screenshots are."""
        image = Image.new("RGB", size, (245, 246, 248))
        draw = ImageDraw.Draw(image)
        for row in range(0, size[1], 40):
            draw.rectangle((20, row + 5, size[0] // 3, row + 30), fill=(220, 225, 235))
            draw.text(
                (size[0] // 3 + 20, row + 10), "Meeting room settings and camera " * 3, fill=(20, 20, 20)
            )
        return image

    cases = (
        ("screenshot", (1920, 1080), "PNG", screenshot((1920, 1080))),
        ("noise (worst case)", (1920, 1080), "PNG", Image.effect_noise((1920, 1080), 40).convert("RGB")),
        ("photo-like noise", (4032, 3024), "JPEG", Image.effect_noise((4032, 3024), 40).convert("RGB")),
    )
    for label, size, fmt, picture in cases:
        buf = io.BytesIO()
        picture.save(buf, format=fmt)
        data = buf.getvalue()
        settings.VIDEOCALL_UPLOAD_MAX_BYTES = len(data) + 1
        runs = 3
        started = time.perf_counter()
        for _ in range(runs):
            cleaned = clean_image(io.BytesIO(data))
        took = (time.perf_counter() - started) / runs
        print(
            f"re-encode {label} {fmt} {size[0]}x{size[1]} ({len(data) / 1e3:.0f} kB -> {len(cleaned.content) / 1e3:.0f} kB):"
            f" {took * 1000:.0f} ms"
        )

    member = User.objects.create_user(email="bench-member@example.org", password="x" * 12)
    member.set_roles([])
    agent = User.objects.create_user(email="bench-agent@example.org", password="x" * 12)
    agent.set_roles([Role.SUPPORT_AGENT])
    n = 1000
    started = time.perf_counter()
    for i in range(n):
        ticket = ticket_open(
            actor=member, category="meetings", subject=f"Ticket {i}", message="Camera black. " * 20
        )
        if i % 2:
            ticket_reply_by_staff(actor=agent, ticket=ticket, body="Try another browser.")
    took = time.perf_counter() - started
    print(f"open {n} tickets (half answered): {n / took:.0f} tickets/s")

    client = Client()
    client.force_login(agent)
    client.get("/support/desk/")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get("/support/desk/")
        took = time.perf_counter() - started
    print(
        f"agent queue page, {n} tickets (200 shown): {took * 1000:.0f} ms, {len(queries)} queries,"
        f" status {response.status_code}"
    )
    ticket_id = ticket.pk
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        client.get(f"/support/desk/tickets/{ticket_id}/")
        took = time.perf_counter() - started
    print(f"desk ticket page: {took * 1000:.0f} ms, {len(queries)} queries")
    print(f"database: {connection.vendor}", file=sys.stderr)


if __name__ == "__main__":
    main()
