"""Export and erasure of one large account: wall time and peak memory, on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vc_privacy_bench .venv/bin/python bench/privacy_bench.py

The script migrates the database, creates one account and fills every exported model of the data map
that names an owner. Models whose label mentions "meeting" get ``--meetings`` rows (10,000) and models
that look like an access log get ``--access-log`` rows (100,000). When the branch has no such models
yet, the same volumes go into stand-ins that exist everywhere (notifications for meetings, allauth
user sessions with IP and user agent for the access log); the output names which tables were used.
Export and erasure each run in a child process: the figures are that process's wall time, Python heap
peak (tracemalloc) and resident peak (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocall.config.settings")


def _setup() -> None:
    import django

    django.setup()


def _targets(meetings: int, access_log: int) -> dict[str, int]:
    from videocall.core.datamap import data_map

    counts: dict[str, int] = {}
    for label, decl in data_map.models.items():
        if not decl.owner_path or "__" in decl.owner_path or label == "accounts.user":
            continue
        if not any(f.exported for f in decl.personal.values()):
            continue
        name = label.split(".", 1)[1]
        if "meeting" in name:
            counts[label] = meetings
        elif "access" in name or name in ("requestlog", "accesslog"):
            counts[label] = access_log
        else:
            counts[label] = 1
    if not any("meeting" in label for label in counts):
        counts["notifications.notification"] = meetings
    if not any(n >= access_log for n in counts.values()):
        counts["usersessions.usersession"] = access_log
    return counts


def _row(model: Any, user: Any, index: int) -> Any:
    from django.db import models
    from tests.privacy.populate import _value

    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key and (field.auto_created or field.has_default()):
            continue
        if isinstance(field, models.FileField):
            continue
        if isinstance(field, models.ForeignKey) and field.related_model is type(user):
            values[field.name] = user
            continue
        value = _value(field, model, user, f"bench{index}", 0)
        values[field.name] = value
    return model(**values)


def fill(meetings: int, access_log: int) -> int:
    from django.core.management import call_command

    _setup()
    call_command("migrate", verbosity=0)
    from videocall.accounts.models import User
    from videocall.core.datamap import data_map

    user = User.objects.create_user(
        email=f"bench-{time.time_ns()}@example.org", password=None, first_name="Bench"
    )
    plan = _targets(meetings, access_log)
    for label, count in sorted(plan.items()):
        model = data_map.models[label].model
        batch: list[Any] = []
        for index in range(count):
            batch.append(_row(model, user, index))
            if len(batch) == 2000:
                model._default_manager.bulk_create(batch)
                batch = []
        if batch:
            model._default_manager.bulk_create(batch)
    print(json.dumps({"user": user.pk, "rows": plan}))
    return user.pk


def _rss_now_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def run_phase(phase: str, user_id: int, heap: bool) -> None:
    _setup()
    from django.urls import reverse

    from videocall.accounts.models import User

    user = User.objects.get(pk=user_id)
    reverse("home")  # load the URL configuration before timing (a worker has it loaded already)
    rss_before = _rss_now_mib()
    if heap:
        tracemalloc.start()
    started = time.perf_counter()
    result: dict[str, Any] = {}
    if phase == "export":
        from videocall.privacy.exports import export_build_now
        from videocall.privacy.models import DataExport

        export = DataExport.objects.create(user=user)
        built = export_build_now(export_id=str(export.pk))
        result = {"bytes_encrypted": built.size_bytes if built else 0}
    else:
        from videocall.privacy.services import account_erase

        counts = account_erase(actor=None, user=user, reason="staff", notify_user=False)
        result = {"rows_erased": sum(counts.values())}
    seconds = time.perf_counter() - started
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures: dict[str, Any] = {
        "phase": phase,
        "seconds": round(seconds, 2),
        "rss_before_mib": rss_before,
        "rss_peak_mib": round(rss_kib / 1024, 1),
        **result,
    }
    if heap:
        figures["python_heap_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=10_000)
    parser.add_argument("--access-log", type=int, default=100_000)
    parser.add_argument("--phase", choices=["export", "erase"])
    parser.add_argument("--user", type=int)
    parser.add_argument(
        "--heap", action="store_true", help="also trace the Python heap peak (tracemalloc; slows the run)"
    )
    args = parser.parse_args()
    if args.phase:
        run_phase(args.phase, args.user, args.heap)
        return
    started = time.perf_counter()
    user_id = fill(args.meetings, args.access_log)
    print(json.dumps({"fill_seconds": round(time.perf_counter() - started, 1)}))
    from django.db import connection

    print(json.dumps({"database": connection.vendor}))
    for phase in ("export", "erase"):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--phase",
                phase,
                "--user",
                str(user_id),
                *(["--heap"] if args.heap else []),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
