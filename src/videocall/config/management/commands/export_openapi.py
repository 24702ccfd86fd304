from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from videocall.config.api import api


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
        path = Path(opts["output"])
        schema = current_schema()
        if opts["check"]:
            if not path.exists() or path.read_text(encoding="utf-8") != schema:
                raise CommandError(f"{path} is out of date: run `videocall export-openapi`")
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(schema, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
