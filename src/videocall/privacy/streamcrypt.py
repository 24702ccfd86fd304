"""Chunked AES-256-GCM for large files (export archives), so memory stays flat.

Format: ``VCS1`` | key id length (1 byte) | key id | 8-byte random nonce prefix | chunks, each
``4-byte big-endian length | nonce-prefix+counter sealed chunk``. Each chunk's associated data binds
the file's purpose, its index and whether it is the last one, so chunks cannot be reordered,
dropped or truncated undetected.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from typing import IO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from videocall.core.crypto import DecryptionError, get_keyring

MAGIC = b"VCS1"
CHUNK = 1024 * 1024


def _aad(purpose: str, index: int, last: bool) -> bytes:
    return f"{purpose}|{index}|{int(last)}".encode()


def encrypt_stream(source: IO[bytes], target: IO[bytes], *, purpose: str) -> int:
    """Encrypt ``source`` into ``target`` chunk by chunk; returns the bytes written."""
    ring = get_keyring()
    key_id = ring.active_id.encode("ascii")
    aead = AESGCM(ring.keys[ring.active_id])
    prefix = os.urandom(8)
    written = target.write(MAGIC + bytes([len(key_id)]) + key_id + prefix)
    index = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        sealed = aead.encrypt(prefix + struct.pack(">I", index), chunk, _aad(purpose, index, last))
        written += target.write(struct.pack(">I", len(sealed)) + sealed)
        if last:
            return written
        chunk = following
        index += 1


def decrypt_stream(source: IO[bytes], *, purpose: str) -> Iterator[bytes]:
    """Yield the plaintext chunks of a file written by :func:`encrypt_stream`."""
    header = source.read(5)
    if len(header) != 5 or header[:4] != MAGIC:
        raise DecryptionError("not a chunked encrypted file")
    key_id = source.read(header[4]).decode("ascii")
    key = get_keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"no key with id {key_id!r} in the key ring")
    aead = AESGCM(key)
    prefix = source.read(8)
    index = 0
    length_bytes = source.read(4)
    while length_bytes:
        (length,) = struct.unpack(">I", length_bytes)
        sealed = source.read(length)
        next_length = source.read(4)
        last = not next_length
        try:
            yield aead.decrypt(prefix + struct.pack(">I", index), sealed, _aad(purpose, index, last))
        except Exception as exc:
            raise DecryptionError("export archive failed authentication") from exc
        length_bytes = next_length
        index += 1
