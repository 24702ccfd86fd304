from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from videocall.core.datamap import data_map


def test_datamap_command_writes_every_model(tmp_path: Path) -> None:
    target = tmp_path / "data-map.md"
    call_command("datamap", output=str(target))
    text = target.read_text(encoding="utf-8")
    for label, decl in data_map.models.items():
        for name in decl.personal:
            assert f"| {label} | {name} |" in text
    call_command("datamap", output=str(target), check=True)


def test_datamap_check_fails_when_stale(tmp_path: Path) -> None:
    target = tmp_path / "data-map.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("datamap", output=str(target), check=True)
    assert target.read_text(encoding="utf-8") == "old"  # a check writes nothing


def test_committed_data_map_has_every_declared_model() -> None:
    committed = (Path(__file__).resolve().parents[2] / "docs" / "data-map.md").read_text(encoding="utf-8")
    assert "# Data map (generated)" in committed
    assert "| accounts.user | email |" in committed
