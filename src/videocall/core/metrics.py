"""Prometheus metrics every app may count (core: the lowest layer, so meetings, accounts and staff all
import them): requests by route and status, latency, Celery task outcomes, webhook failures, failed
sign-ins, audit-chain breaks. The ``/metrics`` endpoint that exposes them is staff's
(:mod:`videocall.staff.metrics`).

Counting: ``WEBHOOK_ERRORS.labels(source="jaas", reason="signature").inc()``. Label values are fixed
vocabularies (route names, task names, reason codes): never a path, an id, an address or a user.

With ``PROMETHEUS_MULTIPROC_DIR`` set (prepared by :mod:`videocall.core.metricsdir` before this module is
imported), every process writes its values to that directory, so counters incremented in Celery worker
processes and in every web worker are added up by ``/metrics``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from celery import signals
from django.http import HttpRequest, HttpResponse
from prometheus_client import Counter, Histogram

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
LOGIN_FAILURES = Counter("videocall_login_failures_total", "Failed sign-in attempts (website and app)")
AUDIT_CHAIN_BROKEN = Counter("videocall_audit_chain_breaks_total", "Audit chain verifications that failed")

access_log = logging.getLogger("videocall.access")


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


# --- Celery task outcomes (counted in the process that runs the task: a worker, or the web process
# when tasks run in-process without a broker) ------------------------------------------------------


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
