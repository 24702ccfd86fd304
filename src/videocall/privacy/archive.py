"""Building the "Download my data" archive: a streamed ZIP of JSON (and CSV for tables) per category.

Every registered exporter contributes :class:`ExportSection` objects; every other model of the data map
that names an owner and has exported fields is walked generically, so a new model is exported as soon
as it is declared. Rows are iterated in chunks and written straight into the ZIP on a temporary file,
so memory does not grow with the size of the account.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import StreamingHttpResponse
from django.utils import timezone

from videocall.core.csvsafe import SafeDictWriter
from videocall.core.datamap import (
    CATEGORY_LABELS,
    LEGAL_BASIS_LABELS,
    PURPOSE_LABELS,
    Category,
    ExportSection,
    ModelDecl,
    data_map,
    export_is_covered,
    exporters,
)

SCHEMA_VERSION = "1.0"
CHUNK_ROWS = 2000


def _encode(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def _cell(value: Any) -> Any:
    return _encode(value) if isinstance(value, dict | list) else value


def _section_category(decl: ModelDecl, fields: list[str]) -> Category:
    counts: dict[Category, int] = {}
    for name in fields:
        category = decl.personal[name].category
        counts[category] = counts.get(category, 0) + 1
    return max(counts.items(), key=lambda item: item[1])[0]


def _generic_rows(decl: ModelDecl, fields: list[str], user: Any) -> Iterator[dict[str, Any]]:
    model = decl.model
    manager = model._default_manager
    queryset = manager.filter(**{decl.owner_path or "user": user.pk}).order_by("pk")
    for row in queryset.values("pk", *fields).iterator(chunk_size=CHUNK_ROWS):
        row["id"] = row.pop("pk")
        yield row


def _generic_files(decl: ModelDecl, file_fields: list[str], user: Any) -> Iterator[tuple[str, bytes]]:
    queryset = decl.model._default_manager.filter(**{decl.owner_path or "user": user.pk}).order_by("pk")
    for obj in queryset.only("pk", *file_fields).iterator(chunk_size=100):
        for name in file_fields:
            stored = getattr(obj, name)
            if stored and stored.name:
                with stored.open("rb") as handle:
                    data = handle.read()
                yield f"{decl.model._meta.label_lower}/{obj.pk}-{name}{_suffix(stored.name)}", data


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot > name.rfind("/") else ""


def generic_sections(user: Any) -> Iterator[ExportSection]:
    for label, decl in sorted(data_map.models.items()):
        if export_is_covered(label) or not decl.owner_path:
            continue
        fields = [name for name, fdecl in decl.personal.items() if fdecl.exported]
        if not fields:
            continue
        file_fields = [
            name for name in fields if isinstance(decl.model._meta.get_field(name), models.FileField)
        ]
        yield ExportSection(
            name=label.replace(".", "_"),
            category=_section_category(decl, fields),
            description=str(decl.model._meta.verbose_name_plural).capitalize(),
            rows=_generic_rows(decl, fields, user),
            files=_generic_files(decl, file_fields, user) if file_fields else (),
        )


def all_sections(user: Any) -> Iterator[ExportSection]:
    for _name, exporter in sorted(exporters().items()):
        yield from exporter(user)
    yield from generic_sections(user)


def category_facts() -> dict[Category, dict[str, Any]]:
    """Per category: purposes, legal bases, recipients and retention, from the data map."""
    facts: dict[Category, dict[str, Any]] = {}
    for category, entries in data_map.by_category().items():
        purposes: set[Any] = set()
        bases: set[Any] = set()
        recipients: set[str] = set()
        retention: set[str] = set()
        for _label, fdecl in entries:
            purposes.update(fdecl.purposes)
            bases.add(fdecl.basis)
            recipients.update(fdecl.recipients)
            retention.add(fdecl.retention)
        facts[category] = {
            "label": str(CATEGORY_LABELS[category]),
            "purposes": sorted(str(PURPOSE_LABELS[p]) for p in purposes),
            "legal_bases": sorted(str(LEGAL_BASIS_LABELS[b]) for b in bases),
            "recipients": sorted(recipients),
            "retention": sorted(retention_text(key) for key in retention),
        }
    return facts


def retention_text(key: str) -> str:
    days = settings.RETENTION_DAYS.get(key, 0)
    if not days:
        return "kept until you delete your account"
    return f"{days} days ({key.replace('_', ' ')})"


def _readme(files: list[dict[str, Any]], facts: dict[Category, dict[str, Any]], user: Any) -> str:
    lines = [
        f"# Your data at {settings.VIDEOCALL_SITE_NAME}",
        "",
        f"Archive schema version {SCHEMA_VERSION}, generated {timezone.now().isoformat(timespec='seconds')}.",
        "Each data category is one JSON file (an object mapping section names to arrays of records);",
        "tabular sections are also given as CSV. Files such as your profile picture are under files/.",
        "`schema.json` lists every file, its section, category and format.",
        "",
        "## Files",
    ]
    lines += [f"- `{f['path']}`: {f['description']} ({f['category']}, {f['format']})" for f in files]
    lines += ["", "## Categories: purposes, legal bases, recipients and retention", ""]
    for category, fact in sorted(facts.items()):
        lines += [
            f"### {fact['label']} (`{category.value}`)",
            f"- Purposes: {'; '.join(fact['purposes'])}",
            f"- Legal bases: {'; '.join(fact['legal_bases'])}",
            f"- Recipients: {'; '.join(fact['recipients']) or 'none outside VideoCall Network'}",
            f"- Retention: {'; '.join(fact['retention'])}",
            "",
        ]
    lines += [
        "## Your rights",
        f"Questions or requests: {settings.VIDEOCALL_PRIVACY_CONTACT}. You may also complain to a supervisory "
        f"authority: {settings.VIDEOCALL_PRIVACY_AUTHORITY_URL}",
        "",
    ]
    return "\n".join(lines)


class _Counter:
    def __init__(self) -> None:
        self.rows = 0


def _write_category(
    zf: Any, category: Category, sections: list[ExportSection], counter: _Counter
) -> Iterator[dict[str, Any]]:
    """Write ``<category>.json`` incrementally; CSV copies go to temporary files, added afterwards."""
    csv_parts: list[tuple[ExportSection, IO[bytes], int]] = []
    entries: list[dict[str, Any]] = []
    path = f"{category.value}.json"
    with zf.open(path, "w", force_zip64=True) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        out.write("{")
        for s_index, section in enumerate(sections):
            out.write(("," if s_index else "") + "\n  " + _encode(section.name) + ": [")
            spool: IO[bytes] | None = tempfile.TemporaryFile() if section.tabular else None  # noqa: SIM115
            text_spool = io.TextIOWrapper(spool, encoding="utf-8", newline="") if spool is not None else None
            writer: SafeDictWriter | None = None
            count = 0
            for row in section.rows:
                out.write(("," if count else "") + "\n    " + _encode(row))
                if text_spool is not None:
                    if writer is None:
                        writer = SafeDictWriter(text_spool, fieldnames=list(row), extrasaction="ignore")
                        writer.writeheader()
                    writer.writerow({k: _cell(v) for k, v in row.items()})
                count += 1
            counter.rows += count
            out.write("\n  ]" if count else "]")
            if spool is not None and text_spool is not None:
                text_spool.flush()
                text_spool.detach()
                csv_parts.append((section, spool, count))
            entries.append(
                {
                    "path": path,
                    "section": section.name,
                    "category": category.value,
                    "description": section.description,
                    "format": "json",
                    "records": count,
                }
            )
        out.write("\n}\n")
        out.flush()
        out.detach()
    for section, spool, count in csv_parts:
        if count:
            csv_path = f"{category.value}/{section.name}.csv"
            spool.seek(0)
            with zf.open(csv_path, "w", force_zip64=True) as target:
                while block := spool.read(1024 * 256):
                    target.write(block)
            entries.append(
                {
                    "path": csv_path,
                    "section": section.name,
                    "category": category.value,
                    "description": section.description,
                    "format": "csv",
                    "records": count,
                }
            )
        spool.close()
    yield from entries


def build_archive(user: Any, target: IO[bytes]) -> dict[str, int]:
    """Write the user's archive as a ZIP into ``target``; returns counts (rows, files, sections)."""
    import zipfile

    by_category: dict[Category, list[ExportSection]] = {}
    for section in all_sections(user):
        by_category.setdefault(section.category, []).append(section)
    counter = _Counter()
    files: list[dict[str, Any]] = []
    attachments = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for category in sorted(by_category):
            sections = by_category[category]
            files.extend(_write_category(zf, category, sections, counter))
            for section in sections:
                for path, data in _iter_files(section.files):
                    zf.writestr(f"files/{path}", data)
                    attachments += 1
                    files.append(
                        {
                            "path": f"files/{path}",
                            "section": section.name,
                            "category": category.value,
                            "description": section.description,
                            "format": "binary",
                            "records": 1,
                        }
                    )
        facts = category_facts()
        zf.writestr(
            "schema.json",
            _encode(
                {
                    "schema_version": SCHEMA_VERSION,
                    "files": files,
                    "categories": {c.value: f for c, f in facts.items()},
                }
            ),
        )
        zf.writestr("README.md", _readme(files, facts, user))
    return {"rows": counter.rows, "files": attachments, "sections": sum(len(s) for s in by_category.values())}


def _iter_files(files: Iterable[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    for path, data in files:
        clean = "/".join(part for part in str(path).split("/") if part not in ("", ".", ".."))
        yield clean, data


def archive_response(chunks: Iterable[bytes]) -> StreamingHttpResponse:
    """The decrypted archive streamed as the "Download my data" file (website and API alike)."""
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="videocall-my-data.zip"'
    return response
