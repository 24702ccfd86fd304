"""Documents generated from the code (``docs/openapi.json``, ``docs/data-map.md``): one rule for
writing them and for checking that the committed copy is current (``--check``, run by CI)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError


def write_generated(target: Path, text: str, *, check: bool, command: str) -> str:
    """Write ``text`` to ``target``; with ``check``, write nothing and fail (:class:`CommandError`,
    exit status 1) when the file differs, naming the ``command`` that regenerates it. Returns the line
    the management command prints."""
    if check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            raise CommandError(f"{target} is out of date: run `{command}`")
        return f"{target} is up to date."
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return f"Wrote {target}."
