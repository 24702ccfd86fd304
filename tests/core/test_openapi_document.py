import json
from pathlib import Path

from videocall.config.management.commands.export_openapi import current_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_openapi_document_is_current():
    """The API's contract changes only on purpose: regenerate with `videocall export-openapi`."""
    assert DOC.read_text(encoding="utf-8") == current_schema(), (
        "docs/openapi.json is stale: run `videocall export-openapi`"
    )


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def test_schema_names_are_unique():
    """django-ninja names an OpenAPI component after its Schema class: two different classes with the
    same name silently share one component, so responses are documented (and validated by clients)
    against the wrong schema."""
    from ninja import Schema

    current_schema()  # imports every app's API and schemas
    by_name: dict[str, list[type]] = {}
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("videocall."):
            by_name.setdefault(cls.__name__, []).append(cls)
    clashes = [
        f"{name}: {', '.join(c.__module__ for c in classes)}"
        for name, classes in sorted(by_name.items())
        if len({json.dumps(c.model_json_schema(), sort_keys=True) for c in classes}) > 1
    ]
    assert clashes == [], clashes
