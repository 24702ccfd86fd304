"""``SiteSettings`` now lives in accounts and ``ChainCheck`` in audit (accounts 0004 and audit 0002 took
over their tables). State only: no row is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_device_sitesettings_from_telemetry_staff"),
        ("audit", "0002_chaincheck_from_staff"),
        ("staff", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ChainCheck"),
                migrations.DeleteModel(name="SiteSettings"),
            ],
            database_operations=[],
        ),
    ]
