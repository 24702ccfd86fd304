"""Prometheus metrics: requests by route and status, latency, Celery jobs, webhook errors.

Other apps count their webhook failures with ``WEBHOOK_ERRORS.labels(source="jitsi", reason="signature").inc()``.
With several server processes set ``PROMETHEUS_MULTIPROC_DIR`` (an empty, writable directory) so
/metrics aggregates every worker.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from celery import signals
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "videocall_http_requests_total",
    "HTTP requests by route name, method and status",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "videocall_http_request_duration_seconds",
    "HTTP request latency by route name",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TASKS = Counter("videocall_celery_tasks_total", "Celery tasks by name and outcome", ["task", "state"])
WEBHOOK_ERRORS = Counter(
    "videocall_webhook_errors_total", "Rejected or failed webhook deliveries", ["source", "reason"]
)
access_log = logging.getLogger("videocall.access")

AUDIT_CHAIN_BROKEN = Counter("videocall_audit_chain_breaks_total", "Audit chain verifications that failed")


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    # The URL name (never the path: paths can carry ids); API routes by their operation.
    return (match.view_name or match.route or "unnamed")[:100]


class MetricsMiddleware:
    """Counts every request by route name and status, observes its latency, and writes the access
    log line (route name, status, latency; never the path, query, IP or user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = _route(request)
        method = (
            request.method
            if request.method in {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
            else "OTHER"
        )
        REQUESTS.labels(route=route, method=method, status=str(response.status_code)).inc()
        elapsed = time.perf_counter() - started
        LATENCY.labels(route=route).observe(elapsed)
        access_log.info(
            "request",
            extra={"route": route, "status": response.status_code, "latency_ms": round(elapsed * 1000, 1)},
        )
        return response


# --- Celery jobs ----------------------------------------------------------------------------------


def _task_name(sender: Any) -> str:
    return str(getattr(sender, "name", sender) or "unknown")[:100]


@signals.task_success.connect(weak=False)
def _task_success(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(task=_task_name(sender), state="success").inc()


@signals.task_failure.connect(weak=False)
def _task_failure(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(task=_task_name(sender), state="failure").inc()


@signals.task_retry.connect(weak=False)
def _task_retry(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(task=_task_name(sender), state="retry").inc()


# --- the endpoint ---------------------------------------------------------------------------------


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for item in getattr(settings, "VIDEOCALL_METRICS_ALLOW_IPS", []) or []:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return networks


def authorised(request: HttpRequest) -> bool:
    token = getattr(settings, "VIDEOCALL_METRICS_TOKEN", None) or ""
    header = request.headers.get("Authorization", "")
    if (
        token
        and header.startswith("Bearer ")
        and hmac.compare_digest(header[7:].strip().encode(), token.encode())
    ):
        return True
    try:
        client = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(client in network for network in _allowed_networks())


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not authorised(request):
        response = HttpResponse("authentication required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
