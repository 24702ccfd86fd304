"""The ports and hooks through which a lower app reaches a higher one (docs/architecture.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import RequestFactory

from videocall.core import ports
from videocall.core.signals import console_changed


def test_notifications_registers_the_notifier() -> None:
    from videocall.notifications import services

    assert ports.notifier() is services


def test_a_missing_notifier_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ports, "_notifier", None)
    with pytest.raises(ports.PortNotRegistered, match=r"videocall\.notifications"):
        ports.notifier()


def test_mail_through_the_port_leaves_with_the_callers_commit_only(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """privacy's request receipt goes through the port inside privacy's transaction: a rollback sends
    nothing, a commit sends it (the delivery is queued with on_commit, as before the port)."""
    from videocall.privacy.services import privacy_request_create

    class Rollback(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        privacy_request_create(actor=None, kind="access", email="rolled@example.org", message="x")
        raise Rollback
    assert callbacks == []
    assert not [m for m in mail.outbox if "rolled@example.org" in m.to]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        privacy_request_create(actor=None, kind="access", email="kept@example.org", message="x")
    assert len(callbacks) == 1
    assert [m for m in mail.outbox if "kept@example.org" in m.to]


def test_staff_audits_console_changes_and_the_console_refuses_without_it(
    db: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.contrib import admin

    from videocall.audit.models import AuditEvent
    from videocall.telemetry.models import CrashProject

    model_admin = admin.site._registry[CrashProject]
    request = RequestFactory().post("/")
    request.user = make_user("admin@example.org")

    project = CrashProject.objects.create(name="app", public_key="a" * 32, platform="android")
    project_id = project.pk
    model_admin.delete_model(request, project)
    event = AuditEvent.objects.get(action="console.deleted", subject_type="telemetry.crashproject")
    assert event.subject_id == str(project_id)

    monkeypatch.setattr(console_changed, "receivers", [])
    monkeypatch.setattr(console_changed, "sender_receivers_cache", {})
    other = CrashProject.objects.create(name="other", public_key="b" * 32, platform="ios")
    with pytest.raises(ImproperlyConfigured, match="console_changed has no receiver"):
        model_admin.delete_model(request, other)


def test_meetings_provides_its_usage_series() -> None:
    window = ports.UsageWindow(
        start_at=datetime(2026, 1, 5, tzinfo=UTC),
        end_at=datetime(2026, 1, 12, tzinfo=UTC),
        period="week",
        buckets=(date(2026, 1, 5),),
    )
    assert "meetings" in ports._usage_series
    assert window.bucket_of(date(2026, 1, 11)) == date(2026, 1, 5)


def test_meetings_registers_the_invitation_check_for_invite_only_sign_up() -> None:
    from videocall.accounts import adapter
    from videocall.meetings.views import holds_invitation

    assert holds_invitation in adapter._invitation_checks
    assert adapter._holds_invitation(None) is False
