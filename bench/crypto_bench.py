"""Cost of encryption at rest: AES-GCM field values per second, blind-index lookups, and the price of
creating and finding users by email with encrypted columns. Prints figures; asserts nothing.

    .venv/bin/python bench/crypto_bench.py            # embedded SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vc_bench .venv/bin/python bench/crypto_bench.py
"""

from __future__ import annotations

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

    from videocall.accounts.models import User
    from videocall.core.crypto import blind_index, decrypt_text, encrypt_text

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]  # measure crypto, not Argon2
    call_command("migrate", verbosity=0)
    n = 20000
    started = time.perf_counter()
    values = [encrypt_text(f"person{i}@example.org", "accounts.user.email") for i in range(n)]
    enc = n / (time.perf_counter() - started)
    started = time.perf_counter()
    for value in values:
        decrypt_text(value, "accounts.user.email")
    dec = n / (time.perf_counter() - started)
    started = time.perf_counter()
    for i in range(n):
        blind_index(f"person{i}@example.org")
    idx = n / (time.perf_counter() - started)

    users = 2000
    started = time.perf_counter()
    for i in range(users):
        User.objects.create_user(
            email=f"bench{i}-{time.time_ns()}@example.org", password="x", first_name="Bench", last_name=str(i)
        )
    create = users / (time.perf_counter() - started)
    emails = list(User.objects.order_by("-id").values_list("email", flat=True)[:users])
    started = time.perf_counter()
    for email in emails:
        User.objects.get(email=email)
    lookup = users / (time.perf_counter() - started)

    print(f"database: {connection.vendor}; python {sys.version.split()[0]}")
    print(f"encrypt field value      : {enc:10.0f} /s")
    print(f"decrypt field value      : {dec:10.0f} /s")
    print(f"blind index (HMAC-SHA256): {idx:10.0f} /s")
    print(f"create user (3 encrypted columns, password hashing excluded): {create:8.0f} /s")
    print(f"find user by email (blind index prefix lookup + decrypt)    : {lookup:8.0f} /s")


if __name__ == "__main__":
    main()
