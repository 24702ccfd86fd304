from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from videocall.config.api import api
from videocall.core.generated import write_generated


def current_schema() -> str:
    # A first round trip turns integer keys (status codes) into strings, so the keys can be sorted.
    schema = json.loads(json.dumps(api.get_openapi_schema()))
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the API's OpenAPI document to docs/openapi.json (--check: fail when it differs)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default="docs/openapi.json")
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(
            write_generated(
                Path(opts["output"]),
                current_schema(),
                check=opts["check"],
                command="videocall export-openapi",
            )
        )
