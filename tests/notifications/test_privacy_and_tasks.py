"""Export/erase hooks, the retention sweep, the beat schedule and the idempotency of the tasks (and of
the test worker's ``once`` block that the worker-kill test relies on)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from tests.notifications.worker_tasks import once
from videocall.core.datamap import erasers, exporters
from videocall.notifications.models import JobRecord, Notification, NotificationPreference, TaskOnce
from videocall.notifications.services import alert_create
from videocall.notifications.tasks import deliver_email, notifications_sweep
from videocall.privacy.tasks import retention_sweep

pytestmark = pytest.mark.django_db


def test_export_holds_only_the_users_notices_and_preferences(member, make_user):
    other = make_user("other@example.org")
    alert_create(user=member, kind="generic", title="Mine", body="b")
    alert_create(user=other, kind="generic", title="Theirs")
    NotificationPreference.objects.create(user=member, topic="support_update", by_email=True)
    sections = {s.name: list(s.rows) for s in exporters()["notifications"](member)}
    assert [r["title"] for r in sections["notifications"]] == ["Mine"]
    assert sections["notification_preferences"][0]["topic"] == "support_update"


def test_erase_deletes_the_users_notices_and_preferences(member, make_user):
    other = make_user("other@example.org")
    alert_create(user=member, kind="generic", title="Mine")
    alert_create(user=other, kind="generic", title="Theirs")
    NotificationPreference.objects.create(user=member, topic="support_update", by_email=True)
    eraser = dict(erasers())["notifications"]
    assert eraser(user=member, holds=[]) == {"notifications": 1, "notification_preferences": 1}
    assert not Notification.objects.filter(user=member).exists()
    assert Notification.objects.filter(user=other).count() == 1


def test_sweep_deletes_what_is_past_retention(member):
    old = alert_create(user=member, kind="generic", title="Old")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.RETENTION_DAYS["notifications"] + 1)
    )
    fresh = alert_create(user=member, kind="generic", title="Fresh")
    stale = timezone.now() - timedelta(days=settings.NOTIFICATIONS_JOB_RECORD_DAYS + 1)
    JobRecord.objects.create(task_id="old", task_name="t", updated_at=stale)
    JobRecord.objects.create(task_id="new", task_name="t")
    TaskOnce.objects.create(key="old", task_name="t", created_at=stale)
    assert notifications_sweep.apply().get() == {"jobs": 1, "keys": 1}
    assert Notification.objects.count() == 2  # alerts are the privacy center's daily sweep's
    assert retention_sweep.apply().get()["notifications"] == 1
    assert list(Notification.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert list(JobRecord.objects.values_list("task_id", flat=True)) == ["new"]


def test_beat_schedule_names_registered_tasks():
    from videocall.config.celery import app

    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_once_runs_a_block_once():
    with once("k1", task_name="t") as first:
        assert first is True
    with once("k1", task_name="t") as again:
        assert again is False
    with pytest.raises(RuntimeError), once("k2", task_name="t") as first:
        raise RuntimeError("killed mid-block")
    assert not TaskOnce.objects.filter(key="k2").exists()  # rolled back: the redelivery will run it


def test_deliver_email_sends_once_per_key():
    payload = {"key": "abc", "to": "a@example.org", "subject": "s", "text": "t", "html": None, "headers": {}}
    assert deliver_email.apply(args=[payload]).get() == "sent"
    assert deliver_email.apply(args=[payload]).get() == "duplicate"
    assert len(mail.outbox) == 1


def test_worker_command_needs_a_broker(settings):
    from django.core.management import CommandError, call_command

    settings.CELERY_BROKER_URL = None
    with pytest.raises(CommandError, match="REDIS_URL"):
        call_command("worker")
