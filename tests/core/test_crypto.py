import base64
import os

import pytest
from django.db import connection

from videocall.core.crypto import (
    DecryptionError,
    KeyRing,
    blind_index,
    decrypt_bytes,
    decrypt_text,
    encrypt_bytes,
    encrypt_text,
    key_id_of,
)


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_round_trip_and_random_nonce():
    first = encrypt_text("Ada Lovelace", "accounts.user.first_name")
    second = encrypt_text("Ada Lovelace", "accounts.user.first_name")
    assert first != second
    assert first.startswith("v1:")
    assert decrypt_text(first, "accounts.user.first_name") == "Ada Lovelace"


def test_ciphertext_is_bound_to_its_field():
    value = encrypt_text("secret", "accounts.user.first_name")
    with pytest.raises(DecryptionError):
        decrypt_text(value, "accounts.user.last_name")


def test_tampering_is_detected_not_garbage():
    value = encrypt_text("hello", "a.b.c")
    prefix, key_id, payload = value.split(":", 2)
    raw = bytearray(base64.urlsafe_b64decode(payload))
    raw[-1] ^= 1
    tampered = f"{prefix}:{key_id}:{base64.urlsafe_b64encode(bytes(raw)).decode()}"
    with pytest.raises(DecryptionError):
        decrypt_text(tampered, "a.b.c")
    with pytest.raises(DecryptionError):
        decrypt_text("v1:k1:not base64!!", "a.b.c")
    with pytest.raises(DecryptionError):
        decrypt_text("plain text", "a.b.c")


def test_unknown_key_id_is_a_clear_error(settings):
    value = encrypt_text("hello", "a.b.c")
    settings.VIDEOCALL_DATA_KEYS = f"other:{_key()}"
    with pytest.raises(DecryptionError, match="no key with id"):
        decrypt_text(value, "a.b.c")


def test_keyring_newest_encrypts_all_decrypt(settings):
    old = settings.VIDEOCALL_DATA_KEYS
    old_value = encrypt_text("x", "a.b.c")
    settings.VIDEOCALL_DATA_KEYS = f"k2:{_key()},{old}"
    new_value = encrypt_text("x", "a.b.c")
    assert key_id_of(new_value) == "k2"
    assert decrypt_text(old_value, "a.b.c") == "x"


def test_keyring_rejects_bad_specs():
    for spec in ["", "nocolon", f"bad id:{_key()}", "k1:c2hvcnQ=", f"k1:{_key()},k1:{_key()}"]:
        with pytest.raises(ValueError):
            KeyRing.parse(spec)


def test_binary_envelope():
    blob = encrypt_bytes(b"\x89PNG data", "videocall.file")
    assert b"PNG" not in blob
    assert decrypt_bytes(blob, "videocall.file") == b"\x89PNG data"
    with pytest.raises(DecryptionError):
        decrypt_bytes(blob[:-1] + bytes([blob[-1] ^ 1]), "videocall.file")


def test_blind_index_normalises_and_depends_on_key(settings):
    assert blind_index(" Alice@Example.COM ") == blind_index("alice@example.com")
    before = blind_index("alice@example.com")
    settings.VIDEOCALL_INDEX_KEY = _key()
    assert blind_index("alice@example.com") != before


@pytest.mark.django_db
def test_user_pii_never_reaches_the_database_in_clear(make_user):
    from videocall.accounts.models import User

    user = make_user("Grace.Hopper@Navy.example", first_name="Grace", last_name="Hopperton")
    assert User.objects.get(email="grace.hopper@navy.example").pk == user.pk
    assert User.objects.filter(email__iexact="GRACE.HOPPER@navy.example").count() == 1
    assert User.objects.filter(email__in=["nobody@x.example", "grace.hopper@navy.example"]).count() == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT email, email_index, first_name, last_name FROM accounts_user WHERE id = %s", [user.pk]
        )
        row = cursor.fetchone()
    flat = " ".join(str(v) for v in row).lower()
    assert "grace" not in flat and "hopper" not in flat and "navy" not in flat
