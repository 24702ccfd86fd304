from pathlib import Path

from videocall.core.management.commands.export_openapi import current_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_openapi_document_is_current():
    """The API's contract changes only on purpose: regenerate with `videocall export-openapi`."""
    assert DOC.read_text(encoding="utf-8") == current_schema(), (
        "docs/openapi.json is stale: run `videocall export-openapi`"
    )
