"""Encryption of personal data at rest: AES-256-GCM with a key ring, AAD and a blind index.

Stored form: ``v1:<key id>:<base64url(nonce || ciphertext || tag)>``. The newest key (first in
``VIDEOCALL_DATA_KEYS``) encrypts; every key in the ring decrypts. The associated data binds a value to
its model and field, so a ciphertext copied into another column does not decrypt.
"""

from videocall.core.crypto.keyring import (
    DecryptionError,
    KeyRing,
    blind_index,
    decrypt_bytes,
    decrypt_text,
    encrypt_bytes,
    encrypt_text,
    get_keyring,
    is_encrypted,
    key_id_of,
    normalise_email,
)

__all__ = [
    "DecryptionError",
    "KeyRing",
    "blind_index",
    "decrypt_bytes",
    "decrypt_text",
    "encrypt_bytes",
    "encrypt_text",
    "get_keyring",
    "is_encrypted",
    "key_id_of",
    "normalise_email",
]
