"""Encrypt EmailAddress.email (blind index + AES-GCM); see docs/decisions/0002-encrypting-allauth-tables.md."""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

import videocall.core.crypto.fields
from videocall.accounts.allauth_fields import encrypt_column


def encrypt_existing(apps, schema_editor):
    encrypt_column(schema_editor, "account_emailaddress", "email", "account.emailaddress", searchable=True)


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="emailaddress",
            name="unique_verified_email",
        ),
        migrations.AlterUniqueTogether(
            name="emailaddress",
            unique_together=set(),
        ),
        migrations.AlterField(
            model_name="emailaddress",
            name="email",
            field=videocall.core.crypto.fields.EncryptedSearchableTextField(
                db_index=True, verbose_name="email address"
            ),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="emailaddress",
            constraint=models.UniqueConstraint(
                models.F("user"),
                django.db.models.functions.text.Substr("email", 1, 64),
                name="unique_user_email",
            ),
        ),
        migrations.AddConstraint(
            model_name="emailaddress",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Substr("email", 1, 64),
                condition=models.Q(("verified", True)),
                name="unique_verified_email",
            ),
        ),
    ]
