"""Re-encryption of every encrypted column and file under the active key, in batches."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import FileField, Model

from videocall.core.crypto.fields import EncryptedSearchableTextField, encrypted_fields
from videocall.core.crypto.keyring import decrypt_bytes, encrypt_bytes, get_keyring, key_id_of
from videocall.core.crypto.storage import FILE_AAD, EncryptedStorage


def _stored_key_id(field: object, raw: str) -> str:
    if isinstance(field, EncryptedSearchableTextField):
        raw = raw.partition(field.separator)[2]
    return key_id_of(raw)


def rotate_model(model: type[Model], *, batch_size: int = 500) -> tuple[int, int]:
    """Re-save rows whose stored values are under an older key. Returns (values checked, re-encrypted)."""
    fields = encrypted_fields(model)
    if not fields:
        return 0, 0
    active = get_keyring().active_id
    checked = rotated = 0
    last_pk = None
    while True:
        # Raw stored values: .values() still runs from_db_value, so read ciphertext through a raw cursor.
        qs = model._default_manager.order_by("pk")
        if last_pk is not None:
            qs = qs.filter(pk__gt=last_pk)
        pks = list(qs.values_list("pk", flat=True)[:batch_size])
        if not pks:
            return checked, rotated
        table = model._meta.db_table
        pk_col = str(model._meta.pk.column)
        from django.db import connection

        cols = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        placeholders = ", ".join(["%s"] * len(pks))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {connection.ops.quote_name(pk_col)}, {cols} FROM {connection.ops.quote_name(table)} "  # noqa: S608 - identifiers quoted, values bound
                f"WHERE {connection.ops.quote_name(pk_col)} IN ({placeholders})",
                pks,
            )
            rows = cursor.fetchall()
            for row in rows:
                pk, raws = row[0], row[1:]
                stale = []
                for field, raw in zip(fields, raws, strict=True):
                    if not raw:
                        continue
                    checked += 1
                    if _stored_key_id(field, raw) != active:
                        stale.append(field)
                if stale:
                    obj = model._default_manager.get(pk=pk)
                    model._default_manager.filter(pk=pk).update(
                        **{f.attname: getattr(obj, f.attname) for f in stale}
                    )
                    rotated += len(stale)
        last_pk = pks[-1]


def rotate_files(*, batch_size: int = 500) -> tuple[int, int]:
    """Re-encrypt stored files of every FileField that uses the encrypted storage."""
    active = get_keyring().active_id
    checked = rotated = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, FileField) or not isinstance(field.storage, EncryptedStorage):
                continue
            storage = field.storage
            names = (
                model._default_manager.exclude(**{field.attname: ""})
                .exclude(**{f"{field.attname}__isnull": True})
                .values_list(field.attname, flat=True)
                .iterator(chunk_size=batch_size)
            )
            for name in names:
                if not storage.exists(name):
                    continue
                checked += 1
                raw = storage.read_raw(name)
                if key_id_of(raw) == active:
                    continue
                storage.write_raw(name, encrypt_bytes(decrypt_bytes(raw, FILE_AAD), FILE_AAD))
                rotated += 1
    return checked, rotated


def rotate_all(*, batch_size: int = 500) -> dict[str, tuple[int, int]]:
    report: dict[str, tuple[int, int]] = {}
    for model in apps.get_models():
        if encrypted_fields(model):
            report[model._meta.label_lower] = rotate_model(model, batch_size=batch_size)
    report["files"] = rotate_files(batch_size=batch_size)
    return report
