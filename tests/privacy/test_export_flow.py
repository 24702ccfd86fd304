from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.storage import storages
from django.utils import timezone

from tests.privacy.conftest import reauthenticated
from videocall.audit.models import AuditEvent
from videocall.notifications.models import Notification
from videocall.privacy.models import DataExport

pytestmark = pytest.mark.django_db


def _request_export(client: Any, capture: Any) -> DataExport:
    with capture(execute=True):
        response = client.post("/privacy/exports/", {"confirm": "1"})
    assert response.status_code == 302
    return DataExport.objects.get()


def test_web_export_needs_reauthentication(member_client: Any) -> None:
    response = member_client.post("/privacy/exports/", {"confirm": "1"})
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    assert not DataExport.objects.exists()


def test_export_is_built_encrypted_notified_and_downloadable_once(
    client: Any, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reauthenticated(client, member)
    export = _request_export(client, django_capture_on_commit_callbacks)
    assert export.status == DataExport.Status.READY
    assert export.expires_at - export.completed_at == timedelta(days=settings.RETENTION_DAYS["exports"])
    raw = storages["default"].open(export.file_name).read()
    assert raw.startswith(b"VCS1") and member.email.encode() not in raw and b"Mia" not in raw
    alert = Notification.objects.get(user=member, kind="privacy.export_ready")
    assert alert.url == f"/privacy/exports/{export.pk}/"
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert str(export.pk) in mail.outbox[0].body
    page = client.get(f"/privacy/exports/{export.pk}/")
    assert page.status_code == 200
    response = client.post(f"/privacy/exports/{export.pk}/download/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert {"README.md", "schema.json", "identity.json"} <= set(archive.namelist())
    assert member.email in archive.read("identity.json").decode()
    assert any(n.startswith("files/profile/") for n in archive.namelist()) is False  # no picture uploaded
    again = client.post(f"/privacy/exports/{export.pk}/download/")
    assert again.status_code == 302  # one-time: the second attempt is refused with a message
    assert not storages["default"].exists(export.file_name)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"privacy.export_requested", "privacy.export_ready", "privacy.export_downloaded"} <= actions


def test_other_users_export_is_not_found(
    client: Any, member: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reauthenticated(client, member)
    export = _request_export(client, django_capture_on_commit_callbacks)
    other = make_user("other@example.org")
    reauthenticated(client, other)
    assert client.get(f"/privacy/exports/{export.pk}/").status_code == 404
    assert client.post(f"/privacy/exports/{export.pk}/download/").status_code == 404


def test_expired_export_is_gone_and_swept(
    client: Any, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from videocall.privacy.retention import retention_run

    reauthenticated(client, member)
    export = _request_export(client, django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.post(f"/privacy/exports/{export.pk}/download/").status_code == 302
    retention_run()
    assert not storages["default"].exists(export.file_name)


def test_an_export_that_keeps_failing_is_marked_failed_after_its_last_retry(
    member: Any, monkeypatch: Any
) -> None:
    """The export policy (core.tasks.EXPORT) retries storage and database errors; after the last retry
    the export is failed, so the person can ask for a new one (a pending export blocks new requests)."""
    from celery.exceptions import Retry

    from videocall.core.tasks import EXPORT
    from videocall.privacy import exports
    from videocall.privacy.tasks import export_build

    export = DataExport.objects.create(user=member)

    def storage_down(**kwargs: Any) -> None:
        raise OSError("storage unreachable")

    monkeypatch.setattr(exports, "export_build_now", storage_down)
    with pytest.raises(Retry):
        export_build.apply(args=[str(export.pk)], retries=EXPORT["max_retries"] - 1, throw=True)
    export.refresh_from_db()
    assert export.status == DataExport.Status.PENDING  # one retry left: still waiting
    with pytest.raises(OSError):
        export_build.apply(args=[str(export.pk)], retries=EXPORT["max_retries"], throw=True)
    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED
