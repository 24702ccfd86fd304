"""Encrypt UserSession.ip and user_agent; see docs/decisions/0002-encrypting-allauth-tables.md."""

from django.db import migrations

import videocall.core.crypto.fields
from videocall.accounts.allauth_fields import encrypt_column


def encrypt_existing(apps, schema_editor):
    encrypt_column(schema_editor, "usersessions_usersession", "ip", "usersessions.usersession")
    encrypt_column(schema_editor, "usersessions_usersession", "user_agent", "usersessions.usersession")


class Migration(migrations.Migration):
    dependencies = [
        ("usersessions", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="usersession",
            name="ip",
            field=videocall.core.crypto.fields.EncryptedTextField(verbose_name="IP address"),
        ),
        migrations.AlterField(
            model_name="usersession",
            name="user_agent",
            field=videocall.core.crypto.fields.EncryptedTextField(max_length=200, verbose_name="user agent"),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
