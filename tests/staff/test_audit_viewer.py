"""The audit trail viewer: filters, CSV export, chain status and the scheduled verification."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from videocall.audit.actions import AuditAction
from videocall.audit.models import AuditEvent, ChainCheck
from videocall.audit.services import audit_record
from videocall.core.permissions import Role
from videocall.staff.tasks import audit_chain_verify

pytestmark = pytest.mark.django_db

LIST = "/console/audit/auditevent/"
EXPORT = "/console/audit/auditevent/export.csv"


@pytest.fixture
def events(target):
    first = audit_record(actor=target, action=AuditAction.AUTH_LOGIN, subject=target)
    second = audit_record(
        actor=None, action=AuditAction.PRIVACY_EXPORT_READY, subject=("privacy.exportjob", "77")
    )
    third = audit_record(actor=target, action=AuditAction.AUTH_LOGOUT, metadata={"formula": "=HYPERLINK(1)"})
    AuditEvent.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=10))
    # Moving a row in time breaks its hash: the chain-status test relies on that.
    return first, second, third


def _ids(response) -> set[int]:
    page = response.content.decode()
    return {e.pk for e in AuditEvent.objects.all() if f"/console/audit/auditevent/{e.pk}/change/" in page}


def test_filters(staff_client, target, events):
    first, second, third = events
    auditor, _user = staff_client(Role.AUDITOR)
    assert _ids(auditor.get(LIST, {"actor": str(target.pk)})) == {first.pk, third.pk}
    assert _ids(auditor.get(LIST, {"actor": "system"})) == {second.pk}
    assert _ids(auditor.get(LIST, {"action_code": "accounts"})) == {first.pk, third.pk}  # the app's range
    assert _ids(auditor.get(LIST, {"action_code": "auth."})) == {first.pk, third.pk}  # a value prefix
    assert _ids(auditor.get(LIST, {"subject": "privacy.exportjob:77"})) == {second.pk}
    assert _ids(auditor.get(LIST, {"subject": str(target.pk), "action_code": "auth.login"})) == {first.pk}
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert _ids(auditor.get(LIST, {"since": since, "action_code": "accounts"})) == {third.pk}
    until = (timezone.now() - timedelta(days=5)).date().isoformat()
    assert _ids(auditor.get(LIST, {"until": until})) == {first.pk}
    assert auditor.get(LIST, {"since": "not-a-date"}).status_code == 200


def test_the_audit_console_shows_labels_and_filters_by_member(staff_client, member):
    login = audit_record(actor=member, action=AuditAction.AUTH_LOGIN, subject=member)
    audit_record(actor=member, action=AuditAction.MEETINGS_MEETING_CREATED)
    auditor, _user = staff_client(Role.AUDITOR)
    page = auditor.get("/console/audit/auditevent/").content.decode()
    assert f"{AuditAction.AUTH_LOGIN.label} <code>auth.login</code> <small>#320</small>" in page
    assert '<optgroup label="accounts (300-399)">' in page
    assert (
        '<option value="meetings.meeting_created">601 · Meeting created (meetings.meeting_created)</option>'
        in page
    )
    filtered = auditor.get("/console/audit/auditevent/", {"action_code": "auth.login"}).content.decode()
    assert f"/console/audit/auditevent/{login.pk}/change/" in filtered
    assert "<code>meetings.meeting_created</code>" not in filtered
    assert '<option value="auth.login" selected>' in filtered


def test_csv_export_is_filtered_neutralised_and_audited(staff_client, target, events):
    auditor, auditor_user = staff_client(Role.AUDITOR)
    response = auditor.get(EXPORT, {"actor": str(target.pk)})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["action"] for r in rows] == ["auth.login", "auth.logout"]
    assert rows[1]["metadata"].startswith("{")  # JSON text, and never a live spreadsheet formula
    assert all(not value.startswith(("=", "+", "@")) for row in rows for value in row.values())
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.actor_id == auditor_user.pk
    assert exported.metadata == {"rows": 2, "filters": ["actor"]}


def test_export_needs_audit_export(staff_client, events):
    privacy, _user = staff_client(Role.PRIVACY_OFFICER)  # may view the trail, not export it
    assert privacy.get(LIST).status_code == 200
    assert privacy.get(EXPORT).status_code == 403
    support, _user = staff_client(Role.SUPPORT_AGENT)
    assert support.get(LIST).status_code == 403


def test_chain_status_and_verify_now(staff_client, events):
    auditor, _user = staff_client(Role.AUDITOR)
    assert "has not been verified yet" in auditor.get(LIST).content.decode()
    response = auditor.post("/console/audit/auditevent/verify/")
    assert response.status_code == 302
    check = ChainCheck.objects.get()
    assert check.ok is False  # the fixture moved a row in time: its hash no longer matches
    assert "BROKEN at event #" in auditor.get(LIST).content.decode()


def test_scheduled_verification_alerts_administrators_once(
    make_user, target, django_capture_on_commit_callbacks
):
    admin_user = make_user("admin@staff.example.org", roles=[Role.ADMINISTRATOR])
    officer = make_user("po@staff.example.org", roles=[Role.PRIVACY_OFFICER])
    auditor = make_user("aud@staff.example.org", roles=[Role.AUDITOR])
    for _n in range(3):
        audit_record(actor=target, action=AuditAction.AUTH_LOGIN)
    assert audit_chain_verify.delay().get()["ok"] is True
    assert ChainCheck.objects.get().ok

    tampered = AuditEvent.objects.order_by("id")[1]
    AuditEvent.objects.filter(pk=tampered.pk).update(action="test.rewritten")  # bypasses save(): tampering
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = audit_chain_verify.delay().get()
    assert result == {"ok": False, "checked": 1, "broken_at": tampered.pk}
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["admin@staff.example.org", "po@staff.example.org"]
    assert "hash chain is broken" in mail.outbox[0].subject
    assert admin_user.notifications.filter(kind="security.audit_chain_broken").count() == 1
    assert officer.notifications.count() == 1
    assert auditor.notifications.count() == 0
    assert AuditEvent.objects.filter(action="staff.audit_chain_broken").count() == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        audit_chain_verify.delay()
    assert mail.outbox == []  # the same break is reported once
    assert admin_user.notifications.count() == 1


def test_beat_schedule_runs_the_verification(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["staff-audit-chain-verify"]
    assert entry["task"] == "staff.audit_chain_verify"
    assert 0 < entry["schedule"] <= 24 * 3600
