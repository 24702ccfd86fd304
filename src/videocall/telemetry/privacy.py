"""Data map entries, export and erasure for the access log and crash reports (devices: accounts)."""

from collections.abc import Iterable, Iterator
from typing import Any

from videocall.core.datamap import (
    Category,
    ExportSection,
    FieldDecl,
    LegalBasis,
    Purpose,
    data_map,
    is_held,
    register_eraser,
    register_exporter,
    register_retention,
)
from videocall.telemetry.models import AccessLogEntry, CrashGroup, CrashProject, CrashReport
from videocall.telemetry.services import sweep_access_log, sweep_crash_reports

# --- Access log, crash reports ----------------------------------------------------------------------

_LOG = (Purpose.SECURITY, Purpose.ANALYTICS)


def _log(category: Category, retention: str = "access_log", **kw: Any) -> FieldDecl:
    return FieldDecl(category, _LOG, LegalBasis.LEGITIMATE_INTERESTS, retention, **kw)


data_map.declare(
    AccessLogEntry,
    personal={
        "created_at": _log(Category.ACTIVITY),
        "session_hash": _log(
            Category.ACTIVITY,
            exported=False,
            note="HMAC of the session key: groups requests into sessions, never the key; meaningless outside",
        ),
        "auth": _log(Category.ACTIVITY),
        "method": _log(Category.ACTIVITY),
        "route": _log(Category.ACTIVITY, note="the URL name only; never the path, query string or body"),
        "status": _log(Category.ACTIVITY),
        "latency_ms": _log(Category.ACTIVITY),
        "ip": _log(Category.NETWORK, "ip_address", note="blanked after RETENTION_DAYS['ip_address']"),
        "country": _log(Category.NETWORK, note="general location: country code from the IP"),
        "browser": _log(Category.BROWSER, note="browser family and major version only"),
        "os": _log(Category.DEVICE, note="OS family and major version only"),
    },
    not_personal={"id": "row id", "user": "owner"},
    owner_path="user",
)

data_map.declare(
    CrashProject,
    personal={},
    not_personal={
        "id": "row id",
        "name": "name of one of the operator's apps",
        "public_key": "public key of the app's crash DSN",
        "platform": "app platform",
        "is_active": "whether reports are accepted",
        "created_at": "when the project was created",
    },
)

_CRASH = (Purpose.IMPROVEMENT, Purpose.ANALYTICS)


def _crash(category: Category = Category.CRASH_REPORTS, **kw: Any) -> FieldDecl:
    return FieldDecl(category, _CRASH, LegalBasis.LEGITIMATE_INTERESTS, "crash_reports", **kw)


def _crash_consent(category: Category, **kw: Any) -> FieldDecl:
    return FieldDecl(category, _CRASH, LegalBasis.CONSENT, "crash_reports", **kw)


data_map.declare(
    CrashGroup,
    personal={
        "title": _crash(
            exported=False, note="exception message of the latest report; may hold personal data"
        ),
        "culprit": _crash(exported=False),
        "last_device": _crash(Category.DEVICE, exported=False),
    },
    not_personal={
        "id": "row id",
        "project": "the app",
        "fingerprint": "hash of exception type and top frames",
        "exception_type": "class name of the exception",
        "first_seen_at": "first report of this group (not tied to a person)",
        "last_seen_at": "latest report of this group (not tied to a person)",
        "count": "number of reports",
        "last_app_version": "app version of the latest report",
        "last_os": "OS name and version of the latest report (not tied to a person)",
    },
)

data_map.declare(
    CrashReport,
    personal={
        "received_at": _crash(),
        "occurred_at": _crash(),
        "app_version": _crash(Category.DEVICE),
        "os_name": _crash(Category.DEVICE),
        "os_version": _crash(Category.DEVICE),
        "device_model": _crash(Category.DEVICE),
        "message": _crash(note="exception message; may hold personal data"),
        "exception": _crash(note="exception chain and stack trace (local variables only with consent)"),
        "breadcrumbs": _crash_consent(Category.CRASH_REPORTS, note="only with 'crash report detail' consent"),
        "ip": _crash_consent(Category.NETWORK, note="only with 'crash report detail' consent"),
        "size_bytes": _crash(),
    },
    not_personal={
        "id": "row id",
        "group": "crash group",
        "event_id": "random id the SDK gave the event",
        "platform": "platform name",
        "level": "severity",
        "environment": "deployment name (production, staging)",
        "user": "owner, only with 'crash report detail' consent",
        "detail_consent": "whether the consent was present when the report arrived",
    },
    owner_path="user",
)


def _access_rows(user: Any) -> Iterator[dict[str, Any]]:
    for e in AccessLogEntry.objects.filter(user=user).order_by("created_at", "id").iterator():
        yield {
            "time": e.created_at.isoformat(),
            "method": e.method,
            "route": e.route,
            "status": e.status,
            "latency_ms": e.latency_ms,
            "signed_in_with": e.auth,
            "ip_address": e.ip,
            "country": e.country,
            "browser": e.browser,
            "operating_system": e.os,
        }


def _crash_rows(user: Any) -> Iterator[dict[str, Any]]:
    for r in CrashReport.objects.filter(user=user).order_by("received_at", "id").iterator():
        yield {
            "event_id": r.event_id,
            "received_at": r.received_at.isoformat(),
            "occurred_at": r.occurred_at.isoformat() if r.occurred_at else "",
            "platform": r.platform,
            "app_version": r.app_version,
            "os": f"{r.os_name} {r.os_version}".strip(),
            "device_model": r.device_model,
            "message": r.message,
            "exception": r.exception,
            "breadcrumbs": r.breadcrumbs,
            "ip_address": r.ip,
            "size_bytes": r.size_bytes,
        }


@register_exporter("telemetry")
def export(user: Any) -> Iterable[ExportSection]:
    yield ExportSection(
        "access_log",
        Category.ACTIVITY,
        "Requests you made while signed in: time, route name, status, browser, OS, IP and country.",
        rows=_access_rows(user),
    )
    yield ExportSection(
        "crash_reports",
        Category.CRASH_REPORTS,
        "Crash reports linked to you (only those sent while 'detailed crash reports' was on).",
        rows=_crash_rows(user),
        tabular=False,
    )


@register_eraser("telemetry", order=100)
def erase(*, user: Any, holds: Any) -> dict[str, int]:
    counts = {"access_log": 0, "crash_reports": 0}
    if not is_held(holds, Category.ACTIVITY, Category.NETWORK, Category.BROWSER):
        counts["access_log"] = AccessLogEntry.objects.filter(user=user).delete()[0]
    if not is_held(holds, Category.CRASH_REPORTS):
        counts["crash_reports"] = CrashReport.objects.filter(user=user).delete()[0]
    return counts


# Retention: the privacy center's daily sweep runs these and writes one summary audit event.
@register_retention("access_log")
def _sweep_access_log(*, now: Any, days: int) -> int:
    return sum(sweep_access_log(now).values())


@register_retention("crash_reports")
def _sweep_crash_reports(*, now: Any, days: int) -> int:
    return sum(sweep_crash_reports(now).values())
