"""Encrypt the personal data django-allauth keeps in its own tables.

allauth stores ``EmailAddress.email`` and ``UserSession.ip`` / ``user_agent`` in clear text. We swap those
field objects for our encrypted fields while the model classes are being prepared (``class_prepared``
fires before any query or migration sees them), and ship the matching migrations for the ``account`` and
``usersessions`` apps through ``MIGRATION_MODULES``. See docs/decisions/0002-encrypting-allauth-tables.md.

``EmailAddress.email`` becomes an :class:`EncryptedSearchableTextField`: its ``exact``/``iexact``/``in``
lookups go through the HMAC blind index, so allauth's own queries keep working. Uniqueness is enforced on
the blind-index prefix of the column (the ciphertext differs on every write).
"""

from __future__ import annotations

from typing import Any

from videocall.core.crypto import blind_index, encrypt_text, is_encrypted
from videocall.core.crypto.fields import EncryptedSearchableTextField, EncryptedTextField

SEARCHABLE_INDEX_LENGTH = 64  # hex HMAC-SHA256 before the "$" separator


def _replace_field(model: Any, name: str, new: Any) -> None:
    old = model._meta.get_field(name)
    new.creation_counter = old.creation_counter
    model._meta.local_fields.remove(old)
    new.contribute_to_class(model, name)
    model._meta._expire_cache()


def _email_address(model: Any) -> None:
    from django.db.models import F, Q, UniqueConstraint
    from django.db.models.functions import Substr
    from django.utils.translation import gettext_lazy as _

    _replace_field(model, "email", EncryptedSearchableTextField(_("email address"), db_index=True))
    index = Substr("email", 1, SEARCHABLE_INDEX_LENGTH)
    constraints = [
        c for c in model._meta.constraints if c.name not in {"unique_verified_email", "unique_user_email"}
    ]
    constraints.append(UniqueConstraint(F("user"), index, name="unique_user_email"))
    constraints.append(UniqueConstraint(index, name="unique_verified_email", condition=Q(verified=True)))
    model._meta.constraints = constraints
    model._meta.original_attrs["constraints"] = constraints
    model._meta.unique_together = ()
    model._meta.original_attrs["unique_together"] = ()


def _user_session(model: Any) -> None:
    _replace_field(model, "ip", EncryptedTextField("IP address"))
    from allauth.core.internal.httpkit import HTTP_USER_AGENT_MAX_LENGTH

    _replace_field(
        model, "user_agent", EncryptedTextField("user agent", max_length=HTTP_USER_AGENT_MAX_LENGTH)
    )


# Keyed by the defining module too: migration state renders "fake" historical classes that must keep
# the fields their migration describes.
_SWAPS = {
    ("allauth.account.models", "EmailAddress"): _email_address,
    ("allauth.usersessions.models", "UserSession"): _user_session,
}


def on_class_prepared(sender: Any, **kwargs: Any) -> None:
    swap = _SWAPS.get((sender.__module__, sender.__name__))
    if swap is not None and not getattr(sender._meta, "_videocall_encrypted", False):
        swap(sender)
        sender._meta._videocall_encrypted = True


def install() -> None:
    from django.db.models.signals import class_prepared

    class_prepared.connect(on_class_prepared, dispatch_uid="videocall.accounts.allauth_fields")


def encrypt_column(
    schema_editor: Any, table: str, column: str, label: str, *, searchable: bool = False
) -> None:
    """Migration helper: encrypt the clear values already in ``table.column`` (rows written before the
    swap). Values already encrypted are left alone, so the migration can be re-run safely."""
    aad = f"{label}.{column}"
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {quote(column)} FROM {quote(table)}")  # noqa: S608 - fixed names
        rows = cursor.fetchall()
        for pk, value in rows:
            text = str(value or "")
            if not text or is_encrypted(text) or (searchable and "$v1:" in text):
                continue
            stored = encrypt_text(text, aad)
            if searchable:
                stored = f"{blind_index(text)}${stored}"
            cursor.execute(
                f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608 - fixed names
                [stored, pk],
            )
