"""Index the blind-index prefix of EmailAddress.email so allauth's lookups by email use an index.

Written as SQL because allauth's model declares no such index (the migration state stays allauth's).
"""

from django.db import migrations

from videocall.core.crypto.fields import blind_index_expression

INDEX = "account_emailaddress_email_bidx"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    column = schema_editor.quote_name("email")
    table = schema_editor.quote_name("account_emailaddress")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} (({blind_index_expression(column, vendor)}))"
    )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("account", "0010_encrypt_email")]
    operations = [migrations.RunPython(create, drop)]
