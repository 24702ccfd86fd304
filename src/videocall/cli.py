"""The ``videocall`` command: Django's management commands under friendlier names.

``videocall serve``, ``migrate``, ``createadmin``, ``worker [--beat]``, ``rotate-keys``, ``audit-verify``,
``jitsi-check``, ``check`` (with ``--deploy`` added in production) and every other Django command.
"""

from __future__ import annotations

import os
import sys

from videocall.config.env import ConfigurationError
from videocall.core.metricsdir import prepare


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocall.config.settings")
    if not args or args[0] in {"-h", "--help", "help"}:
        args = ["help"]
    command = args[0].replace("-", "_")
    rest = args[1:]
    if command == "check" and os.environ.get("VIDEOCALL_ENV") == "production" and "--deploy" not in rest:
        rest = ["--deploy", *rest]
    # Prometheus multiprocess mode: the directory must exist before Django imports the metrics, and a
    # server or worker starting up drops the files of processes that are gone (docs/operations.md).
    prepare(clean=command in {"serve", "worker"})
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["videocall", command, *rest])
    except ConfigurationError as exc:
        sys.stderr.write(f"videocall: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
