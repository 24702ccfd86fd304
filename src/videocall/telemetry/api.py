"""App API of the telemetry app: devices, session history, plain-JSON crash reports."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from videocall.accounts.models import Device
from videocall.core.api import AppSessionTokenAuth, WebSessionAuth, api_auth
from videocall.core.clients import client_ip
from videocall.core.schemas import ProblemOut
from videocall.telemetry import ingest, selectors, services
from videocall.telemetry.models import CrashProject
from videocall.telemetry.schemas import (
    CrashAcceptedOut,
    CrashSubmitIn,
    DeviceOut,
    DeviceRegisterIn,
    DeviceUpdateIn,
    TelemetrySessionOut,
)

router = Router(tags=["telemetry"])

PROBLEM = {401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut}


def current_session_key(request: HttpRequest) -> str:
    """The app's session token is its Django session key; the website uses its cookie session."""
    token = request.headers.get("X-Session-Token", "")
    if token:
        return token[:64]
    session = getattr(request, "session", None)
    return (session.session_key or "") if session is not None else ""


def _device_out(device: Device, request: HttpRequest) -> dict[str, Any]:
    key = current_session_key(request)
    return {
        "id": device.pk,
        "platform": device.platform,
        "model": device.model,
        "os_name": device.os_name,
        "os_version": device.os_version,
        "app_version": device.app_version,
        "locale": device.locale,
        "push_provider": device.push_provider,
        "has_push_token": bool(device.push_token),
        "current": bool(key and device.session_key == key),
        "created_at": device.created_at,
        "last_seen_at": device.last_seen_at,
    }


@router.get(
    "/devices", auth=api_auth, response={200: list[DeviceOut], **PROBLEM}, url_name="telemetry_devices"
)
def devices_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_device_out(d, request) for d in selectors.devices_for(request.user)]


@router.post(
    "/devices", auth=api_auth, response={201: DeviceOut, **PROBLEM}, url_name="telemetry_device_register"
)
def device_register(request: HttpRequest, payload: DeviceRegisterIn) -> Status[dict[str, Any]]:
    device = services.device_register(
        actor=request.user, session_key=current_session_key(request), values=payload.dict()
    )
    return Status(201, _device_out(device, request))


@router.get(
    "/devices/{int:device_id}",
    auth=api_auth,
    response={200: DeviceOut, **PROBLEM},
    url_name="telemetry_device_get",
)
def device_get(request: HttpRequest, device_id: int) -> dict[str, Any]:
    return _device_out(selectors.device_get(user=request.user, device_id=device_id), request)


@router.patch(
    "/devices/{int:device_id}",
    auth=api_auth,
    response={200: DeviceOut, **PROBLEM},
    url_name="telemetry_device_detail",
)
def device_update(request: HttpRequest, device_id: int, payload: DeviceUpdateIn) -> dict[str, Any]:
    values = payload.dict(exclude_unset=True)
    device = services.device_update(actor=request.user, device_id=device_id, values=values)
    return _device_out(device, request)


@router.delete(
    "/devices/{int:device_id}",
    auth=api_auth,
    response={204: None, **PROBLEM},
    url_name="telemetry_device_remove",
)
def device_remove(request: HttpRequest, device_id: int) -> Status[None]:
    services.device_remove(actor=request.user, device_id=device_id)
    return Status(204, None)


@router.get(
    "/sessions",
    auth=api_auth,
    response={200: list[TelemetrySessionOut], **PROBLEM},
    url_name="telemetry_sessions",
)
def sessions_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "started_at": s.started_at,
            "ended_at": s.ended_at,
            "requests": s.requests,
            "browser": s.browser,
            "os": s.os,
            "country": s.country,
            "auth": s.auth,
        }
        for s in selectors.sessions_for(request.user)
    ]


def _anyone(request: HttpRequest) -> str:
    return "anonymous"


@router.post(
    "/crashes",
    auth=[AppSessionTokenAuth(), WebSessionAuth(csrf=True), _anyone],
    response={200: CrashAcceptedOut, 401: ProblemOut, 413: ProblemOut, 422: ProblemOut, 429: ProblemOut},
    url_name="telemetry_crash_submit",
)
def crash_submit(request: HttpRequest, payload: CrashSubmitIn) -> dict[str, Any]:
    """A crash report in plain JSON. ``project_key`` is the project's public key (as in its DSN).
    Sent with the app's session token, the report is linked to the user only if they consented to
    "crash report detail"."""
    project = ingest.project_for_key(_project_id_for(payload.project_key), payload.project_key)
    ingest.check_rate(project.pk)
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    report = services.crash_report_ingest(
        actor=user,
        project=project,
        event=payload.as_event(),
        request_user=user,
        request_ip=client_ip(request),
        size_bytes=len(request.body),
    )
    return {"id": report.event_id}


def _project_id_for(key: str) -> int:
    return CrashProject.objects.filter(public_key=key).values_list("pk", flat=True).first() or 0
