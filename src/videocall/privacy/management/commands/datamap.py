from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from videocall.privacy.records import data_map_markdown


class Command(BaseCommand):
    help = "Write the generated data map (docs/data-map.md) from every app's privacy.py declarations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="docs/data-map.md")
        parser.add_argument("--check", action="store_true", help="fail if the file is out of date")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["output"])
        text = data_map_markdown()
        if options["check"]:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                raise SystemExit(f"{target} is out of date; run `videocall datamap`")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {target}")
