from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from videocall.audit.models import AuditEvent
from videocall.core.datamap import register_retention
from videocall.core.signals import privacy_inquiry_received
from videocall.notifications.models import Notification
from videocall.privacy.models import ConsentRecord, DataExport, PageView, PrivacyRequest
from videocall.privacy.retention import retention_run

pytestmark = pytest.mark.django_db


def test_contact_form_files_a_request_due_in_a_month(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/privacy/contact/",
            {"kind": "access", "email": "asker@example.org", "message": "What do you hold?"},
        )
    assert response.status_code == 302
    request = PrivacyRequest.objects.get()
    assert request.due_at - request.received_at == timedelta(days=30)
    assert request.verification == "unverified" and request.email == "asker@example.org"
    assert [m.to for m in mail.outbox] == [["asker@example.org"]]
    for _ in range(5):
        client.post(
            "/privacy/contact/", {"kind": "question", "email": "asker@example.org", "message": "again"}
        )
    assert (
        client.post(
            "/privacy/contact/", {"kind": "question", "email": "a@example.org", "message": "x"}
        ).status_code
        == 429
    )


def test_support_signal_files_a_request(member: Any) -> None:
    privacy_inquiry_received.send(
        sender=None, ticket_id=7, user=member, email=member.email, subject="My data", message="please"
    )
    request = PrivacyRequest.objects.get()
    assert request.source_ticket_id == 7 and request.user == member and request.channel == "support"


def test_desk_extend_verify_and_run_export(
    client: Any, officer: Any, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from videocall.privacy.services import privacy_request_create

    request = privacy_request_create(
        actor=None, kind="access", message="copy please", email="member@example.org"
    )
    request.user = member
    request.save()
    client.force_login(officer)
    assert client.get("/privacy/desk/").status_code == 200
    assert client.get(f"/privacy/desk/requests/{request.pk}/").status_code == 200
    client.post(f"/privacy/desk/requests/{request.pk}/", {"form": "run", "action": "export"})
    assert not DataExport.objects.exists()  # identity not verified yet
    client.post(f"/privacy/desk/requests/{request.pk}/", {"form": "extend", "months": "3", "reason": "x"})
    client.post(
        f"/privacy/desk/requests/{request.pk}/", {"form": "extend", "months": "2", "reason": "complex"}
    )
    client.post(
        f"/privacy/desk/requests/{request.pk}/",
        {"form": "update", "verification": "verified", "status": "", "note": ""},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/privacy/desk/requests/{request.pk}/", {"form": "run", "action": "export"})
    request.refresh_from_db()
    assert (
        request.extended_to == request.due_at + timedelta(days=60) and request.extension_reason == "complex"
    )
    assert DataExport.objects.get(user=member).status == "ready"
    assert list(request.events.values_list("action", flat=True)) == [
        "received",
        "extended",
        "verification:verified",
        "run:export",
    ]
    client.force_login(member)
    assert client.get(f"/privacy/desk/requests/{request.pk}/").status_code == 403


def test_records_of_processing_csv(client: Any, officer: Any) -> None:
    client.force_login(officer)
    response = client.get("/privacy/desk/records.csv")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("model,field,category,purposes,legal_basis,retention")
    assert "accounts.user,email," in body


def test_flag_child_erases(
    client: Any, officer: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    child = make_user("kid@example.org", first_name="Kid")
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/privacy/desk/users/{child.pk}/under-age/", {"confirm": "yes"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.is_deleted and child.first_name == ""
    assert AuditEvent.objects.filter(action="privacy.account_erased", metadata__reason="under_age").exists()


def test_retention_sweep_removes_expired_rows(
    make_user: Any, member: Any, settings: Any, monkeypatch: Any
) -> None:
    from videocall.core import datamap

    monkeypatch.setattr(datamap, "_sweeps", dict(datamap._sweeps))
    old = timezone.now() - timedelta(days=800)
    stale = make_user("stale@example.org", verified=False)
    stale.__class__.objects.filter(pk=stale.pk).update(date_joined=old)
    fresh_unverified = make_user("fresh@example.org", verified=False)
    ConsentRecord.objects.create(
        visitor_id="v" * 30, purpose="analytics", granted=True, channel="banner", created_at=old
    )
    ConsentRecord.objects.create(visitor_id="w" * 30, purpose="analytics", granted=True, channel="banner")
    PageView.objects.create(path="/", created_at=old)
    Notification.objects.create(user=member, kind="x", title="old", created_at=old)
    Notification.objects.create(user=member, kind="x", title="new")
    DataExport.objects.create(user=member, requested_at=old, status="expired")
    calls: list[int] = []

    @register_retention("access_log")
    def sweep_probe(*, now: Any, days: int) -> int:
        calls.append(days)
        return 3

    summary = retention_run()
    stale.refresh_from_db()
    assert stale.is_deleted and not EmailAddress.objects.filter(user=stale).exists()
    fresh_unverified.refresh_from_db()
    assert not fresh_unverified.is_deleted
    assert list(ConsentRecord.objects.values_list("visitor_id", flat=True)) == ["w" * 30]
    assert not PageView.objects.exists()
    assert list(Notification.objects.values_list("title", flat=True)) == ["new"]
    assert not DataExport.objects.exists()
    assert calls == [settings.RETENTION_DAYS["access_log"]] and summary["access_log"] == 3
    event = AuditEvent.objects.filter(action="privacy.retention_sweep").last()
    assert event.metadata["deleted"]["unverified_signups"] == 1


def test_restriction_by_user_web(member_client: Any, member: Any) -> None:
    member_client.post("/privacy/settings/restriction/", {"restricted": "1"})
    member.refresh_from_db()
    assert member.is_restricted


def test_delete_account_web_needs_reauth_and_confirmation(
    client: Any, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.privacy.conftest import reauthenticated

    client.force_login(member)
    response = client.post("/privacy/delete/", {"confirm": "DELETE"})
    assert "reauthenticate" in response["Location"]
    reauthenticated(client, member)
    assert client.post("/privacy/delete/", {"confirm": "delete"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/privacy/delete/", {"confirm": "DELETE"})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.is_deleted
