import base64
import os

import pytest
from django.core.management import call_command
from django.db import connection

from videocall.accounts.models import User
from videocall.core.crypto import key_id_of


def _raw(user_id: int) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, first_name, last_name FROM accounts_user WHERE id = %s", [user_id])
        return cursor.fetchone()


@pytest.mark.django_db
def test_rotate_keys_then_drop_the_old_key(settings, make_user, capsys):
    from django.core.files.base import ContentFile

    user = make_user("rotate@example.org", first_name="Rosa", last_name="Rotation")
    user.avatar.save("a.webp", ContentFile(b"RIFF....WEBPVP8 fake image bytes"), save=True)
    old_spec = settings.VIDEOCALL_DATA_KEYS
    new_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    settings.VIDEOCALL_DATA_KEYS = f"k9:{new_key},{old_spec}"

    call_command("rotate_keys", batch_size=1)
    output = capsys.readouterr().out
    assert "accounts.user:" in output and "files: 1 re-encrypted of 1" in output

    email_raw, first_raw, last_raw = _raw(user.pk)
    assert key_id_of(email_raw.partition("$")[2]) == "k9"
    assert key_id_of(first_raw) == "k9" and key_id_of(last_raw) == "k9"
    stored = User._meta.get_field("avatar").storage.read_raw(user.avatar.name)
    assert key_id_of(stored) == "k9"

    # Second run: nothing left to do.
    call_command("rotate_keys")
    assert "Done: 0 values" in capsys.readouterr().out

    # The old key can go: everything still reads.
    settings.VIDEOCALL_DATA_KEYS = f"k9:{new_key}"
    again = User.objects.get(email="rotate@example.org")
    assert (again.first_name, again.last_name) == ("Rosa", "Rotation")
    with again.avatar.open("rb") as handle:
        assert handle.read() == b"RIFF....WEBPVP8 fake image bytes"
