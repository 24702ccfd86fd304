"""Website views and the Sentry-compatible intake endpoints (which live outside /api/v1)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from videocall.core.api import problem
from videocall.core.clients import client_ip
from videocall.core.csvsafe import SafeWriter
from videocall.core.errors import ApplicationError, NotFound, RateLimited
from videocall.core.permissions import Perm, permission_required
from videocall.telemetry import charts, ingest, selectors, services

logger = logging.getLogger(__name__)


# --- Sentry-compatible intake ---------------------------------------------------------------------


def _problem(error: ApplicationError, request: HttpRequest) -> HttpResponse:
    """The problem+json answer, plus the Sentry SDK's rate-limit headers when it is one."""
    response = problem(request, error)
    if isinstance(error, RateLimited):
        retry = int(error.extra.get("retry_after", 60))
        response["Retry-After"] = str(retry)
        response["X-Sentry-Rate-Limits"] = f"{retry}::key"
    return response


def _identify_caller(request: HttpRequest) -> Any:
    """The signed-in user, if the SDK's request carries the website session or the app's token."""
    token = request.headers.get("X-Session-Token", "")
    if token:
        from allauth.headless.internal.sessionkit import authenticate_by_x_session_token

        result = authenticate_by_x_session_token(token[:64])
        if result is not None and result.user is not None and result.user.is_authenticated:
            request.telemetry_identity = (result.user, token[:64], "app")  # type: ignore[attr-defined]
            return result.user
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _ingest(request: HttpRequest, project_id: int, *, envelope: bool) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    try:
        key = ingest.public_key_from(request)
        project = ingest.project_for_key(project_id, key) if key else None
        body = ingest.read_body(request)
        if envelope:
            parsed = ingest.parse_envelope(body)
            if project is None:
                project = ingest.project_for_key(project_id, ingest.public_key_from(request, parsed.header))
            events = [ingest.event_from_json(p) for h, p in parsed.items if h.get("type") == "event"]
            event_id = str(parsed.header.get("event_id") or "")
        else:
            if project is None:
                project = ingest.project_for_key(project_id, "")
            events = [ingest.event_from_json(body)]
            event_id = str(events[0].get("event_id") or "")
        if events:
            ingest.check_rate(project.pk)
        user = _identify_caller(request)
        ip = client_ip(request)
        for event in events:
            report = services.crash_report_ingest(
                actor=user,
                project=project,
                event=event,
                request_user=user,
                request_ip=ip,
                size_bytes=len(body),
            )
            event_id = event_id or report.event_id
    except ApplicationError as error:
        return _problem(error, request)
    return JsonResponse({"id": event_id.replace("-", "")})


@csrf_exempt
def crash_envelope(request: HttpRequest, project_id: int) -> HttpResponse:
    """``POST /api/<project_id>/envelope/`` as the Sentry SDKs send it."""
    return _ingest(request, project_id, envelope=True)


@csrf_exempt
def crash_store(request: HttpRequest, project_id: int) -> HttpResponse:
    """``POST /api/<project_id>/store/``: one JSON event (older SDKs)."""
    return _ingest(request, project_id, envelope=False)


# --- Devices (members) ----------------------------------------------------------------------------


@login_required
@require_GET
def devices(request: HttpRequest) -> HttpResponse:
    current = request.session.session_key or ""
    return render(
        request,
        "telemetry/devices.html",
        {
            "devices": selectors.devices_for(request.user),
            "sessions": selectors.sessions_for(request.user, limit=20),
            "current_session_key": current,
        },
    )


@login_required
@require_POST
def device_remove(request: HttpRequest, device_id: int) -> HttpResponse:
    current = request.session.session_key or ""
    device = (
        selectors.devices_for(request.user).filter(pk=device_id).first()
        if selectors.valid_id(device_id)
        else None
    )
    if device is None:
        raise Http404
    was_current = bool(current and device.session_key == current)
    try:
        services.device_remove(actor=request.user, device_id=device_id)
    except NotFound:
        raise Http404 from None
    if was_current:
        return redirect("home")
    messages.success(request, _("The device was removed and signed out."))
    return redirect("telemetry:devices")


# --- Crash reports (staff) ------------------------------------------------------------------------


@permission_required(Perm.CRASHES_VIEW)
@require_GET
def crash_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.crash_groups(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "telemetry/crash_list.html", {"page": page})


@permission_required(Perm.CRASHES_VIEW)
@require_GET
def crash_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    try:
        group = selectors.crash_group_get(actor=request.user, group_id=group_id)
    except NotFound:
        raise Http404 from None
    reports = list(selectors.crash_reports_of(actor=request.user, group=group)[:20])
    return render(
        request,
        "telemetry/crash_detail.html",
        {"group": group, "reports": reports, "latest": reports[0] if reports else None},
    )


# --- Usage trends (staff) -------------------------------------------------------------------------


def _trend_args(request: HttpRequest) -> tuple[str, int]:
    period = "week" if request.GET.get("period") == "week" else "day"
    try:
        days = int(request.GET.get("days", "84" if period == "week" else "30"))
    except ValueError:
        days = 30
    return period, max(7, min(days, 366))


@permission_required(Perm.ANALYTICS_VIEW)
@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    period, days = _trend_args(request)
    data = selectors.usage_trends(actor=request.user, period=period, days=days)
    rendered = []
    for series in data.series:
        chart = (
            charts.bar_chart(series.points, title=str(series.label), unit=str(series.unit), period=period)
            if series.available
            else None
        )
        rendered.append({"series": series, "chart": chart})
    return render(
        request,
        "telemetry/trends.html",
        {"trends": data, "charts": rendered, "period": period, "days": days},
    )


@permission_required(Perm.ANALYTICS_VIEW)
@require_GET
def trends_csv(request: HttpRequest) -> HttpResponse:
    period, days = _trend_args(request)
    data = selectors.usage_trends(actor=request.user, period=period, days=days)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="usage-trends-{period}.csv"'
    writer = SafeWriter(response)
    writer.writerow([period, *(s.key for s in data.series)])
    for i, bucket in enumerate(data.buckets):
        row: list[Any] = [bucket.isoformat()]
        for s in data.series:
            value = s.points[i][1] if s.available and i < len(s.points) else None
            row.append("" if value is None else value)
        writer.writerow(row)
    return response
