"""``Device`` (from telemetry) and ``SiteSettings`` (from staff) belong to accounts: sessions & devices
and sign-up rules. The rows stay in their tables (renamed in 0005). Two data steps:

- the device's encrypted columns are re-encrypted: their associated data names the model
  (``telemetry.device.model`` becomes ``accounts.device.model``), so without this the moved values
  would no longer decrypt;
- the content types move with the models, so permissions and console log entries keep pointing at them.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import videocall.core.crypto.fields
from videocall.core.crypto.keyring import decrypt_text, encrypt_text

MOVED = (("telemetry", "device"), ("staff", "sitesettings"))
DEVICE_ENCRYPTED = ("model", "push_token")
BATCH = 500


def _reencrypt_devices(apps, schema_editor, *, source, target):
    """Re-encrypt the device's encrypted columns from ``source``'s associated data to ``target``'s,
    reading and writing the stored text directly (the ORM would decrypt with one label only)."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote(apps.get_model("accounts", "Device")._meta.db_table)
    columns = ", ".join(quote(name) for name in DEVICE_ENCRYPTED)
    assignments = ", ".join(f"{quote(name)} = %s" for name in DEVICE_ENCRYPTED)
    last_pk = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT id, {columns} FROM {table} WHERE id > %s ORDER BY id LIMIT {BATCH}",  # noqa: S608 - quoted identifiers, bound values
                [last_pk],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            for pk, *stored in rows:
                values = [
                    encrypt_text(decrypt_text(raw, f"{source}.{name}"), f"{target}.{name}") if raw else raw
                    for name, raw in zip(DEVICE_ENCRYPTED, stored, strict=True)
                ]
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*values, pk])  # noqa: S608 - quoted identifiers, bound values
            last_pk = rows[-1][0]


def _move_content_types(apps, schema_editor, *, backwards=False):
    ContentType = apps.get_model("contenttypes", "ContentType")
    manager = ContentType.objects.db_manager(schema_editor.connection.alias)
    for old_app, model in MOVED:
        source, target = ("accounts", old_app) if backwards else (old_app, "accounts")
        if not manager.filter(app_label=target, model=model).exists():
            manager.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _reencrypt_devices(apps, schema_editor, source="telemetry.device", target="accounts.device")
    _move_content_types(apps, schema_editor)


def backwards(apps, schema_editor):
    _reencrypt_devices(apps, schema_editor, source="accounts.device", target="telemetry.device")
    _move_content_types(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_email_blind_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("staff", "0001_initial"),
        ("telemetry", "0002_access_log_crash_reports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Device",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "platform",
                            models.CharField(
                                choices=[
                                    ("android", "Android"),
                                    ("ios", "iOS"),
                                    ("web", "Web"),
                                    ("other", "Other"),
                                ],
                                default="other",
                                max_length=16,
                            ),
                        ),
                        (
                            "model",
                            videocall.core.crypto.fields.EncryptedTextField(
                                blank=True, default="", verbose_name="device model"
                            ),
                        ),
                        (
                            "os_name",
                            models.CharField(
                                blank=True, default="", max_length=32, verbose_name="operating system"
                            ),
                        ),
                        (
                            "os_version",
                            models.CharField(
                                blank=True, default="", max_length=32, verbose_name="OS version"
                            ),
                        ),
                        (
                            "app_version",
                            models.CharField(
                                blank=True, default="", max_length=32, verbose_name="app version"
                            ),
                        ),
                        (
                            "locale",
                            models.CharField(blank=True, default="", max_length=16, verbose_name="locale"),
                        ),
                        (
                            "push_token",
                            videocall.core.crypto.fields.EncryptedTextField(
                                blank=True, default="", verbose_name="push token"
                            ),
                        ),
                        (
                            "push_provider",
                            models.CharField(
                                blank=True,
                                choices=[("fcm", "FCM"), ("apns", "APNs")],
                                default="",
                                max_length=8,
                            ),
                        ),
                        (
                            "session_key",
                            models.CharField(blank=True, db_index=True, default="", max_length=64),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="devices",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"ordering": ["-last_seen_at"], "db_table": "telemetry_device"},
                ),
                migrations.CreateModel(
                    name="SiteSettings",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "registration_mode",
                            models.CharField(
                                choices=[
                                    ("open", "Open: anyone may sign up"),
                                    ("invite-only", "Invite only"),
                                    ("closed", "Closed"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("minimum_age", models.PositiveSmallIntegerField()),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "site settings",
                        "verbose_name_plural": "site settings",
                        "db_table": "staff_sitesettings",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
