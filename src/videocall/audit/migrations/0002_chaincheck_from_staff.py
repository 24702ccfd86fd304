"""``ChainCheck`` (the result of one verification of the audit chain) belongs to audit, whose log it
verifies. State only: the rows stay in their table (renamed in 0003); the content type moves along."""

import django.utils.timezone
from django.db import migrations, models


def _move_content_type(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    manager = ContentType.objects.db_manager(schema_editor.connection.alias)
    if not manager.filter(app_label=target, model="chaincheck").exists():
        manager.filter(app_label=source, model="chaincheck").update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, "staff", "audit")


def backwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, "audit", "staff")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("staff", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ChainCheck",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "checked_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                        ),
                        ("ok", models.BooleanField()),
                        ("checked", models.PositiveIntegerField()),
                        ("broken_at", models.BigIntegerField(blank=True, null=True)),
                        ("reason", models.CharField(blank=True, default="", max_length=200)),
                    ],
                    options={"ordering": ["-id"], "db_table": "staff_chaincheck"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
