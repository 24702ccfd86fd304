"""The moved table takes audit's name: staff_chaincheck -> audit_chaincheck (a rename; the rows stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_chaincheck_from_staff"),
        ("staff", "0002_sitesettings_chaincheck_moved"),
    ]

    operations = [
        migrations.AlterModelTable(name="chaincheck", table=None),
    ]
