"""Must-shows: a fully populated account's export holds every declared exported field and nobody
else's data; its erasure leaves none of its personal data in any table or stored file."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, models

from tests.privacy.populate import owned_rows, populate_everything
from videocall.audit.models import AuditEvent
from videocall.core.crypto import decrypt_bytes, decrypt_text, is_encrypted
from videocall.core.crypto.storage import FILE_AAD
from videocall.core.datamap import data_map
from videocall.privacy.archive import build_archive
from videocall.privacy.models import Disclosure
from videocall.privacy.services import account_erase

pytestmark = pytest.mark.django_db


def _archive(user: Any) -> tuple[str, list[bytes], zipfile.ZipFile]:
    buffer = io.BytesIO()
    build_archive(user, buffer)
    zf = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    text, blobs = [], []
    for name in zf.namelist():
        data = zf.read(name)
        if name.startswith("files/"):
            blobs.append(data)
        else:
            text.append(data.decode("utf-8"))
    return "\n".join(text), blobs, zf


def _marked_strings(made: dict[str, list[models.Model]], mark: str) -> set[str]:
    """The personal text values the populated rows hold (only those carrying the mark)."""
    found: set[str] = set()
    for label, rows in made.items():
        decl = data_map.models.get(label)
        if decl is None:
            continue
        for row in rows:
            for name in decl.personal:
                value = getattr(row, name, None)
                if isinstance(value, dict):
                    value = json.dumps(value)
                if isinstance(value, str) and mark in value:
                    found.add(value)
    return found


@pytest.fixture
def alice_and_bob(make_user: Any) -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
    alice = make_user("alicemark@example.org")
    bob = make_user("bobmark@example.org")
    return alice, bob, populate_everything(alice, "alicemark"), populate_everything(bob, "bobmark")


def test_export_holds_every_declared_exported_field_and_no_one_else(alice_and_bob: Any) -> None:
    alice, _bob, _made_a, made_b = alice_and_bob
    text, blobs, zf = _archive(alice)
    assert "README.md" in zf.namelist() and "schema.json" in zf.namelist()
    schema = json.loads(zf.read("schema.json"))
    assert schema["schema_version"] == "1.0"
    missing: list[str] = []
    checked = 0
    for decl, name, fdecl in data_map.personal_fields():
        if not fdecl.exported or not decl.owner_path:
            continue
        rows = owned_rows(decl, alice)
        assert rows, f"{decl.model._meta.label_lower} has no row for the populated user"
        field = decl.model._meta.get_field(name)
        for row in rows:
            value = getattr(row, name)
            checked += 1
            if isinstance(field, models.FileField):
                with value.open("rb") as handle:
                    content = handle.read()
                if content not in blobs:
                    missing.append(f"{decl.model._meta.label_lower}.{name} (file)")
            elif isinstance(value, str) and value:
                if json.dumps(value)[1:-1] not in text:
                    missing.append(f"{decl.model._meta.label_lower}.{name}")
            elif f'"{name}":' not in text:
                missing.append(f"{decl.model._meta.label_lower}.{name} (key)")
    assert checked > 20
    assert missing == [], f"exported fields missing from the archive: {missing}"
    leaked = [value for value in _marked_strings(made_b, "bobmark") if value in text]
    assert leaked == [], f"another user's data in the export: {leaked}"
    assert "bobmark" not in text
    readme = zf.read("README.md").decode()
    assert "Purposes:" in readme and "Retention:" in readme and "Recipients:" in readme


def _raw_scan(needles: set[str]) -> list[str]:
    """Every table, every column, read raw; encrypted values decrypted with their field's key."""
    hits: list[str] = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        columns = {f.column: f for f in model._meta.concrete_fields}
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table name from the model registry, quoted
            names = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, raw in zip(names, row, strict=True):
                    if raw is None:
                        continue
                    value = (
                        raw.decode("utf-8", "replace") if isinstance(raw, bytes | memoryview) else str(raw)
                    )
                    field = columns.get(column)
                    decoded = value
                    if field is not None and getattr(field, "encrypted", False):
                        cipher = value.partition("$")[2] if "$v1:" in value else value
                        if is_encrypted(cipher):
                            decoded = decrypt_text(cipher, field.aad)
                    hits.extend(
                        f"{table}.{column}" for needle in needles if needle in value or needle in decoded
                    )
    return hits


def _file_scan(needles: set[str], raw_needles: list[bytes]) -> list[str]:
    hits = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        for name in files:
            data = Path(root, name).read_bytes()
            plain = data
            if data.startswith(b"VCE1"):
                plain = decrypt_bytes(data, FILE_AAD)
            elif data.startswith(b"VCS1"):
                hits.append(f"{name}: export archive left behind")
            if any(n.encode() in plain for n in needles) or any(r == plain for r in raw_needles):
                hits.append(name)
    return hits


def test_erasure_leaves_no_personal_data_anywhere(
    alice_and_bob: Any, django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    from videocall.core.permissions import Role

    alice, bob, made_a, made_b = alice_and_bob
    officer = get_user_model().objects.create_user(email="officer@example.org", password="x" * 12)
    officer.set_roles([Role.PRIVACY_OFFICER])
    # Another person's record that points at Alice: it must survive, showing the tombstone.
    disclosure = Disclosure.objects.create(
        user=alice, authority="Court", legal_basis="Order 1", disclosed="metadata", recorded_by=officer
    )
    client.force_login(alice)
    needles = _marked_strings(made_a, "alicemark") | {alice.email, "alicemark-first", "alicemark-last"}
    ips = {
        str(getattr(row, f.name))
        for label, rows in made_a.items()
        for row in rows
        for f in row._meta.concrete_fields
        if isinstance(f, models.GenericIPAddressField) or f.name in ("ip", "ip_address")
    }
    needles |= ips
    with alice.avatar.open("rb") as handle:
        avatar_bytes = handle.read()
    assert _raw_scan(needles), "the scan must find the data before erasure"
    address = alice.email
    with django_capture_on_commit_callbacks(execute=True):
        counts = account_erase(actor=alice, user=alice, reason="self_service")
    assert counts
    assert [m.to for m in mail.outbox if "deleted" in m.subject.lower()] == [[address]]
    assert _raw_scan(needles) == []
    assert _file_scan(needles, [avatar_bytes]) == []
    alice.refresh_from_db()
    assert alice.is_deleted and not alice.is_active and not alice.has_usable_password()
    assert alice.display_name == "Deleted user"
    disclosure.refresh_from_db()
    assert disclosure.user.display_name == "Deleted user"
    # Every kept record of someone else that references the erased user shows the tombstone.
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model is user_model
                and model is not user_model
            ):
                for row in model._default_manager.filter(**{field.name: alice.pk})[:5]:
                    assert getattr(row, field.name).display_name == "Deleted user"
    # Sessions are gone: the signed-in client is signed out.
    assert client.get("/privacy/settings/").status_code == 302
    event = AuditEvent.objects.filter(action="privacy.account_erased").get()
    assert not any(n in json.dumps(event.metadata) for n in needles)
    # Bob is untouched.
    assert (
        _marked_strings(made_b, "bobmark")
        and get_user_model().objects.get(pk=bob.pk).first_name == "bobmark-first"
    )


def test_legal_hold_keeps_only_what_it_names(alice_and_bob: Any) -> None:
    from videocall.core.permissions import Role
    from videocall.notifications.models import Notification
    from videocall.privacy.services import legal_hold_set

    alice, *_ = alice_and_bob
    officer = get_user_model().objects.create_user(email="officer@example.org", password="x" * 12)
    officer.set_roles([Role.PRIVACY_OFFICER])
    legal_hold_set(
        actor=officer,
        user=alice,
        categories=["communications"],
        reason="court order 12",
        review_at="2030-01-01",
    )
    before = Notification.objects.filter(user=alice).count()
    account_erase(actor=officer, user=alice, reason="privacy_request")
    assert Notification.objects.filter(user=alice).count() == before > 0
    alice.refresh_from_db()
    assert alice.first_name == "" and alice.is_deleted
