"""Audit trail figures: append rate, verification rate, filtered console list, CSV export rate.

Runs on a throw-away SQLite database (or DATABASE_URL if set): `.venv/bin/python bench/staff_audit.py [N]`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
workdir = tempfile.mkdtemp(prefix="vc-bench-")
os.environ.setdefault("VIDEOCALL_VAR_DIR", workdir)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocall.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

call_command("migrate", verbosity=0)

from videocall.accounts.models import User  # noqa: E402
from videocall.audit.actions import AuditAction  # noqa: E402
from videocall.audit.services import audit_record, audit_verify  # noqa: E402
from videocall.core.permissions import Role  # noqa: E402

auditor = User.objects.create_user(email="bench-auditor@example.org", password="bench passphrase 123")
auditor.set_roles([Role.AUDITOR])

ACTIONS = list(AuditAction)[:7]
started = time.perf_counter()
with transaction.atomic():
    for i in range(N):
        audit_record(actor=auditor if i % 2 else None, action=ACTIONS[i % 7], subject=("bench.thing", str(i)))
append = time.perf_counter() - started
print(f"audit_record: {N} events in {append:.2f}s ({N / append:,.0f}/s)")

started = time.perf_counter()
report = audit_verify()
verify = time.perf_counter() - started
print(
    f"audit_verify: {report.checked} events in {verify:.2f}s ({report.checked / verify:,.0f}/s), ok={report.ok}"
)

client = Client()
client.force_login(auditor)
for label in ("first", "warm"):
    started = time.perf_counter()
    response = client.get("/console/audit/auditevent/", {"action_code": "bench.action3"})
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(
        f"console list, {label} (filtered, 100 rows/page): HTTP {response.status_code} in {elapsed_ms:.0f} ms"
    )

started = time.perf_counter()
response = client.get("/console/audit/auditevent/export.csv")
rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
export = time.perf_counter() - started
print(f"CSV export: {rows} rows in {export:.2f}s ({rows / export:,.0f} rows/s)")
