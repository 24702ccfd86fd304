"""Prometheus multiprocess mode: the directory every process writes its metric values to.

With ``PROMETHEUS_MULTIPROC_DIR`` set, prometheus_client keeps each process's counters in
``<dir>/<kind>_<pid>.db`` and ``/metrics`` adds up every file there, so one scrape sees every gunicorn
worker and every Celery pool process on the machine. The directory must exist before prometheus_client
creates its first metric, so ``videocall`` prepares it before Django starts (:func:`prepare`), and
files left by processes of an earlier run must go at start, or their counts would be added forever.

Cleaning removes only the files of processes that are no longer running: ``videocall serve`` and
``videocall worker`` share one directory, and neither may wipe the live files of the other. This
module imports nothing of prometheus_client on purpose.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ENV = "PROMETHEUS_MULTIPROC_DIR"
_FILE = re.compile(r"^[a-z_]+_(\d+)\.db$")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def prepare(*, clean: bool) -> Path | None:
    """Create the multiprocess directory (when ``PROMETHEUS_MULTIPROC_DIR`` is set) and, with ``clean``,
    delete the metric files of processes that are not running. Returns the directory, or ``None``."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return None
    path = Path(raw)
    path.mkdir(parents=True, exist_ok=True)
    if clean:
        for file in path.glob("*.db"):
            match = _FILE.match(file.name)
            if match is None or not _running(int(match.group(1))):
                file.unlink(missing_ok=True)
    return path
