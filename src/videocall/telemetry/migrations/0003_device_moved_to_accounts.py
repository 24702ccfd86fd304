"""``Device`` now lives in accounts (accounts 0004 took over its table). State only: no row is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_device_sitesettings_from_telemetry_staff"),
        ("telemetry", "0002_access_log_crash_reports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Device")],
            database_operations=[],
        ),
    ]
