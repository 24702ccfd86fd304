"""Access and portability (Art. 15/20): request, build, download and expiry of export archives."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.errors import Conflict, Gone
from videocall.core.ports import notifier
from videocall.privacy.archive import build_archive
from videocall.privacy.errors import PrivacyError
from videocall.privacy.models import DataExport
from videocall.privacy.streamcrypt import decrypt_stream, encrypt_stream
from videocall.privacy.tasks import export_build

EXPORT_AAD = "videocall.privacy.export"


def _storage() -> Any:
    return storages["default"]


def export_file_delete(export: DataExport) -> None:
    if export.file_name:
        storage = _storage()
        if storage.exists(export.file_name):
            storage.delete(export.file_name)


@transaction.atomic
def export_request(*, actor: Any, user: Any, privacy_request: Any = None) -> DataExport:
    """Queue a new archive for ``user`` (one at a time); the task builds it after commit."""
    if DataExport.objects.select_for_update().filter(user=user, status=DataExport.Status.PENDING).exists():
        raise Conflict(_("An export is already being prepared."), code=PrivacyError.EXPORT_PENDING)
    export = DataExport.objects.create(user=user, privacy_request=privacy_request)
    audit_record(
        actor=actor,
        action=AuditAction.PRIVACY_EXPORT_REQUESTED,
        subject=export,
        metadata={"user_id": user.pk},
    )
    export_id = str(export.pk)
    transaction.on_commit(lambda: export_build.delay(export_id))
    return export


def export_build_now(*, export_id: str) -> DataExport | None:
    """Build, encrypt and store the archive, then tell the user. Idempotent: only pending exports build."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return export
    user = export.user
    name = f"exports/{export.pk.hex}.vcs"
    with tempfile.TemporaryFile() as plain, tempfile.TemporaryFile() as sealed:
        counts = build_archive(user, plain)
        plain.seek(0)
        size = encrypt_stream(plain, sealed, purpose=f"{EXPORT_AAD}|{export.pk}")
        sealed.seek(0)
        storage = _storage()
        if storage.exists(name):
            storage.delete(name)
        stored = storage.save(name, File(sealed, name=name))
    with transaction.atomic():
        locked = DataExport.objects.select_for_update().get(pk=export.pk)
        if locked.status != DataExport.Status.PENDING:
            _storage().delete(stored)
            return locked
        now = timezone.now()
        locked.status = DataExport.Status.READY
        locked.file_name = stored
        locked.size_bytes = size
        locked.completed_at = now
        locked.expires_at = now + timedelta(days=settings.RETENTION_DAYS["exports"] or 7)
        locked.save()
        audit_record(
            actor=None,
            action=AuditAction.PRIVACY_EXPORT_READY,
            subject=locked,
            metadata={"user_id": user.pk, **counts, "bytes": size},
        )
        url = reverse("privacy:export_detail", kwargs={"export_id": locked.pk})
        notifier().notify(
            user=user,
            kind="privacy.export_ready",
            title=_("Your data export is ready"),
            body=_("Download it once before %(date)s. The link works only while you are signed in.")
            % {"date": locked.expires_at.date().isoformat()},
            url=url,
            email_template="privacy_export_ready",
            context={"expires_at": locked.expires_at, "link": settings.SITE_URL + url},
        )
    return locked


@transaction.atomic
def export_mark_failed(*, export_id: str) -> None:
    DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
        status=DataExport.Status.FAILED, completed_at=timezone.now()
    )
    audit_record(
        actor=None, action=AuditAction.PRIVACY_EXPORT_FAILED, subject=("privacy.dataexport", export_id)
    )


@transaction.atomic
def export_download(*, actor: Any, export: DataExport) -> Iterator[bytes]:
    """Claim the one-time download and return the decrypted archive as a stream of chunks."""
    locked = DataExport.objects.select_for_update().get(pk=export.pk)
    if locked.status == DataExport.Status.READY and locked.expires_at and locked.expires_at <= timezone.now():
        locked.status = DataExport.Status.EXPIRED
        locked.save(update_fields=["status"])
        raise Gone(_("This export has expired. Request a new one."), code=PrivacyError.EXPORT_EXPIRED)
    if locked.status != DataExport.Status.READY:
        raise Gone(_("This export is no longer available."), code=PrivacyError.EXPORT_UNAVAILABLE)
    locked.status = DataExport.Status.DOWNLOADED
    locked.downloaded_at = timezone.now()
    locked.save(update_fields=["status", "downloaded_at"])
    audit_record(actor=actor, action=AuditAction.PRIVACY_EXPORT_DOWNLOADED, subject=locked)
    name = locked.file_name
    purpose = f"{EXPORT_AAD}|{locked.pk}"

    def stream() -> Iterator[bytes]:
        storage = _storage()
        with storage.open(name, "rb") as handle:
            yield from decrypt_stream(handle, purpose=purpose)
        storage.delete(name)

    return stream()
