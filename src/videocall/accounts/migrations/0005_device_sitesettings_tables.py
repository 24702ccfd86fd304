"""The moved tables take accounts' names: telemetry_device -> accounts_device, staff_sitesettings ->
accounts_sitesettings (a rename; the rows stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_device_sitesettings_from_telemetry_staff"),
        ("staff", "0002_sitesettings_chaincheck_moved"),
        ("telemetry", "0003_device_moved_to_accounts"),
    ]

    operations = [
        migrations.AlterModelTable(name="device", table=None),
        migrations.AlterModelTable(name="sitesettings", table=None),
    ]
