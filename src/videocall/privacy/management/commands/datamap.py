from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from videocall.core.generated import write_generated
from videocall.privacy.records import data_map_markdown


class Command(BaseCommand):
    help = "Write the generated data map (docs/data-map.md) from every app's privacy.py declarations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="docs/data-map.md")
        parser.add_argument("--check", action="store_true", help="fail if the file is out of date")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(
            write_generated(
                Path(options["output"]),
                data_map_markdown(),
                check=options["check"],
                command="videocall datamap",
            )
        )
