"""Writes of the telemetry app: devices, crash projects, crash reports, retention sweeps."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from videocall.accounts.models import Device, User
from videocall.accounts.services import session_end_by_key
from videocall.audit.actions import AuditAction
from videocall.audit.services import audit_record
from videocall.core.errors import NotFound, ValidationFailed
from videocall.privacy.consents import ConsentPurpose
from videocall.privacy.selectors import has_consent
from videocall.telemetry import ingest
from videocall.telemetry.errors import TelemetryError
from videocall.telemetry.models import AccessLogEntry, CrashGroup, CrashProject, CrashReport

DEVICE_FIELDS = ("platform", "model", "os_name", "os_version", "app_version", "locale")


# --- Devices --------------------------------------------------------------------------------------


def _validate_push(push_token: str | None, push_provider: str | None) -> None:
    if push_token and push_provider not in ("fcm", "apns"):
        raise ValidationFailed(
            "A push token needs its provider.",
            code=TelemetryError.PUSH_PROVIDER_REQUIRED,
            fields={"push_provider": ["fcm or apns is required with a push token"]},
        )


def _own_device(actor: Any, device_id: int) -> Device:
    """The caller's device with this id, locked for the write; any other id is "not found"."""
    device = (
        Device.objects.select_for_update().filter(pk=device_id, user=actor).first()
        if 0 < device_id < 2**63
        else None
    )
    if device is None:
        raise NotFound("No such device.", code=TelemetryError.DEVICE_NOT_FOUND)
    return device


def _set_given(device: Device, values: dict[str, Any]) -> list[str]:
    """Copy the device fields present (and not null) in ``values``; returns their names."""
    given = [n for n in (*DEVICE_FIELDS, "push_token", "push_provider") if values.get(n) is not None]
    for name in given:
        setattr(device, name, values[name])
    return given


@transaction.atomic
def device_register(*, actor: Any, session_key: str, values: dict[str, Any]) -> Device:
    """Register the caller's device for its current session, or update the one already registered."""
    _validate_push(values.get("push_token"), values.get("push_provider"))
    device = (
        Device.objects.select_for_update().filter(user=actor, session_key=session_key).first()
        if session_key
        else None
    )
    created = device is None
    if device is None:
        device = Device(user=actor, session_key=session_key)
    _set_given(device, values)
    device.last_seen_at = timezone.now()
    device.save()
    audit_record(
        actor=actor,
        action=AuditAction.TELEMETRY_DEVICE_REGISTERED if created else AuditAction.TELEMETRY_DEVICE_UPDATED,
        subject=device,
        metadata={"platform": device.platform},
    )
    return device


@transaction.atomic
def device_update(*, actor: Any, device_id: int, values: dict[str, Any]) -> Device:
    device = _own_device(actor, device_id)
    token = values.get("push_token", device.push_token)
    provider = values.get("push_provider", device.push_provider)
    _validate_push(token, provider)
    changed = _set_given(device, values)
    device.save()
    audit_record(
        actor=actor,
        action=AuditAction.TELEMETRY_DEVICE_UPDATED,
        subject=device,
        metadata={"fields": sorted(changed)},
    )
    return device


@transaction.atomic
def device_remove(*, actor: Any, device_id: int) -> None:
    device = _own_device(actor, device_id)
    session_key = device.session_key
    device_pk = device.pk
    # Sign the device's session out server-side (its session token, JWT access and refresh tokens).
    session_end_by_key(user=actor, session_key=session_key)
    device.delete()
    audit_record(
        actor=actor,
        action=AuditAction.TELEMETRY_DEVICE_REMOVED,
        subject=(Device._meta.label_lower, device_pk),
        metadata={"session_revoked": bool(session_key)},
    )


# --- Crash projects -------------------------------------------------------------------------------


@transaction.atomic
def crash_project_create(*, actor: Any, name: str, platform: str) -> CrashProject:
    if platform not in CrashProject.Platform.values:
        raise ValidationFailed("Unknown platform.", code=TelemetryError.CRASH_PLATFORM_INVALID)
    name = name.strip()
    if not 1 <= len(name) <= 80:
        raise ValidationFailed(
            "A name of 1 to 80 characters is required.", code=TelemetryError.CRASH_PROJECT_NAME
        )
    project = CrashProject.objects.create(name=name, platform=platform, public_key=secrets.token_hex(16))
    audit_record(actor=actor, action=AuditAction.TELEMETRY_CRASH_PROJECT_CREATED, subject=project)
    return project


# --- Crash reports --------------------------------------------------------------------------------


def _when(value: Any) -> datetime | None:
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value)
        except ValueError:
            return None
        if parsed is not None and parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed
    return None


def _event_user(event: dict[str, Any]) -> Any:
    data = event.get("user")
    raw = str(data.get("id", "")) if isinstance(data, dict) else ""
    if not raw.isdigit() or len(raw) > 18:
        return None
    return User.objects.filter(pk=int(raw), is_deleted=False).first()


@transaction.atomic
def crash_report_ingest(
    *,
    actor: Any,
    project: CrashProject,
    event: dict[str, Any],
    request_user: Any = None,
    request_ip: str = "",
    size_bytes: int = 0,
) -> CrashReport:
    """Store one crash event. ``actor`` is the request's user when its session/token came along
    (else ``None``); the event's own ``user.id`` is used when it names one of our users.

    Without the user's "crash report detail" consent nothing links the report to the person: no
    user, no IP, no breadcrumbs, no local variables, no device name.
    """
    user = request_user if getattr(request_user, "is_authenticated", False) else _event_user(event)
    detail = bool(user is not None and has_consent(user, ConsentPurpose.CRASH_REPORT_DETAIL))
    exceptions = ingest.exceptions_of(event, keep_vars=detail)
    message = ingest.message_of(event)
    contexts = ingest.contexts_of(event)
    os_ctx = contexts.get("os", {})
    device_ctx = contexts.get("device", {})
    app_ctx = contexts.get("app", {})
    release = str(event.get("release") or app_ctx.get("app_version") or "")[:64]
    os_name = str(os_ctx.get("name") or "")[:32]
    os_version = str(os_ctx.get("version") or "")[:32]
    device_model = str(device_ctx.get("model") or device_ctx.get("family") or "")[:100]
    ip = ""
    if detail:
        raw_user = event.get("user")
        event_user: dict[str, Any] = raw_user if isinstance(raw_user, dict) else {}
        claimed = str(event_user.get("ip_address") or "")
        ip = request_ip if claimed in ("", "{{auto}}") else claimed[:45]
    fingerprint = ingest.fingerprint_of(event, exceptions, message)
    main: dict[str, Any] = exceptions[-1] if exceptions else {"type": "", "value": "", "frames": []}
    title = (f"{main['type']}: {main['value']}" if main["type"] else message or "crash")[:300]
    top = ingest.top_frames(main["frames"], 1)
    culprit = (
        f"{top[0].get('module') or top[0].get('filename', '')} in {top[0].get('function', '')}" if top else ""
    )
    now = timezone.now()

    group, _created = CrashGroup.objects.select_for_update().get_or_create(
        project=project,
        fingerprint=fingerprint,
        defaults={"exception_type": main["type"][:200], "first_seen_at": now},
    )
    CrashGroup.objects.filter(pk=group.pk).update(count=F("count") + 1)
    group.refresh_from_db(fields=["count"])
    group.title = title
    group.culprit = culprit[:300]
    group.last_seen_at = now
    group.last_app_version = release
    group.last_os = f"{os_name} {os_version}".strip()[:64]
    group.last_device = device_model
    group.save(
        update_fields=["title", "culprit", "last_seen_at", "last_app_version", "last_os", "last_device"]
    )
    event_id = str(event.get("event_id") or "").replace("-", "").lower()[:32]
    report = CrashReport.objects.create(
        group=group,
        event_id=event_id if len(event_id) == 32 else secrets.token_hex(16),
        received_at=now,
        occurred_at=_when(event.get("timestamp")),
        platform=str(event.get("platform") or project.platform)[:32],
        level=str(event.get("level") or "error")[:16],
        app_version=release,
        environment=str(event.get("environment") or "")[:64],
        os_name=os_name,
        os_version=os_version,
        device_model=device_model,
        message=message,
        exception=exceptions,  # type: ignore[misc]  # EncryptedJSONField stores JSON, typed as text
        breadcrumbs=ingest.breadcrumbs_of(event) if detail else [],  # type: ignore[misc]
        user=user if detail else None,
        ip=ip,
        detail_consent=detail,
        size_bytes=size_bytes,
    )
    audit_record(
        actor=actor if getattr(actor, "is_authenticated", False) else "crash-intake",
        action=AuditAction.TELEMETRY_CRASH_RECEIVED,
        subject=report,
        metadata={"project": project.pk, "group": group.pk, "detail": detail},
    )
    return report


# --- Retention ------------------------------------------------------------------------------------


def sweep_access_log(now: datetime | None = None) -> dict[str, int]:
    """Delete access-log rows past ``RETENTION_DAYS["access_log"]`` and blank IPs past
    ``RETENTION_DAYS["ip_address"]``. Idempotent."""
    now = now or timezone.now()
    days = settings.RETENTION_DAYS
    deleted = 0
    if days.get("access_log"):
        deleted, _ = AccessLogEntry.objects.filter(
            created_at__lt=now - timedelta(days=days["access_log"])
        ).delete()
    blanked = 0
    if days.get("ip_address"):
        blanked = (
            AccessLogEntry.objects.filter(created_at__lt=now - timedelta(days=days["ip_address"]))
            .exclude(ip="")
            .update(ip="")
        )
        blanked += (
            CrashReport.objects.filter(received_at__lt=now - timedelta(days=days["ip_address"]))
            .exclude(ip="")
            .update(ip="")
        )
    return {"access_log_deleted": deleted, "ip_blanked": blanked}


def sweep_crash_reports(now: datetime | None = None) -> dict[str, int]:
    """Delete crash reports past ``RETENTION_DAYS["crash_reports"]`` and groups left empty."""
    now = now or timezone.now()
    days = settings.RETENTION_DAYS.get("crash_reports")
    if not days:
        return {"crash_reports_deleted": 0, "crash_groups_deleted": 0}
    cutoff = now - timedelta(days=days)
    reports = CrashReport.objects.filter(received_at__lt=cutoff).delete()[1].get(CrashReport._meta.label, 0)
    groups, _ = CrashGroup.objects.filter(reports__isnull=True).delete()
    return {"crash_reports_deleted": reports, "crash_groups_deleted": groups}
