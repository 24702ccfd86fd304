"""Model fields whose values are encrypted before they reach the database."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from videocall.core.crypto.keyring import blind_index, decrypt_text, encrypt_text, is_encrypted


class EncryptedFieldMixin:
    """AES-GCM encryption with the model and field bound in as associated data."""

    encrypted = True
    name: str
    model: type[models.Model]

    @property
    def aad(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def _serialise(self, value: Any) -> str:
        return str(value)

    def _deserialise(self, text: str) -> Any:
        return text

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return self._deserialise(decrypt_text(value, self.aad))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and is_encrypted(value):
            return self._deserialise(decrypt_text(value, self.aad))
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if value == "" and not isinstance(self, EncryptedJSONField):
            return ""
        return encrypt_text(self._serialise(value), self.aad)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        return self.get_prep_value(value)


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    description = "Text encrypted at rest with AES-256-GCM"

    def get_internal_type(self) -> str:
        return "TextField"


class EncryptedJSONField(EncryptedFieldMixin, models.TextField):
    description = "JSON encrypted at rest with AES-256-GCM"

    def _serialise(self, value: Any) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"), sort_keys=True)

    def _deserialise(self, text: str) -> Any:
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and is_encrypted(value):
            return self._deserialise(decrypt_text(value, self.aad))
        return value

    def value_to_string(self, obj: models.Model) -> str:
        return self._serialise(self.value_from_object(obj))

    def get_internal_type(self) -> str:
        return "TextField"


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]


class EncryptedSearchableTextField(EncryptedTextField):
    """Encrypted text that still answers exact (case-insensitive, normalised) lookups.

    Stored as ``<blind index>$v1:<key id>:<ciphertext>``. ``exact``, ``iexact`` and ``in`` lookups
    are rewritten to a prefix match on the HMAC blind index, so code that filters by email (ours
    and django-allauth's) works unchanged while the database never holds the address itself.
    """

    description = "Encrypted text with an HMAC blind index for exact lookups"
    separator = "$"

    def __init__(self, *args: Any, index_purpose: str = "email", **kwargs: Any) -> None:
        self.index_purpose = index_purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.index_purpose != "email":
            kwargs["index_purpose"] = self.index_purpose
        return name, path, args, kwargs

    def index_of(self, value: str) -> str:
        return blind_index(value, purpose=self.index_purpose)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        _index, _sep, ciphertext = value.partition(self.separator)
        return decrypt_text(ciphertext, self.aad)

    def to_python(self, value: Any) -> Any:
        if (
            isinstance(value, str)
            and self.separator in value
            and is_encrypted(value.partition(self.separator)[2])
        ):
            return decrypt_text(value.partition(self.separator)[2], self.aad)
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if value == "":
            return ""
        text = str(value)
        return f"{self.index_of(text)}{self.separator}{encrypt_text(text, self.aad)}"


INDEX_LENGTH = 64  # hex characters of the HMAC-SHA256 blind index at the start of the stored value


def blind_index_expression(column_sql: str, vendor: str) -> str:
    """The SQL of the stored value's index prefix, written exactly as Django renders
    ``Substr(field, 1, 64)`` so that an expression index on it (see ``blind_index_db_index``) is used."""
    function = "SUBSTRING" if vendor == "postgresql" else "SUBSTR"
    return f"{function}({column_sql}, 1, {INDEX_LENGTH})"


def blind_index_db_index(field_name: str, name: str) -> models.Index:
    """An expression index that makes exact lookups on an encrypted searchable field use an index."""
    from django.db.models.functions import Substr

    return models.Index(Substr(field_name, 1, INDEX_LENGTH), name=name)


class _BlindIndexLookup(models.Lookup):
    prepare_rhs = False
    can_use_none_as_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> Any:
        return ("%s", [value])

    def _index(self, value: Any) -> str:
        return str(self.lhs.output_field.index_of(str(value)))


class BlindIndexExact(_BlindIndexLookup):
    lookup_name = "exact"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{blind_index_expression(lhs, connection.vendor)} = %s", (*lhs_params, self._index(self.rhs))


class BlindIndexIExact(BlindIndexExact):
    lookup_name = "iexact"


class BlindIndexIn(_BlindIndexLookup):
    lookup_name = "in"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [v for v in self.rhs if v is not None]
        if not values:
            return "1 = 0", ()
        placeholders = ", ".join(["%s"] * len(values))
        return (
            f"{blind_index_expression(lhs, connection.vendor)} IN ({placeholders})",
            (*lhs_params, *[self._index(v) for v in values]),
        )


EncryptedSearchableTextField.register_lookup(BlindIndexExact)
EncryptedSearchableTextField.register_lookup(BlindIndexIExact)
EncryptedSearchableTextField.register_lookup(BlindIndexIn)
