from pathlib import Path

from django.db import migrations
from django.utils import timezone

SEED = Path(__file__).resolve().parent.parent / "seed" / "privacy-policy-v1.md"


def seed(apps, schema_editor):
    PolicyVersion = apps.get_model("privacy", "PolicyVersion")
    if PolicyVersion.objects.filter(number=1).exists():
        return
    now = timezone.now()
    PolicyVersion.objects.create(
        number=1,
        text=SEED.read_text(encoding="utf-8"),
        summary="First version.",
        effective_at=now,
        status="published",
        published_at=now,
        notify_done_at=now,
    )


def unseed(apps, schema_editor):
    apps.get_model("privacy", "PolicyVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_privacy_center")]

    operations = [migrations.RunPython(seed, unseed)]
