from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from videocall.core.crypto.rotation import rotate_all


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column and file with the newest key in VIDEOCALL_DATA_KEYS."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **opts: Any) -> None:
        report = rotate_all(batch_size=opts["batch_size"])
        for target, (checked, rotated) in sorted(report.items()):
            self.stdout.write(f"{target}: {rotated} re-encrypted of {checked}")
        total = sum(rotated for _checked, rotated in report.values())
        self.stdout.write(self.style.SUCCESS(f"Done: {total} values now under the active key."))
