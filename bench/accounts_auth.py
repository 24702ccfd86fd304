"""Accounts figures: cost of the Argon2id hash, of a sign-in lookup through the email blind index (on the
encrypted allauth EmailAddress table too), and of the encrypted session engine.

Run: .venv/bin/python bench/accounts_auth.py  (uses a throw-away SQLite database under var/bench/)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{name:<48} median {statistics.median(samples):8.3f} ms   p95 {p95:8.3f} ms   n={len(samples)}")


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="vc-bench-"))
    os.environ.setdefault("VIDEOCALL_VAR_DIR", str(workdir))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocall.config.settings")
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import check_password, make_password
    from django.core.management import call_command

    from videocall.accounts.models import User
    from videocall.accounts.sessions.db import SessionStore

    call_command("migrate", verbosity=0)
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print(f"accounts bench: {users} users, SQLite at {workdir}")

    report("argon2id hash (m=19456,t=2,p=1)", timed(lambda: make_password("correct horse battery"), 10))
    encoded = make_password("correct horse battery")
    report("argon2id verify", timed(lambda: check_password("correct horse battery", encoded), 10))

    batch = [
        User(email=f"user{i}@example.org", password=encoded, first_name="B", last_name="U")
        for i in range(users)
    ]
    for user in batch:
        user.save()
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in batch]
    )
    probe = f"USER{users // 2}@example.org"
    report(
        "User lookup by email (blind index, unique col)", timed(lambda: User.objects.get_by_email(probe), 200)
    )
    report(
        "EmailAddress lookup email__iexact (encrypted)",
        timed(lambda: EmailAddress.objects.filter(email__iexact=probe).first(), 200),
    )

    store = SessionStore()
    store["account_authentication_methods"] = [{"method": "password", "at": time.time(), "email": probe}]
    store.save()
    key = store.session_key
    report("encrypted session load", timed(lambda: SessionStore(key).load(), 500))


if __name__ == "__main__":
    main()
