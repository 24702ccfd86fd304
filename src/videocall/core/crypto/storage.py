"""A storage wrapper that encrypts uploaded files before the configured storage keeps them."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible

from videocall.core.crypto.keyring import decrypt_bytes, encrypt_bytes

FILE_AAD = "videocall.file"


@deconstructible
class EncryptedStorage(Storage):
    """Delegates to ``STORAGES['default']`` (local disk or S3) and stores only ciphertext there."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix

    @property
    def inner(self) -> Storage:
        return storages["default"]

    def _open(self, name: str, mode: str = "rb") -> File:
        with self.inner.open(name, "rb") as handle:
            data = handle.read()
        return ContentFile(decrypt_bytes(data, FILE_AAD), name=name)

    def _save(self, name: str, content: Any) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        plaintext = content.read()
        if isinstance(plaintext, str):
            plaintext = plaintext.encode("utf-8")
        return self.inner.save(name, ContentFile(encrypt_bytes(plaintext, FILE_AAD)))

    def read_raw(self, name: str) -> bytes:
        with self.inner.open(name, "rb") as handle:
            return handle.read()

    def write_raw(self, name: str, data: bytes) -> None:
        """Replace a stored ciphertext in place (used by key rotation)."""
        self.inner.delete(name)
        self.inner.save(name, ContentFile(data))

    def delete(self, name: str) -> None:
        self.inner.delete(name)

    def exists(self, name: str) -> bool:
        return self.inner.exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.inner.listdir(path)

    def size(self, name: str) -> int:
        return self.inner.size(name)

    def url(self, name: str | None) -> str:
        # Encrypted files are served only through permission-checked views, never by URL.
        return ""

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.inner.get_available_name(name, max_length=max_length)


encrypted_storage = EncryptedStorage()
